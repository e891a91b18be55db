package io.loompush.server.redis;

import io.loompush.server.push.BrokerUnavailableException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * One subscriber connection and its reconnects: one platform thread that
 * connects, loads the function library (a Redis restarted without persistence
 * forgot it; on a cluster, every master gets it this way, a promoted or added
 * one too), subscribes the control channel and reads notifications until the
 * link breaks, then backs off and starts again.
 *
 * <pre>
 *   connect ──> load the functions ──> SUBSCRIBE control ──> read notifications ... link lost ──> its coverage ends ──> back off
 * </pre>
 */
final class Listener {
    private static final Logger log = LoggerFactory.getLogger(Listener.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final RedisTarget.Node node;
    private final JedisClientConfig clientConfig;
    private final Keys keys;
    private final Supplier<String> control;
    private final RedisStreams streams;
    private final Link.Events events;
    private final AtomicInteger generations;
    /** Called on the listener thread once a link is gone, before the next one is tried. */
    private final Consumer<Link> down;
    private final AtomicLong reconnects = new AtomicLong();
    private final Thread thread;
    private volatile Link link;
    private volatile boolean closed;

    /**
     * @param clientConfig bounds the handshake (AUTH, SELECT) with a Redis that accepts connections but does
     *                     not answer; Jedis reads the subscription without a timeout, and a link gone silent is
     *                     dropped by its manager
     * @param control      the control channel's name, asked on every connect (on a cluster, it is in a slot of the master's now)
     * @param generations  numbers the links of every listener, so a subscription names the one it was sent on
     */
    Listener(RedisTarget.Node node, JedisClientConfig clientConfig, Keys keys, Supplier<String> control, RedisStreams streams,
            Link.Events events, AtomicInteger generations, Consumer<Link> down) {
        this.node = node;
        this.clientConfig = clientConfig;
        this.keys = keys;
        this.control = control;
        this.streams = streams;
        this.events = events;
        this.generations = generations;
        this.down = down;
        this.thread = Thread.ofPlatform().name("loompush-redis-listener-" + node).daemon().unstarted(this::listen);
    }

    void start() {
        thread.start();
    }

    RedisTarget.Node node() {
        return node;
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
        boolean quiet = false;
        while (!closed) {
            var current = new Link(generations.incrementAndGet(), keys, control.get(), events);
            try (var jedis = new Jedis(node.hostAndPort(), clientConfig)) {
                current.connection = jedis.getConnection();
                link = current;
                streams.load(jedis);
                current.commands.run(current.connection);
            } catch (JedisRedirectionException e) {
                // A slot of this link moved to another master (resharding): the topology follows at once.
                log.info("redis {}: {}; subscribing where the slots are now", node, e.getMessage());
            } catch (JedisDataException e) {
                if (!closed && (!quiet || current.up)) {
                    log.error("redis {} refused a command (loompush needs Redis 7 or newer): {}; retrying with backoff",
                            node, e.getMessage());
                }
            } catch (JedisException | IllegalStateException | BrokerUnavailableException e) {
                // One line when the link breaks or the first try fails, not one per retry.
                if (!closed && (!quiet || current.up)) {
                    log.warn("redis {} unreachable: {}; retrying with backoff", node, e.getMessage());
                }
            } catch (RuntimeException e) {
                log.error("redis {}: the listener failed; reconnecting", node, e);
            }
            quiet = true;
            boolean wasUp = current.up;
            current.up = false;
            down.accept(current);
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
