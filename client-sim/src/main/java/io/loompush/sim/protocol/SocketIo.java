package io.loompush.sim.protocol;

import io.loompush.sim.http.HttpResponse;
import io.loompush.sim.http.MalformedResponseException;
import io.loompush.sim.http.Requests;
import io.loompush.sim.json.Json;
import io.loompush.sim.stream.WsHandshake;
import java.util.ArrayList;
import java.util.List;

/**
 * Socket.IO 4 ({@code ops/peers/socketio}) over Engine.IO 4 ({@link EngineIo}), the default namespace.
 *
 * <p>Long-polling is a session of several requests on the client's one keep-alive connection:
 *
 * <pre>
 *   GET  /socket.io/?EIO=4&amp;transport=polling&amp;channels=c1,broadcast  -&gt; 0{"sid":S,..}      handshake
 *   POST /socket.io/?EIO=4&amp;transport=polling&amp;sid=S, body 40        -&gt; ok                namespace connect
 *   GET  /socket.io/?EIO=4&amp;transport=polling&amp;sid=S                  -&gt; packets, \x1e between them:
 *        40{"sid":..}  connected;  42["m","&lt;payload&gt;"]  a message;  2  a ping, answered by
 *   POST /socket.io/?EIO=4&amp;transport=polling&amp;sid=S, body 3         -&gt; ok
 * </pre>
 *
 * and the GET again. A held GET is answered by the server's next packet or
 * its next ping (every {@code pingInterval}, 25 s by default), whichever
 * comes first. Over WebSocket ({@code transport=websocket}) each message is
 * one packet: {@code 0{..}} first, answered {@code 40}; a ping {@code 2}
 * answered {@code 3}. The server joins the client to one room per channel
 * it names, and {@code POST /publish/<channel>} emits event {@code m} with
 * the payload to that room.
 *
 * <p>There is no cursor: the session buffers what comes between two polls,
 * but a new connection is a new session, so what came while a client was
 * away is lost, and the simulator counts it (Socket.IO's connection state
 * recovery is off by default and not used here).
 */
public record SocketIo() implements Protocol {
    /** The event the peer emits every message as. */
    public static final String EVENT = "m";
    /** The most packets one polling answer may bring. */
    public static final int MAX_PACKETS = 10_000;
    private static final String PATH = "/socket.io/?EIO=4&transport=";
    private static final List<String> TEXT_BODY = List.of("Content-Type: text/plain;charset=UTF-8");

    /**
     * What a run of packets brought.
     *
     * @param pong  the data of the last ping, to be answered; null when none came
     * @param ended why the server ended the session, or null while it goes on
     */
    public record Received(List<Answer.Delivery> deliveries, String pong, String ended) {
        public Received {
            deliveries = List.copyOf(deliveries);
        }
    }

    @Override
    public String name() {
        return "socketio";
    }

    /** The handshake, which opens a session and names the client's rooms. */
    public byte[] handshakeRequest(Poll poll) {
        return Requests.get(PATH + "polling&channels=" + channels(poll), poll.host(), List.of());
    }

    /** @param sid the session; null: the handshake */
    @Override
    public byte[] pollRequest(Poll poll, String sid) {
        return sid == null ? handshakeRequest(poll)
                : Requests.get(PATH + "polling&sid=" + sid, poll.host(), List.of());
    }

    /** Sends packets to the session: {@code 40} (connect to the namespace) or {@code 3} (a pong). */
    public byte[] sendRequest(String host, String sid, EngineIo.Packet packet) {
        return Requests.post(PATH + "polling&sid=" + sid, host, TEXT_BODY,
                EngineIo.encode(packet).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The open packet a handshake answer must start with. */
    public EngineIo.Packet.Open opened(HttpResponse response) throws MalformedResponseException {
        var packets = EngineIo.payload(response.bodyText(), MAX_PACKETS);
        if (!(packets.getFirst() instanceof EngineIo.Packet.Open open)) {
            throw new MalformedResponseException("Engine.IO handshake answered without an open packet");
        }
        return open;
    }

    /** What the packets of one polling answer, or of one WebSocket message, bring. */
    public Received received(List<EngineIo.Packet> packets) throws MalformedResponseException {
        var deliveries = new ArrayList<Answer.Delivery>(packets.size());
        String pong = null;
        for (EngineIo.Packet packet : packets) {
            switch (packet) {
                case EngineIo.Packet.Open o -> { }
                case EngineIo.Packet.Ping p -> pong = p.data();
                case EngineIo.Packet.Pong p -> { }
                case EngineIo.Packet.Upgrade u -> { }
                case EngineIo.Packet.Noop n -> { }
                case EngineIo.Packet.Close c -> {
                    return new Received(deliveries, pong, "the server closed the Engine.IO session");
                }
                case EngineIo.Packet.Message m -> {
                    String ended = socketIo(m.data(), deliveries);
                    if (ended != null) {
                        return new Received(deliveries, pong, ended);
                    }
                }
            }
        }
        return new Received(deliveries, pong, null);
    }

    /**
     * One Socket.IO packet of the default namespace: {@code <type>[<ack id>][<json>]}. Adds an event's
     * payload to {@code deliveries}; returns why the server ended the session, or null.
     */
    static String socketIo(String packet, List<Answer.Delivery> deliveries) throws MalformedResponseException {
        if (packet.isEmpty()) {
            throw new MalformedResponseException("empty Socket.IO packet");
        }
        if (packet.length() > 1 && packet.charAt(1) == '/') {
            throw new MalformedResponseException("Socket.IO packet of another namespace: " + abbreviated(packet));
        }
        int json = 1;
        while (json < packet.length() && Character.isDigit(packet.charAt(json))) {
            json++;
        }
        return switch (packet.charAt(0)) {
            case '0' -> null;
            case '1' -> "the server disconnected the Socket.IO socket";
            case '2' -> {
                deliveries.add(new Answer.Delivery(null, event(packet.substring(json))));
                yield null;
            }
            case '4' -> "Socket.IO connect error " + abbreviated(packet.substring(json));
            default -> throw new MalformedResponseException("unexpected Socket.IO packet " + abbreviated(packet));
        };
    }

    /** The payload of {@code ["m","<payload>"]}. */
    private static String event(String json) throws MalformedResponseException {
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new MalformedResponseException("Socket.IO event that is not JSON: " + e.getMessage());
        }
        if (parsed instanceof List<?> list && list.size() == 2 && EVENT.equals(list.get(0))
                && list.get(1) instanceof String data) {
            return data;
        }
        throw new MalformedResponseException("Socket.IO event other than [\"" + EVENT + "\",<text>]: "
                + abbreviated(json));
    }

    @Override
    public Answer answer(HttpResponse response, String cursor) throws MalformedResponseException {
        if (response.status() != 200) {
            return new Answer.Refused(response.status(), "status " + response.status() + " "
                    + abbreviated(response.bodyText().strip()));
        }
        var received = received(EngineIo.payload(response.bodyText(), MAX_PACKETS));
        if (received.ended() != null) {
            throw new MalformedResponseException(received.ended());
        }
        return new Answer.Messages(received.deliveries(), cursor, false);
    }

    @Override
    public String transportProblem(Transport transport) {
        return transport == Transport.SSE
                ? "Socket.IO has no Server-Sent Events transport: long-polling and WebSocket only"
                : null;
    }

    @Override
    public byte[] wsRequest(Poll poll, String cursor, String key) {
        return Requests.get(PATH + "websocket&channels=" + channels(poll), poll.host(),
                WsHandshake.fields(key, null, List.of()));
    }

    @Override
    public String wsSubprotocol() {
        return null;
    }

    @Override
    public Answer wsMessage(String message, String cursor) throws MalformedResponseException {
        var received = received(List.of(EngineIo.packet(message)));
        if (received.ended() != null) {
            throw new MalformedResponseException(received.ended());
        }
        return new Answer.Messages(received.deliveries(), cursor, false);
    }

    /** The open packet is answered by the namespace connect, a ping by its pong. */
    @Override
    public String wsReply(String message) {
        if (message.startsWith("0")) {
            return "40";
        }
        return message.startsWith("2") ? "3" + message.substring(1) : null;
    }

    @Override
    public byte[] publishRequest(String channel, byte[] payload, String host, String token) {
        return Requests.post("/publish/" + channel, host, List.of(), payload);
    }

    @Override
    public boolean publishAccepted(HttpResponse response) {
        return response.status() == 200;
    }

    @Override
    public boolean httpPublish() {
        return true;
    }

    /** The Redis adapter publishes its own msgpack frames: a plain PUBLISH reaches no socket. */
    @Override
    public boolean redisPublish() {
        return false;
    }

    @Override
    public String sharedChannelsProblem(List<String> shared) {
        return null;
    }

    private static String channels(Poll poll) {
        var channels = new StringBuilder(32).append(poll.client());
        for (String shared : poll.shared()) {
            channels.append(',').append(shared);
        }
        return channels.toString();
    }

    private static String abbreviated(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
