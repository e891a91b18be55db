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

/**
 * WebSocket: the opening handshake, a 101 whose {@code Sec-WebSocket-Accept}
 * proves the server read the key, then one answer per message. Pings are
 * answered inside {@link WsReader#next()}, on the client's own thread; a
 * message the protocol answers (Engine.IO's open and ping) is answered there too.
 */
final class WsLink extends StreamLink {
    /** The handshake's key until its answer was checked; then null. */
    private String key;
    /** Null until the 101 was read. */
    private WsReader reader;

    WsLink(Protocol protocol, StreamConnection connection) {
        super(protocol, connection, 101);
    }

    @Override
    byte[] request(Poll poll, String cursor) {
        key = WsHandshake.key();
        return protocol.wsRequest(poll, cursor, key);
    }

    /** RFC 6455 4.1: a client fails the connection unless the 101 says websocket, upgrade, and the right accept. */
    @Override
    void opened(HttpResponse head) throws MalformedResponseException {
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
        key = null;
        reader = new WsReader(connection);
    }

    @Override
    Answer next(String cursor) throws IOException {
        String message = reader.next();
        String reply = protocol.wsReply(message);
        if (reply != null) {
            reader.sendText(reply);
        }
        return protocol.wsMessage(message, cursor);
    }
}
