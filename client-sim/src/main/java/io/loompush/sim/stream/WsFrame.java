package io.loompush.sim.stream;

import io.loompush.sim.http.MalformedResponseException;

/**
 * RFC 6455 section 5 framing, both ways, as functions over bytes: tested
 * without a socket. The simulator's own frames (pong, close) are masked, as
 * a client's must be; the server's must not be, which the reader checks with
 * {@link Frame#masked()}. No extension is ever negotiated, so a reserved bit
 * is malformed.
 *
 * <pre>
 *   byte 0: FIN, RSV1-3, opcode        byte 1: MASK, length 0-125 | 126 (2 bytes follow) | 127 (8 bytes follow)
 *   [extended length, big-endian, minimal]   [4-byte masking key]   payload (XOR key[i % 4] when masked)
 * </pre>
 */
public final class WsFrame {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;
    /** The largest payload of a control frame (section 5.5). */
    public static final int MAX_CONTROL_PAYLOAD = 125;
    /** Payloads up to this length fit in the 7-bit length; up to 65535 in the 16-bit one. */
    static final int MAX_7_BIT = 125;
    static final int MAX_16_BIT = 0xFFFF;

    /** @param payload unmasked */
    public record Frame(boolean fin, int opcode, boolean masked, byte[] payload) {
        public boolean control() {
            return (opcode & 0x8) != 0;
        }
    }

    /** @param consumed how many bytes from {@code from} the frame took */
    public record Parsed(Frame frame, int consumed) {}

    private WsFrame() {}

    /**
     * One frame's bytes.
     *
     * @param mask the 4-byte masking key, or null for an unmasked (server's) frame
     */
    public static byte[] encode(boolean fin, int opcode, byte[] payload, byte[] mask) {
        int n = payload.length;
        int lengthBytes = n <= MAX_7_BIT ? 0 : n <= MAX_16_BIT ? 2 : 8;
        int head = 2 + lengthBytes + (mask == null ? 0 : 4);
        byte[] frame = new byte[head + n];
        frame[0] = (byte) ((fin ? 0x80 : 0) | opcode);
        int maskBit = mask == null ? 0 : 0x80;
        switch (lengthBytes) {
            case 0 -> frame[1] = (byte) (maskBit | n);
            case 2 -> {
                frame[1] = (byte) (maskBit | 126);
                frame[2] = (byte) (n >>> 8);
                frame[3] = (byte) n;
            }
            default -> {
                frame[1] = (byte) (maskBit | 127);
                for (int i = 0; i < 8; i++) {
                    frame[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
                }
            }
        }
        if (mask == null) {
            System.arraycopy(payload, 0, frame, head, n);
        } else {
            System.arraycopy(mask, 0, frame, head - 4, 4);
            for (int i = 0; i < n; i++) {
                frame[head + i] = (byte) (payload[i] ^ mask[i & 3]);
            }
        }
        return frame;
    }

    /**
     * The next frame in {@code data[from..length)}, unmasked.
     *
     * @param maxPayload the largest payload accepted
     * @return the frame, or null while it is incomplete
     * @throws MalformedResponseException on a reserved bit or opcode, a control frame that is
     *         fragmented or over {@link #MAX_CONTROL_PAYLOAD}, a length not in its shortest form or
     *         with its top bit set, or a payload over {@code maxPayload}
     */
    public static Parsed decode(byte[] data, int from, int length, int maxPayload) throws MalformedResponseException {
        if (length - from < 2) {
            return null;
        }
        int b0 = data[from] & 0xFF;
        int b1 = data[from + 1] & 0xFF;
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        if ((b0 & 0x70) != 0) {
            throw new MalformedResponseException("frame with a reserved bit set (no extension was negotiated)");
        }
        if (opcode > PONG || (opcode > BINARY && opcode < CLOSE)) {
            throw new MalformedResponseException("frame with reserved opcode " + opcode);
        }
        boolean masked = (b1 & 0x80) != 0;
        int length7 = b1 & 0x7F;
        int at = from + 2;
        long n;
        if (length7 <= MAX_7_BIT) {
            n = length7;
        } else {
            int bytes = length7 == 126 ? 2 : 8;
            if (length - at < bytes) {
                return null;
            }
            n = 0;
            for (int i = 0; i < bytes; i++) {
                n = (n << 8) | (data[at + i] & 0xFF);
            }
            at += bytes;
            if (n < 0) {
                throw new MalformedResponseException("frame length with its most significant bit set");
            }
            if (bytes == 2 ? n <= MAX_7_BIT : n <= MAX_16_BIT) {
                throw new MalformedResponseException("frame length " + n + " not in its shortest form");
            }
        }
        boolean control = (opcode & 0x8) != 0;
        if (control && (!fin || n > MAX_CONTROL_PAYLOAD)) {
            throw new MalformedResponseException(!fin ? "fragmented control frame"
                    : "control frame of " + n + " bytes, over " + MAX_CONTROL_PAYLOAD);
        }
        if (n > maxPayload) {
            throw new MalformedResponseException("frame of " + n + " bytes, over " + maxPayload);
        }
        int keyAt = at;
        if (masked) {
            at += 4;
        }
        if (length - at < n) {
            return null;
        }
        byte[] payload = new byte[(int) n];
        System.arraycopy(data, at, payload, 0, payload.length);
        if (masked) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= data[keyAt + (i & 3)];
            }
        }
        return new Parsed(new Frame(fin, opcode, masked, payload), at + payload.length - from);
    }
}
