package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Clients that are slow on purpose: they must cost only themselves. */
class SlowClientsIT {
    private static final int SLOWLORIS_CONNECTIONS = 1000;

    @Test
    void aClientThatNeverReadsItsAnswerIsCutAfterTheWriteTimeoutWithoutStallingOthers() throws Exception {
        try (var server = TestServer.start("--write-timeout", "3s", "--history", "100")) {
            String big = "x".repeat(60_000);
            String first = null;
            for (int i = 0; i < 100; i++) {
                String id = server.publish("big", big).id();
                first = first == null ? id : first;
            }
            // The publishers' connections close asynchronously: count from when only the stats reader's is left.
            long baseline = 1;
            server.stats().awaitUntil("only the stats reader connected",
                    s -> (long) s.get("connections") == baseline, Duration.ofSeconds(5));
            try (var stuck = new Socket()) {
                stuck.setReceiveBufferSize(4096);
                stuck.connect(new InetSocketAddress("127.0.0.1", server.port()));
                stuck.getOutputStream().write(("GET /poll/big?since=" + first + "&max=100 HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                server.stats().awaitUntil("the stuck client is connected",
                        s -> (long) s.get("connections") == baseline + 1, Duration.ofSeconds(5));
                try (var other = server.connect()) {
                    long started = System.nanoTime();
                    assertEquals(200, other.get("/poll/other?timeout=0").status());
                    assertTrue(System.nanoTime() - started < 1_000_000_000L, "others are served meanwhile");
                }
                server.stats().awaitUntil("the stuck client is cut",
                        s -> (long) s.get("connections") == baseline, Duration.ofSeconds(10));
            }
        }
    }

    /**
     * Slowloris: many connections that send their head a byte at a time and
     * never finish. Each costs one parked virtual thread and is cut at the
     * header timeout; a normal poll keeps its usual time.
     */
    @Test
    void aThousandTricklingConnectionsDoNotSlowNormalPolls() throws Exception {
        try (var server = TestServer.start("--header-timeout", "3s")) {
            var attackers = new ArrayList<Socket>();
            try {
                for (int i = 0; i < SLOWLORIS_CONNECTIONS; i++) {
                    var socket = new Socket("127.0.0.1", server.port());
                    socket.getOutputStream().write("GET /poll/slow HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                    attackers.add(socket);
                }
                long worst = 0;
                long deadline = System.nanoTime() + 2_000_000_000L;
                while (System.nanoTime() < deadline) {
                    trickle(attackers);
                    try (var client = server.connect()) {
                        long started = System.nanoTime();
                        assertEquals(200, client.get("/poll/normal?timeout=0").status());
                        worst = Math.max(worst, System.nanoTime() - started);
                    }
                    Thread.sleep(100);
                }
                assertTrue(worst < 500_000_000L, "worst normal poll took " + worst / 1_000_000 + " ms");
                int cut = 0;
                for (Socket socket : attackers) {
                    socket.setSoTimeout(5000);
                    if (answeredWith408(socket.getInputStream())) {
                        cut++;
                    }
                }
                assertEquals(SLOWLORIS_CONNECTIONS, cut, "every trickling connection is cut with 408");
            } finally {
                for (Socket socket : attackers) {
                    socket.close();
                }
            }
        }
    }

    private static void trickle(List<Socket> sockets) throws IOException {
        for (Socket socket : sockets) {
            OutputStream out = socket.getOutputStream();
            out.write('X');
            out.flush();
        }
    }

    private static boolean answeredWith408(InputStream in) throws IOException {
        byte[] head = in.readNBytes(12);
        return new String(head, StandardCharsets.US_ASCII).equals("HTTP/1.1 408");
    }
}
