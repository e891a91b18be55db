package io.loompush.server.redis;

import java.nio.charset.StandardCharsets;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A channel's stream key, which is also its pub/sub channel: {@code <prefix><channel>},
 * or on a Redis Cluster {@code <prefix>{<channel>}}, the channel name as a hash
 * tag, so the stream, its metadata ({@code <key>!meta}) and the notifications
 * share one hash slot. Channel names hold no braces, so the tag is exactly the name.
 */
record Keys(String prefix, boolean cluster) {
    String key(String channel) {
        return cluster ? prefix + "{" + channel + "}" : prefix + channel;
    }

    byte[] keyBytes(String channel) {
        return key(channel).getBytes(StandardCharsets.UTF_8);
    }

    /** The channel of a key this node subscribed. */
    String channel(byte[] key) {
        int skip = prefix.getBytes(StandardCharsets.UTF_8).length + (cluster ? 1 : 0);
        return new String(key, skip, key.length - skip - (cluster ? 1 : 0), StandardCharsets.UTF_8);
    }

    /** The channel's hash slot in a cluster. */
    int slot(String channel) {
        return JedisClusterCRC16.getSlot(channel);
    }
}
