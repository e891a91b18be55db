package io.loompush.it;

import io.loompush.server.Config;
import io.loompush.server.PushServer;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * A real server in this JVM on a loopback port chosen by the kernel, with the
 * test's settings, and the {@link Stats} reader for it. Closing it closes the
 * stats connection and drains the server.
 */
final class TestServer implements AutoCloseable {
    private final PushServer server;
    private final Stats stats;

    private TestServer(PushServer server) {
        this.server = server;
        this.stats = new Stats(server.port());
    }

    static TestServer start() throws IOException {
        return start(defaults());
    }

    static TestServer start(Config config) throws IOException {
        return new TestServer(PushServer.start(config));
    }

    /** The parser's defaults, except port 0, loopback, a short drain and a connection limit this JVM can afford. */
    static Config defaults() {
        return new Config(InetAddress.getLoopbackAddress(), 0, 4096, 10_000, Duration.ofSeconds(30), 65536, 64,
                Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofSeconds(2), null, List.of());
    }

    static Config withMaxMessageBytes(Config c, int maxMessageBytes) {
        return new Config(c.host(), c.port(), c.backlog(), c.maxConnections(), c.pollTimeout(), maxMessageBytes,
                c.history(), c.historyTtl(), c.headerTimeout(), c.drainTimeout(), c.publishToken(), c.allowOrigins());
    }

    static Config withHeaderTimeout(Config c, Duration headerTimeout) {
        return new Config(c.host(), c.port(), c.backlog(), c.maxConnections(), c.pollTimeout(), c.maxMessageBytes(),
                c.history(), c.historyTtl(), headerTimeout, c.drainTimeout(), c.publishToken(), c.allowOrigins());
    }

    static Config withPublishToken(Config c, String publishToken) {
        return new Config(c.host(), c.port(), c.backlog(), c.maxConnections(), c.pollTimeout(), c.maxMessageBytes(),
                c.history(), c.historyTtl(), c.headerTimeout(), c.drainTimeout(), publishToken, c.allowOrigins());
    }

    static Config withMaxConnections(Config c, int maxConnections) {
        return new Config(c.host(), c.port(), c.backlog(), maxConnections, c.pollTimeout(), c.maxMessageBytes(),
                c.history(), c.historyTtl(), c.headerTimeout(), c.drainTimeout(), c.publishToken(), c.allowOrigins());
    }

    static Config withAllowOrigins(Config c, List<String> allowOrigins) {
        return new Config(c.host(), c.port(), c.backlog(), c.maxConnections(), c.pollTimeout(), c.maxMessageBytes(),
                c.history(), c.historyTtl(), c.headerTimeout(), c.drainTimeout(), c.publishToken(), allowOrigins);
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
