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
 *       the order of the sorted channel names, and a check over those names so a
 *       cursor sent with other channels is refused.</li>
 * </ul>
 * Positions are base 36.
 */
public record Cursor(String epoch, long[] positions) {
    public static final int MAX_LENGTH = 4096;

    /**
     * @param channels the poll's channels, sorted and without duplicates
     * @throws IllegalArgumentException when the text is not a cursor for these channels
     */
    public static Cursor parse(String text, List<String> channels) {
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("cursor too long");
        }
        int dash = text.indexOf('-');
        if (dash < 1 || dash > 16 || !base36(text, 0, dash)) {
            throw new IllegalArgumentException("malformed cursor");
        }
        String[] parts = text.substring(dash + 1).split("\\.", -1);
        int expected = channels.size() == 1 ? 1 : channels.size() + 1;
        if (parts.length != expected) {
            throw new IllegalArgumentException("cursor is for other channels");
        }
        if (channels.size() > 1 && !parts[parts.length - 1].equals(check(channels))) {
            throw new IllegalArgumentException("cursor is for other channels");
        }
        long[] positions = new long[channels.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = position(parts[i]);
        }
        return new Cursor(text.substring(0, dash), positions);
    }

    /** @param channels the poll's channels, sorted and without duplicates */
    public String format(List<String> channels) {
        var out = new StringBuilder(epoch.length() + 14 * positions.length + 8).append(epoch).append('-');
        for (int i = 0; i < positions.length; i++) {
            if (i > 0) {
                out.append('.');
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
