package io.loompush.server.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * The channels this node wants from Redis: each from its first held poll here
 * until a linger after its last one, so clients that poll again at once cause
 * no churn. A channel polled again and again goes in and out of wanted with
 * every answer, so it has at most one entry in the linger queue at a time;
 * {@link #due} puts it back for its latest linger if it is unwanted again by then.
 */
final class Wanted {
    private record Unwanted(String channel, Subscription subscription, long atNanos) {}

    private final ConcurrentHashMap<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    /** In time order, as the linger is the same for all. */
    private final ConcurrentLinkedQueue<Unwanted> lingering = new ConcurrentLinkedQueue<>();
    private final long lingerNanos;
    private final LongSupplier nanoTime;

    Wanted(long lingerNanos, LongSupplier nanoTime) {
        this.lingerNanos = lingerNanos;
        this.nanoTime = nanoTime;
    }

    /** A poll is held on the channel: wanted from now on, atomically with {@link #due}'s removal. */
    Subscription want(String channel) {
        return subscriptions.compute(channel, (key, existing) -> {
            var wanted = existing == null ? new Subscription() : existing;
            wanted.unwanted = false;
            return wanted;
        });
    }

    /** The last poll held on the channel went: its linger starts. */
    void unwant(String channel) {
        subscriptions.computeIfPresent(channel, (key, s) -> {
            long now = nanoTime.getAsLong();
            s.unwantedSinceNanos = now;
            s.unwanted = true;
            if (!s.queued) {
                s.queued = true;
                lingering.add(new Unwanted(key, s, now));
            }
            return s;
        });
    }

    Subscription get(String channel) {
        return subscriptions.get(channel);
    }

    Set<String> channels() {
        return subscriptions.keySet();
    }

    Collection<Subscription> all() {
        return subscriptions.values();
    }

    int size() {
        return subscriptions.size();
    }

    /**
     * Removes the channels unwanted for a whole linger and returns those among
     * them that were subscribed on some link (they need an UNSUBSCRIBE).
     */
    List<String> due() {
        var due = new ArrayList<String>();
        long now = nanoTime.getAsLong();
        for (Unwanted head = lingering.peek(); head != null && now - head.atNanos() >= lingerNanos;
                head = lingering.peek()) {
            lingering.poll();
            Subscription s = head.subscription();
            boolean[] removed = {false};
            subscriptions.computeIfPresent(head.channel(), (key, current) -> {
                if (current != s) {
                    return current;
                }
                if (!s.unwanted) {
                    s.queued = false;
                    return current;
                }
                if (now - s.unwantedSinceNanos < lingerNanos) {
                    lingering.add(new Unwanted(key, s, s.unwantedSinceNanos));
                    return current;
                }
                removed[0] = true;
                return null;
            });
            if (removed[0] && s.generation >= 0) {
                due.add(head.channel());
            }
        }
        return due;
    }
}
