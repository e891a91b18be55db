package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** The Redis every Redis test runs against is real, restarts on its own port, and is gone after. */
class RedisFixtureIT {

    @Test
    void redisAnswersStopsAndComesBackOnTheSamePort() throws Exception {
        try (var redis = RedisFixture.running()) {
            String url = redis.url();
            assertEquals("PONG", redis.jedis().ping());
            redis.jedis().set("kept", "only until the restart");

            redis.stop();
            assertThrows(JedisConnectionException.class, () -> {
                try (var probe = new Jedis("127.0.0.1", redis.port(), 1000)) {
                    probe.ping();
                }
            });

            redis.start();
            assertEquals(url, redis.url());
            assertEquals("PONG", redis.jedis().ping());
            assertEquals(null, redis.jedis().get("kept"), "no persistence: a restart starts empty");
        }
    }

    @Test
    void durableRedisKeepsWhatItAnsweredAcrossARestart() throws Exception {
        try (var redis = RedisFixture.durable()) {
            redis.jedis().set("kept", "across the restart");

            redis.restart();

            assertEquals("across the restart", redis.jedis().get("kept"));
        }
    }

    @Test
    void withNeitherDockerNorABinaryTheFailureSaysHowToInstallOne() {
        var failure = assertThrows(AssertionFailedError.class, () -> RedisFixture.choose(false, Optional.empty(), false));

        assertTrue(failure.getMessage().contains("apt-get install -y redis-server"), failure::getMessage);
    }
}
