package io.loompush.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reverse proxy stub in front of one server, as a corporate proxy or a load
 * balancer that does not speak WebSocket: it refuses what it is told to
 * refuse ({@code 403} to a WebSocket upgrade, {@code 502} to an SSE request),
 * and passes every other request on, one request per connection (it rewrites
 * {@code Connection} to {@code close}, so that it sees the head of every
 * request). Virtual threads: one per connection, one more per relay direction.
 */
final class RefusingProxy implements AutoCloseable {
    enum Refuse { WEBSOCKET, SSE }

    private static final int MAX_HEAD = 16 * 1024;

    private final ServerSocket listener;
    private final int upstreamPort;
    private final Set<Refuse> refuse;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    final AtomicInteger refusedUpgrades = new AtomicInteger();
    final AtomicInteger refusedStreams = new AtomicInteger();
    final AtomicInteger passed = new AtomicInteger();

    private RefusingProxy(ServerSocket listener, int upstreamPort, Set<Refuse> refuse) {
        this.listener = listener;
        this.upstreamPort = upstreamPort;
        this.refuse = refuse;
    }

    static RefusingProxy start(int upstreamPort, Set<Refuse> refuse) throws IOException {
        var proxy = new RefusingProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), upstreamPort, refuse);
        Thread.ofVirtual().name("proxy-accept").start(proxy::accept);
        return proxy;
    }

    /** The proxy's address, what a page is given as its loompush server. */
    String address() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                open.add(client);
                Thread.ofVirtual().name("proxy-conn").start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            byte[] head = readHead(client.getInputStream());
            if (head == null) {
                return;
            }
            var lines = new ArrayList<>(List.of(new String(head, StandardCharsets.ISO_8859_1).split("\r\n")));
            String target = lines.getFirst().split(" ")[1];
            boolean upgrade = lines.stream().anyMatch(l -> l.toLowerCase(Locale.ROOT).startsWith("upgrade:")
                    && l.toLowerCase(Locale.ROOT).contains("websocket"));
            if (upgrade && refuse.contains(Refuse.WEBSOCKET)) {
                refusedUpgrades.incrementAndGet();
                answer(client, "403 Forbidden");
                return;
            }
            if (target.startsWith("/sse/") && refuse.contains(Refuse.SSE)) {
                refusedStreams.incrementAndGet();
                answer(client, "502 Bad Gateway");
                return;
            }
            passed.incrementAndGet();
            if (!upgrade) {
                lines.removeIf(l -> l.toLowerCase(Locale.ROOT).startsWith("connection:")
                        || l.toLowerCase(Locale.ROOT).startsWith("keep-alive:"));
                lines.add("Connection: close");
            }
            try (var server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                open.add(server);
                server.getOutputStream().write((String.join("\r\n", lines) + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                var up = Thread.ofVirtual().name("proxy-up").start(() -> pump(client, server));
                pump(server, client);
                up.join();
            } finally {
                open.removeIf(Socket::isClosed);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // A browser that goes away, a server that closes: the relay ends.
        }
    }

    /** The head up to its blank line, or null when the client closed first. */
    private static byte[] readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0 || head.size() >= MAX_HEAD) {
                return null;
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        byte[] bytes = head.toByteArray();
        return Arrays.copyOf(bytes, bytes.length - 4);
    }

    private static void answer(Socket client, String status) throws IOException {
        client.getOutputStream().write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n"
                + "Access-Control-Allow-Origin: *\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Copies until the source ends, then ends the destination's output, so that the other side sees it. */
    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            try {
                to.close();
                from.close();
            } catch (IOException ignored) {
                // Closing what already broke.
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
