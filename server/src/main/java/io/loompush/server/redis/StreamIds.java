package io.loompush.server.redis;

import io.loompush.server.push.MessageIds;

/**
 * Redis stream ids ({@code <ms>-<n>}) as loompush positions: {@code ms << 20 | n},
 * the layout of {@link MessageIds}, so the id a client sees is the stream id,
 * written in base 36 after the stream's epoch.
 */
final class StreamIds {
    private static final long COUNTER_MASK = (1L << MessageIds.COUNTER_BITS) - 1;

    private StreamIds() {}

    /** @throws IllegalArgumentException when the text is no stream id, or its counter does not fit 20 bits */
    static long position(String id) {
        int dash = id.indexOf('-');
        if (dash < 1 || dash == id.length() - 1) {
            throw new IllegalArgumentException("not a stream id: " + id);
        }
        long ms = Long.parseLong(id, 0, dash, 10);
        long n = Long.parseLong(id, dash + 1, id.length(), 10);
        if (ms < 0 || ms >>> (63 - MessageIds.COUNTER_BITS) != 0 || n < 0 || n > COUNTER_MASK) {
            throw new IllegalArgumentException("stream id out of range: " + id);
        }
        return ms << MessageIds.COUNTER_BITS | n;
    }

    static String streamId(long position) {
        return (position >>> MessageIds.COUNTER_BITS) + "-" + (position & COUNTER_MASK);
    }
}
