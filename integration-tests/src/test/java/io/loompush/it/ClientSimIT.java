package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load simulator's jar, run the way a user runs it, against a real
 * loompush with 2,000 long-poll clients, and 500 over each stream transport:
 * every client connects and is held, every message published reaches its
 * clients once and in order, no error. The figures come from the
 * simulator's --json file.
 */
class ClientSimIT {
    private static final int CLIENTS = 2000;
    private static final int STREAM_CLIENTS = 500;
    /** Built by the reactor before this module (declared before it in the parent pom). */
    private static final Path JAR = Path.of("..", "client-sim", "target", "loompush-client-sim.jar");
    private static final Duration RUN_LIMIT = Duration.ofSeconds(120);
    /** The runs with tokens on: the server's secret, and every client's one token for all channels. */
    private static final String SECRET = "client-sim-it-secret-of-32-bytes-or-more";

    @Test
    @Timeout(150)
    void twoThousandClientsGetEveryUnicastMessageOnceAndInOrder(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start()) {
            var figures = simulate(dir, server.port(), CLIENTS, "--mode", "unicast", "--rate", "500", "--duration", "4s");

            assertClean(figures, CLIENTS);
            Map<String, Object> messages = object(figures, "messages");
            assertTrue((Long) messages.get("published") >= 1000, "about 500 a second for 4 s: " + messages);
            assertEquals(messages.get("published"), messages.get("received"));
            assertTrue((Long) object(figures, "latencyMs").get("count") > 0);
        }
    }

    /** What ops/bench --tokens runs: every poll carries a token, which the server checks from its cache. */
    @Test
    @Timeout(150)
    void withTokensOnEveryClientPollsWithItsTokenAndGetsEveryMessage(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start("--auth-jwt-secret", SECRET)) {
            String token = token();
            var figures = simulate(dir, server.port(), CLIENTS, "--mode", "unicast", "--rate", "500", "--duration", "2s",
                    "--token", token);

            assertClean(figures, CLIENTS);
            Map<String, Object> messages = object(figures, "messages");
            assertEquals(messages.get("published"), messages.get("received"));
        }
    }

    @Test
    @Timeout(150)
    void aFanoutOverWorkerProcessesIsMergedWithNothingLost(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start()) {
            var figures = simulate(dir, server.port(), CLIENTS, "--mode", "fanout", "--rounds", "3", "--per-process", "700");

            assertClean(figures, CLIENTS);
            assertEquals(3L, object(figures, "plan").get("processes"), "2,000 clients at 700 per process");
            assertEquals(3L * CLIENTS, object(figures, "messages").get("received"));
            assertEquals(3, ((List<?>) figures.get("rounds")).size());
        }
    }

    @Test
    @Timeout(150)
    void serverSentEventsStreamsGetEveryFanoutMessageOnceAndInOrder(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start()) {
            var figures = simulate(dir, server.port(), STREAM_CLIENTS, "--transport", "sse", "--mode", "fanout",
                    "--rounds", "3");

            assertClean(figures, STREAM_CLIENTS);
            assertEquals(3L * STREAM_CLIENTS, object(figures, "messages").get("received"));
            assertEquals("sse", object(figures, "config").get("transport"));
        }
    }

    /** With tokens on, as ops/bench --tokens runs it: the handshake carries the token. */
    @Test
    @Timeout(150)
    void webSocketsWithTokensGetEveryUnicastMessageOnceAndInOrder(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start("--auth-jwt-secret", SECRET)) {
            String token = token();
            var figures = simulate(dir, server.port(), STREAM_CLIENTS, "--transport", "ws", "--mode", "unicast",
                    "--rate", "500", "--duration", "4s", "--token", token);

            assertClean(figures, STREAM_CLIENTS);
            assertTrue((Long) object(figures, "messages").get("published") >= 1000, "about 500 a second for 4 s");
            assertEquals("ws", object(figures, "config").get("transport"));
        }
    }

    private static String token() {
        return Jwt.hs256(SECRET, Jwt.claims(Jwt.nowSeconds() + 3600, "*"));
    }

    /** Every client connected and held, no error, nothing lost, duplicated, late, gapped or foreign. */
    private static void assertClean(Map<String, Object> figures, int clientCount) {
        Map<String, Object> clients = object(figures, "clients");
        Map<String, Object> messages = object(figures, "messages");
        assertEquals((long) clientCount, clients.get("connected"), "all connected: " + clients);
        assertTrue(object(figures, "connect").get("allHeldSeconds") instanceof Double, "all held: " + figures.get("connect"));
        assertEquals(0L, clients.get("errors"), "no error: " + clients);
        for (String violation : List.of("lost", "duplicates", "late", "gaps", "foreign")) {
            assertEquals(0L, messages.get(violation), violation + ": " + messages);
        }
        assertEquals(messages.get("expectedDeliveries"), messages.get("received"), "everything arrived: " + messages);
        assertEquals(true, object(figures, "verdict").get("ok"), "verdict: " + figures.get("verdict"));
    }

    /** Runs the jar against the server with common settings and the test's, and reads its --json figures. */
    private static Map<String, Object> simulate(Path dir, int port, int clients, String... options)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            fail(JAR.toAbsolutePath() + " is missing: build it first (mvn -pl client-sim package)");
        }
        Path json = dir.resolve("figures.json");
        Path log = dir.resolve("client-sim.log");
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-jar", JAR.toString(), "--target", "127.0.0.1:" + port, "--clients", String.valueOf(clients),
                "--poll-timeout", "10s", "--settle", "1s", "--drain", "10s", "--json", json.toString()));
        command.addAll(List.of(options));
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                fail("client-sim ran over " + RUN_LIMIT + "; its output:\n" + Files.readString(log));
            }
        } finally {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertEquals(0, process.exitValue(), "client-sim exit code; its output:\n" + output);
        System.out.println(output);
        return Json.object(Files.readString(json));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> figures, String key) {
        return (Map<String, Object>) figures.get(key);
    }
}
