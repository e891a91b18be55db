package io.loompush.server.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Reads requests off one connection, with a buffer that exists only while a
 * request is being read: once a request is complete and nothing of the next
 * one has arrived, the buffer is dropped, so a connection that holds a poll
 * keeps no buffer at all.
 *
 * <p>Bytes that arrive after a request (a pipelined next request) stay in the
 * buffer for the next {@link #read}.
 */
public final class RequestReader {
    /** Sets when the reads that follow time out (System.nanoTime()); the connection's deadline in production. */
    @FunctionalInterface
    public interface ReadDeadline {
        void set(long deadlineNanos);
    }

    /** A read that does not wait: the bytes there now, 0 when none, -1 at the end of the stream. */
    @FunctionalInterface
    public interface ReadNow {
        int read(byte[] b, int off, int len) throws IOException;
    }

    /** Writes {@code 100 Continue} to a client that waits for it before sending its body (curl does, over 1 KiB). */
    @FunctionalInterface
    public interface Continue {
        void send() throws IOException;
    }

    private static final int INITIAL_BUFFER = 1024;
    private static final int MAX_CHUNK_LINE = 1024;

    private final InputStream in;
    private final ReadDeadline readDeadline;
    private final Continue interim;
    private final Limits limits;
    private final Duration headerTimeout;
    private byte[] buf;
    private int start;
    private int end;

    public RequestReader(InputStream in, ReadDeadline readDeadline, Continue interim, Limits limits,
                         Duration headerTimeout) {
        this.in = in;
        this.readDeadline = readDeadline;
        this.interim = interim;
        this.limits = limits;
        this.headerTimeout = headerTimeout;
    }

    /**
     * Reads the next request, body included.
     *
     * @param first whether this is the connection's first request: a connection
     *        that sends nothing at all within the header timeout gets a 408,
     *        while an idle keep-alive connection is simply closed
     * @return the request, or null when the peer closed or idled out between requests
     * @throws HttpError the request is refused; the connection must close after the answer
     * @throws EOFException the peer closed in the middle of a request
     */
    public Request read(boolean first) throws IOException, HttpError {
        long deadline = System.nanoTime() + headerTimeout.toNanos();
        Request head;
        while (true) {
            if (end > start) {
                int lineStart = RequestParser.skipEmptyLines(buf, start, end);
                int headEnd = RequestParser.headEnd(buf, lineStart, end, limits);
                if (headEnd >= 0) {
                    head = RequestParser.parseHead(buf, lineStart, headEnd, limits);
                    start = headEnd;
                    break;
                }
            }
            boolean nothingYet = end == start;
            int n;
            try {
                n = fill(deadline);
            } catch (SocketTimeoutException e) {
                if (nothingYet && !first) {
                    return null;
                }
                throw new HttpError(408, "request head timed out");
            }
            if (n < 0) {
                if (nothingYet) {
                    return null;
                }
                throw new EOFException("peer closed in the middle of a request head");
            }
        }
        long length = RequestParser.bodyLength(head, limits);
        if (RequestParser.expectsContinue(head) && length != 0 && start == end) {
            interim.send();
        }
        byte[] body = length == 0 ? head.body() : readBody(length, System.nanoTime() + headerTimeout.toNanos());
        if (start == end) {
            buf = null;
            start = end = 0;
        } else {
            // Keep only the pipelined bytes, not the whole buffer, while this request is answered (or held).
            buf = Arrays.copyOfRange(buf, start, end);
            end -= start;
            start = 0;
        }
        return length == 0 ? head : head.withBody(body);
    }

    private byte[] readBody(long length, long deadline) throws IOException, HttpError {
        if (length == RequestParser.CHUNKED) {
            return readChunked(deadline);
        }
        byte[] body = new byte[(int) length];
        readFully(body, 0, body.length, deadline);
        return body;
    }

    private byte[] readChunked(long deadline) throws IOException, HttpError {
        var body = new ByteArrayOutputStream();
        while (true) {
            long size = ChunkLine.size(readLine(MAX_CHUNK_LINE, deadline));
            if (size == 0) {
                break;
            }
            if (body.size() + size > limits.maxBodyBytes()) {
                throw new HttpError(413, "body too large");
            }
            byte[] chunk = new byte[(int) size];
            readFully(chunk, 0, chunk.length, deadline);
            body.write(chunk);
            if (!readLine(0, deadline).isEmpty()) {
                throw new HttpError(400, "chunk data longer than its size");
            }
        }
        int trailerBytes = 0;
        String line;
        while (!(line = readLine(limits.maxHeadBytes(), deadline)).isEmpty()) {
            trailerBytes += line.length() + 2;
            if (trailerBytes > limits.maxHeadBytes()) {
                throw new HttpError(431, "trailer section too large");
            }
        }
        return body.toByteArray();
    }

    /** Whether bytes of a next request are here already (pipelined behind the last one). */
    public boolean buffered() {
        return end > start;
    }

    /**
     * Takes the bytes read past the last request, for the protocol the
     * connection switches to (a WebSocket's first frames); empty when none.
     */
    public byte[] takeBuffered() {
        byte[] rest = buf == null ? new byte[0] : Arrays.copyOfRange(buf, start, end);
        buf = null;
        start = end = 0;
        return rest;
    }

    /**
     * Takes what the client has sent so far, without waiting, so that the
     * connection can wait for its next request where its stack is shallow.
     * A buffer it needed for nothing is dropped again: a connection that
     * waits keeps no buffer.
     *
     * @return whether {@link #read} can go on without waiting first: bytes are here, or the client closed
     */
    public boolean readyNow(ReadNow source) throws IOException {
        if (end > start) {
            return true;
        }
        if (buf == null) {
            buf = new byte[INITIAL_BUFFER];
        }
        int n = source.read(buf, end, buf.length - end);
        if (n > 0) {
            end += n;
            return true;
        }
        buf = null;
        start = end = 0;
        return n < 0;
    }

    /**
     * Keeps bytes that came in while a request was held (a pipelined next
     * request) for the next {@link #read}.
     */
    public void append(byte[] bytes, int length) {
        if (buf == null) {
            buf = Arrays.copyOf(bytes, Math.max(length, INITIAL_BUFFER));
            start = 0;
            end = length;
            return;
        }
        if (end + length > buf.length) {
            buf = Arrays.copyOf(buf, end + length);
        }
        System.arraycopy(bytes, 0, buf, end, length);
        end += length;
    }

    /** Copies buffered bytes first, then reads the rest straight into {@code dst}. */
    private void readFully(byte[] dst, int off, int len, long deadline) throws IOException, HttpError {
        int buffered = Math.min(len, end - start);
        if (buffered > 0) {
            System.arraycopy(buf, start, dst, off, buffered);
            start += buffered;
        }
        int done = buffered;
        while (done < len) {
            setTimeout(deadline);
            int n;
            try {
                n = in.read(dst, off + done, len - done);
            } catch (SocketTimeoutException e) {
                throw new HttpError(408, "request body timed out");
            }
            if (n < 0) {
                throw new EOFException("peer closed in the middle of a request body");
            }
            done += n;
        }
    }

    /** One CRLF-terminated line, without the CRLF, of at most {@code maxLength} bytes. */
    private String readLine(int maxLength, long deadline) throws IOException, HttpError {
        while (true) {
            for (int i = start; i < end && i - start <= maxLength + 1; i++) {
                if (buf[i] == '\n') {
                    if (i == start || buf[i - 1] != '\r') {
                        throw new HttpError(400, "bare LF in chunked body");
                    }
                    var line = new String(buf, start, i - 1 - start, StandardCharsets.ISO_8859_1);
                    start = i + 1;
                    return line;
                }
            }
            if (end - start > maxLength + 1) {
                throw new HttpError(400, "chunked body line too long");
            }
            try {
                if (fill(deadline) < 0) {
                    throw new EOFException("peer closed in the middle of a chunked body");
                }
            } catch (SocketTimeoutException e) {
                throw new HttpError(408, "request body timed out");
            }
        }
    }

    /**
     * Reads more bytes into the buffer, making room first: compacting, or
     * growing up to just past the head limit so an oversized head is seen.
     *
     * @return the bytes read, or -1 at end of stream
     */
    private int fill(long deadline) throws IOException {
        if (buf == null) {
            buf = new byte[INITIAL_BUFFER];
        } else if (end == buf.length) {
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            } else {
                var grown = new byte[Math.min(buf.length * 2, maxBuffer())];
                System.arraycopy(buf, 0, grown, 0, end);
                buf = grown;
            }
        }
        setTimeout(deadline);
        int n = in.read(buf, end, buf.length - end);
        if (n > 0) {
            end += n;
        }
        return n;
    }

    /** Room for the largest head plus the empty lines allowed before it, and one byte more to see it is too large. */
    private int maxBuffer() {
        return limits.maxHeadBytes() + 2 * RequestParser.MAX_LEADING_EMPTY_LINES + 2;
    }

    private void setTimeout(long deadline) throws IOException {
        if (deadline - System.nanoTime() <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        readDeadline.set(deadline);
    }
}
