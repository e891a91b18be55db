package io.loompush.sim;

import io.loompush.sim.http.HttpResponse;
import io.loompush.sim.protocol.Answer;
import io.loompush.sim.protocol.Poll;
import io.loompush.sim.protocol.Protocol;
import io.loompush.sim.stream.SseReader;
import io.loompush.sim.stream.StreamConnection;
import java.io.IOException;
import java.util.List;

/** Server-Sent Events: one GET, a 200 head, then one answer per event. */
final class SseLink implements Link {
    private final Protocol protocol;
    private final StreamConnection connection;
    private boolean requested;
    /** Null until the 200 head was read. */
    private SseReader reader;

    SseLink(Protocol protocol, StreamConnection connection) {
        this.protocol = protocol;
        this.connection = connection;
    }

    @Override
    public void send(Poll poll, String cursor) throws IOException {
        if (!requested) {
            connection.send(protocol.sseRequest(poll, cursor));
            requested = true;
        }
    }

    @Override
    public boolean subscribed() {
        return reader != null;
    }

    @Override
    public Reply read(String cursor) throws IOException {
        if (reader == null) {
            HttpResponse head = connection.readHead(200);
            if (head.status() != 200) {
                return refused(head);
            }
            reader = new SseReader(connection, head);
            return new Reply(new Answer.Messages(List.of(), cursor, false), null, true);
        }
        return new Reply(protocol.sseEvent(reader.next(), cursor), null, true);
    }

    /** A stream request answered with an error status; the connection is not used again. */
    static Reply refused(HttpResponse head) {
        String body = head.bodyText().strip();
        String reason = "status " + head.status() + (body.isEmpty() ? "" : " " + (body.length() > 80 ? body.substring(0, 80) : body));
        return new Reply(new Answer.Refused(head.status(), reason), head.header("Retry-After"), false);
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
