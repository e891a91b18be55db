package io.loompush.sim.protocol;

import io.loompush.sim.http.MalformedResponseException;
import io.loompush.sim.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Engine.IO protocol 4, the transport layer under Socket.IO 4: packets over
 * long-polling (a payload of text packets separated by the record separator
 * {@code \x1e}) or one packet per WebSocket text message. A text packet is
 * its type digit and its data:
 *
 * <pre>
 *   0{"sid":..,"pingInterval":..,"pingTimeout":..,..}  open: the session id and the heartbeat
 *   1                                                   close
 *   2[data]                                             ping: the client answers 3[data]
 *   3[data]                                             pong
 *   4&lt;data&gt;                                             message: a Socket.IO packet
 *   5 / 6                                               upgrade / noop
 * </pre>
 *
 * A binary packet ({@code b<base64>} in a polling payload) never carries a
 * text message and is refused, as is anything else out of this table.
 */
public final class EngineIo {
    /** What separates two packets in a long-polling payload. */
    public static final char SEPARATOR = '\u001e';

    private EngineIo() {}

    /** One Engine.IO packet. */
    public sealed interface Packet {
        record Open(String sid, long pingIntervalMillis, long pingTimeoutMillis) implements Packet {}

        record Close() implements Packet {}

        record Ping(String data) implements Packet {}

        record Pong(String data) implements Packet {}

        record Message(String data) implements Packet {}

        record Upgrade() implements Packet {}

        record Noop() implements Packet {}
    }

    /**
     * The packets of one long-polling payload, in order.
     *
     * @param maxPackets the most packets accepted in one payload
     * @throws MalformedResponseException on an empty payload or packet, a binary or unknown packet, or more than
     *                                    {@code maxPackets}
     */
    public static List<Packet> payload(String body, int maxPackets) throws MalformedResponseException {
        var packets = new ArrayList<Packet>(1);
        int from = 0;
        while (true) {
            int end = body.indexOf(SEPARATOR, from);
            if (packets.size() == maxPackets) {
                throw new MalformedResponseException("Engine.IO payload of more than " + maxPackets + " packets");
            }
            packets.add(packet(body.substring(from, end < 0 ? body.length() : end)));
            if (end < 0) {
                return packets;
            }
            from = end + 1;
        }
    }

    /** One text packet: a WebSocket message, or one packet of a polling payload. */
    public static Packet packet(String text) throws MalformedResponseException {
        if (text.isEmpty()) {
            throw new MalformedResponseException("empty Engine.IO packet");
        }
        String data = text.substring(1);
        return switch (text.charAt(0)) {
            case '0' -> open(data);
            case '1' -> new Packet.Close();
            case '2' -> new Packet.Ping(data);
            case '3' -> new Packet.Pong(data);
            case '4' -> new Packet.Message(data);
            case '5' -> new Packet.Upgrade();
            case '6' -> new Packet.Noop();
            case 'b' -> throw new MalformedResponseException("binary Engine.IO packet where text was expected");
            default -> throw new MalformedResponseException("unknown Engine.IO packet type '" + text.charAt(0) + "'");
        };
    }

    /** The text of {@code packet} as a client sends it. */
    public static String encode(Packet packet) {
        return switch (packet) {
            case Packet.Open o -> throw new IllegalArgumentException("a client never sends open");
            case Packet.Close c -> "1";
            case Packet.Ping p -> "2" + p.data();
            case Packet.Pong p -> "3" + p.data();
            case Packet.Message m -> "4" + m.data();
            case Packet.Upgrade u -> "5";
            case Packet.Noop n -> "6";
        };
    }

    private static Packet open(String json) throws MalformedResponseException {
        Map<String, Object> fields;
        try {
            fields = Json.object(json);
        } catch (IllegalArgumentException e) {
            throw new MalformedResponseException("Engine.IO open packet that is not a JSON object: " + e.getMessage());
        }
        if (!(fields.get("sid") instanceof String sid) || !(fields.get("pingInterval") instanceof Number interval)
                || !(fields.get("pingTimeout") instanceof Number timeout)) {
            throw new MalformedResponseException("Engine.IO open packet without sid, pingInterval and pingTimeout");
        }
        return new Packet.Open(sid, interval.longValue(), timeout.longValue());
    }
}
