package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;

/**
 * A node receives a channel only while it is subscribed to it. Between two
 * polls the linger keeps the subscription, so a client that comes back at once
 * is answered from the node's copy; a client that comes back after the node let
 * go is answered from the channel's stream. Either way it misses nothing that
 * was published recoverably; a plain PUBLISH between two polls is lost, as
 * documented (at most once).
 */
class RedisCoverageIT {
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @Test
    void clientComingBackWithinTheLingerMissesNothing() throws Exception {
        try (var redis = RedisFixture.running();
                var server = TestServer.start("--redis", redis.url(), "--subscription-linger", "5s");
                var client = server.connect()) {
            String cursor = PollAnswer.of(client.get("/poll/grace?timeout=1")).cursor();
            server.stats().awaitUntil("no poll held, the channel still subscribed (lingering)",
                    s -> s.get("held").equals(0L) && Stats.redis(s, "subscribedChannels") == 1, WITHIN);

            assertEquals(1, redis.jedis().publish("push:grace", "plain, nobody held: lost"));
            // Through this node: answered once its own message is back from Redis, after the plain one.
            server.publish("grace", "between two polls");
            var next = PollAnswer.of(client.get("/poll/grace?timeout=5&since=" + cursor));

            assertEquals(List.of("between two polls"), next.data());
            assertFalse(next.gap());
        }
    }

    @Test
    void clientComingBackAfterTheNodeUnsubscribedGetsWhatItMissedFromTheStream() throws Exception {
        try (var redis = RedisFixture.running();
                var server = TestServer.start("--redis", redis.url(), "--subscription-linger", "1s");
                var client = server.connect()) {
            String cursor = PollAnswer.of(client.get("/poll/gone?timeout=1")).cursor();
            server.stats().awaitUntil("unsubscribed after the linger",
                    s -> Stats.redis(s, "wantedChannels") == 0 && Stats.redis(s, "subscribedChannels") == 0, WITHIN);
            redis.awaitSubscribers("push:gone", 0, WITHIN);

            String id = redis.fcallPublish("push:gone", "kept in the stream");
            long start = System.nanoTime();
            var back = PollAnswer.of(client.get("/poll/gone?timeout=10&since=" + cursor));
            var took = Duration.ofNanos(System.nanoTime() - start);

            assertFalse(back.gap(), () -> "the stream holds what the node never received: " + back);
            assertEquals(List.of("kept in the stream"), back.data());
            assertEquals(id, back.messages().getFirst().id(), "the id is the stream's, the same on every node");
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "answered once subscribed, took " + took);

            // From there on the node's own copy continues.
            client.sendGet("/poll/gone?timeout=10&since=" + back.cursor());
            server.stats().awaitHeld(1, 1, WITHIN);
            redis.fcallPublish("push:gone", "found");
            var after = PollAnswer.of(client.read());
            assertEquals(List.of("found"), after.data());
            assertFalse(after.gap());
        }
    }

    /**
     * Issue 19: a notification that does not follow the node's copy (here, the entry before it was
     * written without one) makes the node read the stream again; the publish whose notification that
     * was is answered as soon as the reading delivered it, not after the echo wait runs out.
     */
    @Test
    void publishWhoseNotificationStartsAReadingIsAnsweredAtOnce() throws Exception {
        try (var redis = RedisFixture.running();
                var server = TestServer.start("--redis", redis.url());
                var client = server.connect()) {
            client.sendGet("/poll/skip?timeout=10");
            server.stats().awaitUntil("the poll held, the channel subscribed",
                    s -> s.get("held").equals(1L) && Stats.redis(s, "subscribedChannels") == 1, WITHIN);
            var jedis = redis.jedis();
            String last = jedis.hget("push:skip!meta", "last");
            String missed = jedis.xadd("push:skip", StreamEntryID.NEW_ENTRY,
                    Map.of("d", "no notification", "p", last == null ? "0-0" : last)).toString();
            jedis.hset("push:skip!meta", "last", missed);

            long start = System.nanoTime();
            var published = server.publish("skip", "after the missed one");
            var took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(took.compareTo(Duration.ofMillis(500)) < 0, "the echo came with the reading; took " + took);
            var answer = PollAnswer.of(client.read());
            assertEquals("no notification", answer.data().getFirst());
            assertFalse(answer.gap());
            assertTrue(published.receivers() <= 1, "receivers " + published.receivers());
        }
    }
}
