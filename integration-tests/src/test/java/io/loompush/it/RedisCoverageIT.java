package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node receives a channel only while it is subscribed to it. Between two
 * polls the linger keeps the subscription, so a client that comes back at once
 * misses nothing; a client that comes back after the node let go is told
 * {@code gap:true}, because what was published meanwhile never reached the node.
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

            assertEquals(1, redis.jedis().publish("push:grace", "between two polls"));
            var next = PollAnswer.of(client.get("/poll/grace?timeout=5&since=" + cursor));

            assertEquals(List.of("between two polls"), next.data());
            assertFalse(next.gap());
        }
    }

    @Test
    void clientComingBackAfterTheNodeUnsubscribedIsToldGap() throws Exception {
        try (var redis = RedisFixture.running();
                var server = TestServer.start("--redis", redis.url(), "--subscription-linger", "1s");
                var client = server.connect()) {
            String cursor = PollAnswer.of(client.get("/poll/gone?timeout=1")).cursor();
            server.stats().awaitUntil("unsubscribed after the linger",
                    s -> Stats.redis(s, "wantedChannels") == 0 && Stats.redis(s, "subscribedChannels") == 0, WITHIN);
            redis.awaitSubscribers("push:gone", 0, WITHIN);

            assertEquals(0, redis.jedis().publish("push:gone", "lost"), "nobody is subscribed");
            long start = System.nanoTime();
            var back = PollAnswer.of(client.get("/poll/gone?timeout=10&since=" + cursor));
            var took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(back.gap(), () -> "the cursor predates the new subscription: " + back);
            assertEquals(List.of(), back.messages());
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "the gap is answered once subscribed, took " + took);

            // From the cursor of the gap answer on, nothing is missed again.
            client.sendGet("/poll/gone?timeout=10&since=" + back.cursor());
            server.stats().awaitHeld(1, 1, WITHIN);
            assertEquals(1, redis.jedis().publish("push:gone", "found"));
            var after = PollAnswer.of(client.read());
            assertEquals(List.of("found"), after.data());
            assertFalse(after.gap());
        }
    }
}
