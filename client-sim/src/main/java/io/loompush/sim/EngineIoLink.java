package io.loompush.sim;

import io.loompush.sim.http.HttpConnection;
import io.loompush.sim.http.HttpResponse;
import io.loompush.sim.http.MalformedResponseException;
import io.loompush.sim.protocol.Answer;
import io.loompush.sim.protocol.EngineIo;
import io.loompush.sim.protocol.Poll;
import io.loompush.sim.protocol.SocketIo;
import java.io.IOException;

/**
 * Socket.IO's long-polling on one keep-alive connection: an Engine.IO
 * session of its own ({@link SocketIo} draws the exchanges), opened on the
 * first send, ended with the connection.
 *
 * <pre>
 *   new ──send: handshake, then POST 40──> connected ──send: GET──> held ──read: packets──> connected
 *    │                                                                   └─ a ping in them: POST 3 first
 *    └── the handshake or the connect refused: the next read returns the refusal
 * </pre>
 *
 * The cursor the client keeps is not used: a new connection is a new session.
 */
final class EngineIoLink implements Link {
    private final SocketIo protocol;
    private final HttpConnection connection;
    private String sid;
    private String host;
    /** A refusal of the handshake or the connect, returned by the next read. */
    private Reply refused;

    EngineIoLink(SocketIo protocol, HttpConnection connection) {
        this.protocol = protocol;
        this.connection = connection;
    }

    @Override
    public void send(Poll poll, String cursor) throws IOException {
        if (sid == null) {
            host = poll.host();
            HttpResponse handshake = connection.exchange(protocol.handshakeRequest(poll));
            if (handshake.status() != 200) {
                refused = refusal(handshake);
                return;
            }
            String opened = protocol.opened(handshake).sid();
            HttpResponse connect = connection.exchange(
                    protocol.sendRequest(host, opened, new EngineIo.Packet.Message("0")));
            if (connect.status() != 200) {
                refused = refusal(connect);
                return;
            }
            sid = opened;
        }
        connection.send(protocol.pollRequest(poll, sid));
    }

    @Override
    public boolean subscribed() {
        return refused == null;
    }

    @Override
    public Reply read(String cursor) throws IOException {
        if (refused != null) {
            return refused;
        }
        HttpResponse response = connection.read();
        if (response.status() != 200) {
            return refusal(response);
        }
        var received = protocol.received(EngineIo.payload(response.bodyText(), SocketIo.MAX_PACKETS));
        if (received.ended() != null) {
            throw new MalformedResponseException(received.ended());
        }
        if (received.pong() != null) {
            HttpResponse pong = connection.exchange(
                    protocol.sendRequest(host, sid, new EngineIo.Packet.Pong(received.pong())));
            if (pong.status() != 200) {
                return refusal(pong);
            }
        }
        return new Reply(new Answer.Messages(received.deliveries(), cursor, false), null, response.keepAlive());
    }

    private Reply refusal(HttpResponse response) throws MalformedResponseException {
        return new Reply(protocol.answer(response, null), response.header("Retry-After"), false);
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
