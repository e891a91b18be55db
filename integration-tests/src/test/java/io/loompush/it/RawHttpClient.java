package io.loompush.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;

/**
 * A deliberately small HTTP/1.1 client over one plain socket, so a test sees
 * exactly what goes over the wire: it writes the bytes it is given and reads
 * one response at a time (status line, header fields, a Content-Length body).
 * One instance is one TCP connection, reused for keep-alive; it never
 * reconnects behind the test's back.
 */
final class RawHttpClient implements AutoCloseable {
    /** The longest response head accepted: the server's heads are a few hundred bytes. */
    private static final int MAX_HEAD = 16 * 1024;
    private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(20);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawHttpClient connect(int port) throws IOException {
        return connect(port, DEFAULT_READ_TIMEOUT);
    }

    /** @param readTimeout the longest any single read may block: no test can hang on a silent server */
    static RawHttpClient connect(int port, Duration readTimeout) throws IOException {
        var socket = new Socket(InetAddress.getLoopbackAddress(), port);
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) readTimeout.toMillis());
            return new RawHttpClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends a GET and reads its response. Extra header fields are given as {@code "Name: value"}. */
    RawResponse get(String target, String... headers) throws IOException {
        sendGet(target, headers);
        return read();
    }

    /** Sends a GET without waiting for its response (a poll that will be held). */
    void sendGet(String target, String... headers) throws IOException {
        send(head("GET", target, headers).append("\r\n").toString());
    }

    /** Sends a POST with a Content-Length body and reads its response. */
    RawResponse post(String target, byte[] body, String... headers) throws IOException {
        var head = head("POST", target, headers).append("Content-Length: ").append(body.length).append("\r\n\r\n");
        send(concat(head.toString().getBytes(StandardCharsets.ISO_8859_1), body));
        return read();
    }

    RawResponse post(String target, String body, String... headers) throws IOException {
        return post(target, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** Writes raw bytes, for requests a well-behaved client would not send. */
    void send(String raw) throws IOException {
        send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** Reads the next response; every response of the protocol carries Content-Length. */
    RawResponse read() throws IOException {
        return read(true);
    }

    /** Reads the answer to a HEAD request: its head, and no body whatever its Content-Length says. */
    RawResponse readHeadAnswer() throws IOException {
        return read(false);
    }

    /**
     * Reads the head that opens a stream (an SSE 200, a WebSocket 101), which
     * has no Content-Length; what follows is for {@link #input()}. An error
     * answer (400, 426, ...) comes with its body.
     */
    RawResponse readOpening() throws IOException {
        RawResponse head = parseHead();
        if (head.status() == 101 || head.status() == 200 && head.header("Content-Length") == null) {
            return head;
        }
        return withBody(head);
    }

    /** The bytes after an opening head: the stream's events or frames. */
    InputStream input() {
        return in;
    }

    private RawResponse read(boolean withBody) throws IOException {
        RawResponse head = parseHead();
        if (head.header("Content-Length") == null) {
            throw new IOException("response without Content-Length: " + head.status());
        }
        return withBody ? withBody(head) : head;
    }

    private RawResponse withBody(RawResponse head) throws IOException {
        int length = Integer.parseInt(head.header("Content-Length"));
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("connection closed inside a response body");
        }
        return new RawResponse(head.status(), head.headers(), body);
    }

    private RawResponse parseHead() throws IOException {
        String[] lines = readHead().split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].equals("HTTP/1.1")) {
            throw new IOException("not an HTTP/1.1 status line: " + lines[0]);
        }
        var fields = new ArrayList<RawResponse.Field>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header field: " + lines[i]);
            }
            fields.add(new RawResponse.Field(lines[i].substring(0, colon), lines[i].substring(colon + 1).strip()));
        }
        return new RawResponse(Integer.parseInt(statusLine[1]), fields, new byte[0]);
    }

    /**
     * Whether the server has closed the connection within the read timeout:
     * true when a read ends the stream (FIN) or is refused with a reset (the
     * server closed with request bytes still unread, which Linux answers with
     * RST); false when the connection is still open at the read timeout, or
     * the server sent more bytes instead.
     */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /** Sets how long the next reads may block. */
    void readTimeout(Duration timeout) throws SocketException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    int localPort() {
        return socket.getLocalPort();
    }

    /** Closes with a reset instead of a FIN: the way a client vanishes when its network drops. */
    void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private String readHead() throws IOException {
        var head = new ByteArrayOutputStream(256);
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(head.size() == 0
                        ? "connection closed before a response"
                        : "connection closed inside a response head");
            }
            head.write(b);
            if (head.size() > MAX_HEAD) {
                throw new IOException("response head over " + MAX_HEAD + " bytes");
            }
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        byte[] bytes = head.toByteArray();
        return new String(bytes, 0, bytes.length - 4, StandardCharsets.ISO_8859_1);
    }

    private static StringBuilder head(String method, String target, String... headers) {
        var head = new StringBuilder(128).append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
