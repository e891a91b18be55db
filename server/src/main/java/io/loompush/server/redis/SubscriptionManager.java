package io.loompush.server.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The one thread that sends commands on one listener's link: every change or
 * second, SUBSCRIBE what is wanted here and not yet sent on this link,
 * UNSUBSCRIBE what was let go, probe the link; a link that sends nothing for
 * long is dropped, and the metadata of the wanted channels is kept alive.
 */
final class SubscriptionManager {
    private static final Logger log = LoggerFactory.getLogger(SubscriptionManager.class);
    private static final Duration PING_INTERVAL = Duration.ofSeconds(2);
    /** A link that answers no probe for this long is dropped and reconnected. */
    private static final Duration DEAD_LINK = Duration.ofSeconds(6);
    /** Channels per SUBSCRIBE or UNSUBSCRIBE command. */
    private static final int BATCH = 1000;

    private final Wanted wanted;
    private final Listener listener;
    /** The channels this link carries: all on a single Redis, those of its master's slots on a cluster. */
    private final Predicate<String> owns;
    private final RedisStreams streams;
    private final Keys keys;
    /** How often the metadata of the channels this node holds is kept alive. */
    private final long touchNanos;
    private final ConcurrentLinkedQueue<String> toSubscribe = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> toUnsubscribe = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    /** @param historyTtl the streams' TTL: their metadata lives twice as long, and is touched four times as often */
    SubscriptionManager(Wanted wanted, Listener listener, Predicate<String> owns, RedisStreams streams, Duration historyTtl) {
        this.wanted = wanted;
        this.listener = listener;
        this.owns = owns;
        this.streams = streams;
        this.keys = streams.keys();
        this.touchNanos = Math.max(historyTtl.toNanos() / 4, PING_INTERVAL.toNanos() / 2);
        this.thread = Thread.ofVirtual().name("loompush-redis-subscriptions-" + listener.node()).unstarted(this::manage);
    }

    void start() {
        thread.start();
    }

    /** The channel is wanted and not subscribed on the link now: SUBSCRIBE it soon. */
    void request(String channel) {
        toSubscribe.add(channel);
        LockSupport.unpark(thread);
    }

    /** The channel lingered unwanted long enough: UNSUBSCRIBE it soon (if the link is down, the next one never has it). */
    void release(String channel) {
        toUnsubscribe.add(channel);
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
            Link current = listener.link();
            if (current == null || !current.up) {
                // While down, forget queued changes (the next link subscribes every wanted channel anyway),
                // so nothing piles up during an outage; and drop a link whose first SUBSCRIBE is never
                // confirmed (Jedis reads it without a timeout).
                toSubscribe.clear();
                toUnsubscribe.clear();
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
                    send(current, true, drain(toSubscribe));
                }
                send(current, false, drain(toUnsubscribe));
                long now = System.nanoTime();
                if (now - current.lastHeardNanos > DEAD_LINK.toNanos()) {
                    log.warn("redis {}: nothing heard on the subscriber link for {} ms, reconnecting", listener.node(),
                            (now - current.lastHeardNanos) / 1_000_000);
                    current.drop();
                } else if (now - lastPing >= PING_INTERVAL.toNanos()) {
                    current.commands.probe();
                    lastPing = now;
                }
                if (now - lastTouch >= touchNanos) {
                    streams.touch(wanted.channels().stream().filter(owns).toList());
                    lastTouch = now;
                }
            } catch (JedisException | IllegalStateException e) {
                log.debug("redis {}: subscription change failed, the link is going down: {}", listener.node(), e.toString());
            } catch (RuntimeException e) {
                log.error("redis {}: managing subscriptions failed; dropping the link", listener.node(), e);
                current.drop();
            }
        }
    }

    /**
     * Sends SUBSCRIBE (or UNSUBSCRIBE) for the channels this link carries, marking what was sent on
     * which link; in batches, and on a cluster one command per slot, as Redis requires.
     */
    private void send(Link current, boolean subscribe, List<String> channels) {
        var batches = new LinkedHashMap<Integer, List<byte[]>>();
        for (String channel : channels) {
            if (!owns.test(channel)) {
                continue;
            }
            if (subscribe) {
                Subscription s = wanted.get(channel);
                if (s == null || s.unwanted || s.generation == current.generation) {
                    continue;
                }
                s.generation = current.generation;
            }
            var batch = batches.computeIfAbsent(keys.cluster() ? keys.slot(channel) : 0, slot -> new ArrayList<>());
            batch.add(keys.keyBytes(channel));
            if (batch.size() == BATCH) {
                flush(current, subscribe, batch);
            }
        }
        for (var batch : batches.values()) {
            flush(current, subscribe, batch);
        }
    }

    private static void flush(Link current, boolean subscribe, List<byte[]> batch) {
        if (batch.isEmpty()) {
            return;
        }
        byte[][] names = batch.toArray(new byte[0][]);
        if (subscribe) {
            current.commands.add(names);
        } else {
            current.commands.remove(names);
        }
        batch.clear();
    }

    private static List<String> drain(ConcurrentLinkedQueue<String> queue) {
        var drained = new ArrayList<String>();
        String channel;
        while ((channel = queue.poll()) != null) {
            drained.add(channel);
        }
        return drained;
    }
}
