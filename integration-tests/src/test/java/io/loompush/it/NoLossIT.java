package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * The promise of the protocol under faults: a client that never sees
 * {@code gap:true} has every message of its channels, in order, once. Real
 * server processes, a real Redis, backends publishing recoverably with
 * {@code FCALL loompush_publish}, clients that follow their cursors from node
 * to node ({@link Followers}). Each test is bounded in time and stops what it
 * started.
 */
class NoLossIT {
    private static final int CLIENTS = 1000;
    /** Every this many messages one goes to the shared channel, the rest to the clients' own. */
    private static final int SHARED_EVERY = 200;
    private static final Duration HOLD = Duration.ofSeconds(20);
    private static final Duration WITHIN = Duration.ofSeconds(30);
    /** Polls a drain may lose to the keep-alive race: 1 in 100 clients. */
    private static final int KEEP_ALIVE_RACE = CLIENTS / 100;

    /**
     * 1,000 clients, 20,000 messages at 500 per second, while the node's
     * subscriber connection is killed three times and Redis (append-only
     * persistence on) is restarted once.
     */
    @Test
    @Timeout(180)
    void everyMessageArrivesInOrderThroughSubscriberKillsAndARedisRestart(@TempDir Path dir) throws Exception {
        int total = 20_000;
        try (var redis = RedisFixture.durable();
             var node = ServerProcess.start(dir.resolve("node.log"), "--redis", redis.url());
             var stats = new Stats(node.port());
             var followers = Followers.start(CLIENTS, List.of(node.port()), HOLD);
             var publisher = new StreamPublisher(redis)) {
            awaitHeldAndSubscribed(stats);

            long start = System.nanoTime();
            publisher.start(total, 500, channels());
            for (int kill = 1; kill <= 3; kill++) {
                sleepUntil(start, Duration.ofSeconds(8L * kill - 2));
                stats.awaitUntil("the subscriber connected", Stats::redisConnected, WITHIN);
                long killed = redis.jedis().clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
                assertEquals(1, killed, "the node's one subscriber connection");
            }
            sleepUntil(start, Duration.ofSeconds(30));
            redis.restart();
            publisher.await(Duration.ofSeconds(90));
            var caughtUp = followers.awaitAll(publisher, Duration.ofSeconds(60));

            followers.assertEveryMessageInOrderWithoutGapOrError(publisher);
            long reconnects = Stats.redis(stats.read(), "reconnects");
            assertTrue(reconnects >= 4, "three kills and a restart, " + reconnects + " reconnects");
            System.out.printf("NoLossIT: %d published in %d ms (%d publishes recovered), %d subscriber reconnects;"
                            + " %s; all caught up %d ms after the last publish%n", publisher.published(),
                    (System.nanoTime() - start) / 1_000_000, publisher.recoveries(), reconnects, followers.summary(),
                    caughtUp.toMillis());
        }
    }

    /** Node A dies by SIGKILL under 1,000 held polls; the clients move to node B with their cursors. */
    @Test
    @Timeout(120)
    void clientsMovingToAnotherNodeAfterAKillLoseNothing(@TempDir Path dir) throws Exception {
        clientsMoveFromAToB(dir, "killed", ServerProcess::kill, true);
    }

    /** SIGTERM on node A during a publish stream: its held polls are answered, the clients move to B. */
    @Test
    @Timeout(120)
    void aDrainDuringAPublishStreamShowsNoErrorAndLosesNothing(@TempDir Path dir) throws Exception {
        clientsMoveFromAToB(dir, "drained", a -> {
            a.terminate();
            assertEquals(0, a.awaitExit(WITHIN), a::log);
        }, false);
    }

    /**
     * A stream trimmed below a client's cursor: the client's next poll, on a
     * node that never held the channel, says {@code gap:true} once, with what
     * the stream kept, and the poll after it goes on without a gap.
     */
    @Test
    @Timeout(60)
    void aStreamTrimmedPastACursorGivesExactlyOneGapThenContinues(@TempDir Path dir) throws Exception {
        try (var redis = RedisFixture.running();
             var a = ServerProcess.start(dir.resolve("a.log"), "--redis", redis.url());
             var b = ServerProcess.start(dir.resolve("b.log"), "--redis", redis.url());
             var publisher = new StreamPublisher(redis)) {
            String cursor = firstMessage(a, publisher, "trim");
            for (int i = 1; i <= 20; i++) {
                publisher.publish("trim");
            }
            redis.jedis().xtrim("push:trim", 5, false);

            try (var client = RawHttpClient.connect(b.port())) {
                var trimmed = PollAnswer.of(client.get("/poll/trim?timeout=20&since=" + cursor));
                assertTrue(trimmed.gap(), trimmed::toString);
                assertEquals(List.of("trim:16", "trim:17", "trim:18", "trim:19", "trim:20"), trimmed.data());

                var next = continueAfter(client, b, publisher, "trim", trimmed.cursor());
                assertFalse(next.gap(), next::toString);
                assertEquals(List.of("trim:21"), next.data());
            }
        }
    }

    /**
     * Two channels, one of them trimmed in Redis past the cursor, read in
     * answers of five that carry the other channel's messages first: one
     * {@code gap:true}, in the answer that moves the trimmed channel past it.
     */
    @Test
    @Timeout(60)
    void aTrimmedStreamOfAMultiChannelPollIsOneGapEvenWhenMaxCutsItsMessages(@TempDir Path dir) throws Exception {
        try (var redis = RedisFixture.running();
             var node = ServerProcess.start(dir.resolve("node.log"), "--redis", redis.url());
             var publisher = new StreamPublisher(redis);
             var client = RawHttpClient.connect(node.port());
             var stats = new Stats(node.port())) {
            client.sendGet("/poll/r4,r5?timeout=20");
            stats.awaitUntil("the poll held and both channels subscribed",
                    s -> s.get("held").equals(1L) && Stats.redis(s, "subscribedChannels") == 2, WITHIN);
            publisher.publish("r4");
            String cursor = PollAnswer.of(client.read()).cursor();
            publisher.publish("r5");
            var caughtUp = PollAnswer.of(client.get("/poll/r4,r5?timeout=20&since=" + cursor));
            assertEquals(List.of("r5:0"), caughtUp.data());
            cursor = caughtUp.cursor();
            for (int i = 0; i < 20; i++) {
                publisher.publish("r5");
            }
            for (int i = 0; i < 100; i++) {
                publisher.publish("r4");
            }
            redis.jedis().xtrim("push:r4", 10, false);

            var gapAnswers = new ArrayList<PollAnswer>();
            for (int answer = 0; answer < 40; answer++) {
                // The first poll is held until the node has caught up with what was just published (its
                // listener hands notifications to readers, so it may still be reading); the rest are not.
                var next = PollAnswer.of(client.get("/poll/r4,r5?timeout=" + (answer == 0 ? 20 : 0) + "&max=5&since="
                        + cursor));
                if (next.messages().isEmpty()) {
                    break;
                }
                if (next.gap()) {
                    gapAnswers.add(next);
                }
                cursor = next.cursor();
            }
            assertEquals(1, gapAnswers.size(), gapAnswers::toString);
            assertTrue(gapAnswers.getFirst().data().getFirst().startsWith("r4:"), gapAnswers::toString);
        }
    }

    /**
     * A stream that Redis lost altogether (its keys gone, as after a failover
     * to a replica that never had them) starts a new epoch; a cursor of the old
     * one says {@code gap:true} once, then the client goes on without a gap.
     */
    @Test
    @Timeout(60)
    void aStreamRedisLostGivesExactlyOneGapThenContinues(@TempDir Path dir) throws Exception {
        try (var redis = RedisFixture.running();
             var node = ServerProcess.start(dir.resolve("node.log"), "--redis", redis.url());
             var publisher = new StreamPublisher(redis)) {
            String cursor = firstMessage(node, publisher, "lost");
            redis.jedis().del("push:lost", "push:lost!meta");
            publisher.publish("lost");

            try (var client = RawHttpClient.connect(node.port())) {
                var lost = PollAnswer.of(client.get("/poll/lost?timeout=20&since=" + cursor));
                assertTrue(lost.gap(), lost::toString);
                assertEquals(List.of("lost:1"), lost.data());

                var next = continueAfter(client, node, publisher, "lost", lost.cursor());
                assertFalse(next.gap(), next::toString);
                assertEquals(List.of("lost:2"), next.data());
            }
        }
    }

    /** What happens to node A, 3 s into the publish stream. */
    private interface Fault {
        void hit(ServerProcess node) throws Exception;
    }

    /**
     * 1,000 clients held on node A of two, 5,000 messages at 500 per second,
     * the fault on A 3 s in: every client moves to B and gets every message,
     * in order, without a gap or an error status.
     *
     * @param heldPollsMayBeCut whether the fault may cut polls held when it came (a kill does; a
     *        drain answers them, and may lose at most {@link #KEEP_ALIVE_RACE} of the polls sent as
     *        it began: a poll on a keep-alive connection that closes under it, HTTP/1.1's
     *        keep-alive race, which the client answers by sending it again)
     */
    private static void clientsMoveFromAToB(Path dir, String fault, Fault onA, boolean heldPollsMayBeCut)
            throws Exception {
        try (var redis = RedisFixture.running();
             var a = ServerProcess.start(dir.resolve("a.log"), "--redis", redis.url());
             var b = ServerProcess.start(dir.resolve("b.log"), "--redis", redis.url());
             var followers = Followers.start(CLIENTS, List.of(a.port(), b.port()), HOLD);
             var publisher = new StreamPublisher(redis)) {
            try (var stats = new Stats(a.port())) {
                awaitHeldAndSubscribed(stats);
            }

            long start = System.nanoTime();
            publisher.start(5_000, 500, channels());
            sleepUntil(start, Duration.ofSeconds(3));
            long faultAt = System.nanoTime();
            onA.hit(a);
            publisher.await(Duration.ofSeconds(60));
            var caughtUp = followers.awaitAll(publisher, Duration.ofSeconds(60));

            followers.assertEveryMessageInOrderWithoutGapOrError(publisher);
            var drops = followers.all().stream().flatMap(f -> f.dropsSeen().stream()).toList();
            var heldCut = drops.stream().filter(d -> d.port() == a.port() && d.sentAtNanos() - faultAt < 0).toList();
            if (!heldPollsMayBeCut) {
                assertEquals(List.of(), heldCut, () -> "every poll held on A answered: " + followers.summary()
                        + "; A's log:\n" + a.log());
                assertTrue(drops.size() <= KEEP_ALIVE_RACE, () -> "polls sent as the drain began: " + drops
                        + "; A's log:\n" + a.log());
            }
            assertTrue(followers.all().stream().allMatch(f -> f.moves() >= 1), () -> "every client moved: "
                    + followers.summary());
            System.out.printf("NoLossIT: node A %s under %d held polls; %d published; %s (%d of them held when it"
                            + " came); all caught up %d ms after the last publish%n", fault, CLIENTS,
                    publisher.published(), followers.summary(), heldCut.size(), caughtUp.toMillis());
        }
    }

    /** Message k goes to the shared channel every {@link #SHARED_EVERY}, else to client k's own. */
    private static IntFunction<String> channels() {
        return k -> k % SHARED_EVERY == SHARED_EVERY - 1 ? Followers.SHARED : Followers.own(k % CLIENTS);
    }

    /** Every client held on the node, and every channel subscribed: a publish now reaches them all. */
    private static void awaitHeldAndSubscribed(Stats stats) throws Exception {
        stats.awaitUntil(CLIENTS + " polls held and subscribed",
                s -> s.get("held").equals((long) CLIENTS) && s.get("mailboxes").equals(2L * CLIENTS)
                        && Stats.redis(s, "subscribedChannels") == CLIENTS + 1, WITHIN);
    }

    /** A client held on the channel receives its first message: the cursor after it. */
    private static String firstMessage(ServerProcess node, StreamPublisher publisher, String channel) throws Exception {
        try (var client = RawHttpClient.connect(node.port()); var stats = new Stats(node.port())) {
            client.sendGet("/poll/" + channel + "?timeout=20");
            stats.awaitUntil("the poll held and its channel subscribed",
                    s -> s.get("held").equals(1L) && Stats.redis(s, "subscribedChannels") == 1, WITHIN);
            publisher.publish(channel);
            var first = PollAnswer.of(client.read());
            assertEquals(List.of(channel + ":0"), first.data());
            assertFalse(first.gap(), first::toString);
            return first.cursor();
        }
    }

    /** Holds a poll with the cursor, publishes the channel's next message, and returns the answer. */
    private static PollAnswer continueAfter(RawHttpClient client, ServerProcess node, StreamPublisher publisher,
                                            String channel, String cursor) throws Exception {
        client.sendGet("/poll/" + channel + "?timeout=20&since=" + cursor);
        try (var stats = new Stats(node.port())) {
            stats.awaitUntil("the poll held", s -> s.get("held").equals(1L) && s.get("mailboxes").equals(1L), WITHIN);
        }
        publisher.publish(channel);
        return PollAnswer.of(client.read());
    }

    private static void sleepUntil(long startNanos, Duration after) throws InterruptedException {
        long wait = startNanos + after.toNanos() - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
        }
    }
}
