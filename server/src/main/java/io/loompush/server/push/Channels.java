package io.loompush.server.push;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of live channels: history and held polls, by channel name.
 *
 * <p>Every change to a channel happens inside {@code map.compute} for its
 * name, which locks that key: appending and waking are atomic with
 * registering and looking, so no message slips between a poll's look and its
 * park. A channel with no history and no held poll is removed in the same
 * step, so it holds no memory at all.
 *
 * <p>The {@link Feed} hears when a channel gets its first held poll here and
 * when its last one goes (Redis subscribes and unsubscribes on that), and says
 * since when the channel's messages have all reached this node, which the gap
 * proof needs.
 *
 * <p>History expiry needs no sweep: each channel with history has one entry in
 * a delay queue, due when its oldest message expires; one virtual thread takes
 * the due entries. Looks and publishes also drop expired messages on the way.
 *
 * <p>The history's payload bytes, over all channels, are capped: an append
 * that passes the cap sheds the oldest messages anywhere until the total is
 * back under it (see {@link #shed}). A poll that needed a shed message gets
 * {@code gap:true}, as for any eviction.
 */
public final class Channels implements AutoCloseable {
    /**
     * A poll that arrived before its channel reached this node starts this much
     * before its arrival in the shared history: a stream's ids come from Redis's
     * clock, not this node's, and a message published just after the arrival must
     * not be missed for a small clock difference. The price is at most this much
     * of messages from just before the arrival.
     */
    static final long ARRIVAL_SLACK_MILLIS = 1000;
    private static final Logger log = LoggerFactory.getLogger(Channels.class);
    private final ConcurrentHashMap<String, Channel> map = new ConcurrentHashMap<>();
    private final DelayQueue<Due> expiries = new DelayQueue<>();
    /** The channels the byte cap emptied, due when what they shed expires (see {@link Channel}). */
    private final DelayQueue<Due> emptied = new DelayQueue<>();
    private final MessageIds ids;
    private final Feed feed;
    private final InstantSource clock;
    private final int historySize;
    private final long ttlMillis;
    private final long maxHistoryBytes;
    private final AtomicInteger mailboxes = new AtomicInteger();
    private final AtomicLong historyEntries = new AtomicLong();
    private final AtomicLong historyBytes = new AtomicLong();
    private final Thread expiryThread;
    private final Thread emptiedThread;

    /** @param maxHistoryBytes the cap on history payload bytes over all channels */
    public Channels(MessageIds ids, Feed feed, InstantSource clock, int historySize, Duration historyTtl,
                    long maxHistoryBytes) {
        this.ids = ids;
        this.feed = feed;
        this.clock = clock;
        this.historySize = historySize;
        this.ttlMillis = historyTtl.toMillis();
        this.maxHistoryBytes = maxHistoryBytes;
        this.expiryThread = Thread.ofVirtual().name("loompush-history-expiry")
                .unstarted(() -> expireForever(expiries));
        this.emptiedThread = Thread.ofVirtual().name("loompush-history-emptied")
                .unstarted(() -> expireForever(emptied));
    }

    /** Starts the expiry threads; tests that drive expiry by hand leave them off. */
    public Channels start() {
        expiryThread.start();
        emptiedThread.start();
        return this;
    }

    public MessageIds ids() {
        return ids;
    }

    /**
     * Where a poll that arrives now and names no cursor starts on this channel:
     * every message that reaches this node after this call has a greater
     * position. While the channel's messages do not reach this node, the
     * arrival is this node's clock, in no epoch ({@link Cursor#NO_EPOCH}): see
     * {@link #look}.
     */
    public Position arrival(String name) {
        if (!feed.shared()) {
            return new Position(ids.epoch(), ids.position());
        }
        Coverage coverage = feed.coverage(name);
        return coverage == null
                ? new Position(Cursor.NO_EPOCH, ids.position())
                : new Position(coverage.epoch(), coverage.latest());
    }

    /**
     * Where a poll goes on whose cursor holds only its arrival on this channel
     * ({@link Cursor#NO_EPOCH}: an earlier poll timed out before the channel was
     * covered). On a channel covered now it is an ordinary position: that
     * arrival less {@link #ARRIVAL_SLACK_MILLIS}, in the shared history's
     * epoch, so the poll is neither answered from wherever this node's coverage
     * began nor spared a gap for what was trimmed after it arrived. Otherwise it
     * stays open and waits for coverage (see {@link #look}).
     */
    public Position resume(String name, long arrival) {
        Coverage coverage = feed.shared() ? feed.coverage(name) : null;
        if (coverage == null) {
            return new Position(Cursor.NO_EPOCH, arrival);
        }
        return new Position(coverage.epoch(), withSlack(arrival));
    }

    /** Appends a message to the channel's history and signals its held polls: the embedded broker. */
    public Published publish(String name, byte[] data) {
        var result = new Object() {
            long seq;
            Mailbox[] woken;
        };
        map.compute(name, (key, channel) -> {
            if (channel == null) {
                channel = create(key);
            }
            result.seq = ids.next();
            result.woken = append(channel, new Message(channel.name, ids.epoch(), result.seq, data));
            return channel;
        });
        signal(result.woken);
        shed();
        return new Published(name, MessageIds.format(ids.epoch(), result.seq), result.woken.length);
    }

    /**
     * Appends a message that came with its own epoch and position (from a
     * Redis stream) to the channel's copy, and signals its held polls. A
     * channel with no object here (no poll, no history) gets none: its stream
     * has the message, and an object created later starts after it
     * ({@link Feed#latest}), so a node keeps no copy of channels nobody polls.
     *
     * @return the held polls signalled
     */
    public int deliver(String name, String epoch, long seq, byte[] data) {
        var woken = new Mailbox[][] {new Mailbox[0]};
        map.computeIfPresent(name, (key, channel) -> {
            woken[0] = append(channel, new Message(channel.name, epoch, seq, data));
            return channel;
        });
        signal(woken[0]);
        shed();
        return woken[0].length;
    }

    /**
     * Hands a message that has no place in any history (a plain Redis PUBLISH)
     * to the polls held on the channel now, and to no one else.
     *
     * @return the held polls it was handed to
     */
    public int broadcast(String name, byte[] data) {
        var woken = new Mailbox[][] {new Mailbox[0]};
        map.computeIfPresent(name, (key, channel) -> {
            Coverage coverage = feed.coverage(key);
            if (coverage != null) {
                var message = new Message(channel.name, coverage.epoch(), coverage.latest(), data);
                woken[0] = channel.waiters();
                for (Mailbox box : woken[0]) {
                    box.offer(message);
                }
            }
            return channel;
        });
        signal(woken[0]);
        return woken[0].length;
    }

    /**
     * Forgets the channel's copy of its history (it no longer continues the
     * shared one) and signals its held polls to look again.
     */
    public void reset(String name, long at) {
        var woken = new Mailbox[][] {new Mailbox[0]};
        map.computeIfPresent(name, (key, channel) -> {
            var before = Tally.of(channel);
            channel.reset(at);
            count(before, channel);
            woken[0] = channel.waiters();
            return removeIfIdle(channel);
        });
        signal(woken[0]);
    }

    /**
     * Registers the mailbox on the channel (once; again is a no-op) and looks
     * at what the poll standing at {@code since} should get, in one step.
     *
     * @param open whether the poll has no position on this channel yet (it
     *        arrived without a cursor while the channel was not covered, and
     *        {@code since} is its arrival by this node's clock): it starts where
     *        coverage begins or, with a shared history, at its arrival less
     *        {@link #ARRIVAL_SLACK_MILLIS}, whichever is earlier, without a gap
     */
    Look look(String name, Mailbox box, String epoch, long since, boolean open, int max) {
        var look = new Look[1];
        map.compute(name, (key, channel) -> {
            if (channel == null) {
                channel = create(key);
            }
            boolean first = !channel.hasWaiters();
            if (channel.addWaiter(box)) {
                mailboxes.incrementAndGet();
                if (first) {
                    feed.interested(key);
                }
            }
            Coverage coverage = feed.coverage(key);
            if (coverage == null) {
                look[0] = Look.uncovered(channel.name, epoch, since);
                return channel;
            }
            var before = Tally.of(channel);
            channel.expire(clock.millis() - ttlMillis);
            count(before, channel);
            if (!feed.shared()) {
                look[0] = lookLocal(channel, open ? ids.epoch() : epoch, open ? ids.position() : since, max);
            } else if (open) {
                look[0] = lookShared(channel, coverage, coverage.epoch(), Math.min(coverage.openFrom(), withSlack(since)),
                        max);
            } else {
                look[0] = lookShared(channel, coverage, epoch, since, max);
            }
            return channel;
        });
        return look[0];
    }

    /**
     * Reads what the shared history holds after the position, for a poll whose
     * position is older than this node's copy; null when it cannot be read now.
     *
     * @param promisedFrom the position after which the poll was promised every message: its cursor,
     *                     or for a poll that came without one, its arrival ({@code since} is then a
     *                     little earlier, see {@link #look}); what was trimmed before it is no gap
     */
    Look backlog(String name, String epoch, long since, long promisedFrom, int max) {
        Backlog backlog;
        try {
            backlog = feed.read(name, epoch, since, max);
        } catch (BrokerUnavailableException e) {
            return null;
        }
        long position = backlog.epoch().equals(epoch) ? Math.max(since, backlog.last()) : backlog.last();
        return new Look(name, true, false, backlog.epoch(), since, backlog.messages(), position,
                backlog.gapAfter(promisedFrom));
    }

    /**
     * The embedded history's look, and its gap proof: this channel object holds
     * every message published on it after it was created, except those dropped
     * up to {@code evictedUpTo}. An earlier incarnation of the channel was removed
     * only once its history was empty, and its last message left by expiry, so
     * everything it held was published at least a TTL before this one was
     * created. A cursor of this process, newer than that and not older than
     * what was evicted, has missed nothing. A cursor of another process (issued
     * before a restart) starts before everything.
     */
    private Look lookLocal(Channel channel, String epoch, long since, int max) {
        long from = epoch.equals(ids.epoch()) ? since : 0;
        boolean gap = from < channel.evictedUpTo()
                || MessageIds.millis(from) <= MessageIds.millis(channel.createdAt()) - ttlMillis;
        return new Look(channel.name, true, false, ids.epoch(), from, channel.after(ids.epoch(), from, max),
                ids.position(), gap);
    }

    /**
     * A look at this node's copy of a shared history: answerable here when the
     * position is in the history's current epoch and not older than the copy
     * (coverage, this channel object, or what it evicted); otherwise the shared
     * history must be read. The copy never says gap: only the shared history knows.
     */
    private static Look lookShared(Channel channel, Coverage coverage, String epoch, long since, int max) {
        long floor = Math.max(coverage.since(), Math.max(channel.createdAt(), channel.evictedUpTo()));
        if (!epoch.equals(coverage.epoch()) || since < floor) {
            return Look.behind(channel.name, epoch, since);
        }
        return new Look(channel.name, true, false, coverage.epoch(), since, channel.after(epoch, since, max), since,
                false);
    }

    /** An arrival by this node's clock as a position in a shared history: {@link #ARRIVAL_SLACK_MILLIS} earlier. */
    private static long withSlack(long arrival) {
        return Math.max(0, arrival - (ARRIVAL_SLACK_MILLIS << MessageIds.COUNTER_BITS));
    }

    /** Signals the held polls of a channel to look again (its coverage changed). */
    public void wake(String name) {
        var woken = new Mailbox[][] {new Mailbox[0]};
        map.computeIfPresent(name, (key, channel) -> {
            woken[0] = channel.waiters();
            return channel;
        });
        signal(woken[0]);
    }

    /** Unregisters the mailbox; the channel goes away if nothing is left in it. */
    void release(String name, Mailbox box) {
        map.computeIfPresent(name, (key, channel) -> {
            if (channel.removeWaiter(box)) {
                mailboxes.decrementAndGet();
                if (!channel.hasWaiters()) {
                    feed.uninterested(key);
                }
            }
            return removeIfIdle(channel);
        });
    }

    /** Signals every held poll, so each answers now (the drain on shutdown). */
    public void wakeAll() {
        for (String name : map.keySet()) {
            wake(name);
        }
    }

    public int channelCount() {
        return map.size();
    }

    /** Mailboxes registered, one per channel of each held poll. */
    public int mailboxCount() {
        return mailboxes.get();
    }

    /** Messages kept in history, over all channels. */
    public long historyEntries() {
        return historyEntries.get();
    }

    /** Payload bytes kept in history, over all channels. */
    public long historyBytes() {
        return historyBytes.get();
    }

    /** Drops the expired history of every channel that is due now. */
    void expireDue() {
        Due due;
        while ((due = expiries.poll()) != null || (due = emptied.poll()) != null) {
            expire(due);
        }
    }

    @Override
    public void close() {
        expiryThread.interrupt();
        emptiedThread.interrupt();
    }

    /**
     * Sheds the oldest messages until the history is within its byte cap. The
     * expiry queue's head is the channel whose oldest message is due first, that
     * is the oldest message anywhere (or close: a channel's entry is not moved
     * up when its own count limit evicts), so one message goes from there and
     * the channel's entry goes back in the queue at its new oldest. The shed
     * message moves the channel's {@code evictedUpTo}, so a poll that needed it
     * gets {@code gap:true}; an emptied channel stays until the message would
     * have expired, since its {@code evictedUpTo} is the only proof (with a
     * shared history, the shared history is).
     */
    private void shed() {
        while (historyBytes.get() > maxHistoryBytes) {
            Due due = expiries.peek();
            if (due == null) {
                return;
            }
            if (!expiries.remove(due)) {
                continue;
            }
            map.computeIfPresent(due.channel.name, (key, channel) -> {
                if (channel != due.channel || channel.expiry != due) {
                    return channel;
                }
                channel.expiry = null;
                var before = Tally.of(channel);
                channel.shedOldest(!feed.shared());
                count(before, channel);
                scheduleExpiry(channel);
                return removeIfIdle(channel);
            });
        }
    }

    private void expireForever(DelayQueue<Due> queue) {
        try {
            while (true) {
                Due due = queue.take();
                try {
                    expire(due);
                } catch (RuntimeException e) {
                    log.error("history expiry of channel {} failed; going on", due.channel.name, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void expire(Due due) {
        map.computeIfPresent(due.channel.name, (key, channel) -> {
            if (channel != due.channel || channel.expiry != due) {
                return channel;
            }
            channel.expiry = null;
            var before = Tally.of(channel);
            channel.expire(clock.millis() - ttlMillis);
            count(before, channel);
            scheduleExpiry(channel);
            return removeIfIdle(channel);
        });
    }

    /** A channel's history size before a change, to count the change's difference. */
    private record Tally(int entries, long bytes) {
        static Tally of(Channel channel) {
            return new Tally(channel.historySize(), channel.historyBytes());
        }
    }

    private void count(Tally before, Channel after) {
        historyEntries.addAndGet(after.historySize() - before.entries());
        historyBytes.addAndGet(after.historyBytes() - before.bytes());
    }

    private Channel create(String name) {
        // The id sequence, not the wall clock: ids never go back, and the gap proof compares this with them.
        return new Channel(name, feed.shared() ? feed.latest(name) : ids.position());
    }

    /** Appends under the channel's lock; returns the mailboxes to signal once the lock is released. */
    private Mailbox[] append(Channel channel, Message message) {
        if (channel.emptiedByCap()) {
            // Its entry waits in the emptied queue; with history again it belongs in the expiry queue.
            channel.expiry = null;
        }
        var before = Tally.of(channel);
        channel.expire(clock.millis() - ttlMillis);
        channel.append(message, historySize);
        count(before, channel);
        scheduleExpiry(channel);
        return channel.waiters();
    }

    private static void signal(Mailbox[] boxes) {
        for (Mailbox box : boxes) {
            box.signal();
        }
    }

    /** The compute result that drops an idle channel from the map. */
    private static Channel removeIfIdle(Channel channel) {
        return channel.idle() ? null : channel;
    }

    private void scheduleExpiry(Channel channel) {
        long oldest = channel.oldestMillis();
        if (oldest >= 0 && channel.expiry == null) {
            var due = new Due(channel, oldest + ttlMillis, clock);
            channel.expiry = due;
            (channel.historySize() > 0 ? expiries : emptied).add(due);
        }
    }

    /** A channel's next expiry in the delay queue. */
    private record Due(Channel channel, long atMillis, InstantSource clock) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(atMillis - clock.millis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(atMillis, ((Due) other).atMillis);
        }
    }
}
