package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.loompush.it.PollAnswer.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With {@code --redis}, messages come through Redis pub/sub: a backend's own
 * {@code PUBLISH push:<channel>} reaches the polls held on any node, and so
 * does an HTTP publish on any node.
 */
class RedisPubSubIT {
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @Test
    void externalPublishReachesAHeldPoll() throws Exception {
        try (var redis = RedisFixture.running(); var server = TestServer.start("--redis", redis.url());
                var poller = server.connect()) {
            poller.sendGet("/poll/alice?timeout=10");
            awaitSubscribed(server, 1);
            redis.awaitSubscribers("push:alice", 1, WITHIN);

            long redisReceivers = redis.jedis().publish("push:alice", "hello");
            var answer = PollAnswer.of(poller.read());

            assertEquals(1, redisReceivers, "the node is the one subscriber of push:alice");
            assertEquals(1, answer.messages().size(), answer::toString);
            var message = answer.messages().getFirst();
            assertEquals(new Message("alice", message.id(), "hello", null), message);
            assertNotNull(message.id());
            assertFalse(answer.gap());

            // A plain PUBLISH reaches held polls only (at most once); the cursor resumes from the stream.
            redis.jedis().publish("push:alice", "plain, between polls: lost");
            // Through this node: answered once its own message is back from Redis, after the plain one.
            server.publish("alice", "again");
            var next = PollAnswer.of(poller.get("/poll/alice?timeout=5&since=" + answer.cursor()));
            assertEquals(List.of("again"), next.data());
            assertFalse(next.gap());
        }
    }

    @Test
    void externalPublishThatIsNotUtf8ComesAsBase64() throws Exception {
        byte[] bytes = {(byte) 0xff, 0x00, (byte) 0xc3, 0x28, 'h', 'i'};
        try (var redis = RedisFixture.running(); var server = TestServer.start("--redis", redis.url());
                var poller = server.connect()) {
            poller.sendGet("/poll/raw?timeout=10");
            awaitSubscribed(server, 1);

            redis.jedis().publish("push:raw".getBytes(StandardCharsets.US_ASCII), bytes);
            var answer = PollAnswer.of(poller.read());

            var message = answer.messages().getFirst();
            assertEquals(new Message("raw", message.id(), null, Base64.getEncoder().encodeToString(bytes)), message);
        }
    }

    @Test
    void redisPrefixNamesTheRedisChannels() throws Exception {
        try (var redis = RedisFixture.running();
                var server = TestServer.start("--redis", redis.url(), "--redis-prefix", "app1:");
                var poller = server.connect()) {
            poller.sendGet("/poll/carol?timeout=10");
            awaitSubscribed(server, 1);
            redis.awaitSubscribers("app1:carol", 1, WITHIN);

            assertEquals(0, redis.jedis().publish("push:carol", "other prefix"));
            assertEquals(1, redis.jedis().publish("app1:carol", "this prefix"));

            assertEquals(List.of("this prefix"), PollAnswer.of(poller.read()).data());
        }
    }

    @Test
    void httpPublishOnOneNodeReachesAPollHeldOnAnother() throws Exception {
        try (var redis = RedisFixture.running();
                var nodeA = TestServer.start("--redis", redis.url());
                var nodeB = TestServer.start("--redis", redis.url());
                var poller = nodeB.connect()) {
            poller.sendGet("/poll/bob?timeout=10");
            nodeB.stats().awaitHeld(1, 1, WITHIN);
            awaitSubscribed(nodeB, 1);
            redis.awaitSubscribers("push:bob", 1, WITHIN);

            var onA = nodeA.publish("bob", "from A");
            var first = PollAnswer.of(poller.read());

            assertEquals(new PublishAnswer("bob", onA.id(), 0), onA, "node A holds no poll on bob and is not subscribed");
            assertEquals(onA.id(), first.messages().getFirst().id(), "one id on every node: the stream's");
            assertEquals(1, first.messages().size(), first::toString);
            assertEquals(new Message("bob", first.messages().getFirst().id(), "from A", null),
                    first.messages().getFirst());
            assertNotNull(first.messages().getFirst().id());
            assertFalse(first.gap());
            var statsA = nodeA.stats().read();
            assertEquals(0L, Stats.redis(statsA, "wantedChannels"), statsA::toString);
            assertEquals(0L, statsA.get("channels"), statsA::toString);

            poller.sendGet("/poll/bob?timeout=10&since=" + first.cursor());
            nodeB.stats().awaitHeld(1, 1, WITHIN);
            var onB = nodeB.publish("bob", "from B");
            var second = PollAnswer.of(poller.read());

            assertNotNull(onB.id(), onB::toString);
            assertEquals(new PublishAnswer("bob", onB.id(), 1), onB);
            assertEquals(List.of(new Message("bob", onB.id(), "from B", null)), second.messages());
            assertFalse(second.gap());
        }
    }

    /** Waits until the node has confirmed subscriptions to exactly this many channels. */
    static void awaitSubscribed(TestServer server, long channels) throws Exception {
        server.stats().awaitUntil(channels + " subscribed channels",
                s -> Stats.redisConnected(s) && Stats.redis(s, "subscribedChannels") == channels, WITHIN);
    }
}
