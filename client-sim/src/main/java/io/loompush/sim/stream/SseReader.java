package io.loompush.sim.stream;

import io.loompush.sim.http.HttpResponse;
import io.loompush.sim.http.ResponseParser;
import java.io.EOFException;
import java.io.IOException;

/**
 * The events of a {@code text/event-stream} body, one at a time, chunked or
 * close-delimited (PROTOCOL.md allows both; Nchan sends it close-delimited).
 * Between two events it keeps only the bytes of an event not yet complete,
 * usually none.
 */
public final class SseReader {
    /** The longest event accepted. */
    public static final int MAX_EVENT_BYTES = ResponseParser.MAX_BODY_BYTES;

    private final StreamConnection connection;
    /** Null for a close-delimited body. */
    private final ChunkedDecoder chunked;
    /** Body bytes read and not parsed yet; null when none. */
    private byte[] text;

    /** @param head the 200 head of the stream, which says how its body is framed */
    public SseReader(StreamConnection connection, HttpResponse head) {
        this.connection = connection;
        String encoding = head.header("Transfer-Encoding");
        this.chunked = encoding != null && encoding.toLowerCase().contains("chunked") ? new ChunkedDecoder() : null;
    }

    /**
     * The next event, comments and heartbeats included ({@link SseEvent#heartbeat()}).
     *
     * @throws EOFException when the stream ended
     */
    public SseEvent next() throws IOException {
        while (true) {
            if (text != null) {
                var parsed = SseParser.next(text, 0, text.length, MAX_EVENT_BYTES);
                if (parsed != null) {
                    text = StreamConnection.rest(text, parsed.consumed());
                    return parsed.event();
                }
            }
            if (chunked != null && chunked.ended()) {
                throw new EOFException("the event stream ended");
            }
            byte[] raw = connection.read();
            text = StreamConnection.join(text, chunked == null ? raw : chunked.decode(raw, 0, raw.length));
        }
    }
}
