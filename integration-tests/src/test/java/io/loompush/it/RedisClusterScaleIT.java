package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * One node covering 60,000 channels of a Redis Cluster (polls of 64 channels
 * each), then a master killed under them: the third of them on that shard is
 * subscribed and read again on the new master, through the command pool, at
 * most half of it at a time, while HTTP publishes on the other shards keep
 * getting a connection once the cluster is up again.
 */
class RedisClusterScaleIT {
    private static final int CHANNELS = 60_000;
    private static final int PER_POLL = 64;
    private static final Duration WITHIN = Duration.ofSeconds(60);

    @Test
    @Timeout(300)
    void sixtyThousandChannelsAreCoveredAndCoveredAgainAfterAFailover() throws Exception {
        try (var cluster = RedisCluster.start(false);
                var node = TestServer.start("--redis", cluster.url())) {
            node.stats().awaitUntil("the node's links up", Stats::redisConnected, WITHIN);
            var clients = new ArrayList<RawHttpClient>();
            try {
                long start = System.nanoTime();
                for (int from = 0; from < CHANNELS; from += PER_POLL) {
                    String names = IntStream.range(from, Math.min(CHANNELS, from + PER_POLL))
                            .mapToObj(i -> "k" + i).collect(Collectors.joining(","));
                    var client = RawHttpClient.connect(node.port(), Duration.ofSeconds(180));
                    client.sendGet("/poll/" + names + "?timeout=120");
                    clients.add(client);
                }
                node.stats().awaitUntil(CHANNELS + " channels covered",
                        s -> Stats.redis(s, "subscribedChannels") == CHANNELS, WITHIN);
                long covered = System.nanoTime() - start;

                int victim = cluster.masters()[JedisClusterCRC16.getSlot("k0")];
                int onVictim = (int) IntStream.range(0, CHANNELS)
                        .filter(i -> cluster.masters()[JedisClusterCRC16.getSlot("k" + i)] == victim).count();
                // No poll holds it: an answered poll would let its channels go.
                String elsewhere = IntStream.range(0, CHANNELS).mapToObj(i -> "p" + i)
                        .filter(c -> cluster.masters()[JedisClusterCRC16.getSlot(c)] != victim).findFirst().orElseThrow();
                long killed = System.nanoTime();
                cluster.kill(victim);
                // Until the replica takes over, the whole cluster answers CLUSTERDOWN (cluster-require-full-coverage
                // yes, Redis's default), publishes on every shard too; from then on, the storm of readings
                // must leave them connections.
                cluster.awaitOk(cluster.live());
                long failedOver = System.nanoTime() - killed;
                var latencies = new ArrayList<Long>();
                Map<String, Object> now;
                while (Stats.redis(now = node.stats().read(), "subscribedChannels") < CHANNELS) {
                    var last = now;
                    assertTrue(System.nanoTime() - killed < WITHIN.toNanos(), () -> "covered again within " + WITHIN
                            + "; last /stats: " + last.get("redis"));
                    long t = System.nanoTime();
                    var published = node.publish(elsewhere, "during the storm");
                    latencies.add((System.nanoTime() - t) / 1_000_000);
                    assertTrue(published.id() != null, "published on a shard that stayed up");
                    Thread.sleep(100);
                }
                long recovered = System.nanoTime() - killed;
                var redis = node.stats().read();
                latencies.sort(null);
                System.out.printf("RedisClusterScaleIT: %d channels in %d polls covered in %d ms; master %d killed under"
                                + " %d of them: the cluster ok again after %d ms, all covered again after %d ms (%d reads"
                                + " retried); %d HTTP publishes on another shard meanwhile, median %d ms, max %d ms%n",
                        CHANNELS, clients.size(), covered / 1_000_000, victim, onVictim, failedOver / 1_000_000,
                        recovered / 1_000_000, Stats.redis(redis, "readRetries"),
                        latencies.size(), latencies.isEmpty() ? 0 : latencies.get(latencies.size() / 2),
                        latencies.isEmpty() ? 0 : latencies.getLast());
                assertEquals(CHANNELS, Stats.redis(redis, "wantedChannels"));
            } finally {
                for (var client : clients) {
                    client.close();
                }
            }
        }
    }
}
