package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With tokens on, a poll for channels its token does not allow creates no
 * Redis state: no subscription, no stream, no metadata. What an unauthenticated
 * client can make a node do in Redis is bounded by what tokens allow.
 */
class TokensRedisIT {
    private static final String SECRET = "it-secret-of-at-least-32-bytes-long";
    private static final int REFUSED_POLLS = 200;

    @Test
    @Timeout(60)
    void refusedPollsSubscribeToNothingAndWriteNothing() throws Exception {
        try (var redis = RedisFixture.running();
                var server = TestServer.start("--redis", redis.url(), "--auth-jwt-secret", SECRET);
                var client = server.connect()) {
            Set<String> keysBefore = redis.jedis().keys("*");
            String other = Jwt.hs256(SECRET, Jwt.claims(Jwt.nowSeconds() + 60, "mine"));
            for (int i = 0; i < REFUSED_POLLS; i++) {
                String channels = "/poll/guess" + i + ",guess" + i + "b?timeout=30";
                var response = i % 2 == 0
                        ? client.get(channels)
                        : client.get(channels, "Authorization: Bearer " + other);
                assertEquals(i % 2 == 0 ? 401 : 403, response.status(), response::toString);
            }

            Map<String, Object> stats = server.stats().read();
            assertEquals(0L, stats.get("channels"), stats::toString);
            assertEquals(0L, Stats.redis(stats, "wantedChannels"), stats::toString);
            assertEquals(0L, Stats.redis(stats, "subscribedChannels"), stats::toString);
            assertEquals(List.of("push:!loompush"), redis.jedis().pubsubChannels("push:*"));
            assertEquals(keysBefore, redis.jedis().keys("*"));

            String mine = Jwt.hs256(SECRET, Jwt.claims(Jwt.nowSeconds() + 60, "mine"));
            client.sendGet("/poll/mine?timeout=10", "Authorization: Bearer " + mine);
            server.stats().awaitUntil("the allowed poll subscribed",
                    s -> Stats.redis(s, "subscribedChannels") == 1, Duration.ofSeconds(5));
        }
    }
}
