package io.loompush.server.push;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process-wide message id sequence.
 *
 * <p>A sequence number is the publish millisecond shifted left by
 * {@value #COUNTER_BITS} bits plus a counter, so ids are strictly increasing
 * across all channels, survive a channel's removal from memory, and tell when
 * they were issued (the history's gap proof needs that). Even if the wall clock
 * steps back, the sequence never does: the last value dominates.
 *
 * <p>An id goes out as {@code <epoch>-<seq in base 36>}. The epoch is random
 * per process, so a cursor issued before a restart is recognised as foreign
 * and answered with {@code gap:true}. With Redis, ids come from the channel's
 * stream instead, in the same form and the same bit layout (a stream id
 * {@code ms-n} is {@code ms << 20 | n}), with the stream's own epoch.
 */
public final class MessageIds {
    public static final int COUNTER_BITS = 20;

    private final String epoch;
    private final InstantSource clock;
    private final AtomicLong last = new AtomicLong();

    public MessageIds(String epoch, InstantSource clock) {
        this.epoch = epoch;
        this.clock = clock;
    }

    /** A fresh random epoch: 40 bits in base 36, the top one set so it is never {@link Cursor#NO_EPOCH}. */
    public static String newEpoch() {
        long bits = new SecureRandom().nextLong() >>> 24 | 1L << 39;
        return Long.toString(bits, 36);
    }

    public String epoch() {
        return epoch;
    }

    /** The next message's sequence number. Called under the channel's lock, so ids are in order per channel. */
    long next() {
        long now = clock.millis() << COUNTER_BITS;
        return last.updateAndGet(l -> Math.max(l + 1, now + 1));
    }

    /**
     * A position: every message published after this call gets a greater
     * sequence number, so "seen everything up to here" is exact.
     */
    long position() {
        long now = clock.millis() << COUNTER_BITS;
        return last.updateAndGet(l -> Math.max(l, now));
    }

    /** The millisecond a sequence number was issued at. */
    static long millis(long seq) {
        return seq >>> COUNTER_BITS;
    }

    /** A message id or a one-channel cursor: {@code <epoch>-<seq in base 36>}. */
    public static String format(String epoch, long seq) {
        return epoch + '-' + Long.toString(seq, 36);
    }
}
