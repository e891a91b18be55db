package io.loompush.server.ws;

import java.nio.charset.StandardCharsets;

/**
 * The frames the server sends (RFC 6455 section 5.2): unmasked, unfragmented,
 * each in one buffer so it leaves in one write.
 */
public final class Frames {
    static final int OP_CONTINUATION = 0x0;
    static final int OP_TEXT = 0x1;
    static final int OP_BINARY = 0x2;
    static final int OP_CLOSE = 0x8;
    static final int OP_PING = 0x9;
    static final int OP_PONG = 0xA;
    private static final int FIN = 0x80;
    /** The ping the server sends every heartbeat: no payload. */
    private static final byte[] PING = {(byte) (FIN | OP_PING), 0};

    private Frames() {}

    /** A text frame of this UTF-8 payload. */
    public static byte[] text(byte[] utf8) {
        return frame(OP_TEXT, utf8, 0, utf8.length);
    }

    public static byte[] ping() {
        return PING.clone();
    }

    /** A pong echoing the ping's application data (section 5.5.3). */
    static byte[] pong(byte[] payload) {
        return frame(OP_PONG, payload, 0, payload.length);
    }

    /** A close frame with a status code and a short ASCII reason (at most 123 bytes). */
    public static byte[] close(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        if (text.length > FrameReader.MAX_CONTROL_PAYLOAD - 2) {
            throw new IllegalArgumentException("close reason over 123 bytes");
        }
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return frame(OP_CLOSE, payload, 0, payload.length);
    }

    /** Lengths take the fewest bytes that hold them, as section 5.2 requires. */
    private static byte[] frame(int opcode, byte[] payload, int offset, int length) {
        int head = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        byte[] frame = new byte[head + length];
        frame[0] = (byte) (FIN | opcode);
        if (head == 2) {
            frame[1] = (byte) length;
        } else if (head == 4) {
            frame[1] = 126;
            frame[2] = (byte) (length >> 8);
            frame[3] = (byte) length;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) length >> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, offset, frame, head, length);
        return frame;
    }
}
