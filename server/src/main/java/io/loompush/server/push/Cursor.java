package io.loompush.server.push;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A client's place in the channels of its poll, as the opaque, URL-safe text
 * it carries from one poll to the next.
 *
 * <ul>
 *   <li>one channel: {@code <epoch>-<position>}, the same form as a message id,
 *       so the id of the last message seen is a valid cursor;</li>
 *   <li>several channels: {@code <epoch>-<p1>.<p2>...<pN>.<check>}, positions in
 *       the order of the sorted channel names, each written {@code <epoch>-<p>}
 *       where its epoch differs from the one before (with Redis every channel's
 *       history has its own); and a check over the names so a cursor sent with
 *       other channels is refused.</li>
 * </ul>
 * Epochs and positions are base 36.
 */
public record Cursor(String[] epochs, long[] positions) {
    public static final int MAX_LENGTH = 4096;
    /**
     * The epoch of a channel with no position yet: a poll that arrived without a cursor and ended
     * before the channel's messages reached the node (Redis down). Its position is the arrival by
     * the node's clock, so the next poll starts where that one would have.
     */
    public static final String NO_EPOCH = "0";
    private static final int MAX_EPOCH = 16;

    /**
     * @param channels the poll's channels, sorted and without duplicates
     * @throws IllegalArgumentException when the text is not a cursor for these channels
     */
    public static Cursor parse(String text, List<String> channels) {
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("cursor too long");
        }
        String[] parts = text.split("\\.", -1);
        int expected = channels.size() == 1 ? 1 : channels.size() + 1;
        if (parts.length != expected) {
            throw new IllegalArgumentException("cursor is for other channels");
        }
        if (channels.size() > 1 && !parts[parts.length - 1].equals(check(channels))) {
            throw new IllegalArgumentException("cursor is for other channels");
        }
        var epochs = new String[channels.size()];
        long[] positions = new long[channels.size()];
        String epoch = null;
        for (int i = 0; i < positions.length; i++) {
            String part = parts[i];
            int dash = part.indexOf('-');
            if (dash >= 0) {
                if (dash < 1 || dash > MAX_EPOCH || !base36(part, 0, dash)) {
                    throw new IllegalArgumentException("malformed cursor");
                }
                epoch = part.substring(0, dash);
            } else if (epoch == null) {
                throw new IllegalArgumentException("malformed cursor");
            }
            epochs[i] = epoch;
            positions[i] = position(part.substring(dash + 1));
        }
        return new Cursor(epochs, positions);
    }

    /** @param channels the poll's channels, sorted and without duplicates */
    public String format(List<String> channels) {
        var out = new StringBuilder(epochs[0].length() + 14 * positions.length + 8);
        for (int i = 0; i < positions.length; i++) {
            if (i > 0) {
                out.append('.');
            }
            if (i == 0 || !epochs[i].equals(epochs[i - 1])) {
                out.append(epochs[i]).append('-');
            }
            out.append(Long.toString(positions[i], 36));
        }
        if (channels.size() > 1) {
            out.append('.').append(check(channels));
        }
        return out.toString();
    }

    private static long position(String part) {
        if (part.isEmpty() || part.length() > 13 || !base36(part, 0, part.length())) {
            throw new IllegalArgumentException("malformed cursor");
        }
        try {
            return Long.parseLong(part, 36);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed cursor");
        }
    }

    private static String check(List<String> channels) {
        var crc = new CRC32();
        for (String channel : channels) {
            crc.update(channel.getBytes(StandardCharsets.US_ASCII));
            crc.update(',');
        }
        return Long.toString(crc.getValue(), 36);
    }

    private static boolean base36(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }
}
