package io.loompush.server.ws;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what a client sends on a loompush WebSocket (RFC 6455 section 5):
 * control frames only, since the server takes no data from its clients.
 * Bytes are fed as they arrive; a frame cut across reads waits for the rest.
 *
 * <p>What it keeps is bounded: a frame is judged from its head, so only a
 * control frame (at most {@value #MAX_CONTROL_PAYLOAD} bytes of payload) is
 * ever buffered whole. A data frame ends the connection as soon as its head
 * is read, whatever its length says.
 */
public final class FrameReader {
    /** The largest control frame payload (section 5.5). */
    public static final int MAX_CONTROL_PAYLOAD = 125;
    /** The largest frame a client may announce, then 1009. */
    public static final long MAX_FRAME = 65_536;

    /** Where the pong to a ping goes: the connection writes it at once. */
    public interface Pongs {
        void send(byte[] pongFrame) throws IOException;
    }

    /**
     * How the connection ends: the close frame to send, then the socket closes.
     *
     * @param byClient the client sent a close frame (this one answers it)
     */
    public record Ending(int code, String reason, boolean byClient) {}

    private static final int LARGEST_HEAD = 14;

    /** Bytes of a frame not complete yet, from {@code start} to {@code end}; null when none. */
    private byte[] pending;
    private int start;
    private int end;

    /**
     * Takes the bytes, answering every complete ping through {@code pongs}.
     *
     * @return how the connection ends, or null while it goes on
     */
    public Ending feed(byte[] bytes, int offset, int length, Pongs pongs) throws IOException {
        append(bytes, offset, length);
        Ending ending = null;
        int used;
        while (ending == null && (used = frameLength()) > 0) {
            ending = take(used, pongs);
            start += used;
        }
        if (ending == null) {
            ending = judgeHead();
        }
        if (start == end) {
            pending = null;
            start = end = 0;
        }
        return ending;
    }

    /** How many bytes of a frame not complete yet are held: fewer than one whole control frame. */
    int held() {
        return end - start;
    }

    private void append(byte[] bytes, int offset, int length) {
        if (pending == null) {
            pending = Arrays.copyOfRange(bytes, offset, offset + length);
            start = 0;
            end = length;
            return;
        }
        if (start > 0) {
            System.arraycopy(pending, start, pending, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end + length > pending.length) {
            pending = Arrays.copyOf(pending, end + length);
        }
        System.arraycopy(bytes, offset, pending, end, length);
        end += length;
    }

    /**
     * The whole length of the next frame when it is a control frame that has
     * arrived whole, else 0 (incomplete, or {@link #judgeHead} ends it).
     */
    private int frameLength() {
        if (judgeHead() != null) {
            return 0;
        }
        int available = end - start;
        if (available < 2) {
            return 0;
        }
        // judgeHead passed it, so it is a masked control frame with a 7-bit length.
        int length = 2 + 4 + (pending[start + 1] & 0x7F);
        return available >= length ? length : 0;
    }

    /**
     * The verdict on the next frame's head as far as it has arrived: an
     * ending when the head alone breaks a rule, null when it does not (yet).
     */
    private Ending judgeHead() {
        int available = end - start;
        if (available < 2) {
            return null;
        }
        int b0 = pending[start] & 0xFF;
        int b1 = pending[start + 1] & 0xFF;
        int opcode = b0 & 0x0F;
        boolean control = opcode >= Frames.OP_CLOSE;
        if ((b0 & 0x70) != 0) {
            return violation(CloseCodes.PROTOCOL_ERROR, "reserved bits set");
        }
        if (opcode > Frames.OP_BINARY && opcode < Frames.OP_CLOSE || opcode > Frames.OP_PONG) {
            return violation(CloseCodes.PROTOCOL_ERROR, "unknown opcode");
        }
        if ((b1 & 0x80) == 0) {
            return violation(CloseCodes.PROTOCOL_ERROR, "client frame not masked");
        }
        int length7 = b1 & 0x7F;
        if (control && (b0 & 0x80) == 0) {
            return violation(CloseCodes.PROTOCOL_ERROR, "fragmented control frame");
        }
        if (control && length7 > MAX_CONTROL_PAYLOAD) {
            return violation(CloseCodes.PROTOCOL_ERROR, "control frame over 125 bytes");
        }
        if (control) {
            return null;
        }
        int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        if (available < 2 + extended) {
            return null;
        }
        long length = length7;
        if (extended > 0) {
            length = 0;
            for (int i = 0; i < extended; i++) {
                length = length << 8 | (pending[start + 2 + i] & 0xFF);
            }
            if (length < 0 || length < (extended == 2 ? 126 : 0x10000)) {
                return violation(CloseCodes.PROTOCOL_ERROR, "frame length not in its shortest form");
            }
        }
        if (length > MAX_FRAME) {
            return violation(CloseCodes.TOO_BIG, "frame over 65536 bytes");
        }
        return violation(CloseCodes.UNSUPPORTED_DATA, "the server takes no data frames");
    }

    /** Handles one whole control frame of {@code length} bytes at {@code start}. */
    private Ending take(int length, Pongs pongs) throws IOException {
        int opcode = pending[start] & 0x0F;
        int payloadAt = start + 6;
        byte[] payload = new byte[length - 6];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (pending[payloadAt + i] ^ pending[start + 2 + (i & 3)]);
        }
        return switch (opcode) {
            case Frames.OP_PING -> {
                pongs.send(Frames.pong(payload));
                yield null;
            }
            case Frames.OP_PONG -> null;
            default -> closeFrame(payload);
        };
    }

    /** The client's close: answered with its own code (section 5.5.1), or a protocol error when malformed. */
    private static Ending closeFrame(byte[] payload) {
        if (payload.length == 0) {
            return new Ending(CloseCodes.NORMAL, "", true);
        }
        if (payload.length == 1) {
            return violation(CloseCodes.PROTOCOL_ERROR, "close payload of one byte");
        }
        int code = (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
        if (!CloseCodes.receivable(code)) {
            return violation(CloseCodes.PROTOCOL_ERROR, "bad close code");
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(payload, 2, payload.length - 2));
        } catch (CharacterCodingException e) {
            return violation(CloseCodes.INVALID_DATA, "close reason not UTF-8");
        }
        return new Ending(code, "", true);
    }

    private static Ending violation(int code, String reason) {
        return new Ending(code, reason, false);
    }
}
