package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.loompush.it.PollAnswer.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A bad {@code --redis} refuses to start with one line; a Redis that is not
 * there yet does not: the node starts unhealthy and becomes healthy when Redis
 * comes up. And the shaded jar, the way it runs in production, works with Redis.
 */
class RedisStartupIT {
    private static final Duration WITHIN = Duration.ofSeconds(15);
    /** A refusal comes before anything starts: well under a second, but a loaded machine starts a JVM slowly. */
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(10);

    @ParameterizedTest
    @ValueSource(strings = {"http://x", "redis://", "redis://:6379", "redis://127.0.0.1:6379/db"})
    void malformedRedisUrlRefusesToStartWithOneLine(String url, @TempDir Path dir) throws Exception {
        assertRefusedWithOneLine(url, dir);
    }

    /**
     * Fails on the server as it is: {@code RedisTarget.parse} takes any port
     * {@code java.net.URI} parses, so the jar starts, listens, and stays
     * unhealthy for ever, retrying a Redis it can never reach, instead of
     * exiting 2 with one line: the test fails with "--redis
     * redis://127.0.0.1:99999: still running after PT10S" (and the same for
     * port 0).
     */
    @ParameterizedTest
    @ValueSource(strings = {"redis://127.0.0.1:99999", "redis://127.0.0.1:0"})
    void redisUrlWithAPortOutOfRangeRefusesToStart(String url, @TempDir Path dir) throws Exception {
        assertRefusedWithOneLine(url, dir);
    }

    private static void assertRefusedWithOneLine(String url, Path dir) throws Exception {
        String jar = System.getProperty("loompush.server.jar");
        assertNotNull(jar, "failsafe passes -Dloompush.server.jar");
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        var process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar, "--host", "127.0.0.1", "--port", "0", "--redis", url)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            if (!process.waitFor(EXIT_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("--redis " + url + ": still running after " + EXIT_WITHIN + "; stderr:\n" + Files.readString(err));
            }
            List<String> lines = Files.readAllLines(err);

            assertEquals(2, process.exitValue(), () -> "--redis " + url + ", stderr: " + lines);
            assertEquals(1, lines.size(), () -> "--redis " + url + ": one line, got " + lines);
            assertTrue(lines.getFirst().startsWith("loompush: --redis: "), lines::toString);
            assertEquals("", Files.readString(out), "nothing on stdout");
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void serverStartsWhileRedisIsUnreachableAndBecomesHealthyWhenItComesUp() throws Exception {
        try (var redis = RedisFixture.stopped(); var server = TestServer.start("--redis", redis.url());
                var poller = server.connect()) {
            var health = server.awaitHealthz(503, WITHIN);
            assertEquals(Map.of("error", "redis unreachable"), health.json());
            assertEquals("1", health.header("Retry-After"), health::toString);
            var stats = server.stats().read();
            assertFalse(Stats.redisConnected(stats), stats::toString);
            try (var client = server.connect()) {
                var publish = client.post("/publish/dave", "too early");
                assertEquals(503, publish.status(), publish::toString);
                assertEquals(Map.of("error", "redis unreachable"), publish.json());
            }

            // A poll without a cursor waits for the subscription, however long Redis takes.
            poller.sendGet("/poll/dave?timeout=20");
            server.stats().awaitHeld(1, 1, WITHIN);
            Thread.sleep(1000);
            assertEquals(503, server.awaitHealthz(503, WITHIN).status());

            redis.start();
            long started = System.nanoTime();
            assertEquals(Map.of("status", "ok"), server.awaitHealthz(200, WITHIN).json());
            var healthyAfter = Duration.ofNanos(System.nanoTime() - started);
            server.stats().awaitUntil("subscribed to dave",
                    s -> Stats.redis(s, "subscribedChannels") == 1, WITHIN);
            redis.awaitSubscribers("push:dave", 1, WITHIN);

            assertEquals(1, redis.jedis().publish("push:dave", "first light"));
            var answer = PollAnswer.of(poller.read());

            var message = answer.messages().getFirst();
            assertEquals(List.of(new Message("dave", message.id(), "first light", null)), answer.messages());
            assertFalse(answer.gap(), "the poll started when the subscription did: nothing was missed");
            System.out.printf("RedisStartupIT: healthy %d ms after redis came up%n", healthyAfter.toMillis());
        }
    }

    @Test
    void shadedJarWithRedisIsHealthyDeliversAndExitsCleanly(@TempDir Path dir) throws Exception {
        try (var redis = RedisFixture.running();
                var server = ServerProcess.start(dir.resolve("server.log"), "--redis", redis.url());
                var poller = RawHttpClient.connect(server.port())) {
            poller.sendGet("/poll/erin?timeout=10");
            redis.awaitSubscribers("push:erin", 1, WITHIN);

            redis.jedis().publish("push:erin", "from the backend");

            assertEquals(List.of("from the backend"), PollAnswer.of(poller.read()).data(), server::log);
            server.terminate();
            assertEquals(0, server.awaitExit(Duration.ofSeconds(15)), server::log);
        }
    }
}
