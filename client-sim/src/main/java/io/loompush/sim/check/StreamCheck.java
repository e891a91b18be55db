package io.loompush.sim.check;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks the messages one client receives against the publisher's sequence
 * numbers, per channel: in order, no duplicate, no loss.
 *
 * <p>Per channel it keeps the last number seen. The next one is in order. A
 * jump counts the numbers skipped as lost at once and remembers them (up to
 * {@link #MAX_TRACKED_MISSING} per channel), so that one arriving later counts
 * as late (out of order) and no longer as lost. A number at or below the last
 * that was not missing is a duplicate. Numbers never received at the end are
 * found by {@link #trailingLoss}, against what the publisher sent. Nothing but
 * one long per channel is kept unless something goes wrong.
 */
public final class StreamCheck {
    /** Missing numbers remembered per channel for late arrivals; past it, a late one counts as a duplicate. */
    public static final int MAX_TRACKED_MISSING = 4096;

    /**
     * What one message was. STALE is a message of another run (a server's
     * history from before), not a fault; FOREIGN is one this run did not
     * publish to this client: unreadable, of a channel it does not poll, or
     * labelled with another channel than its payload's.
     */
    public enum Outcome { IN_ORDER, GAP, LATE, DUPLICATE, STALE, FOREIGN }

    private final String run;
    private final String[] channels;
    private final long[] last;
    /** Per channel index, the numbers skipped and not arrived yet; null until the first gap. */
    private Map<Integer, Set<Long>> missing;
    private long lost;

    /** @param channels the channels the client polls; a message of any other channel is foreign */
    public StreamCheck(String run, String[] channels) {
        this.run = run;
        this.channels = channels;
        this.last = new long[channels.length];
    }

    /**
     * @param namedChannel the channel the server said the message came from, or null when its protocol does not say
     * @param payload      the message's fields ({@link Payload#parse}), null when it had none
     */
    public Outcome accept(String namedChannel, Payload payload) {
        if (payload == null) {
            return Outcome.FOREIGN;
        }
        if (!payload.run().equals(run)) {
            return Outcome.STALE;
        }
        if (namedChannel != null && !namedChannel.equals(payload.channel())) {
            return Outcome.FOREIGN;
        }
        int index = indexOf(payload.channel());
        return index < 0 ? Outcome.FOREIGN : accept(index, payload.seq());
    }

    /** Checks message {@code seq} of channel {@code index} of this client. */
    public Outcome accept(int index, long seq) {
        long previous = last[index];
        if (seq == previous + 1) {
            last[index] = seq;
            return Outcome.IN_ORDER;
        }
        if (seq > previous) {
            lost += seq - previous - 1;
            remember(index, previous + 1, seq - 1);
            last[index] = seq;
            return Outcome.GAP;
        }
        if (missing != null && missing.containsKey(index) && missing.get(index).remove(seq)) {
            lost--;
            return Outcome.LATE;
        }
        return Outcome.DUPLICATE;
    }

    /** Numbers skipped so far and not arrived since. */
    public long lost() {
        return lost;
    }

    /**
     * The messages never received at the end of the stream: what was
     * published on each channel beyond the last number seen.
     *
     * @param published per channel of this client, in its order, how many messages the publisher sent
     */
    public long trailingLoss(long[] published) {
        long trailing = 0;
        for (int i = 0; i < last.length; i++) {
            trailing += Math.max(0, published[i] - last[i]);
        }
        return trailing;
    }

    private int indexOf(String channel) {
        for (int i = 0; i < channels.length; i++) {
            if (channels[i].equals(channel)) {
                return i;
            }
        }
        return -1;
    }

    private void remember(int index, long from, long to) {
        if (missing == null) {
            missing = new HashMap<>();
        }
        Set<Long> skipped = missing.computeIfAbsent(index, i -> new HashSet<>());
        for (long seq = from; seq <= to && skipped.size() < MAX_TRACKED_MISSING; seq++) {
            skipped.add(seq);
        }
    }
}
