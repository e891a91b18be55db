package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** On SIGTERM the server answers every held poll at once with its cursor and Connection: close, and exits 0. */
class DrainIT {
    private static final int POLLS = 50;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
    /** JVM shutdown around the drain itself. */
    private static final Duration EXIT_MARGIN = Duration.ofSeconds(5);

    @Test
    @Timeout(60)
    void sigtermAnswersEveryHeldPollWithItsCursorAndExitsZero(@TempDir Path dir) throws Exception {
        var clients = new ArrayList<RawHttpClient>();
        try (var server = ServerProcess.start(dir.resolve("server.log"),
                "--drain-timeout", DRAIN_TIMEOUT.toSeconds() + "s")) {
            try {
                for (int i = 0; i < POLLS; i++) {
                    var client = RawHttpClient.connect(server.port());
                    clients.add(client);
                    client.sendGet("/poll/drain" + i % 5 + "?timeout=60");
                }
                try (var stats = new Stats(server.port())) {
                    stats.awaitHeld(POLLS, POLLS, Duration.ofSeconds(10));
                }

                long start = System.nanoTime();
                server.terminate();

                for (int i = 0; i < POLLS; i++) {
                    var client = clients.get(i);
                    var response = client.read();
                    assertTrue(response.closing(), () -> "a drained poll must say Connection: close: " + response);
                    var answer = PollAnswer.of(response);
                    assertEquals(List.of(), answer.messages());
                    assertFalse(answer.gap());
                    assertTrue(answer.cursor().matches("[0-9a-z]+-[0-9a-z]+"), answer.cursor());
                    assertTrue(client.closedByServer());
                }
                var answered = Duration.ofNanos(System.nanoTime() - start);
                int exit = server.awaitExit(DRAIN_TIMEOUT.plus(EXIT_MARGIN));

                assertEquals(0, exit, server::log);
                assertTrue(answered.compareTo(DRAIN_TIMEOUT) < 0, "held polls answered after " + answered);
            } finally {
                for (var client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void drainingServerAnswersHealthz503AndCloses() throws Exception {
        try (var server = TestServer.start(); var client = server.connect()) {
            assertEquals(200, client.get("/healthz").status());

            server.drain();

            var response = client.get("/healthz");
            assertEquals(503, response.status(), response::toString);
            assertEquals("1", response.header("Retry-After"));
            assertTrue(response.closing(), response::toString);
            assertTrue(client.closedByServer());
        }
    }

    @Test
    @Timeout(60)
    void drainedCursorResumesOnTheNextServerWithAGap(@TempDir Path dir) throws Exception {
        String cursor;
        try (var first = ServerProcess.start(dir.resolve("first.log"));
             var client = RawHttpClient.connect(first.port())) {
            client.sendGet("/poll/mover?timeout=60");
            try (var stats = new Stats(first.port())) {
                stats.awaitHeld(1, 1, Duration.ofSeconds(10));
            }
            first.terminate();
            cursor = PollAnswer.of(client.read()).cursor();
            assertEquals(0, first.awaitExit(DRAIN_TIMEOUT.plus(EXIT_MARGIN)), first::log);
        }
        try (var next = ServerProcess.start(dir.resolve("next.log"));
             var client = RawHttpClient.connect(next.port())) {
            var answer = PollAnswer.of(client.get("/poll/mover?timeout=5&since=" + cursor));

            assertTrue(answer.gap(), "the first server's history is gone, so the client must resynchronise");
        }
    }
}
