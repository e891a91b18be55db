package io.loompush.sim.stream;

import io.loompush.sim.http.MalformedResponseException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the next event of a {@code text/event-stream} body (the HTML
 * standard's "event stream interpretation") from the bytes read so far: a
 * function over bytes, tested without a socket. Lines end with CRLF, LF or
 * CR; a line {@code field: value} sets a field (one space after the colon is
 * dropped), a line starting with {@code :} is a comment, a blank line ends
 * the event. It answers null while no blank line has come yet.
 */
public final class SseParser {
    /** @param consumed how many bytes from {@code from} the event took, blank line included */
    public record Parsed(SseEvent event, int consumed) {}

    private SseParser() {}

    /**
     * @param maxEventBytes the longest event accepted; longer without a blank line is malformed
     * @return the event, or null when {@code data[from..length)} does not hold all of it yet
     */
    public static Parsed next(byte[] data, int from, int length, int maxEventBytes) throws MalformedResponseException {
        String id = null;
        String type = null;
        StringBuilder text = null;
        int at = from;
        while (true) {
            int end = lineEnd(data, at, length);
            if (end < 0) {
                if (length - from > maxEventBytes) {
                    throw new MalformedResponseException("event over " + maxEventBytes + " bytes without a blank line");
                }
                return null;
            }
            int next = afterLineEnd(data, end, length);
            if (next < 0) {
                return null;
            }
            if (next - from > maxEventBytes) {
                throw new MalformedResponseException("event over " + maxEventBytes + " bytes");
            }
            if (end == at) {
                return new Parsed(new SseEvent(id, type, text == null ? null : text.toString()), next - from);
            }
            String line = new String(data, at, end - at, StandardCharsets.UTF_8);
            at = next;
            if (line.charAt(0) == ':') {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1 < line.length() && line.charAt(colon + 1) == ' '
                    ? colon + 2 : colon + 1);
            switch (field) {
                case "id" -> id = value;
                case "event" -> type = value;
                case "data" -> text = text == null ? new StringBuilder(value) : text.append('\n').append(value);
                default -> { } // retry and unknown fields are ignored, as a browser does
            }
        }
    }

    /** The index of the CR or LF that ends the line starting at {@code from}, or -1. */
    private static int lineEnd(byte[] data, int from, int length) {
        for (int i = from; i < length; i++) {
            if (data[i] == '\n' || data[i] == '\r') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Where the next line starts after the line end at {@code end}; -1 when that end is a CR that
     * is the last byte read, as the LF of a CRLF may be still to come.
     */
    private static int afterLineEnd(byte[] data, int end, int length) {
        if (data[end] == '\n') {
            return end + 1;
        }
        if (end + 1 == length) {
            return -1;
        }
        return data[end + 1] == '\n' ? end + 2 : end + 1;
    }
}
