package io.loompush.server.ws;

import java.io.ByteArrayOutputStream;

/** Frames as a client writes them (masked), including the malformed ones a test needs. */
final class ClientFrames {
    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    private ClientFrames() {}

    static byte[] frame(int opcode, byte[] payload) {
        return frame(true, 0, opcode, true, payload, payload.length);
    }

    /**
     * @param rsv          the reserved bits, 0 to 7
     * @param announced    the length the head announces, written in its shortest form
     */
    static byte[] frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload, long announced) {
        var out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | rsv << 4 | opcode);
        int mask = masked ? 0x80 : 0;
        if (announced < 126) {
            out.write(mask | (int) announced);
        } else if (announced <= 0xFFFF) {
            out.write(mask | 126);
            out.write((int) (announced >> 8));
            out.write((int) announced);
        } else {
            out.write(mask | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) (announced >> (8 * i)));
            }
        }
        if (masked) {
            out.write(MASK, 0, 4);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ MASK[i & 3] : payload[i]);
        }
        return out.toByteArray();
    }

    static byte[] close(int code, byte[] reason) {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        return frame(Frames.OP_CLOSE, payload);
    }
}
