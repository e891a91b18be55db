package io.loompush.server.redis;

import io.loompush.server.push.BrokerUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The subscriber connection and its reconnects: one platform thread that
 * connects, loads the function library (a Redis restarted without persistence
 * forgot it), subscribes the control channel and reads notifications until the
 * link breaks, then backs off and starts again.
 *
 * <pre>
 *   connect ──> load the functions ──> SUBSCRIBE control ──> read notifications ... link lost ──> every coverage ends ──> back off
 * </pre>
 */
final class Listener {
    private static final Logger log = LoggerFactory.getLogger(Listener.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /**
     * Bounds the subscriber's handshake (AUTH, SELECT) with a Redis that accepts connections but
     * does not answer. Jedis reads the subscription without a timeout: a first SUBSCRIBE never
     * confirmed, or a link gone silent, is dropped by the manager.
     */
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 5000;

    private final RedisTarget target;
    private final RedisStreams streams;
    private final Link.Events events;
    /** Called on the listener thread once a link is gone, before the next one is tried. */
    private final Runnable down;
    private final AtomicLong reconnects = new AtomicLong();
    private final Thread thread;
    private volatile Link link;
    private volatile boolean closed;

    Listener(RedisTarget target, RedisStreams streams, Link.Events events, Runnable down) {
        this.target = target;
        this.streams = streams;
        this.events = events;
        this.down = down;
        this.thread = Thread.ofPlatform().name("loompush-redis-listener").daemon().unstarted(this::listen);
    }

    void start() {
        thread.start();
    }

    /** The link now, up or not; null before the first. */
    Link link() {
        return link;
    }

    boolean connected() {
        Link current = link;
        return current != null && current.up;
    }

    long reconnects() {
        return reconnects.get();
    }

    void close() {
        closed = true;
        Link current = link;
        if (current != null) {
            current.drop();
        }
        thread.interrupt();
    }

    private void listen() {
        long backoff = MIN_BACKOFF.toNanos();
        int generation = 0;
        boolean quiet = false;
        while (!closed) {
            var current = new Link(++generation, streams.prefix(), events);
            try (var jedis = new Jedis(target.hostAndPort(), target.clientConfig(HANDSHAKE_TIMEOUT_MILLIS, "loompush-subscriber"))) {
                current.connection = jedis.getConnection();
                link = current;
                streams.load();
                current.proceed(current.connection, (streams.prefix() + Link.CONTROL).getBytes(StandardCharsets.UTF_8));
            } catch (JedisDataException e) {
                if (!closed && (!quiet || current.up)) {
                    log.error("redis {} refused a command (loompush needs Redis 7 or newer): {}; retrying with backoff",
                            target, e.getMessage());
                }
            } catch (JedisException | IllegalStateException | BrokerUnavailableException e) {
                // One line when the link breaks or the first try fails, not one per retry.
                if (!closed && (!quiet || current.up)) {
                    log.warn("redis {} unreachable: {}; retrying with backoff", target, e.getMessage());
                }
            } catch (RuntimeException e) {
                log.error("redis {}: the listener failed; reconnecting", target, e);
            }
            quiet = true;
            boolean wasUp = current.up;
            current.up = false;
            down.run();
            if (closed) {
                break;
            }
            if (wasUp) {
                reconnects.incrementAndGet();
                backoff = MIN_BACKOFF.toNanos();
            }
            LockSupport.parkNanos(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF.toNanos());
        }
    }
}
