package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * loompush on a real Redis Cluster (three masters, three replicas): a
 * channel's stream and notifications stay in its shard, and every node
 * delivers what any node or backend publishes, on channels of every shard.
 */
class RedisClusterIT {
    private static final Duration WITHIN = Duration.ofSeconds(15);

    @Test
    @Timeout(120)
    void messagesCrossTwoNodesOnChannelsOfEveryShard() throws Exception {
        try (var cluster = RedisCluster.start(false);
                var a = TestServer.start("--redis", cluster.url());
                var b = TestServer.start("--redis", cluster.url())) {
            a.stats().awaitUntil("node A's links up", Stats::redisConnected, WITHIN);
            b.stats().awaitUntil("node B's links up", Stats::redisConnected, WITHIN);
            assertEquals(3, Stats.redis(a.stats().read(), "shards"));
            var channels = cluster.channelPerMaster("c");
            assertEquals(3, channels.size(), "a channel in each shard");

            for (var entry : channels.entrySet()) {
                String channel = entry.getValue();
                try (var client = a.connect()) {
                    client.sendGet("/poll/" + channel + "?timeout=10");
                    a.stats().awaitUntil(channel + " held and covered on A",
                            s -> s.get("held").equals(1L) && Stats.redis(s, "subscribedChannels") >= 1, WITHIN);
                    // Sharded pub/sub: the node subscribed on the master of the channel's slot, nowhere else.
                    try (var master = new Jedis("127.0.0.1", entry.getKey())) {
                        assertEquals(List.of("push:{" + channel + "}"), master.pubsubShardChannels("push:{" + channel + "}"));
                    }

                    var published = b.publish(channel, "from B to " + channel);
                    var answer = PollAnswer.of(client.read());
                    assertEquals(List.of("from B to " + channel), answer.data());
                    assertEquals(published.id(), answer.messages().getFirst().id(), "one id on every node");
                    assertFalse(answer.gap());

                    // A backend through any cluster client, with the key the README gives.
                    client.sendGet("/poll/" + channel + "?timeout=10&since=" + answer.cursor());
                    a.stats().awaitHeld(1, 1, WITHIN);
                    String id = (String) cluster.client().fcall("loompush_publish", List.of("push:{" + channel + "}"),
                            List.of("from a backend"));
                    var next = PollAnswer.of(client.read());
                    assertEquals(List.of("from a backend"), next.data());
                    assertEquals(id, next.messages().getFirst().id());
                    a.stats().awaitHeld(0, 0, WITHIN);
                }
            }
            assertTrue(cluster.client().exists("push:{" + channels.values().iterator().next() + "}!meta"),
                    "the metadata beside its stream, in the same slot");
        }
    }

    /**
     * One master's subscriber link cut: that shard alone reconnects, and its channels are read from
     * their streams, so a message published while the link was down still reaches the held poll.
     */
    @Test
    @Timeout(60)
    void aShardsLinkCutReconnectsAloneAndBackfills() throws Exception {
        try (var cluster = RedisCluster.start(false);
                var node = TestServer.start("--redis", cluster.url());
                var client = node.connect()) {
            node.stats().awaitUntil("the node's links up", Stats::redisConnected, WITHIN);
            var channels = cluster.channelPerMaster("r");
            int master = channels.keySet().iterator().next();
            String channel = channels.get(master);
            String cursor = PollAnswer.of(client.get("/poll/" + channel + "?timeout=0")).cursor();
            client.sendGet("/poll/" + channel + "?timeout=20&since=" + cursor);
            node.stats().awaitUntil("held and covered",
                    s -> s.get("held").equals(1L) && Stats.redis(s, "subscribedChannels") == 1, WITHIN);

            long killed;
            try (var jedis = new Jedis("127.0.0.1", master)) {
                killed = jedis.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
                String id = (String) cluster.client().fcall("loompush_publish", List.of("push:{" + channel + "}"),
                        List.of("while the link was down"));
                var answer = PollAnswer.of(client.read());
                assertEquals(List.of("while the link was down"), answer.data());
                assertEquals(id, answer.messages().getFirst().id());
                assertFalse(answer.gap());
            }
            assertEquals(1, killed, "the node's one subscriber connection on that master");
            node.stats().awaitUntil("one link reconnected, every link up",
                    s -> Stats.redisConnected(s) && Stats.redis(s, "reconnects") == 1, WITHIN);
        }
    }
}
