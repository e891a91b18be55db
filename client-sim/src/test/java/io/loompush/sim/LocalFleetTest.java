package io.loompush.sim;

import static io.loompush.sim.ScriptedServer.loompushAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loompush.sim.check.Payload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One simulated client against a scripted server: every answer is checked, and a lossy server fails the check. */
class LocalFleetTest {
    private static final String RUN = "t1";
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private static String payload(long seq) {
        return new String(new Payload(RUN, "c0", seq, Micros.now()).encode(80), StandardCharsets.US_ASCII);
    }

    private LocalFleet fleet(int port, String... more) throws UsageException {
        var args = new ArrayList<>(List.of("--target", "127.0.0.1:" + port, "--clients", "1", "--run-id", RUN,
                "--source-addrs", "127.0.0.1", "--poll-timeout", "5s"));
        args.addAll(List.of(more));
        var config = ConfigParserTest.parse(args.toArray(String[]::new));
        return new LocalFleet(config, new Slice(0, 1), new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static void assertNoViolation(FleetResult result) {
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L),
                List.of(result.lost(), result.duplicates(), result.late(), result.gaps(), result.foreign()));
    }

    @Test
    @Timeout(30)
    void aCompleteInOrderStreamIsReceivedWithNoViolation() throws Exception {
        try (var server = new ScriptedServer(List.of(loompushAnswer("c0", "k1", payload(1), payload(2)),
                loompushAnswer("c0", "k2"), loompushAnswer("c0", "k3", payload(3))))) {
            var fleet = fleet(server.port());
            fleet.start();
            await(() -> fleet.progress().received() == 3 && fleet.progress().held() == 1);
            var result = fleet.finish(new Published(0, new long[] {3}, new long[0]));
            assertEquals(3, result.received());
            assertNoViolation(result);
            assertEquals(0, result.errors());
            assertEquals(3, result.answers());
            assertEquals(1, result.timeouts());
            assertEquals(List.of("GET /poll/c0?timeout=5 HTTP/1.1", "GET /poll/c0?timeout=5&since=k1 HTTP/1.1",
                    "GET /poll/c0?timeout=5&since=k2 HTTP/1.1", "GET /poll/c0?timeout=5&since=k3 HTTP/1.1"),
                    server.requestLines(), "each poll sends back the cursor of the answer before");
        }
    }

    @Test
    @Timeout(30)
    void aLossyServerFailsTheCheck() throws Exception {
        try (var server = new ScriptedServer(List.of(loompushAnswer("c0", "k1", payload(1), payload(2)),
                loompushAnswer("c0", "k2", payload(4)), loompushAnswer("c0", "k3", payload(4))))) {
            var fleet = fleet(server.port());
            fleet.start();
            await(() -> fleet.progress().duplicates() == 1 && fleet.progress().held() == 1);
            var result = fleet.finish(new Published(0, new long[] {6}, new long[0]));
            assertEquals(3, result.received());
            assertEquals(3, result.lost(), "3 skipped, and 5 and 6 never came");
            assertEquals(1, result.duplicates());
            String printed = log.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("loss: c0 got c0 seq 4 (1 skipped)"), printed);
            assertTrue(printed.contains("duplicate: c0 got c0 seq 4"), printed);
        }
    }

    @Test
    @Timeout(30)
    void aRefusedPollIsAnErrorAndTheClientComesBackWithItsCursor() throws Exception {
        try (var server = new ScriptedServer(List.of(loompushAnswer("c0", "k1", payload(1)),
                ScriptedServer.response("503 Service Unavailable", "{\"error\":\"max connections\"}"),
                loompushAnswer("c0", "k2", payload(2))))) {
            var fleet = fleet(server.port());
            fleet.start();
            await(() -> fleet.progress().received() == 2 && fleet.progress().held() == 1);
            var result = fleet.finish(new Published(0, new long[] {2}, new long[0]));
            assertEquals(1, result.failures().get("overloaded"));
            assertEquals(2, result.connects(), "it connected again after the refusal");
            assertNoViolation(result);
            assertEquals("GET /poll/c0?timeout=5&since=k1 HTTP/1.1", server.requestLines().get(2));
        }
    }

    @Test
    @Timeout(30)
    void a503IsRetriedAfterItsRetryAfter() throws Exception {
        try (var server = new ScriptedServer(List.of(
                ScriptedServer.response("503 Service Unavailable", "Retry-After: 1", "{\"error\":\"max connections\"}"),
                loompushAnswer("c0", "k1", payload(1))))) {
            var fleet = fleet(server.port());
            fleet.start();
            await(() -> fleet.progress().received() == 1 && fleet.progress().held() == 1);
            var result = fleet.finish(new Published(0, new long[] {1}, new long[0]));
            assertEquals(1, result.failures().get("overloaded"));
            long waited = server.requestNanos().get(1) - server.requestNanos().get(0);
            assertTrue(waited >= Duration.ofSeconds(1).toNanos(), "came back after " + waited / 1_000_000 + " ms");
        }
    }

    @Test
    @Timeout(30)
    void anErrorWithoutRetryAfterIsRetriedAfterAShortBackoff() throws Exception {
        try (var server = new ScriptedServer(List.of(
                ScriptedServer.response("500 Internal Server Error", "{\"error\":\"boom\"}"),
                loompushAnswer("c0", "k1", payload(1))))) {
            var fleet = fleet(server.port());
            fleet.start();
            await(() -> fleet.progress().received() == 1 && fleet.progress().held() == 1);
            var result = fleet.finish(new Published(0, new long[] {1}, new long[0]));
            assertEquals(1, result.failures().get("refused"));
            long waited = server.requestNanos().get(1) - server.requestNanos().get(0);
            assertTrue(waited < Backoff.CLIENT.cap().toNanos(), "came back after " + waited / 1_000_000 + " ms");
        }
    }

    @Test
    @Timeout(30)
    void aCutClientConnectsAgainAtOnceAndPollsWithItsLastCursor() throws Exception {
        try (var server = new ScriptedServer(List.of(loompushAnswer("c0", "k1", payload(1))))) {
            var fleet = fleet(server.port());
            fleet.start();
            await(() -> fleet.progress().received() == 1 && server.requestLines().size() == 2);
            fleet.cut();
            await(() -> fleet.progress().resumed() == 1 && fleet.progress().held() == 1);
            await(() -> server.requestLines().size() == 3);
            var result = fleet.finish(new Published(0, new long[] {1}, new long[0]));
            assertEquals(1, result.cuts());
            assertEquals(0, result.errors(), "a cut is no error");
            assertEquals(2, result.connects());
            assertNoViolation(result);
            assertEquals(List.of("GET /poll/c0?timeout=5 HTTP/1.1", "GET /poll/c0?timeout=5&since=k1 HTTP/1.1",
                    "GET /poll/c0?timeout=5&since=k1 HTTP/1.1"), server.requestLines());
        }
    }

    @Test
    @Timeout(30)
    void aClientThatConnectsAfterTheCutIsLeftAloneAndCountsAsResumed() throws Exception {
        try (var server = new ScriptedServer(List.of())) {
            var fleet = fleet(server.port());
            fleet.cut();
            fleet.start();
            await(() -> fleet.progress().resumed() == 1 && fleet.progress().held() == 1);
            var result = fleet.finish(new Published(0, new long[] {0}, new long[0]));
            assertEquals(0, result.cuts());
            assertEquals(1, result.connects());
            assertEquals(1, fleet.progress().resumed());
        }
    }

    /** A loompush SSE event carrying one message. */
    private static String sseEvent(String cursor, long seq) {
        return "id: " + cursor + "\ndata: {\"channel\":\"c0\",\"id\":\"i" + seq + "\",\"data\":\"" + payload(seq) + "\"}\n\n";
    }

    @Test
    @Timeout(30)
    void anSseStreamThatEndsIsOpenedAgainWithItsLastEventId() throws Exception {
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
        String events = ":\n\n" + sseEvent("k1", 1) + sseEvent("k2", 2);
        String chunked = Integer.toHexString(events.length()) + "\r\n" + events + "\r\n0\r\n\r\n";
        try (var server = new ScriptedServer(List.of(head + chunked + ScriptedServer.THEN_CLOSE,
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n" + sseEvent("k3", 3)))) {
            var fleet = fleet(server.port(), "--transport", "sse");
            fleet.start();
            await(() -> fleet.progress().received() == 3 && fleet.progress().held() == 1);
            var result = fleet.finish(new Published(0, new long[] {3}, new long[0]));
            assertEquals(3, result.received());
            assertNoViolation(result);
            assertEquals(1, result.failures().get("closed"), "the end of a stream is counted");
            assertEquals(2, result.connects());
            assertEquals(List.of("GET /sse/c0 HTTP/1.1", "GET /sse/c0 HTTP/1.1"), server.requestLines());
            assertTrue(server.requestHeads().get(1).contains("\r\nLast-Event-ID: k2\r\n"), server.requestHeads().get(1));
            assertFalse(server.requestHeads().get(0).contains("Last-Event-ID"), "the first stream starts from now");
        }
    }

    @Test
    @Timeout(30)
    void aRefusedStreamIsRetriedAfterItsRetryAfter() throws Exception {
        try (var server = new ScriptedServer(List.of(
                ScriptedServer.response("503 Service Unavailable", "Retry-After: 1", "{\"error\":\"draining\"}"),
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n" + sseEvent("k1", 1)))) {
            var fleet = fleet(server.port(), "--transport", "sse");
            fleet.start();
            await(() -> fleet.progress().received() == 1 && fleet.progress().held() == 1);
            var result = fleet.finish(new Published(0, new long[] {1}, new long[0]));
            assertEquals(1, result.failures().get("overloaded"));
            assertNoViolation(result);
            long waited = server.requestNanos().get(1) - server.requestNanos().get(0);
            assertTrue(waited >= Duration.ofSeconds(1).toNanos(), "came back after " + waited / 1_000_000 + " ms");
        }
    }
}
