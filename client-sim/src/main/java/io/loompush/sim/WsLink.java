package io.loompush.sim;

import io.loompush.sim.http.HttpResponse;
import io.loompush.sim.http.MalformedResponseException;
import io.loompush.sim.protocol.Answer;
import io.loompush.sim.protocol.Poll;
import io.loompush.sim.protocol.Protocol;
import io.loompush.sim.stream.StreamConnection;
import io.loompush.sim.stream.WsHandshake;
import io.loompush.sim.stream.WsReader;
import java.io.IOException;
import java.util.List;

/**
 * WebSocket: the opening handshake, a 101 whose {@code Sec-WebSocket-Accept}
 * proves the server read the key, then one answer per message. Pings are
 * answered inside {@link WsReader#next()}, on the client's own thread.
 */
final class WsLink implements Link {
    private final Protocol protocol;
    private final StreamConnection connection;
    /** The handshake's key until its answer was checked; then null. */
    private String key;
    private boolean requested;
    /** Null until the 101 was read. */
    private WsReader reader;

    WsLink(Protocol protocol, StreamConnection connection) {
        this.protocol = protocol;
        this.connection = connection;
    }

    @Override
    public void send(Poll poll, String cursor) throws IOException {
        if (!requested) {
            key = WsHandshake.key();
            connection.send(protocol.wsRequest(poll, cursor, key));
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
            HttpResponse head = connection.readHead(101);
            if (head.status() != 101) {
                return SseLink.refused(head);
            }
            check(head);
            key = null;
            reader = new WsReader(connection);
            return new Reply(new Answer.Messages(List.of(), cursor, false), null, true);
        }
        return new Reply(protocol.wsMessage(reader.next(), cursor), null, true);
    }

    /** RFC 6455 4.1: a client fails the connection unless the 101 says websocket, upgrade, and the right accept. */
    private void check(HttpResponse head) throws MalformedResponseException {
        String upgrade = head.header("Upgrade");
        String connectionField = head.header("Connection");
        String accept = head.header("Sec-WebSocket-Accept");
        String subprotocol = head.header("Sec-WebSocket-Protocol");
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            throw new MalformedResponseException("101 without Upgrade: websocket");
        }
        if (connectionField == null || !connectionField.toLowerCase().contains("upgrade")) {
            throw new MalformedResponseException("101 without Connection: upgrade");
        }
        if (!WsHandshake.accept(key).equals(accept)) {
            throw new MalformedResponseException("101 with Sec-WebSocket-Accept '" + accept + "', expected '"
                    + WsHandshake.accept(key) + "'");
        }
        String wanted = protocol.wsSubprotocol();
        if (wanted == null ? subprotocol != null : !wanted.equals(subprotocol)) {
            throw new MalformedResponseException("101 with Sec-WebSocket-Protocol '" + subprotocol + "', asked for "
                    + (wanted == null ? "none" : "'" + wanted + "'"));
        }
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
