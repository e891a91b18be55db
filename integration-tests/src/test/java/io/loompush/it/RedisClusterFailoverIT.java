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

    /**
     * The loss made certain: the master's replica is cut off while the master acknowledges messages the
     * node delivers, then the master dies and the replica, thawed, takes over without them. The node
     * finds the stream behind its copy and starts a new epoch; every follower gets exactly one
     * {@code gap:true}, with the oldest entry the stream holds, and goes on with what comes next.
     */
    @Test
    @Timeout(120)
    void writesAFailoverLostAreAGapForEveryFollower() throws Exception {
        int clients = 50;
        try (var cluster = RedisCluster.start(false);
                var node = TestServer.start("--redis", cluster.url())) {
            node.stats().awaitUntil("the node's links up", Stats::redisConnected, WITHIN);
            String channel = "lost";
            var followers = new ArrayList<Follower>();
            var threads = new ArrayList<Thread>();
            for (int i = 0; i < clients; i++) {
                var follower = new Follower(channel, Follower.Transport.POLL, List.of(node.port()), HOLD);
                followers.add(follower);
                threads.add(Thread.ofVirtual().start(follower));
            }
            node.stats().awaitUntil("every follower held, the channel covered",
                    s -> s.get("held").equals((long) clients) && Stats.redis(s, "subscribedChannels") == 1, WITHIN);
            var publisher = new StreamPublisher(cluster::newClient, c -> "push:{" + c + "}");
            publisher.publish(channel);
            int master = cluster.masters()[JedisClusterCRC16.getSlot(channel)];
            int replica = cluster.replicaOf(master);
            Thread.sleep(200);

            // Frozen, and its link cut by the master, the replica gets nothing of what follows (a frozen
            // process's socket would still buffer it).
            cluster.freeze(replica, true);
            cluster.dropReplicas(master);
            for (int i = 0; i < 5; i++) {
                publisher.publish(channel);
            }
            awaitEvery(followers, channel, 6);
            cluster.kill(master);
            cluster.freeze(replica, false);
            var live = cluster.live();
            cluster.awaitOk(live);
            node.stats().awaitUntil("the node's links up again", Stats::redisConnected, WITHIN);
            node.stats().awaitUntil("the loss found", s -> Stats.redis(s, "losses") == 1, WITHIN);
            for (int i = 0; i < 3; i++) {
                publisher.publish(channel);
            }
            awaitEvery(followers, channel, 9);
            followers.forEach(Follower::stop);
            for (var thread : threads) {
                thread.join(WITHIN);
            }
            publisher.close();

            // The answer with gap:true starts over from the oldest entry the stream still holds, as for any
            // cursor of a lost history: the one message the replica got comes again.
            var expected = new ArrayList<>(StreamPublisher.expected(channel, 6));
            expected.add(channel + ":0");
            expected.addAll(StreamPublisher.expected(channel, 9).subList(6, 9));
            for (var follower : followers) {
                assertEquals(List.of(), follower.errors());
                assertEquals(1, follower.gaps().size(), () -> "one gap:true: " + follower.gaps());
                assertEquals(expected, follower.received().get(channel),
                        "what the follower had before the failover, then the new epoch from its start");
            }
        }
    }

    private static void awaitEvery(List<Follower> followers, String channel, int messages) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!followers.stream().allMatch(f -> f.received().get(channel).size() >= messages)) {
            assertTrue(System.nanoTime() < deadline, () -> "not within " + WITHIN + ": " + messages + " messages at"
                    + " every follower; first: " + followers.getFirst().received() + " gaps " + followers.getFirst().gaps());
            Thread.sleep(20);
        }
    }
}
