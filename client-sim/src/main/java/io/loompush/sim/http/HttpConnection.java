package io.loompush.sim.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;

/**
 * One keep-alive HTTP/1.1 connection over a plain blocking socket, used by a
 * virtual thread: send a request, read its response, again. While an answer
 * is pending (a held poll) it keeps no buffer: it blocks on the first byte
 * and only then allocates what the response needs.
 */
public final class HttpConnection implements AutoCloseable {
    /** What the first read after the first byte may take; grows for larger answers. */
    private static final int FIRST_BUFFER_BYTES = 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private HttpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * @param source      the local address to bind before connecting (spreads connections over source
     *                    addresses past the ephemeral port limit), or null for the kernel's choice
     * @param readTimeout the longest a response may take to arrive: no client hangs on a silent server
     */
    public static HttpConnection open(InetSocketAddress target, InetAddress source, Duration connectTimeout,
                                      Duration readTimeout) throws IOException {
        Socket socket = connect(target, source, connectTimeout, readTimeout);
        try {
            return new HttpConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** A connected socket, as {@link #open} makes it: bound to {@code source}, no Nagle, reads bounded by {@code readTimeout}. */
    public static Socket connect(InetSocketAddress target, InetAddress source, Duration connectTimeout,
                                 Duration readTimeout) throws IOException {
        var socket = new Socket();
        try {
            if (source != null) {
                socket.bind(new InetSocketAddress(source, 0));
            }
            socket.connect(target, (int) connectTimeout.toMillis());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) readTimeout.toMillis());
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public void send(byte[] request) throws IOException {
        out.write(request);
        out.flush();
    }

    /** Reads the next response; throws {@link EOFException} when the server closed the connection first. */
    public HttpResponse read() throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new EOFException("connection closed by the server");
        }
        byte[] buffer = new byte[FIRST_BUFFER_BYTES];
        buffer[0] = (byte) first;
        return readRest(in, buffer, 1);
    }

    /**
     * Reads on from what {@code buffer[0..length)} holds until it is one whole response, and no more.
     *
     * @throws EOFException when the server closed the connection inside it
     */
    public static HttpResponse readRest(InputStream in, byte[] buffer, int length) throws IOException {
        while (true) {
            var parsed = ResponseParser.parse(buffer, length);
            if (parsed != null) {
                if (parsed.consumed() != length) {
                    throw new MalformedResponseException((length - parsed.consumed()) + " bytes after a response");
                }
                return parsed.response();
            }
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                throw new EOFException("connection closed inside a response");
            }
            length += n;
        }
    }

    public HttpResponse exchange(byte[] request) throws IOException {
        send(request);
        return read();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
