package io.loompush.server.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slot map read from a {@code CLUSTER SLOTS} reply, without a cluster. */
class ClusterShardsTest {
    private static List<Object> node(String host, long port) {
        return List.of(host.getBytes(StandardCharsets.UTF_8), port, "id".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everySlotOfARangeGoesToItsMasterAndEveryNodeIsKnown() {
        var nodes = new LinkedHashSet<RedisTarget.Node>();
        var map = ClusterShards.slots(List.of(
                List.of(0L, 5460L, node("10.0.0.1", 7000), node("10.0.0.4", 7003)),
                List.of(5461L, 10922L, node("10.0.0.2", 7001))), nodes);

        assertEquals(new RedisTarget.Node("10.0.0.1", 7000), map[0]);
        assertEquals(new RedisTarget.Node("10.0.0.1", 7000), map[5460]);
        assertEquals(new RedisTarget.Node("10.0.0.2", 7001), map[5461]);
        assertEquals(new RedisTarget.Node("10.0.0.2", 7001), map[10922]);
        assertNull(map[10923], "a slot no master serves");
        assertEquals(List.of(new RedisTarget.Node("10.0.0.1", 7000), new RedisTarget.Node("10.0.0.4", 7003),
                new RedisTarget.Node("10.0.0.2", 7001)), List.copyOf(nodes));
    }
}
