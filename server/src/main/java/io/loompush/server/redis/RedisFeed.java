package io.loompush.server.redis;

import io.loompush.server.push.Backlog;
import io.loompush.server.push.Channels;
import io.loompush.server.push.Coverage;
import io.loompush.server.push.Feed;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisClientConfig;

/**
 * The node's subscription to Redis, put together from its parts: the wanted
 * channels and their linger ({@link Wanted}); one shard per Redis, or per
 * cluster master ({@link ClusterShards}), each a subscriber link with its
 * reconnects ({@link Listener}, {@link Link}) and the one thread that sends
 * commands on it ({@link SubscriptionManager}); and the copies' continuity
 * with their streams ({@link Backfill}).
 *
 * <p>A channel is covered from its SUBSCRIBE confirmation and the reading of
 * its stream that follows, until its link breaks. The node's copy of a channel
 * continues its stream: after a break, the reading first appends what the
 * stream got since the copy's newest position, so a Redis blip loses nothing.
 * It starts over (polls from before then read the stream, which says gap) only
 * when the stream itself lost entries past that position, or was lost.
 */
public final class RedisFeed implements Feed, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisFeed.class);
    /** How often lingering channels are looked at; the linger is seconds, so this is its precision. */
    private static final Duration LINGER_TICK = Duration.ofMillis(250);
    /**
     * Bounds the subscriber's handshake (AUTH, SELECT, FUNCTION LOAD) with a Redis that accepts
     * connections but does not answer; the subscription itself is read without a timeout.
     */
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 5000;

    private final RedisTarget target;
    private final RedisStreams streams;
    private final Keys keys;
    private final Duration historyTtl;
    private final Wanted wanted;
    private final Echoes echoes = new Echoes();
    private final AtomicInteger generations = new AtomicInteger();
    private final JedisClientConfig subscriberConfig;
    private final int parallelReads;
    private final Events events = new Events();
    /** The single Redis's shard; null on a cluster. */
    private final Shard single;
    /** The cluster's shards; null on a single Redis. */
    private final ClusterShards cluster;
    private final Thread lingerThread;
    private volatile Backfill backfill;
    private volatile Channels channels;
    private volatile boolean closed;

    /**
     * @param historyTtl    the streams' TTL, for keeping their metadata alive
     * @param parallelReads stream reads of coverage at most at once
     */
    public RedisFeed(RedisTarget target, RedisStreams streams, Duration linger, Duration historyTtl, int parallelReads) {
        this.target = target;
        this.streams = streams;
        this.keys = streams.keys();
        this.historyTtl = historyTtl;
        this.wanted = new Wanted(linger.toNanos(), System::nanoTime);
        this.parallelReads = parallelReads;
        this.subscriberConfig = target.clientConfig(HANDSHAKE_TIMEOUT_MILLIS, "loompush-subscriber");
        if (target.cluster()) {
            this.single = null;
            this.cluster = new ClusterShards(target, subscriberConfig, this::clusterShard, this::moved);
        } else {
            this.single = shard(target.nodes().getFirst(), () -> Link.CONTROL, channel -> true);
            this.cluster = null;
        }
        this.lingerThread = Thread.ofVirtual().name("loompush-redis-linger").unstarted(this::linger);
    }

    /** Starts listening; messages go into these channels. */
    public void start(Channels into) {
        this.channels = into;
        this.backfill = new Backfill(streams, copies(into), echoes, parallelReads);
        if (cluster == null) {
            single.start();
        } else {
            cluster.start();
        }
        lingerThread.start();
    }

    /** Whether every link is up: on a cluster, every slot has a master and every master's link is up. */
    public boolean connected() {
        return cluster == null ? single.listener().connected() : cluster.connected();
    }

    /** Whether the link that carries the channel is up: a publish on it is delivered; on a cluster, other shards may be down. */
    boolean connected(String channel) {
        Shard shard = shardOf(channel);
        return shard != null && shard.listener().connected();
    }

    Echoes echoes() {
        return echoes;
    }

    /** The /stats figures of the Redis links, as a JSON object. */
    public String statsJson() {
        long covered = wanted.all().stream().filter(Subscription::covered).count();
        Collection<Shard> shards = shards();
        long reconnects = shards.stream().mapToLong(s -> s.listener().reconnects()).sum();
        Backfill b = backfill;
        return "{\"connected\":" + connected() + ",\"subscribedChannels\":" + covered
                + ",\"wantedChannels\":" + wanted.size() + ",\"reconnects\":" + reconnects
                + ",\"shards\":" + shards.size()
                + ",\"readings\":" + (b == null ? 0 : b.readings())
                + ",\"readRetries\":" + (b == null ? 0 : b.retries())
                + ",\"losses\":" + (b == null ? 0 : b.losses()) + "}";
    }

    @Override
    public void interested(String channel) {
        Subscription s = wanted.want(channel);
        Shard shard = shardOf(channel);
        if (shard == null) {
            // No master known for it yet: the shard that gets it subscribes every wanted channel it carries.
            return;
        }
        // Not only when never sent: a SUBSCRIBE marked on a link that died under it is stale too.
        Link current = shard.listener().link();
        if (s.generation < 0 || current == null || s.generation != current.generation) {
            shard.manager().request(channel);
        }
    }

    @Override
    public void uninterested(String channel) {
        wanted.unwant(channel);
    }

    @Override
    public Coverage coverage(String channel) {
        Subscription s = wanted.get(channel);
        if (s == null) {
            return null;
        }
        // A coverage starts over by setting the position, then the new cover: read until both are of
        // one coverage, or a poll could get the old epoch with a position of the new one.
        Cover cover;
        long last;
        do {
            cover = s.cover;
            last = s.last;
        } while (cover != s.cover);
        return cover == null ? null : new Coverage(cover.epoch(), cover.since(), cover.openFrom(), last);
    }

    @Override
    public long latest(String channel) {
        Subscription s = wanted.get(channel);
        return s == null ? 0 : s.last;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public Backlog read(String channel, String epoch, long after, int max) {
        return streams.read(channel, epoch, after, max);
    }

    @Override
    public void close() {
        closed = true;
        Backfill b = backfill;
        if (b != null) {
            b.close();
        }
        if (cluster == null) {
            single.close();
        } else {
            cluster.close();
        }
        LockSupport.unpark(lingerThread);
    }

    private Collection<Shard> shards() {
        return cluster == null ? List.of(single) : cluster.all();
    }

    private Shard shardOf(String channel) {
        return cluster == null ? single : cluster.of(channel);
    }

    private Shard shard(RedisTarget.Node node, Supplier<String> control, Predicate<String> owns) {
        var listener = new Listener(node, subscriberConfig, keys, control, streams, events, generations, this::endCoverage);
        return new Shard(listener, new SubscriptionManager(wanted, listener, owns, streams, historyTtl));
    }

    private Shard clusterShard(RedisTarget.Node master) {
        return shard(master, () -> cluster.control(master), channel -> cluster.owns(master, channel));
    }

    /** Lets go of the channels that lingered unwanted long enough: each link UNSUBSCRIBEs its own. */
    private void linger() {
        while (!closed) {
            LockSupport.parkNanos(LINGER_TICK.toNanos());
            for (String channel : wanted.due()) {
                Shard shard = shardOf(channel);
                if (shard != null) {
                    shard.manager().release(channel);
                }
            }
        }
    }

    /** A link is gone: what was subscribed on it is covered no more, and must be sent again on the next link. */
    private void endCoverage(Link link) {
        Backfill b = backfill;
        for (String channel : wanted.channels()) {
            Subscription s = wanted.get(channel);
            if (s != null && s.generation == link.generation) {
                s.generation = -1;
                b.end(s);
                channels.wake(channel);
            }
        }
        if (cluster != null && !closed) {
            cluster.nudge();
        }
    }

    /** Slots changed master: their channels' coverage ends, and they are subscribed on their new master. */
    private void moved(IntPredicate slots) {
        Backfill b = backfill;
        for (String channel : wanted.channels()) {
            Subscription s = wanted.get(channel);
            if (s == null || !slots.test(keys.slot(channel))) {
                continue;
            }
            s.generation = -1;
            b.end(s);
            channels.wake(channel);
            Shard shard = shardOf(channel);
            if (shard != null) {
                shard.manager().request(channel);
            }
        }
    }

    /** The listeners' callbacks: each hands over to the backfill or a manager and returns. */
    private final class Events implements Link.Events {
        @Override
        public void up(Link link) {
            log.info("redis {}: subscriber connected", target);
            shards().forEach(shard -> shard.manager().nudge());
        }

        @Override
        public void subscribed(Link link, String channel) {
            Subscription s = wanted.get(channel);
            if (s != null && s.generation == link.generation) {
                backfill.begin(channel, s);
            }
        }

        /**
         * A confirmation does not say which SUBSCRIBE it answers: an UNSUBSCRIBE confirmed after a
         * channel was wanted again ends the coverage its stale SUBSCRIBE confirmation may have
         * started; the new SUBSCRIBE's confirmation, which comes after, starts it again.
         */
        @Override
        public void unsubscribed(Link link, String channel) {
            Subscription s = wanted.get(channel);
            if (s != null && s.generation == link.generation) {
                backfill.end(s);
            }
        }

        @Override
        public void message(String channel, byte[] message) {
            Subscription s = wanted.get(channel);
            if (s != null) {
                backfill.arrived(channel, s, message);
            }
        }
    }

    private static Copies copies(Channels into) {
        return new Copies() {
            @Override
            public int deliver(String name, String epoch, long seq, byte[] data) {
                return into.deliver(name, epoch, seq, data);
            }

            @Override
            public int broadcast(String name, byte[] data) {
                return into.broadcast(name, data);
            }

            @Override
            public int reset(String name, long at) {
                return into.reset(name, at);
            }

            @Override
            public void wake(String name) {
                into.wake(name);
            }
        };
    }
}
