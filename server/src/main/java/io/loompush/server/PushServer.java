package io.loompush.server;

import io.loompush.server.auth.Tokens;
import io.loompush.server.http.Limits;
import io.loompush.server.http.Response;
import io.loompush.server.http.ResponseWriter;
import io.loompush.server.net.IoLoop;
import io.loompush.server.net.Listener;
import io.loompush.server.push.Broker;
import io.loompush.server.push.Channels;
import io.loompush.server.push.EmbeddedBroker;
import io.loompush.server.push.Feed;
import io.loompush.server.push.MessageIds;
import io.loompush.server.redis.RedisBroker;
import io.loompush.server.redis.RedisFeed;
import io.loompush.server.redis.RedisStreams;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push server: one platform thread accepts, one virtual thread per
 * connection serves it.
 *
 * <pre>
 *   running ──drain()──> draining ──every connection closed, a quiet second, or the drain timeout──> stopped
 *            listener closed, held polls woken and answered with Connection: close,
 *            SSE streams ended, WebSockets closed with 1001
 * </pre>
 */
public final class PushServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PushServer.class);
    /** How long the accept loop backs off when accept fails, typically for want of descriptors. */
    private static final long ACCEPT_BACKOFF_MILLIS = 50;
    private static final long WARN_INTERVAL_NANOS = 10_000_000_000L;
    /** How long a drain waits for the accept thread to let go of the listening socket. */
    private static final Duration ACCEPT_LOOP_END = Duration.ofSeconds(1);
    /** A drain ends once no request has been in flight for this long (see {@link #drain}). */
    private static final long DRAIN_QUIET_NANOS = 1_000_000_000L;
    private static final byte[] OVERLOADED = ResponseWriter.bytes(Response.error(503, "too many connections")
            .withHeader("Retry-After", "1").closing());
    /** The precision of every timeout: how often the I/O loop sweeps the connections' deadlines. */
    private static final Duration SWEEP_TICK = Duration.ofMillis(250);

    private final Config config;
    private final Listener listener;
    private final Semaphore permits;
    private final Counters counters = new Counters();
    private final Channels channels;
    private final Broker broker;
    private final MemoryProbe memory;
    private final IoLoop io = new IoLoop(SWEEP_TICK);
    private final HeapKeeper heapKeeper = HeapKeeper.start();
    private final Connection.Shared shared;
    private final ThreadFactory connectionThreads = Thread.ofVirtual().name("loompush-conn").factory();
    private final Thread acceptThread;
    private volatile boolean draining;

    private PushServer(Config config, Listener listener) {
        this.config = config;
        this.listener = listener;
        this.permits = new Semaphore(config.maxConnections());
        var clock = Clock.systemUTC();
        var ids = new MessageIds(MessageIds.newEpoch(), clock);
        if (config.redis() == null) {
            this.channels = new Channels(ids, Feed.local(ids.epoch()), clock, config.history(), config.historyTtl(),
                    config.maxHistoryBytes()).start();
            this.broker = new EmbeddedBroker(channels);
        } else {
            var streams = new RedisStreams(config.redis(), config.redisPrefix(), config.history(), config.historyTtl());
            var feed = new RedisFeed(config.redis(), streams, config.subscriptionLinger(), config.historyTtl());
            this.channels = new Channels(ids, feed, clock, config.history(), config.historyTtl(),
                    config.maxHistoryBytes()).start();
            feed.start(channels);
            this.broker = new RedisBroker(streams, feed);
        }
        var tokens = new Tokens(config.authKey(), config.authOpen(), config.authCacheTokens(), clock);
        var polls = new PollHandler(config, channels, tokens, counters, this::draining);
        var streams = new StreamHandler(config, polls, channels, counters, this::draining);
        var operators = new OperatorRule(config.publishToken());
        var router = new Router(polls, streams, new PublishHandler(operators, broker, counters), operators,
                Assets.load(), this::stats, this::draining, broker::reachable);
        this.shared = new Connection.Shared(router, polls, streams, counters, permits,
                Limits.withMaxBody(config.maxMessageBytes()), config.headerTimeout(), config.writeTimeout(), io,
                connectionThreads);
        this.memory = new MemoryProbe();
        this.acceptThread = Thread.ofPlatform().name("loompush-accept").unstarted(this::acceptLoop);
    }

    /** Binds the listener and starts accepting. */
    public static PushServer start(Config config) throws IOException {
        var listener = Listener.open(config.host(), config.port(), config.backlog());
        PushServer server;
        try {
            server = new PushServer(config, listener);
        } catch (RuntimeException e) {
            listener.release();
            throw e;
        }
        server.io.start();
        server.acceptThread.start();
        return server;
    }

    public int port() {
        return listener.port();
    }

    boolean draining() {
        return draining;
    }

    Stats stats() {
        int connections = counters.connections.get();
        return new Stats(ManagementFactory.getRuntimeMXBean().getUptime(), connections,
                counters.held.get(), counters.sse.get(), counters.ws.get(), channels.channelCount(), channels.mailboxCount(),
                channels.historyEntries(), channels.historyBytes(), counters.published.sum(),
                counters.delivered.sum(), counters.threads.get(), draining,
                memory.read(connections), GcPauses.read(), broker.statsJson());
    }

    /**
     * Stops accepting, answers every held poll now with Connection: close, and
     * waits, at most the drain timeout, until every connection is closed or no
     * request has been in flight for {@link #DRAIN_QUIET_NANOS}. Idempotent; a
     * second caller waits for the first drain to end.
     *
     * <p>Why the quiet time: a client that got an ordinary answer just before
     * the drain has its next poll on the way. Stopping as soon as nothing is in
     * flight would drop that request unanswered; waiting a moment lets it
     * arrive and be answered, with Connection: close, like every other.
     */
    public synchronized void drain() {
        if (draining) {
            return;
        }
        log.info("draining: {} connections, {} held polls", counters.connections.get(), counters.held.get());
        // Closed before any answer says Connection: close, so no client reconnects into a closing backlog.
        listener.close();
        awaitAcceptLoopEnd();
        draining = true;
        channels.wakeAll();
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        long quietSince = System.nanoTime();
        for (long now = quietSince; now - deadline < 0; now = System.nanoTime()) {
            if (counters.inFlight.get() > 0) {
                quietSince = now;
            } else if (permits.availablePermits() == config.maxConnections() || now - quietSince >= DRAIN_QUIET_NANOS) {
                // Every accepted connection is closed (permits also count those not open yet), or all is quiet.
                break;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        log.info("drained: {} answers still in flight, {} connections open", counters.inFlight.get(),
                counters.connections.get());
    }

    @Override
    public void close() {
        drain();
        listener.release();
        broker.close();
        channels.close();
        io.close();
        heapKeeper.close();
    }

    private void acceptLoop() {
        long lastWarning = System.nanoTime() - WARN_INTERVAL_NANOS;
        while (listener.isOpen()) {
            int socket;
            try {
                socket = listener.accept();
                if (socket == Listener.CLOSED) {
                    break;
                }
            } catch (IOException e) {
                if (!listener.isOpen()) {
                    break;
                }
                if (System.nanoTime() - lastWarning >= WARN_INTERVAL_NANOS) {
                    log.warn("accept failed, backing off: {}", e.toString());
                    lastWarning = System.nanoTime();
                }
                sleep(ACCEPT_BACKOFF_MILLIS);
                continue;
            }
            if (!permits.tryAcquire()) {
                reject(socket);
                continue;
            }
            try {
                connectionThreads.newThread(new Connection(socket, shared)).start();
            } catch (RuntimeException | OutOfMemoryError e) {
                permits.release();
                Listener.discard(socket);
                log.error("could not start a connection thread", e);
            }
        }
        log.info("stopped accepting connections");
    }

    /**
     * Answers 503 from the accept thread: the answer is small and the socket's
     * send buffer is empty, so the send does not wait.
     */
    private static void reject(int socket) {
        Listener.refuse(socket, OVERLOADED);
    }

    /**
     * Waits until the accept thread has left accept(), so that the listening
     * descriptor can be freed: the listener's shutdown has stopped the kernel
     * completing connections into a backlog that is reset a moment later
     * (measured here before: 12 clients that reconnected within 2.4 ms of the
     * drain's first answers).
     */
    private void awaitAcceptLoopEnd() {
        try {
            if (!acceptThread.join(ACCEPT_LOOP_END)) {
                log.warn("the accept loop did not end within {}", ACCEPT_LOOP_END);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }


    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
