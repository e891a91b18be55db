package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Held polls ride out a broken Redis link: while the subscriber is down the
 * node says so (/healthz and publish 503) and keeps every poll held; when the
 * link is back it subscribes again, and what is published afterwards reaches
 * every client that polls on with its cursor. No poll ever sees an error or a
 * dropped connection. This Redis keeps nothing across a restart, so the polls
 * held across one are answered {@code gap:true}: the streams their cursors
 * point into are gone. (A Redis that persists its streams loses nothing and
 * reports no gap: NoLossIT.)
 *
 * <p>Each client polls its own channel and a shared one, {@code news}, the
 * classic pair; the message after the break goes to {@code news}.
 */
class RedisOutageIT {
    private static final String AFTER = "after the break";
    /** A client that needs more answers than this to get the message is looping on something. */
    private static final int MAX_ANSWERS = 6;
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final Duration OUTAGE = Duration.ofSeconds(2);

    @Test
    @Timeout(90)
    void thousandHeldPollsRideOutARedisRestartOnTheSamePort() throws Exception {
        int polls = 1000;
        try (var redis = RedisFixture.running(); var server = TestServer.start("--redis", redis.url());
                var clients = new Clients(server, polls)) {
            var stats = server.stats();
            stats.awaitUntil(polls + " polls held and subscribed",
                    s -> s.get("held").equals((long) polls) && s.get("mailboxes").equals(2L * polls)
                            && Stats.redis(s, "subscribedChannels") == polls + 1, WITHIN);
            redis.awaitSubscribers("push:news", 1, WITHIN);

            long stopped = System.nanoTime();
            redis.stop();
            // The link is seen down first, then its channels are uncovered one by one: both, soon.
            var down = stats.awaitUntil("the subscriber link down and no channel covered",
                    s -> !Stats.redisConnected(s) && Stats.redis(s, "subscribedChannels") == 0, WITHIN);
            assertEquals(0L, Stats.redis(down, "subscribedChannels"), down::toString);
            assertUnreachable(server);
            // Down long enough for several failed reconnects, so the backoff is part of the test.
            Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - stopped) / 1_000_000));
            assertUnreachable(server);
            int answeredWhileDown = clients.answered();
            clients.assertNoneFailed();

            redis.start();
            long restarted = System.nanoTime();
            assertEquals(Map.of("status", "ok"), server.awaitHealthz(200, WITHIN).json());
            var up = stats.awaitUntil("every channel subscribed again",
                    s -> Stats.redisConnected(s) && Stats.redis(s, "subscribedChannels") == polls + 1, WITHIN);
            long back = System.nanoTime();
            assertTrue(Stats.redis(up, "reconnects") >= 1, up::toString);
            redis.awaitSubscribers("push:news", 1, WITHIN);

            var published = server.publish("news", AFTER);
            var answers = clients.collect(Duration.ofSeconds(30));

            assertNotNull(published.id(), published::toString);
            assertAllReceived(answers, published.id());
            System.out.printf("RedisOutageIT: %d polls, redis down %d ms (%d answers meanwhile), all %d channels"
                            + " subscribed again %d ms after the restart; %s%n", polls, (restarted - stopped) / 1_000_000,
                    answeredWhileDown, polls + 1, (back - restarted) / 1_000_000, summary(answers));
        }
    }

    @Test
    @Timeout(60)
    void heldPollsRideOutTheSubscriberConnectionBeingKilled() throws Exception {
        int polls = 100;
        try (var redis = RedisFixture.running(); var server = TestServer.start("--redis", redis.url());
                var clients = new Clients(server, polls)) {
            var stats = server.stats();
            var before = stats.awaitUntil(polls + " polls held and subscribed",
                    s -> s.get("held").equals((long) polls) && s.get("mailboxes").equals(2L * polls)
                            && Stats.redis(s, "subscribedChannels") == polls + 1, WITHIN);
            long reconnectsBefore = Stats.redis(before, "reconnects");

            long killed = redis.jedis().clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));

            assertEquals(1, killed, "the node's one subscriber connection");
            stats.awaitUntil("reconnected and every channel subscribed again",
                    s -> Stats.redisConnected(s) && Stats.redis(s, "reconnects") > reconnectsBefore
                            && Stats.redis(s, "subscribedChannels") == polls + 1, WITHIN);
            redis.awaitSubscribers("push:news", 1, WITHIN);
            clients.assertNoneFailed();

            long redisReceivers = redis.jedis().publish("push:news", AFTER);
            var answers = clients.collect(Duration.ofSeconds(30));

            assertEquals(1, redisReceivers);
            String id = answers.getFirst().getLast().messages().getFirst().id();
            assertAllReceived(answers, id);
            System.out.printf("RedisOutageIT: %d polls across a CLIENT KILL; %s%n", polls, summary(answers));
        }
    }

    /**
     * A Redis that stops answering but keeps the connection open is found out
     * by the PING watchdog (a link silent for 6 s is dropped), and the polls
     * ride it out like a restart.
     */
    @Test
    @Timeout(60)
    void heldPollsRideOutARedisThatFallsSilent() throws Exception {
        int polls = 20;
        try (var redis = RedisFixture.running(); var server = TestServer.start("--redis", redis.url());
                var clients = new Clients(server, polls)) {
            var stats = server.stats();
            stats.awaitUntil(polls + " polls held and subscribed",
                    s -> s.get("held").equals((long) polls) && Stats.redis(s, "subscribedChannels") == polls + 1,
                    WITHIN);

            long paused = System.nanoTime();
            redis.pause();
            try {
                stats.awaitUntil("the silent link dropped", s -> !Stats.redisConnected(s), WITHIN);
                var noticed = Duration.ofNanos(System.nanoTime() - paused);
                assertEquals(503, server.awaitHealthz(503, WITHIN).status());
                clients.assertNoneFailed();
                assertTrue(noticed.compareTo(Duration.ofSeconds(4)) > 0 && noticed.compareTo(Duration.ofSeconds(12)) < 0,
                        "a link silent for 6 s is dropped, checked every second; this one after " + noticed);
                System.out.printf("RedisOutageIT: a silent redis noticed after %d ms%n", noticed.toMillis());
            } finally {
                redis.resume();
            }

            server.awaitHealthz(200, WITHIN);
            var up = stats.awaitUntil("every channel subscribed again",
                    s -> Stats.redisConnected(s) && Stats.redis(s, "subscribedChannels") == polls + 1, WITHIN);
            assertTrue(Stats.redis(up, "reconnects") >= 1, up::toString);
            redis.awaitSubscribers("push:news", 1, WITHIN);

            long redisReceivers = redis.jedis().publish("push:news", AFTER);
            var answers = clients.collect(Duration.ofSeconds(30));

            assertEquals(1, redisReceivers);
            assertAllReceived(answers, answers.getFirst().getLast().messages().getFirst().id());
            System.out.printf("RedisOutageIT: %d polls across a silent redis; %s%n", polls, summary(answers));
        }
    }

    /**
     * Once /healthz is 200 again, publish is accepted again, even by a node
     * that published before the break.
     *
     * <p>A restart breaks every pooled command connection; the pool checks a
     * connection on borrow, so the first publish does not fail on a dead one.
     */
    @Test
    void publishIsAcceptedAsSoonAsHealthzIsOkAgainAfterARestart() throws Exception {
        try (var redis = RedisFixture.running(); var server = TestServer.start("--redis", redis.url())) {
            server.awaitHealthz(200, WITHIN);
            var before = server.publish("quiet", "before the break");
            assertEquals(new PublishAnswer("quiet", before.id(), 0), before);
            assertNotNull(before.id());

            redis.restart();
            server.stats().awaitUntil("the subscriber link down and up again",
                    s -> Stats.redisConnected(s) && Stats.redis(s, "reconnects") >= 1, WITHIN);
            server.awaitHealthz(200, WITHIN);

            try (var client = server.connect()) {
                var response = client.post("/publish/quiet", "after the break");
                assertEquals(200, response.status(), () -> "publish with /healthz 200: " + response);
            }
        }
    }

    /** While the link is down: /healthz and publish are 503 {"error":"redis unreachable"}. */
    private static void assertUnreachable(TestServer server) throws IOException {
        try (var client = server.connect()) {
            var health = client.get("/healthz");
            assertEquals(503, health.status(), health::toString);
            assertEquals(Map.of("error", "redis unreachable"), health.json());

            var publish = client.post("/publish/news", "into the void");
            assertEquals(503, publish.status(), publish::toString);
            assertEquals(Map.of("error", "redis unreachable"), publish.json());
            Errors.assertErrorBody(publish);
        }
    }

    /** Every client got the message once, with that id, in its last answer, and nothing else ever. */
    private static void assertAllReceived(List<List<PollAnswer>> answers, String id) {
        for (var client : answers) {
            var last = client.getLast();
            assertEquals(List.of(new PollAnswer.Message("news", id, AFTER, null)), last.messages(),
                    () -> "answers: " + client);
            for (var earlier : client.subList(0, client.size() - 1)) {
                assertEquals(List.of(), earlier.messages(), () -> "answers: " + client);
                assertTrue(earlier.gap(), () -> "an empty answer before the message is a gap: " + client);
            }
        }
    }

    private static String summary(List<List<PollAnswer>> answers) {
        long firstPoll = answers.stream().filter(c -> c.size() == 1).count();
        long gaps = answers.stream().mapToLong(c -> c.stream().filter(PollAnswer::gap).count()).sum();
        int most = answers.stream().mapToInt(List::size).max().orElse(0);
        return answers.size() + " clients got the message, " + firstPoll + " of them on the poll held across the"
                + " break; " + gaps + " answers said gap; at most " + most + " answers per client";
    }

    /**
     * The clients, each on its own connection and virtual thread: it polls
     * {@code u<i>,news} without a cursor, then again with each answer's cursor,
     * until the message after the break arrives. Any status but 200 and any
     * dropped connection fails it.
     */
    private static final class Clients implements AutoCloseable {
        private final ConcurrentLinkedQueue<RawHttpClient> connections = new ConcurrentLinkedQueue<>();
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        private final List<Future<List<PollAnswer>>> followers = new ArrayList<>();
        private final AtomicInteger answered = new AtomicInteger();

        Clients(TestServer server, int count) {
            for (int i = 0; i < count; i++) {
                String path = "/poll/u" + i + ",news?timeout=60";
                followers.add(threads.submit(() -> follow(server.port(), path)));
            }
        }

        private List<PollAnswer> follow(int port, String path) throws IOException {
            var client = RawHttpClient.connect(port, Duration.ofSeconds(90));
            connections.add(client);
            var answers = new ArrayList<PollAnswer>();
            client.sendGet(path);
            while (answers.size() < MAX_ANSWERS) {
                var answer = PollAnswer.of(client.read());
                answered.incrementAndGet();
                answers.add(answer);
                if (!answer.messages().isEmpty()) {
                    return answers;
                }
                client.sendGet(path + "&since=" + answer.cursor());
            }
            return fail(MAX_ANSWERS + " answers without the message: " + answers);
        }

        /** No client has failed so far: none has seen an error status or lost its connection. */
        void assertNoneFailed() throws InterruptedException {
            for (var follower : followers) {
                if (follower.isDone()) {
                    try {
                        fail("a client finished before the message was published: " + follower.get());
                    } catch (ExecutionException e) {
                        throw new AssertionError("a client failed", e.getCause());
                    }
                }
            }
        }

        /** Answers received so far, all clients together. */
        int answered() {
            return answered.get();
        }

        /** Every client's answers, in the order of the clients. */
        List<List<PollAnswer>> collect(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            var all = new ArrayList<List<PollAnswer>>(followers.size());
            for (var follower : followers) {
                try {
                    all.add(follower.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (ExecutionException e) {
                    throw new AssertionError("a client failed", e.getCause());
                } catch (TimeoutException e) {
                    fail("not every client got the message within " + timeout + ": " + all.size() + " of "
                            + followers.size() + " did, " + answered.get() + " answers in all");
                }
            }
            return all;
        }

        @Override
        public void close() throws IOException {
            threads.shutdownNow();
            for (var connection : connections) {
                connection.close();
            }
            threads.close();
        }
    }
}
