package io.loompush.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A fake server on a loopback port that answers each request it reads with
 * the next response of its script, over all connections in arrival order;
 * once the script is played out, it holds every further request unanswered,
 * like a long-poll server with nothing to say. A response that ends with
 * {@link #THEN_CLOSE} is sent without it and its connection closed: a
 * stream that ends.
 */
final class ScriptedServer implements AutoCloseable {
    private final ServerSocket listener;
    private final Queue<String> script;
    /** Ends a scripted response whose connection is closed after it. */
    static final String THEN_CLOSE = "\u0000close";

    private final Queue<String> requestLines = new ConcurrentLinkedQueue<>();
    private final Queue<String> requestHeads = new ConcurrentLinkedQueue<>();
    private final Queue<String> requestBodies = new ConcurrentLinkedQueue<>();
    private final Queue<Long> requestNanos = new ConcurrentLinkedQueue<>();
    private final Queue<Socket> sockets = new ConcurrentLinkedQueue<>();

    ScriptedServer(List<String> responses) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = new ConcurrentLinkedQueue<>(responses);
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    /** Every request's head, in the order of {@link #requestLines()}. */
    List<String> requestHeads() {
        return List.copyOf(requestHeads);
    }

    /** Every request's body (its Content-Length bytes; empty without one), in the order of {@link #requestLines()}. */
    List<String> requestBodies() {
        return List.copyOf(requestBodies);
    }

    /** When each request's head was read, System.nanoTime(), in the order of {@link #requestLines()}. */
    List<Long> requestNanos() {
        return List.copyOf(requestNanos);
    }

    /** A loompush poll answer with these payloads, all on one channel. */
    static String loompushAnswer(String channel, String cursor, String... payloads) {
        var body = new StringBuilder("{\"cursor\":\"").append(cursor).append("\",\"messages\":[");
        for (int i = 0; i < payloads.length; i++) {
            body.append(i == 0 ? "" : ",").append("{\"channel\":\"").append(channel).append("\",\"id\":\"i")
                    .append(i).append("\",\"data\":\"").append(payloads[i]).append("\"}");
        }
        body.append("],\"gap\":false}");
        return response("200 OK", body.toString());
    }

    static String response(String status, String body) {
        return "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** A response with one more header field, such as {@code Retry-After: 1}. */
    static String response(String status, String field, String body) {
        return response(status, body).replaceFirst("\r\n", "\r\n" + field + "\r\n");
    }

    private void accept() {
        while (true) {
            try {
                Socket socket = listener.accept();
                sockets.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream()) {
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                requestNanos.add(System.nanoTime());
                requestLines.add(head.substring(0, head.indexOf("\r\n")));
                requestHeads.add(head);
                requestBodies.add(new String(in.readNBytes(contentLength(head)), StandardCharsets.UTF_8));
                String next = script.poll();
                if (next == null) {
                    in.read();
                    return;
                }
                boolean close = next.endsWith(THEN_CLOSE);
                String response = close ? next.substring(0, next.length() - THEN_CLOSE.length()) : next;
                socket.getOutputStream().write(response.getBytes(StandardCharsets.UTF_8));
                if (close) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client or the test closed the connection
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, "Content-Length:".length())) {
                return Integer.parseInt(line.substring("Content-Length:".length()).strip());
            }
        }
        return 0;
    }

    private static String readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
