package io.loompush.it;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
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
    private static final Duration SHUTDOWN = Duration.ofSeconds(10);
    private static final int COMMAND_TIMEOUT_MILLIS = 5000;
    private static final List<String> BINARY_DIRECTORIES = List.of("/usr/bin", "/usr/local/bin", "/usr/sbin");
    /** Asked once per JVM: the answer is slow when there is no engine. */
    private static Boolean dockerAvailable;

    /** How Redis runs: a process we start, or a container. */
    private sealed interface Backend permits Binary, Container {
        String host();

        void start() throws IOException;

        void stop();

        /** Freezes (true) or thaws (false) Redis: its connections stay open and get no answer. */
        void freeze(boolean frozen) throws IOException;

        /** Stopped for good; whatever it left on disk is removed. */
        void close();

        /** Where a failure message can send the reader. */
        String describe();
    }

    private final Backend backend;
    private final int port;
    private boolean running;
    private Jedis jedis;

    private RedisFixture(Backend backend, int port) {
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
            return new RedisFixture(new Container(port, persistence), port);
        }
        if (binary.isPresent()) {
            return new RedisFixture(new Binary(binary.get(), port, persistence), port);
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
            if (backend instanceof Binary binary && !binary.process.isAlive()) {
                fail("redis-server exited with " + binary.process.exitValue() + " on start; " + backend.describe());
            }
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

    /** {@code redis-server --port N <persistence> --dir <tmp>}, bound to 127.0.0.1. */
    private static final class Binary implements Backend {
        private final Path executable;
        private final int port;
        private final List<String> persistence;
        private final Path directory;
        private final Path log;
        private Process process;

        Binary(Path executable, int port, List<String> persistence) throws IOException {
            this.executable = executable;
            this.port = port;
            this.persistence = persistence;
            this.directory = Files.createTempDirectory("loompush-redis-");
            this.log = directory.resolve("redis.log");
        }

        @Override
        public String host() {
            return "127.0.0.1";
        }

        @Override
        public void start() throws IOException {
            var command = new ArrayList<>(List.of(executable.toString(), "--port", String.valueOf(port),
                    "--bind", "127.0.0.1", "--dir", directory.toString(), "--daemonize", "no"));
            command.addAll(persistence);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        }

        /** SIGTERM, then SIGKILL if it lingers; waits for the process to be gone either way. */
        @Override
        public void stop() {
            if (process == null) {
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }

        /** {@code kill -STOP} or {@code -CONT}, to this process only, by its pid. */
        @Override
        public void freeze(boolean frozen) throws IOException {
            var kill = new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", String.valueOf(process.pid()))
                    .redirectErrorStream(true).start();
            try {
                if (!kill.waitFor(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
                    kill.destroyForcibly();
                    fail("kill " + (frozen ? "-STOP " : "-CONT ") + process.pid() + " failed: "
                            + new String(kill.getInputStream().readAllBytes()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        @Override
        public void close() {
            if (process != null) {
                process.destroyForcibly();
            }
            stop();
            try (var files = Files.walk(directory)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + directory, e);
            }
        }

        @Override
        public String describe() {
            String output;
            try {
                output = Files.exists(log) ? Files.readString(log) : "(nothing yet)";
            } catch (IOException e) {
                output = "(log unreadable: " + e + ")";
            }
            return executable + " on 127.0.0.1:" + port + ", its log:\n" + output;
        }
    }

    /**
     * Testcontainers' redis:7 with its port published on a fixed host port
     * (the fixture's), so that stopping and starting the same container
     * brings Redis back where the servers look for it.
     */
    private static final class Container implements Backend {
        private final GenericContainer<?> container;

        Container(int port, List<String> persistence) {
            var command = new ArrayList<>(List.of("redis-server"));
            command.addAll(persistence);
            this.container = new GenericContainer<>(DockerImageName.parse("redis:7"))
                    .withExposedPorts(6379)
                    .withCommand(command.toArray(String[]::new))
                    .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                            new PortBinding(Ports.Binding.bindPort(port), ExposedPort.tcp(6379))));
        }

        @Override
        public String host() {
            return container.getHost();
        }

        /** The first start creates the container; later ones start the same container again. */
        @Override
        public void start() {
            if (container.getContainerId() == null) {
                container.start();
            } else {
                container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
            }
        }

        @Override
        public void stop() {
            if (container.getContainerId() != null) {
                container.getDockerClient().stopContainerCmd(container.getContainerId()).withTimeout(2).exec();
            }
        }

        @Override
        public void freeze(boolean frozen) {
            var docker = container.getDockerClient();
            if (frozen) {
                docker.pauseContainerCmd(container.getContainerId()).exec();
            } else {
                docker.unpauseContainerCmd(container.getContainerId()).exec();
            }
        }

        @Override
        public void close() {
            container.stop();
        }

        @Override
        public String describe() {
            return "container redis:7 " + container.getContainerId();
        }
    }
}
