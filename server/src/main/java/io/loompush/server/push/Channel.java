package io.loompush.server.push;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Delayed;

/**
 * One channel: its retained history and the mailboxes of the polls held on
 * it. Not thread-safe by itself: {@link Channels} touches it only inside the
 * registry map's per-key {@code compute}, which is its lock.
 *
 * <p>A channel whose history the byte cap emptied stays, without history or
 * waiters, until what was shed has expired: its {@code evictedUpTo} is then
 * the only proof that a cursor before it missed messages (see
 * {@link Channels#shed}).
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
    /** Whether the byte cap emptied the history and the object stays for its gap proof. */
    private boolean emptiedByCap;
    /** The channel's entry in an expiry queue, or null; an entry that is not this one is stale. */
    Delayed expiry;

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
        emptiedByCap = false;
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
        if (emptiedByCap && MessageIds.millis(evictedUpTo) <= cutoffMillis) {
            emptiedByCap = false;
        }
    }

    /**
     * Drops the oldest message for the byte cap.
     *
     * @param keepProof whether a channel so emptied stays for its gap proof; not with a shared
     *                  history, which proves gaps itself
     */
    void shedOldest(boolean keepProof) {
        if (history == null) {
            return;
        }
        evictFirst();
        if (history.isEmpty()) {
            history = null;
            emptiedByCap = keepProof;
        }
    }

    boolean emptiedByCap() {
        return emptiedByCap;
    }

    /** Forgets the history: this copy starts again after {@code at}. */
    void reset(long at) {
        history = null;
        historyBytes = 0;
        evictedUpTo = 0;
        emptiedByCap = false;
        createdAt = at;
    }

    private void evictFirst() {
        Message evicted = history.removeFirst();
        evictedUpTo = evicted.seq();
        historyBytes -= evicted.data().length;
    }

    /**
     * The millisecond the oldest retained message was published; for a channel
     * the byte cap emptied, the last message shed; otherwise -1.
     */
    long oldestMillis() {
        if (history != null) {
            return MessageIds.millis(history.getFirst().seq());
        }
        return emptiedByCap ? MessageIds.millis(evictedUpTo) : -1;
    }

    boolean idle() {
        return history == null && !hasWaiters() && !emptiedByCap;
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
