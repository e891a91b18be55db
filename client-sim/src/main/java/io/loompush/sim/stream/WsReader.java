package io.loompush.sim.stream;

import io.loompush.sim.http.MalformedResponseException;
import io.loompush.sim.http.ResponseParser;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The messages of an open WebSocket, one at a time, whole: continuation
 * frames are joined, a ping is answered with a pong at once (from the
 * reading thread: no second thread per socket), a pong is dropped, and a
 * close is answered with a close and ends the stream. Between two frames it
 * keeps only the bytes of a frame not yet complete, usually none.
 */
public final class WsReader {
    /** The largest message accepted, fragments joined. */
    public static final int MAX_MESSAGE_BYTES = ResponseParser.MAX_BODY_BYTES;

    private final StreamConnection connection;
    /** Bytes read and not decoded yet; null when none. */
    private byte[] raw;
    /** The fragments of a message so far; null outside one. */
    private ByteArrayOutputStream fragments;

    public WsReader(StreamConnection connection) {
        this.connection = connection;
    }

    /**
     * The next text or binary message, as UTF-8 text.
     *
     * @throws EOFException when the server closed the WebSocket (its code and reason in the message) or the connection
     * @throws MalformedResponseException on a frame RFC 6455 forbids a server to send, or a text message that is not UTF-8
     */
    public String next() throws IOException {
        while (true) {
            WsFrame.Frame frame = nextFrame();
            if (frame.masked()) {
                throw new MalformedResponseException("masked frame from the server");
            }
            switch (frame.opcode()) {
                case WsFrame.PING -> reply(WsFrame.PONG, frame.payload());
                case WsFrame.PONG -> { }
                case WsFrame.CLOSE -> {
                    reply(WsFrame.CLOSE, Arrays.copyOf(frame.payload(), Math.min(2, frame.payload().length)));
                    throw new EOFException("the server closed the WebSocket" + closeReason(frame.payload()));
                }
                case WsFrame.TEXT, WsFrame.BINARY -> {
                    if (fragments != null) {
                        throw new MalformedResponseException("a new message inside a fragmented one");
                    }
                    if (frame.fin()) {
                        return text(frame.payload());
                    }
                    fragments = new ByteArrayOutputStream();
                    fragments.write(frame.payload());
                }
                case WsFrame.CONTINUATION -> {
                    if (fragments == null) {
                        throw new MalformedResponseException("a continuation frame outside a message");
                    }
                    if (fragments.size() + frame.payload().length > MAX_MESSAGE_BYTES) {
                        throw new MalformedResponseException("message over " + MAX_MESSAGE_BYTES + " bytes");
                    }
                    fragments.write(frame.payload());
                    if (frame.fin()) {
                        byte[] message = fragments.toByteArray();
                        fragments = null;
                        return text(message);
                    }
                }
                default -> throw new MalformedResponseException("frame with opcode " + frame.opcode());
            }
        }
    }

    /** Sends a text message of the client's own, masked, in one frame. */
    public void sendText(String message) throws IOException {
        reply(WsFrame.TEXT, message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A masked frame of the client's own: a pong with the ping's payload, a close echoing the code, a text. */
    private void reply(int opcode, byte[] payload) throws IOException {
        connection.send(WsFrame.encode(true, opcode, payload, WsHandshake.mask()));
    }

    private WsFrame.Frame nextFrame() throws IOException {
        while (true) {
            if (raw != null) {
                var parsed = WsFrame.decode(raw, 0, raw.length, MAX_MESSAGE_BYTES);
                if (parsed != null) {
                    raw = StreamConnection.rest(raw, parsed.consumed());
                    return parsed.frame();
                }
            }
            raw = StreamConnection.join(raw, connection.read());
        }
    }

    private static String text(byte[] payload) throws MalformedResponseException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedResponseException("a message that is not UTF-8");
        }
    }

    /** ": code N reason" from a close frame's payload, or "" when it has none. */
    static String closeReason(byte[] payload) {
        if (payload.length < 2) {
            return "";
        }
        int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        String reason = new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        return ": code " + code + (reason.isEmpty() ? "" : " " + reason);
    }
}
