package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A Redis Cluster master killed (SIGKILL) under 1,000 followers and 500
 * messages per second: its replica takes over, the node subscribes there and
 * reads what it missed, and the followers go on. Redis replicates
 * asynchronously, so a write the old master acknowledged may be lost even with
 * {@code appendfsync always}; such a loss must never be silent: every message
 * published reaches every follower of its channel, or the follower saw
 * {@code gap:true} on it.
 */
class RedisClusterFailoverIT {
    private static final int CLIENTS = 1000;
    private static final int SHARED_EVERY = 200;
    private static final Duration HOLD = Duration.ofSeconds(20);
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Test
    @Timeout(180)
    void followersGoOnAfterAFailoverAndNoLossIsSilent(@TempDir Path dir) throws Exception {
        int total = 8_000;
        try (var cluster = RedisCluster.start(true);
                var node = ServerProcess.start(dir.resolve("node.log"), "--redis", cluster.url());
                var stats = new Stats(node.port());
                var followers = Followers.start(CLIENTS, List.of(node.port()), HOLD);
                var publisher = new StreamPublisher(cluster::newClient, channel -> "push:{" + channel + "}")) {
            stats.awaitUntil("every poll held and every channel covered", s -> Stats.redisConnected(s)
                    && s.get("held").equals((long) CLIENTS) && Stats.redis(s, "subscribedChannels") == CLIENTS + 1,
                    WITHIN);
            int victim = cluster.masters()[JedisClusterCRC16.getSlot(Followers.own(0))];

            long start = System.nanoTime();
            publisher.start(total, 500, k -> k % SHARED_EVERY == 0 ? Followers.SHARED : Followers.own(k % CLIENTS));
            Thread.sleep(5_000);
            cluster.kill(victim);
            long killed = System.nanoTime();
            var live = cluster.live();
            cluster.awaitOk(live);
            long failedOver = System.nanoTime();
            stats.awaitUntil("the node's links up again, on the new master", Stats::redisConnected, WITHIN);
            long resubscribed = System.nanoTime();
            publisher.await(Duration.ofSeconds(90));
            var caughtUp = followers.awaitLast(publisher, Duration.ofSeconds(60));

            int gapped = followers.assertEveryMessageOrAGap(publisher);
            var redis = stats.read();
            System.out.printf("RedisClusterFailoverIT: master %d killed %d ms into the run; cluster ok after %d ms, node"
                            + " subscribed on the new master after %d ms; %d published (%d publishes recovered); %s;"
                            + " %d followers saw gap:true; node: %d stream losses, %d reads retried, %d reconnects;"
                            + " all caught up %d ms after the last publish%n",
                    victim, (killed - start) / 1_000_000, (failedOver - killed) / 1_000_000,
                    (resubscribed - killed) / 1_000_000, publisher.published(), publisher.recoveries(),
                    followers.summary(), gapped, Stats.redis(redis, "losses"), Stats.redis(redis, "readRetries"),
                    Stats.redis(redis, "reconnects"), caughtUp.toMillis());
            assertEquals(3, Stats.redis(redis, "shards"));
        }
    }
}
