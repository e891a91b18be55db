package io.loompush.server.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

class KeysTest {
    @Test
    void aSingleRedisKeyIsThePrefixAndTheChannel() {
        var keys = new Keys("push:", false);
        assertEquals("push:alice", keys.key("alice"));
        assertEquals("alice", keys.channel("push:alice".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aClusterKeyTagsTheChannelSoStreamMetadataAndNotificationsShareItsSlot() {
        var keys = new Keys("push:", true);
        assertEquals("push:{alice}", keys.key("alice"));
        assertEquals("alice", keys.channel("push:{alice}".getBytes(StandardCharsets.UTF_8)));
        int slot = JedisClusterCRC16.getSlot("push:{alice}");
        assertEquals(slot, JedisClusterCRC16.getSlot("push:{alice}!meta"));
        assertEquals(slot, keys.slot("alice"));
    }
}
