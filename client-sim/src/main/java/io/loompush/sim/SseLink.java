package io.loompush.sim;

import io.loompush.sim.http.HttpResponse;
import io.loompush.sim.protocol.Answer;
import io.loompush.sim.protocol.Poll;
import io.loompush.sim.protocol.Protocol;
import io.loompush.sim.stream.SseReader;
import io.loompush.sim.stream.StreamConnection;
import java.io.IOException;

/** Server-Sent Events: one GET, a 200 head, then one answer per event. */
final class SseLink extends StreamLink {
    /** Null until the 200 head was read. */
    private SseReader reader;

    SseLink(Protocol protocol, StreamConnection connection) {
        super(protocol, connection, 200);
    }

    @Override
    byte[] request(Poll poll, String cursor) {
        return protocol.sseRequest(poll, cursor);
    }

    @Override
    void opened(HttpResponse head) {
        reader = new SseReader(connection, head);
    }

    @Override
    Answer next(String cursor) throws IOException {
        return protocol.sseEvent(reader.next(), cursor);
    }
}
