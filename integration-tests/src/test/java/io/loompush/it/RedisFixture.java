package io.loompush.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.testcontainers.DockerClientFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A real Redis for one test: Testcontainers' {@code redis:7} when a Docker
 * engine answers, otherwise a {@code redis-server} binary on a free loopback
 * port with a temporary directory. Never a fake. It keeps nothing across a
 * restart, unless it is {@link #durable()}: then every write is in its
 * append-only file before Redis answers it, as a production Redis that must
 * not lose a stream runs.
 *
 * <pre>
 *   stopped() ──start()──> running ──stop()──> stopped ──start()──> running   (always the same port)
 *                             └────────── close(): stopped for good, files removed
 * </pre>
 *
 * The port is chosen once, so a server pointed at {@link #url()} finds Redis
 * again after a restart, and a test can even start its server before Redis.
 * {@link #jedis()} is a test-side client for PUBLISH, PUBSUB and CLIENT KILL;
 * it is replaced on every restart.
 */
final class RedisFixture implements AutoCloseable {
    static final String INSTALL = "apt-get install -y redis-server";
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final int COMMAND_TIMEOUT_MILLIS = 5000;
    private static final List<String> BINARY_DIRECTORIES = List.of("/usr/bin", "/usr/local/bin", "/usr/sbin");
    /** Asked once per JVM: the answer is slow when there is no engine. */
    private static Boolean dockerAvailable;

    private final RedisBackend backend;
    private final int port;
    private boolean running;
    private Jedis jedis;

    private RedisFixture(RedisBackend backend, int port) {
        this.backend = backend;
        this.port = port;
    }

    /** A Redis that answers PING and forgets everything when it stops. */
    static RedisFixture running() throws IOException {
        return started(stopped());
    }

    /**
     * A Redis that answers PING and persists every write before answering it
     * ({@code appendonly yes}, {@code appendfsync always}): a restart keeps
     * the streams, their metadata and the loaded functions.
     */
    static RedisFixture durable() throws IOException {
        return started(choose(dockerAvailable(), findBinary(), true));
    }

    private static RedisFixture started(RedisFixture redis) throws IOException {
        try {
            redis.start();
        } catch (IOException | RuntimeException | Error e) {
            redis.close();
            throw e;
        }
        return redis;
    }

    /** A Redis whose port is chosen and free, nothing listening on it yet: {@link #start()} it later. */
    static RedisFixture stopped() throws IOException {
        return choose(dockerAvailable(), findBinary(), false);
    }

    /** The choice itself, so the message for a machine with neither can be tested. */
    static RedisFixture choose(boolean docker, Optional<Path> binary, boolean durable) throws IOException {
        int port = freePort();
        var persistence = durable
                ? List.of("--appendonly", "yes", "--appendfsync", "always", "--save", "")
                : List.of("--appendonly", "no", "--save", "");
        if (docker) {
            return new RedisFixture(new RedisContainer(port, persistence), port);
        }
        if (binary.isPresent()) {
            return new RedisFixture(new RedisBinary(binary.get(), port, persistence), port);
        }
        return fail("no Redis for the integration tests: no Docker engine for Testcontainers' redis:7, and no"
                + " redis-server in " + BINARY_DIRECTORIES + " or on PATH. Install one: " + INSTALL);
    }

    /** Starts Redis on the fixture's port and waits until it answers PING. */
    void start() throws IOException {
        if (running) {
            return;
        }
        backend.start();
        running = true;
        awaitPing();
    }

    /** Stops Redis and waits until it is gone: its port refuses connections. */
    void stop() {
        closeJedis();
        if (running) {
            running = false;
            backend.stop();
        }
    }

    /**
     * Freezes Redis (SIGSTOP, or a container pause): every connection stays
     * open and nothing answers, the way a hung or partitioned Redis looks.
     * The test's own client must not be used until {@link #resume()}.
     */
    void pause() throws IOException {
        backend.freeze(true);
    }

    void resume() throws IOException {
        backend.freeze(false);
    }

    /** Stops Redis and starts it again on the same port. */
    void restart() throws IOException {
        stop();
        start();
    }

    String url() {
        return "redis://" + backend.host() + ":" + port;
    }

    int port() {
        return port;
    }

    /** A new connection to Redis of the caller's own, which outlives restarts as a client of a real backend would. */
    Jedis connectClient() {
        return connect();
    }

    /** The test's own connection to Redis (not a subscriber); valid until the next stop. */
    Jedis jedis() {
        if (!running) {
            throw new IllegalStateException("redis is stopped");
        }
        if (jedis == null) {
            jedis = connect();
        }
        return jedis;
    }

    /**
     * Publishes the way a backend publishes recoverably: {@code FCALL loompush_publish 1 <key> <payload>},
     * the function a loompush node loads into Redis when it connects.
     *
     * @return the message id the function answers
     */
    String fcallPublish(String key, String payload) {
        return (String) jedis().fcall("loompush_publish", List.of(key), List.of(payload));
    }

    /**
     * Waits until PUBSUB CHANNELS for the pattern is exactly this set: a node
     * forgets a subscription a moment before Redis has its UNSUBSCRIBE.
     */
    void awaitChannels(String pattern, Set<String> channels, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var now = Set.copyOf(jedis().pubsubChannels(pattern));
            if (now.equals(channels)) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                fail("not within " + timeout + ": Redis channels matching " + pattern + " to be " + channels
                        + "; last: " + now);
            }
            sleep(Duration.ofMillis(20));
        }
    }

    /** Waits until PUBSUB NUMSUB says the Redis channel has exactly this many subscribers. */
    void awaitSubscribers(String redisChannel, long subscribers, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long now = jedis().pubsubNumSub(redisChannel).get(redisChannel);
            if (now == subscribers) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                fail("not within " + timeout + ": " + subscribers + " subscribers of " + redisChannel + "; last: " + now);
            }
            sleep(Duration.ofMillis(20));
        }
    }

    @Override
    public void close() {
        closeJedis();
        running = false;
        backend.close();
    }

    @Override
    public String toString() {
        return backend.describe();
    }

    private Jedis connect() {
        return new Jedis(new HostAndPort(backend.host(), port), DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(COMMAND_TIMEOUT_MILLIS)
                .socketTimeoutMillis(COMMAND_TIMEOUT_MILLIS)
                .clientName("loompush-it")
                .build());
    }

    private void closeJedis() {
        if (jedis != null) {
            jedis.close();
            jedis = null;
        }
    }

    private void awaitPing() {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        JedisException last = null;
        while (System.nanoTime() < deadline) {
            try (var probe = connect()) {
                if ("PONG".equals(probe.ping())) {
                    return;
                }
            } catch (JedisException e) {
                last = e;
            }
            backend.assertRunning();
            sleep(Duration.ofMillis(20));
        }
        fail("redis did not answer PING within " + STARTUP + " (last: " + last + "); " + backend.describe());
    }

    private static synchronized boolean dockerAvailable() {
        if (dockerAvailable == null) {
            dockerAvailable = DockerClientFactory.instance().isDockerAvailable();
            System.out.println(dockerAvailable
                    ? "RedisFixture: a Docker engine answers: Redis runs in Testcontainers' redis:7"
                    : "RedisFixture: no Docker engine: Redis runs from a redis-server binary");
        }
        return dockerAvailable;
    }

    private static Optional<Path> findBinary() {
        var directories = Stream.concat(
                Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)),
                BINARY_DIRECTORIES.stream());
        return directories.filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** A port that was free a moment ago, on loopback. */
    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
