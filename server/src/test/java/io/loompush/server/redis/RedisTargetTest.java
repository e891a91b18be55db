package io.loompush.server.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedisTargetTest {
    private static RedisTarget single(String host, int port, String user, String password, int database, boolean tls) {
        return new RedisTarget(List.of(new RedisTarget.Node(host, port)), user, password, database, tls, false);
    }

    @Test
    void readsHostPortDatabaseAndCredentials() {
        assertEquals(single("cache.internal", 6380, "app", "s3cret", 2, false),
                RedisTarget.parse("redis://app:s3cret@cache.internal:6380/2"));
        assertEquals(single("localhost", 6379, null, "pw", 0, true), RedisTarget.parse("rediss://:pw@localhost"));
        assertEquals(single("127.0.0.1", 6379, null, null, 0, false), RedisTarget.parse("redis://127.0.0.1/"));
    }

    @Test
    void refusesWhatIsNotARedisUrl() {
        for (String bad : new String[] {"http://x", "redis://", "redis://:6379", "redis://h/x", "redis://h/0?a=b",
                "cache:6379", "redis://h:port", "", "redis://h:0", "redis://h:99999"}) {
            assertThrows(IllegalArgumentException.class, () -> RedisTarget.parse(bad), bad);
        }
    }

    @Test
    void readsTheSeedNodesOfACluster() {
        assertEquals(new RedisTarget(List.of(new RedisTarget.Node("10.0.0.1", 7000), new RedisTarget.Node("r2.internal", 7001)),
                        "app", "pw", 0, false, true),
                RedisTarget.parse("redis-cluster://app:pw@10.0.0.1:7000,r2.internal:7001"));
        assertEquals(new RedisTarget(List.of(new RedisTarget.Node("h", 1)), null, null, 0, false, true),
                RedisTarget.parse("redis-cluster://h:1/"));
    }

    @Test
    void refusesAClusterUrlWithoutPortsOrWithADatabase() {
        for (String bad : new String[] {"redis-cluster://", "redis-cluster://h", "redis-cluster://h:1,", "redis-cluster://h:1/0",
                "redis-cluster://h:1?a=b", "redis-cluster://h:0", "redis-cluster://h:1,,k:2", "redis-cluster://h:99999"}) {
            assertThrows(IllegalArgumentException.class, () -> RedisTarget.parse(bad), bad);
        }
    }

    @Test
    void logsWithoutThePassword() {
        assertEquals("redis://app@h:1/0", RedisTarget.parse("redis://app:s3cret@h:1").toString());
        assertEquals("redis-cluster://app@h:1,k:2", RedisTarget.parse("redis-cluster://app:s3cret@h:1,k:2").toString());
    }
}
