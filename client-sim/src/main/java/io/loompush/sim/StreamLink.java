package io.loompush.sim;

import io.loompush.sim.http.HttpResponse;
import io.loompush.sim.protocol.Answer;
import io.loompush.sim.protocol.Poll;
import io.loompush.sim.protocol.Protocol;
import io.loompush.sim.stream.StreamConnection;
import java.io.IOException;
import java.util.List;

/**
 * A stream's life on one connection, for both stream transports:
 *
 * <pre>
 *   new ──send: its request──> requested ──read: the head──> open ──read: next event or message──> open
 *                                              └── another status: refused, the connection is dropped
 * </pre>
 *
 * The opening is an answer with no messages and the cursor unchanged.
 */
abstract sealed class StreamLink implements Link permits SseLink, WsLink {
    final Protocol protocol;
    final StreamConnection connection;
    private final int openingStatus;
    private boolean requested;
    private boolean open;

    /** @param openingStatus the status of the head that opens the stream: 200, or 101 */
    StreamLink(Protocol protocol, StreamConnection connection, int openingStatus) {
        this.protocol = protocol;
        this.connection = connection;
        this.openingStatus = openingStatus;
    }

    /** The request that opens the stream, resuming after {@code cursor} (null: from now on). */
    abstract byte[] request(Poll poll, String cursor);

    /** Checks the opening head and makes ready to read what follows it. */
    abstract void opened(HttpResponse head) throws IOException;

    /** The next event or message, read and decoded. */
    abstract Answer next(String cursor) throws IOException;

    @Override
    public final void send(Poll poll, String cursor) throws IOException {
        if (!requested) {
            connection.send(request(poll, cursor));
            requested = true;
        }
    }

    @Override
    public final boolean subscribed() {
        return open;
    }

    @Override
    public final Reply read(String cursor) throws IOException {
        if (open) {
            return new Reply(next(cursor), null, true);
        }
        HttpResponse head = connection.readHead(openingStatus);
        if (head.status() != openingStatus) {
            String body = head.bodyText().strip();
            String reason = "status " + head.status()
                    + (body.isEmpty() ? "" : " " + (body.length() > 80 ? body.substring(0, 80) : body));
            return new Reply(new Answer.Refused(head.status(), reason), head.header("Retry-After"), false);
        }
        opened(head);
        open = true;
        return new Reply(new Answer.Messages(List.of(), cursor, false), null, true);
    }

    @Override
    public final void close() throws IOException {
        connection.close();
    }
}
