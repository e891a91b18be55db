package io.loompush.sim;

import io.loompush.sim.http.HttpConnection;
import io.loompush.sim.protocol.Answer;
import io.loompush.sim.protocol.Poll;
import io.loompush.sim.protocol.Protocol;
import io.loompush.sim.protocol.SocketIo;
import io.loompush.sim.protocol.Transport;
import io.loompush.sim.stream.StreamConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One client connection over its transport, as the client loop sees it:
 * send what the next answer needs, read that answer. Long-poll sends a poll
 * each time; a stream sends its one request first and then only reads (the
 * opening, then each event or WebSocket message). Every read blocks with no
 * buffer held.
 */
sealed interface Link extends AutoCloseable permits PollLink, EngineIoLink, StreamLink {
    /**
     * What one read brought.
     *
     * @param retryAfter the {@code Retry-After} of a refusal, or null
     * @param keepAlive  whether the connection carries on after it
     */
    record Reply(Answer answer, String retryAfter, boolean keepAlive) {}

    /** Sends the poll, or a stream's request the first time; nothing on an open stream. */
    void send(Poll poll, String cursor) throws IOException;

    /**
     * Whether the server holds this client's subscription while the next read waits: a sent poll,
     * or a stream whose opening came back; a stream's opening itself is not held yet.
     */
    boolean subscribed();

    /**
     * The next answer. A stream's first is its opening: no messages, the cursor unchanged,
     * or the refusal of its request.
     *
     * @param cursor the client's cursor now, kept by answers that bring none
     */
    Reply read(String cursor) throws IOException;

    @Override
    void close() throws IOException;

    /** @param readTimeout the longest a read may wait: a hold's answer, or a stream's next event or heartbeat */
    static Link open(Transport transport, Protocol protocol, InetSocketAddress target, InetAddress source,
                     Duration connectTimeout, Duration readTimeout) throws IOException {
        return switch (transport) {
            case POLL -> {
                var connection = HttpConnection.open(target, source, connectTimeout, readTimeout);
                yield switch (protocol) {
                    case SocketIo socketIo -> new EngineIoLink(socketIo, connection);
                    default -> new PollLink(protocol, connection);
                };
            }
            case SSE -> new SseLink(protocol, stream(target, source, connectTimeout, readTimeout));
            case WS -> new WsLink(protocol, stream(target, source, connectTimeout, readTimeout));
        };
    }

    private static StreamConnection stream(InetSocketAddress target, InetAddress source, Duration connectTimeout,
                                           Duration readTimeout) throws IOException {
        var socket = HttpConnection.connect(target, source, connectTimeout, readTimeout);
        try {
            return new StreamConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
