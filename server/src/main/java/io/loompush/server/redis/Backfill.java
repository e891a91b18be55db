package io.loompush.server.redis;

import io.loompush.server.push.Backlog;
import io.loompush.server.push.BrokerUnavailableException;
import io.loompush.server.push.Cursor;
import io.loompush.server.push.Message;
import io.loompush.server.push.MessageIds;
import io.loompush.server.push.Published;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node's copy of each covered channel continuous with its stream:
 * the listener thread hands every notification and every SUBSCRIBE
 * confirmation here and goes on; the stream reads run on virtual threads of
 * their own, a bounded number at a time, so one slow read holds up no other
 * channel and Redis never waits on the subscriber connection.
 *
 * <p>A channel's coverage begins with a reading: the first time, the copy
 * starts at the stream's newest entry; after a break, what the stream got since
 * the copy's newest position is appended, and the coverage goes on from where
 * it went before. When the stream lost entries past that position, or is
 * another epoch, the copy starts over at the stream's newest entry. While a
 * channel is read, its notifications queue up and are applied after the
 * reading, in order, so none is applied before the entries that precede it.
 * A read that fails is tried again for that channel alone, after a backoff,
 * as long as the coverage it was for lasts.
 *
 * <p>Every message delivered, from a notification or a reading, completes a
 * publish of this node waiting for it ({@link Echoes}).
 */
final class Backfill {
    private static final Logger log = LoggerFactory.getLogger(Backfill.class);
    /**
     * Stream entries per read: at most 6.4 MB of 64 KB payloads, well inside the command timeout,
     * so a large backlog cannot time out the same read again and again.
     */
    static final int BATCH = 100;
    /**
     * Notifications queued per channel while it is read; more are left out and the stream is read
     * again after (it holds them), so a flood during a slow read costs no more memory than this.
     */
    static final int PENDING_LIMIT = 256;
    private static final Duration MIN_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final StreamReader reader;
    private final Copies copies;
    private final Echoes echoes;
    /** Reads under way at once, so readings leave the pool's other connections to publishes and polls. */
    private final Semaphore reads;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong readings = new AtomicLong();
    private final AtomicLong losses = new AtomicLong();
    private volatile boolean closed;

    /** @param parallel stream reads at most at once */
    Backfill(StreamReader reader, Copies copies, Echoes echoes, int parallel) {
        this.reader = reader;
        this.copies = copies;
        this.echoes = echoes;
        this.reads = new Semaphore(parallel);
    }

    /** The channel's SUBSCRIBE is confirmed: its coverage begins with a reading. */
    void begin(String name, Subscription s) {
        synchronized (s) {
            startReading(name, s, null);
        }
    }

    /** The channel's coverage ends (link lost, UNSUBSCRIBE confirmed): a reading under way stops. */
    void end(Subscription s) {
        synchronized (s) {
            s.cover = null;
            s.work++;
            s.pending = null;
            s.broke = null;
        }
    }

    /**
     * A pub/sub message for the channel: applied to the copy when it follows it,
     * queued while the channel is read, the start of a reading when it breaks the
     * copy's continuity, dropped while the channel is not covered.
     */
    void arrived(String name, Subscription s, byte[] message) {
        synchronized (s) {
            if (s.pending != null) {
                queue(s, message);
            } else if (s.cover != null && !apply(name, s, message)) {
                startReading(name, s, message);
            }
        }
    }

    /** Readings under way now. */
    long readings() {
        return readings.get();
    }

    /** Reads that failed and were tried again, since start. */
    long retries() {
        return retries.get();
    }

    /** Streams found behind this node's copy (Redis lost acknowledged writes), since start. */
    long losses() {
        return losses.get();
    }

    void close() {
        closed = true;
    }

    private void queue(Subscription s, byte[] message) {
        if (s.pending.size() < PENDING_LIMIT) {
            s.pending.add(message);
        } else {
            s.overflowed = true;
        }
    }

    /** Under the lock, while covered: false when the notification breaks continuity (nothing applied). */
    private boolean apply(String name, Subscription s, byte[] message) {
        Cover cover = s.cover;
        var notification = Notification.parse(message);
        if (notification == null) {
            copies.broadcast(name, message);
            return true;
        }
        return switch (Continuity.of(cover, s.last, notification)) {
            case HELD -> true;
            case BREAK -> false;
            case NEXT -> {
                append(name, s, cover.epoch(), notification.position(), notification.payload());
                yield true;
            }
        };
    }

    /** The position first: a channel object created meanwhile starts after it (see Feed.latest). */
    private void append(String name, Subscription s, String epoch, long position, byte[] data) {
        s.last = position;
        int receivers = copies.deliver(name, epoch, position, data);
        echoes.arrived(name, data, new Published(name, MessageIds.format(epoch, position), receivers));
    }

    /** Under the lock. */
    private void startReading(String name, Subscription s, byte[] first) {
        s.cover = null;
        int work = ++s.work;
        s.pending = new ArrayDeque<>();
        s.overflowed = false;
        // It broke once already: after this reading it is in the copy, or it never will be.
        s.broke = first;
        if (first != null) {
            s.pending.add(first);
        }
        long openFrom = s.last;
        readings.incrementAndGet();
        Thread.ofVirtual().name("loompush-backfill").start(() -> {
            try {
                read(name, s, work, openFrom);
            } finally {
                readings.decrementAndGet();
            }
        });
    }

    private void read(String name, Subscription s, int work, long openFrom) {
        long backoff = MIN_RETRY.toNanos();
        while (!closed) {
            try {
                if (readOnce(name, s, work, openFrom)) {
                    return;
                }
                backoff = MIN_RETRY.toNanos();
            } catch (BrokerUnavailableException e) {
                synchronized (s) {
                    if (s.work != work) {
                        return;
                    }
                }
                retries.incrementAndGet();
                log.debug("reading the stream of channel {} failed ({}); trying it again", name, e.getMessage());
                try {
                    Thread.sleep(Duration.ofNanos(backoff));
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_RETRY.toNanos());
            } catch (RuntimeException e) {
                log.error("reading the stream of channel {} failed; the channel stays uncovered", name, e);
                return;
            }
        }
    }

    /** One pass: true when the channel is covered, or the reading is stale; false to read again. */
    private boolean readOnce(String name, Subscription s, int work, long openFrom) {
        Cover held;
        synchronized (s) {
            if (s.work != work) {
                return true;
            }
            held = s.held;
        }
        if (held == null) {
            Backlog now = read(name, Cursor.NO_EPOCH, 0, 0);
            synchronized (s) {
                return s.work != work || finish(name, s, startOver(s, now));
            }
        }
        Backlog backlog;
        do {
            long after = s.last;
            backlog = read(name, held.epoch(), after, BATCH);
            if (backlog.epoch().equals(held.epoch()) && backlog.last() < after) {
                synchronized (s) {
                    if (s.work != work) {
                        return true;
                    }
                }
                // Redis lost what it had acknowledged and this copy holds: never silently (see loompush_lost).
                log.warn("redis lost entries of channel {} that this node had (up to {}): a new epoch starts, cursors"
                        + " from before get gap:true", name, MessageIds.format(held.epoch(), after));
                losses.incrementAndGet();
                reads.acquireUninterruptibly();
                try {
                    reader.lost(name, held.epoch(), after);
                } finally {
                    reads.release();
                }
                return false;
            }
            synchronized (s) {
                if (s.work != work) {
                    return true;
                }
                if (backlog.gapAfter(after)) {
                    int woken = copies.reset(name, backlog.last());
                    for (Message m : backlog.messages()) {
                        echoes.arrived(name, m.data(), new Published(name, MessageIds.format(m.epoch(), m.seq()), woken));
                    }
                    return finish(name, s, startOver(s, backlog));
                }
                for (Message m : backlog.messages()) {
                    append(name, s, held.epoch(), m.seq(), m.data());
                }
            }
        } while (backlog.messages().size() == BATCH);
        synchronized (s) {
            return s.work != work || finish(name, s, new Cover(held.epoch(), held.since(), openFrom));
        }
    }

    private Backlog read(String name, String epoch, long after, int max) {
        reads.acquireUninterruptibly();
        try {
            return reader.read(name, epoch, after, max);
        } finally {
            reads.release();
        }
    }

    /** Under the lock: the copy starts at the stream's newest entry. */
    private static Cover startOver(Subscription s, Backlog now) {
        var cover = new Cover(now.epoch(), now.last(), now.last());
        s.held = cover;
        s.last = now.last();
        return cover;
    }

    /**
     * Under the lock: covered, and what queued meanwhile applied. False when a
     * queued notification breaks continuity again, or some were left out: the
     * stream is read again from the copy's newest position.
     */
    private boolean finish(String name, Subscription s, Cover cover) {
        s.cover = cover;
        for (byte[] message = s.pending.peek(); message != null; message = s.pending.peek()) {
            // The same notification breaking again after a reading that began once it was here is not
            // behind the stream (its entry is written before it is sent): forged, or of a lost epoch.
            if (!apply(name, s, message) && message != s.broke) {
                s.broke = message;
                s.cover = null;
                return false;
            }
            s.pending.poll();
        }
        if (s.overflowed) {
            s.overflowed = false;
            s.cover = null;
            return false;
        }
        s.pending = null;
        s.broke = null;
        copies.wake(name);
        return true;
    }
}
