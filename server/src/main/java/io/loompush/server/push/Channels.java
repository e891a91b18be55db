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
 * <p>The {@link Feed} hears when a channel comes to live here and when it goes
 * (Redis subscribes and unsubscribes on that), and says since when the
 * channel's messages have all reached this node, which the gap proof needs.
 *
 * <p>History expiry needs no sweep: each channel with history has one entry in
 * a delay queue, due when its oldest message expires; one virtual thread takes
 * the due entries. Looks and publishes also drop expired messages on the way.
 */
public final class Channels implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Channels.class);
    private final ConcurrentHashMap<String, Channel> map = new ConcurrentHashMap<>();
    private final DelayQueue<Due> expiries = new DelayQueue<>();
    private final MessageIds ids;
    private final Feed feed;
    private final InstantSource clock;
    private final int historySize;
    private final long ttlMillis;
    private final AtomicInteger mailboxes = new AtomicInteger();
    private final AtomicLong historyEntries = new AtomicLong();
    private final AtomicLong historyBytes = new AtomicLong();
    private final Thread expiryThread;

    public Channels(MessageIds ids, Feed feed, InstantSource clock, int historySize, Duration historyTtl) {
        this.ids = ids;
        this.feed = feed;
        this.clock = clock;
        this.historySize = historySize;
        this.ttlMillis = historyTtl.toMillis();
        this.expiryThread = Thread.ofVirtual().name("loompush-history-expiry").unstarted(this::expireForever);
    }

    /** Starts the expiry thread; tests that drive expiry by hand leave it off. */
    public Channels start() {
        expiryThread.start();
        return this;
    }

    public MessageIds ids() {
        return ids;
    }

    /**
     * Where a poll that arrives now and names no cursor starts: every message
     * published after this call has a greater id.
     */
    public long arrival() {
        return ids.position();
    }

    /** Appends a message to the channel's history and signals its held polls. */
    public Published publish(String name, byte[] data) {
        var result = new Object() {
            long seq;
            Mailbox[] woken;
        };
        map.compute(name, (key, channel) -> {
            if (channel == null) {
                channel = create(key);
            }
            var before = Tally.of(channel);
            channel.expire(clock.millis() - ttlMillis);
            result.seq = ids.next();
            channel.append(new Message(channel.name, result.seq, data), historySize);
            count(before, channel);
            scheduleExpiry(channel);
            result.woken = channel.waiters();
            return channel;
        });
        for (Mailbox box : result.woken) {
            box.signal();
        }
        return new Published(name, ids.format(result.seq), result.woken.length);
    }

    /**
     * Registers the mailbox on the channel (once; again is a no-op) and looks
     * at what the poll standing at {@code since} should get, in one step.
     *
     * @param fresh whether {@code since} is the poll's arrival rather than a
     *        client's cursor: a fresh poll on a channel covered only since after
     *        its arrival starts there, without a gap
     */
    Look look(String name, Mailbox box, long since, boolean fresh, int max) {
        var look = new Look[1];
        map.compute(name, (key, channel) -> {
            if (channel == null) {
                channel = create(key);
            }
            if (channel.addWaiter(box)) {
                mailboxes.incrementAndGet();
            }
            long covered = feed.coveredSince(key);
            if (covered == Feed.NOT_COVERED) {
                look[0] = Look.uncovered(channel.name, since);
                return channel;
            }
            long from = fresh ? Math.max(since, covered) : since;
            var before = Tally.of(channel);
            channel.expire(clock.millis() - ttlMillis);
            count(before, channel);
            Look seen = channel.look(from, max, ids.position(), ttlMillis);
            look[0] = from < covered ? withGap(seen) : seen;
            return channel;
        });
        return look[0];
    }

    /** Signals the held polls of a channel to look again (its coverage changed). */
    public void wake(String name) {
        var woken = new Mailbox[][] {new Mailbox[0]};
        map.computeIfPresent(name, (key, channel) -> {
            woken[0] = channel.waiters();
            return channel;
        });
        for (Mailbox box : woken[0]) {
            box.signal();
        }
    }

    /** Unregisters the mailbox; the channel goes away if nothing is left in it. */
    void release(String name, Mailbox box) {
        map.computeIfPresent(name, (key, channel) -> {
            if (channel.removeWaiter(box)) {
                mailboxes.decrementAndGet();
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
        while ((due = expiries.poll()) != null) {
            expire(due);
        }
    }

    @Override
    public void close() {
        expiryThread.interrupt();
    }

    private void expireForever() {
        try {
            while (true) {
                Due due = expiries.take();
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
            if (channel != due.channel) {
                return channel;
            }
            channel.expiryScheduled = false;
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
        feed.interested(name);
        // The millisecond of the id sequence, not the wall clock: ids never go back, and the gap
        // proof compares this with message ids.
        return new Channel(name, MessageIds.millis(ids.position()));
    }

    /** The compute result that drops an idle channel from the map. */
    private Channel removeIfIdle(Channel channel) {
        if (!channel.idle()) {
            return channel;
        }
        feed.uninterested(channel.name);
        return null;
    }

    private static Look withGap(Look look) {
        return new Look(look.channel(), true, look.since(), look.messages(), look.more(), look.position(), true);
    }

    private void scheduleExpiry(Channel channel) {
        long oldest = channel.oldestMillis();
        if (oldest >= 0 && !channel.expiryScheduled) {
            channel.expiryScheduled = true;
            expiries.add(new Due(channel, oldest + ttlMillis, clock));
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
