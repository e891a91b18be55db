package io.loompush.server.redis;

import io.loompush.server.push.Backlog;
import io.loompush.server.push.BrokerUnavailableException;
import io.loompush.server.push.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The channels' histories in Redis: one stream per channel, written and read
 * only through the {@code loompush} function library (loompush.lua), which
 * this class loads and calls over a small pool of command connections (on a
 * cluster, a pool per node, each command sent to its key's master).
 *
 * <p>Every entry carries the id of the one before it, so a reader that finds
 * the first entry after its cursor pointing past the cursor knows that
 * entries were trimmed in between: the gap is exact, not guessed.
 */
public final class RedisStreams implements StreamReader, AutoCloseable {
    private static final String LIBRARY = "loompush.lua";
    private static final int COMMAND_TIMEOUT_MILLIS = 2000;
    /** How long a caller waits for a free connection of the pool. */
    private static final Duration POOL_WAIT = Duration.ofSeconds(2);
    private static final byte[] PUBLISH = bytes("loompush_publish");
    private static final byte[] READ = bytes("loompush_read");
    private static final byte[] LOST = bytes("loompush_lost");
    /** Tries of a cluster command across MOVED redirections and a failover. */
    private static final int CLUSTER_ATTEMPTS = 5;

    private final Keys keys;
    private final byte[] maxlen;
    private final byte[] ttlMillis;
    private final String library;
    private final UnifiedJedis pool;

    /**
     * @param maxlen how many entries a stream keeps at least (trimmed with {@code MAXLEN ~})
     * @param ttl    how long a stream lives after its last publish
     * @param connections the pool's size. Measured 2026-11-30 on the 2-core machine (load average 6 to 9
     *        from other builds), 256 virtual threads publishing through one pool, three runs each: 4 or 8
     *        connections leave a publish waiting up to 1 to 2 s for one (p99) in five runs of six; 16 give
     *        17,000 to 27,000 publishes/s at p99 3 to 49 ms, 32 much the same, 64 no more throughput and
     *        a p50 of 2 to 3 ms as Redis queues them; the same with 2,000 coverage reads at once, capped at
     *        half the pool. Hence 16 by default.
     */
    public RedisStreams(RedisTarget target, String prefix, int maxlen, Duration ttl, int connections) {
        this.keys = new Keys(prefix, target.cluster());
        this.maxlen = bytes(String.valueOf(maxlen));
        this.ttlMillis = bytes(String.valueOf(ttl.toMillis()));
        this.library = library(maxlen, ttl, target.cluster());
        var config = new ConnectionPoolConfig();
        // A pooled connection may have died with a Redis restart; a PING on borrow finds it before a
        // command fails on it (one loopback round trip, against a 503 after every restart).
        config.setTestOnBorrow(true);
        config.setMaxWait(POOL_WAIT);
        config.setMaxTotal(connections);
        config.setMaxIdle(connections);
        var client = target.clientConfig(COMMAND_TIMEOUT_MILLIS, "loompush");
        this.pool = target.cluster()
                ? new JedisCluster(target.seeds(), client, CLUSTER_ATTEMPTS, config)
                : new JedisPooled(target.hostAndPort(), client, config);
    }

    /**
     * The library's text, with this server's cap and TTL as the defaults for
     * callers that name none (a backend's {@code redis-cli}); on a cluster the
     * notification is an {@code SPUBLISH}, which stays inside the key's shard.
     */
    static String library(int maxlen, Duration ttl, boolean cluster) {
        try (InputStream in = RedisStreams.class.getResourceAsStream(LIBRARY)) {
            if (in == null) {
                throw new IllegalStateException(LIBRARY + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("__MAXLEN__", String.valueOf(maxlen))
                    .replace("__TTL_MS__", String.valueOf(ttl.toMillis()))
                    .replace("__NOTIFY__", cluster ? "SPUBLISH" : "PUBLISH");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Keys keys() {
        return keys;
    }

    /**
     * Loads (or replaces) the function library on the subscriber's connection
     * before it subscribes: on every connect, as a Redis restarted without
     * persistence has forgotten it; on a cluster that is every master, one
     * promoted or added too.
     */
    void load(Jedis jedis) {
        jedis.functionLoadReplace(library);
    }

    /**
     * Appends to the channel's stream and notifies its subscribers, atomically.
     *
     * @return the message id
     * @throws BrokerUnavailableException when Redis cannot be reached
     */
    String publish(String channel, byte[] data) {
        try {
            return text(pool.fcall(PUBLISH, List.of(keys.keyBytes(channel)), List.of(data, maxlen, ttlMillis)));
        } catch (JedisException e) {
            throw new BrokerUnavailableException("redis unreachable");
        }
    }

    /**
     * The stream's entries after a cursor (the oldest ones when the cursor is
     * of another epoch), and whether any are missing between the cursor and them.
     *
     * @param name the registry's instance of the channel name, for the messages
     * @throws BrokerUnavailableException when Redis cannot be reached
     */
    @Override
    public Backlog read(String name, String epoch, long after, int max) {
        Object reply;
        try {
            reply = pool.fcall(READ, List.of(keys.keyBytes(name)),
                    List.of(bytes(epoch), bytes(StreamIds.streamId(after)), bytes(String.valueOf(max)), ttlMillis));
        } catch (JedisException e) {
            throw new BrokerUnavailableException("redis unreachable");
        }
        return backlog(name, epoch, (List<?>) reply);
    }

    /**
     * Says that the stream lost entries this node had in its copy, up to {@code position}: Redis lost
     * acknowledged writes (a failover, a crash with {@code appendfsync everysec}). While the stream
     * is still in that epoch and behind the position, it starts a new epoch, so every cursor from
     * before gets {@code gap:true}.
     *
     * @throws BrokerUnavailableException when Redis cannot be reached
     */
    @Override
    public void lost(String name, String epoch, long position) {
        try {
            pool.fcall(LOST, List.of(keys.keyBytes(name)), List.of(bytes(epoch), bytes(StreamIds.streamId(position))));
        } catch (JedisException e) {
            throw new BrokerUnavailableException("redis unreachable");
        }
    }

    /**
     * Keeps the channels' metadata alive while this node is subscribed to them, stream or not;
     * never shortens it (GT), as a backend may have published with a longer TTL.
     */
    void touch(Collection<String> channels) {
        long ttl = 2 * Long.parseLong(new String(ttlMillis, StandardCharsets.US_ASCII));
        try (var pipeline = pool.pipelined()) {
            for (String channel : channels) {
                pipeline.pexpire(bytes(keys.key(channel) + "!meta"), ttl, ExpiryOption.GT);
            }
            pipeline.sync();
        }
    }

    /**
     * The gap rule, given {@code loompush_read}'s reply {epoch, last, entries}:
     * a cursor of another epoch missed what the lost history held; otherwise
     * the history is complete from the id the first entry follows, or, when
     * there is none, from the newest id ever added (those after it expired).
     */
    static Backlog backlog(String name, String epoch, List<?> reply) {
        String streamEpoch = text(reply.get(0));
        long last = StreamIds.position(text(reply.get(1)));
        var messages = new ArrayList<Message>();
        long firstPrevious = -1;
        for (Object entry : (List<?>) reply.get(2)) {
            List<?> idAndFields = (List<?>) entry;
            long position = StreamIds.position(text(idAndFields.get(0)));
            byte[] data = null;
            long previous = 0;
            List<?> fields = (List<?>) idAndFields.get(1);
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                switch (text(fields.get(i))) {
                    case "d" -> data = (byte[]) fields.get(i + 1);
                    case "p" -> previous = StreamIds.position(text(fields.get(i + 1)));
                    default -> { }
                }
            }
            if (data == null) {
                continue;
            }
            if (firstPrevious < 0) {
                firstPrevious = previous;
            }
            messages.add(new Message(name, streamEpoch, position, data));
        }
        long completeFrom = !streamEpoch.equals(epoch) ? Long.MAX_VALUE : messages.isEmpty() ? last : firstPrevious;
        return new Backlog(streamEpoch, messages, last, completeFrom);
    }

    @Override
    public void close() {
        pool.close();
    }

    private static String text(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
