package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads {@code GET /stats} of one server over one keep-alive connection, and
 * waits for a condition on it with a deadline: the tests synchronise on the
 * server's own figures, never on sleeps.
 *
 * <p>The connection is opened on first use and then counts as one of the
 * server's {@code connections}, which is how tests know their baseline.
 */
final class Stats implements AutoCloseable {
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private final int port;
    /** Sent with every read: the publish token's Authorization, for a server that has one. */
    private final String[] headers;
    private RawHttpClient client;

    Stats(int port, String... headers) {
        this.port = port;
        this.headers = headers;
    }

    Map<String, Object> read() throws IOException {
        var response = fetchOnLiveConnection();
        assertEquals(200, response.status(), () -> "/stats: " + response);
        return response.json();
    }

    private RawResponse fetchOnLiveConnection() throws IOException {
        try {
            return fetch();
        } catch (EOFException | SocketException e) {
            // The server closes a keep-alive connection idle for --header-timeout: read on a new one.
            client.close();
            client = null;
            return fetch();
        }
    }

    private RawResponse fetch() throws IOException {
        if (client == null) {
            client = RawHttpClient.connect(port);
        }
        return client.get("/stats", headers);
    }

    long read(String figure) throws IOException {
        return (Long) read().get(figure);
    }

    /** Reads /stats until the condition holds; fails with the last reading at the deadline. */
    Map<String, Object> awaitUntil(String what, Predicate<Map<String, Object>> condition, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Object> stats = read();
            if (condition.test(stats)) {
                return stats;
            }
            if (System.nanoTime() >= deadline) {
                fail("not within " + timeout + ": " + what + "; last /stats: " + stats);
            }
            Thread.sleep(POLL_INTERVAL);
        }
    }

    /**
     * Waits until exactly {@code polls} polls are held and registered. A poll
     * counts in {@code held} a moment before its mailboxes are on their
     * channels; waiting for {@code mailboxes} as well means a publish now
     * reaches every one of them.
     */
    void awaitHeld(int polls, int mailboxes, Duration timeout) throws IOException, InterruptedException {
        awaitUntil(polls + " held polls with " + mailboxes + " mailboxes",
                s -> s.get("held").equals((long) polls) && s.get("mailboxes").equals((long) mailboxes), timeout);
    }

    /** A count in the {@code redis} object of a /stats reading: subscribedChannels, wantedChannels, reconnects. */
    static long redis(Map<String, Object> stats, String figure) {
        return (Long) redisObject(stats).get(figure);
    }

    /** Open streams of a transport, {@code sse} or {@code ws}, from the reading's {@code streams} object. */
    static long streams(Map<String, Object> stats, String transport) {
        if (!(stats.get("streams") instanceof Map<?, ?> streams)) {
            return fail("no streams object in /stats: " + stats);
        }
        return (Long) streams.get(transport);
    }

    /** Whether the reading says the Redis subscriber link is up. */
    static boolean redisConnected(Map<String, Object> stats) {
        return (Boolean) redisObject(stats).get("connected");
    }

    private static Map<?, ?> redisObject(Map<String, Object> stats) {
        if (!(stats.get("redis") instanceof Map<?, ?> redis)) {
            return fail("no redis object in /stats: " + stats);
        }
        return redis;
    }

    @Override
    public void close() throws IOException {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
