package io.loompush.server.push;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One channel: its retained history and the mailboxes of the polls held on
 * it. Not thread-safe by itself: {@link Channels} touches it only inside the
 * registry map's per-key {@code compute}, which is its lock.
 *
 * <p>Memory: the common channel has one waiter and no history, so the waiter
 * is kept in a field and a set exists only for a shared channel; an empty
 * history is null.
 */
final class Channel {
    final String name;
    private final long createdAtMillis;
    private ArrayDeque<Message> history;
    /** The newest sequence number dropped from history, 0 when none was. */
    private long evictedUpTo;
    private long historyBytes;
    private Mailbox onlyWaiter;
    private Set<Mailbox> waiters;
    boolean expiryScheduled;

    Channel(String name, long createdAtMillis) {
        this.name = name;
        this.createdAtMillis = createdAtMillis;
    }

    /** @return whether the mailbox was not registered here yet */
    boolean addWaiter(Mailbox box) {
        if (onlyWaiter == null && waiters == null) {
            onlyWaiter = box;
            return true;
        }
        if (onlyWaiter == box) {
            return false;
        }
        if (waiters == null) {
            waiters = new HashSet<>();
            waiters.add(onlyWaiter);
            onlyWaiter = null;
        }
        return waiters.add(box);
    }

    /** @return whether the mailbox was registered here */
    boolean removeWaiter(Mailbox box) {
        if (onlyWaiter == box) {
            onlyWaiter = null;
            return true;
        }
        if (waiters == null || !waiters.remove(box)) {
            return false;
        }
        if (waiters.isEmpty()) {
            waiters = null;
        }
        return true;
    }

    Mailbox[] waiters() {
        if (onlyWaiter != null) {
            return new Mailbox[] {onlyWaiter};
        }
        return waiters == null ? new Mailbox[0] : waiters.toArray(new Mailbox[0]);
    }

    /** Appends a message, dropping the oldest beyond {@code capacity}. */
    void append(Message message, int capacity) {
        if (history == null) {
            history = new ArrayDeque<>(Math.min(capacity, 4));
        }
        history.addLast(message);
        historyBytes += message.data().length;
        while (history.size() > capacity) {
            evictFirst();
        }
    }

    /** Drops the messages published at or before {@code cutoffMillis}. */
    void expire(long cutoffMillis) {
        while (history != null && MessageIds.millis(history.getFirst().seq()) <= cutoffMillis) {
            evictFirst();
            if (history.isEmpty()) {
                history = null;
            }
        }
    }

    private void evictFirst() {
        Message evicted = history.removeFirst();
        evictedUpTo = evicted.seq();
        historyBytes -= evicted.data().length;
    }

    /** The millisecond the oldest retained message was published, or -1. */
    long oldestMillis() {
        return history == null ? -1 : MessageIds.millis(history.getFirst().seq());
    }

    boolean idle() {
        return history == null && onlyWaiter == null && waiters == null;
    }

    int historySize() {
        return history == null ? 0 : history.size();
    }

    /** Payload bytes in the history. */
    long historyBytes() {
        return historyBytes;
    }

    /**
     * What a poll standing at {@code since} should see.
     *
     * <p>The gap proof: this channel object holds every message published on
     * it after {@code createdAtMillis} except those dropped up to
     * {@code evictedUpTo}. An earlier incarnation of the channel was removed
     * only once its history was empty, and its last message left by expiry,
     * so everything it held was published at least a TTL before this one was
     * created. A cursor newer than that, and not older than what was evicted,
     * has missed nothing.
     *
     * @param since    the poll's position
     * @param position the current position, the cursor when there is nothing new
     */
    Look look(long since, int max, long position, long ttlMillis) {
        boolean gap = since < evictedUpTo || MessageIds.millis(since) <= createdAtMillis - ttlMillis;
        if (history == null || history.getLast().seq() <= since) {
            return new Look(name, true, since, List.of(), false, position, gap);
        }
        var messages = new ArrayList<Message>(Math.min(max, history.size()));
        boolean more = false;
        for (Message m : history) {
            if (m.seq() <= since) {
                continue;
            }
            if (messages.size() == max) {
                more = true;
                break;
            }
            messages.add(m);
        }
        return new Look(name, true, since, messages, more, position, gap);
    }
}
