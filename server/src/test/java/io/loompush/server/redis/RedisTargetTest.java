package io.loompush.server.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RedisTargetTest {

    @Test
    void readsHostPortDatabaseAndCredentials() {
        assertEquals(new RedisTarget("cache.internal", 6380, "app", "s3cret", 2, false),
                RedisTarget.parse("redis://app:s3cret@cache.internal:6380/2"));
        assertEquals(new RedisTarget("localhost", 6379, null, "pw", 0, true), RedisTarget.parse("rediss://:pw@localhost"));
        assertEquals(new RedisTarget("127.0.0.1", 6379, null, null, 0, false), RedisTarget.parse("redis://127.0.0.1/"));
    }

    @Test
    void refusesWhatIsNotARedisUrl() {
        for (String bad : new String[] {"http://x", "redis://", "redis://:6379", "redis://h/x", "redis://h/0?a=b",
                "cache:6379", "redis://h:port", "", "redis://h:0", "redis://h:99999"}) {
            assertThrows(IllegalArgumentException.class, () -> RedisTarget.parse(bad), bad);
        }
    }

    @Test
    void logsWithoutThePassword() {
        assertEquals("redis://app@h:1/0", RedisTarget.parse("redis://app:s3cret@h:1").toString());
    }
}
