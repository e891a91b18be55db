package io.loompush.sim.protocol;

import io.loompush.sim.http.HttpResponse;
import io.loompush.sim.http.MalformedResponseException;
import io.loompush.sim.stream.SseEvent;
import java.util.List;

/**
 * How one kind of server is subscribed to and published to. Each adapter is
 * a set of functions over bytes: the next poll, or the one stream request,
 * from the cursor; and the meaning of a response, an event or a WebSocket
 * message; all are unit tested on hand-written exchanges.
 */
public sealed interface Protocol permits Loompush, Nchan, SeedNode, SocketIo, Pushpin {
    /** The name given with --protocol. */
    String name();

    /** @param cursor what the previous answer left ({@link Answer.Messages#cursor()}), null for the first poll */
    byte[] pollRequest(Poll poll, String cursor);

    /** @param cursor the cursor the poll was sent with, kept when the answer brings no new one */
    Answer answer(HttpResponse response, String cursor) throws MalformedResponseException;

    /** Why this server cannot be subscribed to over {@code transport}, or null when it can. */
    String transportProblem(Transport transport);

    /**
     * The request that opens a Server-Sent Events stream, resuming after {@code cursor} (null: from now on).
     * A server without SSE ({@link #transportProblem} says why) keeps these defaults, which are never called.
     */
    default byte[] sseRequest(Poll poll, String cursor) {
        throw new UnsupportedOperationException(transportProblem(Transport.SSE));
    }

    /**
     * What one event of the stream means: messages (none for a heartbeat) and the cursor after them.
     *
     * @param cursor the cursor so far, kept when the event brings none
     */
    default Answer sseEvent(SseEvent event, String cursor) throws MalformedResponseException {
        throw new UnsupportedOperationException(transportProblem(Transport.SSE));
    }

    /** The WebSocket opening handshake, resuming after {@code cursor} (null: from now on); as for SSE, a default. */
    default byte[] wsRequest(Poll poll, String cursor, String key) {
        throw new UnsupportedOperationException(transportProblem(Transport.WS));
    }

    /** The {@code Sec-WebSocket-Protocol} the server must answer the handshake with, or null for none. */
    default String wsSubprotocol() {
        throw new UnsupportedOperationException(transportProblem(Transport.WS));
    }

    /**
     * What one WebSocket message means.
     *
     * @param cursor the cursor so far, kept when the message brings none
     */
    default Answer wsMessage(String message, String cursor) throws MalformedResponseException {
        throw new UnsupportedOperationException(transportProblem(Transport.WS));
    }

    /** The text message the client sends back after {@code message}, or null for none (Engine.IO: its pong). */
    default String wsReply(String message) {
        return null;
    }

    /**
     * The HTTP request publishing {@code payload} to {@code channel}.
     *
     * @param token a bearer token, or null
     * @throws UnsupportedOperationException when this server takes no HTTP publish ({@link #httpPublish()})
     */
    byte[] publishRequest(String channel, byte[] payload, String host, String token);

    boolean publishAccepted(HttpResponse response);

    boolean httpPublish();

    /** Whether a plain Redis {@code PUBLISH <prefix><channel> <payload>} reaches its clients. */
    boolean redisPublish();

    /** Why these shared channels cannot be polled with this protocol, or null when they can. */
    String sharedChannelsProblem(List<String> shared);

    static Protocol named(String name) {
        return switch (name) {
            case "loompush" -> new Loompush();
            case "nchan" -> new Nchan();
            case "seed-node" -> new SeedNode();
            case "socketio" -> new SocketIo();
            case "pushpin" -> new Pushpin();
            default -> throw new IllegalArgumentException("unknown protocol '" + name + "'");
        };
    }
}
