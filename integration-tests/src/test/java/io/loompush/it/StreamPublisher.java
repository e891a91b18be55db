package io.loompush.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import redis.clients.jedis.commands.JedisCommands;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A backend that publishes recoverably, straight into Redis, the way the
 * README tells backends to: {@code FCALL loompush_publish 1 push:<channel> <payload>}.
 * The payload of the n-th message of a channel is {@code <channel>:<n>}, so a
 * client's record of a channel can be compared with {@link #expected}.
 *
 * <p>A publish whose connection breaks may or may not have been applied.
 * Like any careful backend, the publisher reconnects and looks at the newest
 * entry of the channel's stream before it publishes again, so every message is
 * in its stream exactly once, whatever Redis went through meanwhile.
 */
final class StreamPublisher implements AutoCloseable {
    /** How long Redis may stay away before the publisher gives up. */
    private static final Duration RECOVERY = Duration.ofSeconds(60);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(20);

    private final Supplier<JedisCommands> connect;
    private final UnaryOperator<String> key;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger published = new AtomicInteger();
    private final AtomicInteger recoveries = new AtomicInteger();
    private JedisCommands jedis;
    private Thread thread;
    private volatile Throwable failure;

    StreamPublisher(RedisFixture redis) {
        this(redis::connectClient, channel -> "push:" + channel);
    }

    /**
     * @param connect a new connection to Redis, or a cluster client
     * @param key     the stream key of a channel: {@code push:<channel>}, on a cluster {@code push:{<channel>}}
     */
    StreamPublisher(Supplier<JedisCommands> connect, UnaryOperator<String> key) {
        this.connect = connect;
        this.key = key;
    }

    /** The payloads of the first {@code count} messages of a channel, in order. */
    static List<String> expected(String channel, int count) {
        return IntStream.range(0, count).mapToObj(n -> channel + ":" + n).toList();
    }

    /**
     * Publishes the channel's next message, recovering from a broken connection.
     *
     * @return the message id, or null when the message was found in the stream after a break
     */
    synchronized String publish(String channel) {
        int n = counts.computeIfAbsent(channel, c -> new AtomicInteger()).get();
        String payload = channel + ":" + n;
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        String id = null;
        boolean tried = false;
        while (true) {
            try {
                if (jedis == null) {
                    jedis = connect.get();
                }
                if (tried && newest(channel).equals(payload)) {
                    break;
                }
                tried = true;
                id = (String) jedis.fcall("loompush_publish", List.of(key.apply(channel)), List.of(payload));
                break;
            } catch (JedisConnectionException | JedisClusterOperationException e) {
                // Applied or not: the stream says so once Redis answers again.
                disconnect();
                recoveries.incrementAndGet();
                retryUntil(deadline, e);
            } catch (JedisDataException e) {
                // Redis loading its append-only file answers LOADING, a cluster without a master for the
                // slot CLUSTERDOWN; neither applies anything.
                if (e.getMessage() == null || !(e.getMessage().startsWith("LOADING") || e.getMessage().startsWith("CLUSTERDOWN"))) {
                    throw e;
                }
                retryUntil(deadline, e);
            }
        }
        counts.get(channel).incrementAndGet();
        published.incrementAndGet();
        return id;
    }

    /**
     * Publishes {@code total} messages at {@code perSecond} on a thread of its
     * own; message k goes to {@code channelOf.apply(k)}. A publisher behind its
     * schedule (Redis away) catches up as fast as Redis answers.
     */
    void start(int total, int perSecond, IntFunction<String> channelOf) {
        long intervalNanos = 1_000_000_000L / perSecond;
        thread = Thread.ofPlatform().name("stream-publisher").start(() -> {
            long start = System.nanoTime();
            try {
                for (int k = 0; k < total; k++) {
                    long due = start + k * intervalNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    publish(channelOf.apply(k));
                }
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        });
    }

    /** Waits for the run begun by {@link #start} to end; fails with its failure, if any. */
    void await(Duration timeout) throws InterruptedException {
        if (!thread.join(timeout)) {
            throw new AssertionError("the publisher did not finish within " + timeout + ": " + published + " published");
        }
        if (failure != null) {
            throw new AssertionError("the publisher failed after " + published + " messages", failure);
        }
    }

    int published() {
        return published.get();
    }

    /** Messages published on the channel so far. */
    int count(String channel) {
        var count = counts.get(channel);
        return count == null ? 0 : count.get();
    }

    /** Connections that broke under a publish and were recovered. */
    int recoveries() {
        return recoveries.get();
    }

    /** Stops a run still going (its retries end at the interrupt), then closes the connection. */
    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
        }
        synchronized (this) {
            disconnect();
        }
    }

    /** The payload of the newest entry of the channel's stream, or "" when it has none. */
    private String newest(String channel) {
        var entries = jedis.xrevrange(key.apply(channel), "+", "-", 1);
        return entries.isEmpty() ? "" : entries.getFirst().getFields().getOrDefault("d", "");
    }

    private void disconnect() {
        if (jedis != null) {
            try {
                if (jedis instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            } catch (Exception e) {
                // the connection is already broken
            }
            jedis = null;
        }
    }

    private static void retryUntil(long deadline, RuntimeException cause) {
        if (System.nanoTime() - deadline > 0) {
            throw new AssertionError("redis did not come back within " + RECOVERY, cause);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new AssertionError("the publisher was stopped while Redis was away", cause);
        }
        LockSupport.parkNanos(RETRY_PAUSE.toNanos());
    }
}
