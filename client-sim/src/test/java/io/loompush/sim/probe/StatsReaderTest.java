package io.loompush.sim.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StatsReaderTest {
    @Test
    @Timeout(20)
    void aKeptAliveConnectionTheServerClosedIsReplaced() throws Exception {
        var accepted = new AtomicInteger();
        try (var server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            // Answers one request per connection, then closes it, the way a server ends an idle keep-alive.
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try (var socket = server.accept()) {
                        int n = accepted.incrementAndGet();
                        readHead(socket.getInputStream());
                        String body = "{\"connections\":" + n + ",\"memory\":{\"rssBytes\":1000}}";
                        socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length()
                                + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            try (var stats = new StatsReader(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
                    "127.0.0.1", "/stats")) {
                Map<String, Object> first = stats.read();
                Map<String, Object> second = stats.read();
                assertEquals(1L, StatsReader.figure(first, "connections"));
                assertEquals(2L, StatsReader.figure(second, "connections"));
                assertEquals(1000L, StatsReader.figure(second, "memory.rssBytes"));
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.write(b);
        }
    }
}
