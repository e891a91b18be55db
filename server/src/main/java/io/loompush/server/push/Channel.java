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
    /** The channel's position when this object was created: it holds nothing from before. */
    private long createdAt;
    private ArrayDeque<Message> history;
    /** The newest sequence number dropped from history, 0 when none was. */
    private long evictedUpTo;
    private long historyBytes;
    private Mailbox onlyWaiter;
    private Set<Mailbox> waiters;
    boolean expiryScheduled;

    Channel(String name, long createdAt) {
        this.name = name;
        this.createdAt = createdAt;
    }

    boolean hasWaiters() {
        return onlyWaiter != null || waiters != null;
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
        if (history != null && !history.getLast().epoch().equals(message.epoch())) {
            // A new history began (Redis lost the stream): what is held belongs to another one.
            reset(message.seq() - 1);
        }
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

    /** Forgets the history: this copy starts again after {@code at}. */
    void reset(long at) {
        history = null;
        historyBytes = 0;
        evictedUpTo = 0;
        createdAt = at;
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
        return history == null && !hasWaiters();
    }

    int historySize() {
        return history == null ? 0 : history.size();
    }

    /** Payload bytes in the history. */
    long historyBytes() {
        return historyBytes;
    }

    long createdAt() {
        return createdAt;
    }

    /** The newest sequence number dropped from history, 0 when none was. */
    long evictedUpTo() {
        return evictedUpTo;
    }

    /** The messages of this epoch after {@code since}, oldest first, at most {@code max}. */
    List<Message> after(String epoch, long since, int max) {
        if (history == null || history.getLast().seq() <= since) {
            return List.of();
        }
        var messages = new ArrayList<Message>(Math.min(max, history.size()));
        for (Message m : history) {
            if (messages.size() == max) {
                break;
            }
            if (m.seq() > since && m.epoch().equals(epoch)) {
                messages.add(m);
            }
        }
        return messages;
    }
}
