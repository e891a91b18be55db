package io.loompush.it;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads a Server-Sent Events body the way a browser's EventSource does
 * (HTML Living Standard, "event stream interpretation"), for the fields
 * loompush sends: {@code id}, {@code event}, {@code data}, and comments.
 */
final class SseEvents {
    /**
     * One event, or a comment (type {@code ":"}).
     *
     * @param id the event's own id, null when it has none
     */
    record Event(String type, String id, String data) {
        boolean comment() {
            return type.equals(":");
        }

        /** The data as a message object: channel, id, data. */
        Map<String, Object> json() {
            return Json.object(data);
        }
    }

    private static final int MAX_LINE = 1 << 20;

    private final InputStream in;

    SseEvents(InputStream in) {
        this.in = in;
    }

    /** The next event or comment; EOFException when the stream ends between events. */
    Event next() throws IOException {
        String type = null;
        String id = null;
        StringBuilder data = null;
        boolean comment = false;
        while (true) {
            String line = line(type == null && id == null && data == null && !comment);
            if (line.isEmpty()) {
                if (data != null || type != null || id != null) {
                    return new Event(type == null ? "message" : type, id, data == null ? "" : data.toString());
                }
                if (comment) {
                    return new Event(":", null, "");
                }
                continue;
            }
            if (line.startsWith(":")) {
                comment = true;
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1 < line.length() && line.charAt(colon + 1) == ' '
                    ? colon + 2 : colon + 1);
            switch (field) {
                case "event" -> type = value;
                case "id" -> id = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> throw new IOException("a field loompush does not send: " + line);
            }
        }
    }

    /** The next event that is not a comment. */
    Event nextEvent() throws IOException {
        Event event;
        do {
            event = next();
        } while (event.comment());
        return event;
    }

    private String line(boolean betweenEvents) throws IOException {
        var line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException(betweenEvents && line.size() == 0
                        ? "the stream ended" : "the stream ended inside an event");
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("line over " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
