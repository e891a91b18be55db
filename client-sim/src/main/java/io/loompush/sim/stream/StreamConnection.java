package io.loompush.sim.stream;

import io.loompush.sim.http.HttpConnection;
import io.loompush.sim.http.HttpResponse;
import io.loompush.sim.http.MalformedResponseException;
import io.loompush.sim.http.ResponseParser;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;

/**
 * A connection whose answer never ends: one request, a response head, then
 * a body read piece by piece (Server-Sent Events) or frames (WebSocket).
 * Like {@link io.loompush.sim.http.HttpConnection} it holds no buffer while
 * it waits: {@link #read()} blocks on the first byte and only then takes
 * what has arrived.
 */
public final class StreamConnection implements AutoCloseable {
    /** What one read takes at most after the first byte. */
    private static final int READ_BYTES = 16 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** Bytes that came with the head, handed out by the next {@link #read()}; null when none. */
    private byte[] pending;

    public StreamConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Reads the response head. When its status is {@code streaming} the body is left for
     * {@link #read()}; any other status is read whole when its length is known (the error body),
     * else answered with the head alone.
     */
    public HttpResponse readHead(int streaming) throws IOException {
        byte[] buffer = new byte[1024];
        int length = 0;
        ResponseParser.Head head = null;
        while (head == null) {
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                throw new EOFException(length == 0 ? "connection closed by the server"
                        : "connection closed inside a response head");
            }
            length += n;
            head = ResponseParser.head(buffer, length);
        }
        if (head.status() == streaming) {
            pending = head.bodyStart() < length ? Arrays.copyOfRange(buffer, head.bodyStart(), length) : null;
            return head.response();
        }
        if (ResponseParser.first(head.fields(), "Content-Length") == null
                && ResponseParser.first(head.fields(), "Transfer-Encoding") == null) {
            return head.response();
        }
        return HttpConnection.readRest(in, buffer, length);
    }

    /**
     * The next bytes of the stream: those that came with the head first, else at least one,
     * blocking until they come.
     *
     * @throws EOFException when the server closed the connection
     */
    public byte[] read() throws IOException {
        if (pending != null) {
            byte[] bytes = pending;
            pending = null;
            return bytes;
        }
        int first = in.read();
        if (first < 0) {
            throw new EOFException("connection closed by the server");
        }
        int more = Math.min(in.available(), READ_BYTES - 1);
        byte[] bytes = new byte[1 + more];
        bytes[0] = (byte) first;
        for (int at = 1; at < bytes.length; ) {
            int n = in.read(bytes, at, bytes.length - at);
            if (n < 0) {
                return Arrays.copyOf(bytes, at);
            }
            at += n;
        }
        return bytes;
    }

    /** {@code left} then {@code right}, either of them null for none; null when both are empty. */
    static byte[] join(byte[] left, byte[] right) {
        int l = left == null ? 0 : left.length;
        int r = right == null ? 0 : right.length;
        if (l + r == 0) {
            return null;
        }
        if (r == 0) {
            return left;
        }
        if (l == 0) {
            return right;
        }
        byte[] both = Arrays.copyOf(left, l + r);
        System.arraycopy(right, 0, both, l, r);
        return both;
    }

    /** What is left of {@code data} after {@code consumed} bytes, or null when nothing is. */
    static byte[] rest(byte[] data, int consumed) {
        return consumed == data.length ? null : Arrays.copyOfRange(data, consumed, data.length);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
