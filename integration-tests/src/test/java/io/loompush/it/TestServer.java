package io.loompush.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.loompush.server.Config;
import io.loompush.server.ConfigException;
import io.loompush.server.PushServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real server in this JVM on a loopback port chosen by the kernel, with the
 * test's settings, and the {@link Stats} reader for it. Closing it closes the
 * stats connection and drains the server.
 */
final class TestServer implements AutoCloseable {
    private final PushServer server;
    private final Stats stats;

    /** @param publishToken the server's --publish-token, which /stats then needs, or null */
    private TestServer(PushServer server, String publishToken) {
        this.server = server;
        this.stats = publishToken == null
                ? new Stats(server.port())
                : new Stats(server.port(), "Authorization: Bearer " + publishToken);
    }

    /**
     * A server with the parser's defaults, except loopback, port 0, a short
     * drain and a connection limit this JVM can afford; then the test's options.
     */
    static TestServer start(String... options) throws IOException {
        var args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--drain-timeout", "2s",
                "--max-connections", "10000"));
        args.addAll(List.of(options));
        try {
            int token = args.indexOf("--publish-token");
            return new TestServer(PushServer.start(Config.fromArgs(args.toArray(String[]::new))),
                    token < 0 ? null : args.get(token + 1));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    int port() {
        return server.port();
    }

    RawHttpClient connect() throws IOException {
        return RawHttpClient.connect(port());
    }

    Stats stats() {
        return stats;
    }

    /** Publishes over a connection of its own, closed after the answer. */
    PublishAnswer publish(String channel, String data) throws IOException {
        try (var client = connect()) {
            return PublishAnswer.of(client.post("/publish/" + channel, data));
        }
    }

    /** Asks /healthz until it answers this status; fails with the last answer at the deadline. */
    RawResponse awaitHealthz(int status, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var client = connect()) {
            while (true) {
                var health = client.get("/healthz");
                if (health.status() == status) {
                    return health;
                }
                if (System.nanoTime() >= deadline) {
                    return fail("/healthz not " + status + " within " + timeout + ": " + health);
                }
                Thread.sleep(20);
            }
        }
    }

    /** What SIGTERM does to the jar: stop accepting and answer every held poll with Connection: close. */
    void drain() {
        server.drain();
    }

    @Override
    public void close() throws IOException {
        try {
            stats.close();
        } finally {
            server.close();
        }
    }
}
