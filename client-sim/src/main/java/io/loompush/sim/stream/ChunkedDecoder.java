package io.loompush.sim.stream;

import io.loompush.sim.http.MalformedResponseException;
import java.io.ByteArrayOutputStream;

/**
 * Undoes the chunked transfer coding of an endless response body as its
 * bytes arrive, whatever the reads cut: the state between two reads is a few
 * fields, no buffer.
 *
 * <pre>
 *   SIZE ─hex digit─> SIZE ─';'─> EXTENSION ─CR─> SIZE_LF ─LF─> DATA (size bytes) ─> DATA_CR ─> DATA_LF ─> SIZE
 *                                                          └─ size 0 ─> TRAILER ─ blank line ─> END
 * </pre>
 */
public final class ChunkedDecoder {
    /** The most hex digits of a chunk size: 15 keeps it a positive long. */
    private static final int MAX_SIZE_DIGITS = 15;

    private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER, TRAILER_LF, END }

    private State state = State.SIZE;
    private long size;
    private int digits;
    /** In the trailer: whether the current line has any byte, so a CRLF on its own ends the body. */
    private boolean trailerLineStarted;

    /** Whether the last chunk and its trailer have come: the body is over. */
    public boolean ended() {
        return state == State.END;
    }

    /** @return the body bytes carried by {@code in[from..length)}; none for a read of chunk framing only */
    public byte[] decode(byte[] in, int from, int length) throws MalformedResponseException {
        var out = new ByteArrayOutputStream(length - from);
        int i = from;
        while (i < length) {
            byte b = in[i];
            switch (state) {
                case SIZE -> {
                    int digit = Character.digit(b, 16);
                    if (digit >= 0 && b < 0x80) {
                        if (++digits > MAX_SIZE_DIGITS) {
                            throw new MalformedResponseException("chunk size over " + MAX_SIZE_DIGITS + " hex digits");
                        }
                        size = size * 16 + digit;
                    } else if (digits > 0 && (b == ';' || b == ' ' || b == '\t')) {
                        state = State.EXTENSION;
                    } else if (digits > 0 && b == '\r') {
                        state = State.SIZE_LF;
                    } else {
                        throw new MalformedResponseException("bad chunk size line");
                    }
                    i++;
                }
                case EXTENSION -> {
                    if (b == '\r') {
                        state = State.SIZE_LF;
                    }
                    i++;
                }
                case SIZE_LF -> {
                    expect(b, '\n');
                    state = size == 0 ? State.TRAILER : State.DATA;
                    digits = 0;
                    i++;
                }
                case DATA -> {
                    int n = (int) Math.min(size, length - i);
                    out.write(in, i, n);
                    size -= n;
                    i += n;
                    if (size == 0) {
                        state = State.DATA_CR;
                    }
                }
                case DATA_CR -> {
                    expect(b, '\r');
                    state = State.DATA_LF;
                    i++;
                }
                case DATA_LF -> {
                    expect(b, '\n');
                    state = State.SIZE;
                    i++;
                }
                case TRAILER -> {
                    if (b == '\r') {
                        state = State.TRAILER_LF;
                    } else {
                        trailerLineStarted = true;
                    }
                    i++;
                }
                case TRAILER_LF -> {
                    expect(b, '\n');
                    state = trailerLineStarted ? State.TRAILER : State.END;
                    trailerLineStarted = false;
                    i++;
                }
                case END -> throw new MalformedResponseException("bytes after the last chunk");
            }
        }
        return out.toByteArray();
    }

    private static void expect(byte b, char wanted) throws MalformedResponseException {
        if (b != wanted) {
            throw new MalformedResponseException("chunk framing: expected " + (wanted == '\r' ? "CR" : "LF"));
        }
    }
}
