package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node subscribes in Redis to every channel it holds a poll on, and after
 * the polls leave and the linger passes, to none of them again.
 */
class RedisSubscriptionsIT {
    private static final int CHANNELS = 10_000;
    private static final int PER_POLL = 64;
    /** The polls' hold: what the test has to see all 10,000 subscribed, and when the node notices they left. */
    private static final int HOLD_SECONDS = 4;

    @Test
    @Timeout(60)
    void tenThousandChannelsAreSubscribedWhilePolledAndUnsubscribedAfterTheLinger() throws Exception {
        List<String> channels = IntStream.range(0, CHANNELS).mapToObj(i -> "c" + i).toList();
        List<String> redisChannels = channels.stream().map(c -> "push:" + c).toList();
        int polls = (CHANNELS + PER_POLL - 1) / PER_POLL;
        var clients = new ArrayList<RawHttpClient>(polls);
        try (var redis = RedisFixture.running();
                var server = TestServer.start("--redis", redis.url(), "--subscription-linger", "1s")) {
            try {
                long start = System.nanoTime();
                for (int from = 0; from < CHANNELS; from += PER_POLL) {
                    var client = server.connect();
                    clients.add(client);
                    var list = String.join(",", channels.subList(from, Math.min(from + PER_POLL, CHANNELS)));
                    client.sendGet("/poll/" + list + "?timeout=" + HOLD_SECONDS);
                }
                var subscribed = server.stats().awaitUntil(polls + " polls held on " + CHANNELS + " subscribed channels",
                        s -> s.get("held").equals((long) polls) && s.get("mailboxes").equals((long) CHANNELS)
                                && Stats.redis(s, "subscribedChannels") == CHANNELS,
                        Duration.ofSeconds(HOLD_SECONDS - 1));
                var subscribeTook = Duration.ofNanos(System.nanoTime() - start);

                assertEquals((long) CHANNELS, Stats.redis(subscribed, "wantedChannels"), subscribed::toString);
                Map<String, Long> numsub = redis.jedis().pubsubNumSub(redisChannels.toArray(String[]::new));
                var notOne = redisChannels.stream().filter(c -> numsub.get(c) != 1L).limit(5).toList();
                assertTrue(notOne.isEmpty(), () -> "channels without exactly one subscriber, first ones: " + notOne
                        + " " + notOne.stream().map(numsub::get).toList());

                for (var client : clients) {
                    client.close();
                }
                long left = System.nanoTime();
                server.stats().awaitUntil("no channel and no subscription left",
                        s -> s.get("channels").equals(0L) && Stats.redis(s, "wantedChannels") == 0
                                && Stats.redis(s, "subscribedChannels") == 0,
                        Duration.ofSeconds(HOLD_SECONDS + 15));
                awaitOnlyTheControlChannel(redis, Duration.ofSeconds(5));
                var unsubscribeTook = Duration.ofNanos(System.nanoTime() - left);

                Map<String, Long> after = redis.jedis().pubsubNumSub(redisChannels.toArray(String[]::new));
                assertTrue(after.values().stream().allMatch(n -> n == 0L), "every channel back to 0 subscribers");
                System.out.printf("RedisSubscriptionsIT: %d channels in %d polls subscribed in %d ms;"
                                + " unsubscribed %d ms after the clients left (hold %d s, linger 1 s)%n",
                        CHANNELS, polls, subscribeTook.toMillis(), unsubscribeTook.toMillis(), HOLD_SECONDS);
            } finally {
                for (var client : clients) {
                    client.close();
                }
            }
        }
    }

    private static void awaitOnlyTheControlChannel(RedisFixture redis, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> left = redis.jedis().pubsubChannels("push:*");
            if (left.equals(List.of("push:!loompush"))) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, () -> "still subscribed after " + timeout + ": "
                    + left.size() + " channels, " + left.stream().limit(5).toList());
            Thread.sleep(20);
        }
    }
}
