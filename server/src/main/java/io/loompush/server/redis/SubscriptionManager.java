package io.loompush.server.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The one thread that sends commands on the subscriber connection: every
 * change or second, SUBSCRIBE what is wanted and not yet sent on this link,
 * UNSUBSCRIBE what lingered unwanted long enough, PING; a link that sends
 * nothing for long is dropped, and the metadata of the wanted channels is
 * kept alive.
 */
final class SubscriptionManager {
    private static final Logger log = LoggerFactory.getLogger(SubscriptionManager.class);
    static final Duration PING_INTERVAL = Duration.ofSeconds(2);
    /** A link that answers no PING for this long is dropped and reconnected. */
    private static final Duration DEAD_LINK = Duration.ofSeconds(6);
    /** Channels per SUBSCRIBE or UNSUBSCRIBE command. */
    private static final int BATCH = 1000;

    private final Wanted wanted;
    private final Supplier<Link> links;
    private final RedisStreams streams;
    private final String prefix;
    /** How often the metadata of the channels this node holds is kept alive. */
    private final long touchNanos;
    private final ConcurrentLinkedQueue<String> toSubscribe = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    /** @param historyTtl the streams' TTL: their metadata lives twice as long, and is touched four times as often */
    SubscriptionManager(Wanted wanted, Supplier<Link> links, RedisStreams streams, Duration historyTtl) {
        this.wanted = wanted;
        this.links = links;
        this.streams = streams;
        this.prefix = streams.prefix();
        this.touchNanos = Math.max(historyTtl.toNanos() / 4, PING_INTERVAL.toNanos() / 2);
        this.thread = Thread.ofVirtual().name("loompush-redis-subscriptions").unstarted(this::manage);
    }

    void start() {
        thread.start();
    }

    /** The channel is wanted and not subscribed on the link now: SUBSCRIBE it soon. */
    void request(String channel) {
        toSubscribe.add(channel);
        LockSupport.unpark(thread);
    }

    /** Something changed (a link came up): look now rather than at the next tick. */
    void nudge() {
        LockSupport.unpark(thread);
    }

    void close() {
        closed = true;
        LockSupport.unpark(thread);
    }

    private void manage() {
        int resubscribed = 0;
        long lastPing = System.nanoTime();
        long lastTouch = lastPing;
        while (!closed) {
            LockSupport.parkNanos(PING_INTERVAL.toNanos() / 2);
            Link current = links.get();
            if (current == null || !current.up) {
                // While down: let lingering subscriptions go and forget queued ones (the next link
                // subscribes every wanted channel anyway), so nothing piles up during an outage;
                // and drop a link whose first SUBSCRIBE is never confirmed (Jedis reads it without a timeout).
                wanted.due();
                toSubscribe.clear();
                if (current != null && System.nanoTime() - current.lastHeardNanos > DEAD_LINK.toNanos()) {
                    current.drop();
                }
                continue;
            }
            try {
                if (resubscribed != current.generation) {
                    toSubscribe.clear();
                    send(current, true, new ArrayList<>(wanted.channels()));
                    resubscribed = current.generation;
                } else {
                    send(current, true, drain());
                }
                send(current, false, wanted.due());
                long now = System.nanoTime();
                if (now - current.lastHeardNanos > DEAD_LINK.toNanos()) {
                    log.warn("redis: nothing heard on the subscriber link (not even a PONG) for {} ms, reconnecting",
                            (now - current.lastHeardNanos) / 1_000_000);
                    current.drop();
                } else if (now - lastPing >= PING_INTERVAL.toNanos()) {
                    current.ping();
                    lastPing = now;
                }
                if (now - lastTouch >= touchNanos) {
                    streams.touch(wanted.channels());
                    lastTouch = now;
                }
            } catch (JedisException | IllegalStateException e) {
                log.debug("redis: subscription change failed, the link is going down: {}", e.toString());
            } catch (RuntimeException e) {
                log.error("redis: managing subscriptions failed; dropping the link", e);
                current.drop();
            }
        }
    }

    /** Sends SUBSCRIBE (or UNSUBSCRIBE) for the channels in batches, marking what was sent on which link. */
    private void send(Link current, boolean subscribe, List<String> channels) {
        var batch = new ArrayList<byte[]>(Math.min(BATCH, channels.size()));
        for (String channel : channels) {
            if (subscribe) {
                Subscription s = wanted.get(channel);
                if (s == null || s.unwanted || s.generation == current.generation) {
                    continue;
                }
                s.generation = current.generation;
            }
            batch.add((prefix + channel).getBytes(StandardCharsets.UTF_8));
            if (batch.size() == BATCH) {
                flush(current, subscribe, batch);
            }
        }
        flush(current, subscribe, batch);
    }

    private static void flush(Link current, boolean subscribe, List<byte[]> batch) {
        if (batch.isEmpty()) {
            return;
        }
        byte[][] names = batch.toArray(new byte[0][]);
        if (subscribe) {
            current.subscribe(names);
        } else {
            current.unsubscribe(names);
        }
        batch.clear();
    }

    private List<String> drain() {
        var drained = new ArrayList<String>();
        String channel;
        while ((channel = toSubscribe.poll()) != null) {
            drained.add(channel);
        }
        return drained;
    }
}
