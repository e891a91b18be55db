package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;

/**
 * The function library a node loads into Redis (loompush.lua), called the way
 * a backend calls it, where its edges are: a stream whose id counter is at the
 * top of its 20 bits, and metadata whose TTL a backend chose longer than the
 * node's.
 */
class StreamFunctionsIT {
    private static final Duration WITHIN = Duration.ofSeconds(10);

    /**
     * Redis counts up within the last id's millisecond while its clock is
     * behind that id (a clock stepped back, a failover to a host behind): the
     * next id then carries into the next millisecond instead of leaving the 20
     * bits that a loompush position keeps for the counter.
     */
    @Test
    void theIdCounterCarriesIntoTheNextMillisecondInsteadOfLeavingItsTwentyBits() throws Exception {
        try (var redis = RedisFixture.running(); var server = TestServer.start("--redis", redis.url())) {
            server.awaitHealthz(200, WITHIN);
            var jedis = redis.jedis();
            redis.fcallPublish("push:carry", "first");
            long ahead = System.currentTimeMillis() + 60_000;
            long top = (1L << 20) - 1;
            setLast(redis, "carry", ahead + "-" + (top - 1));

            redis.fcallPublish("push:carry", "counter at its top");
            redis.fcallPublish("push:carry", "carried");

            var newest = jedis.xrevrange("push:carry", "+", "-", 2);
            assertEquals(new StreamEntryID(ahead + 1, 0), newest.get(0).getID());
            assertEquals(new StreamEntryID(ahead, top), newest.get(1).getID());
        }
    }

    /**
     * A node's reads keep the metadata alive for twice its own TTL, but never
     * shorten what a backend's publish with a longer TTL gave it: otherwise the
     * metadata expires before its stream and the next publish starts a false
     * new epoch (gap:true for every cursor).
     */
    @Test
    void aNodesReadNeverShortensTheMetadataOfALongerLivedStream() throws Exception {
        try (var redis = RedisFixture.running(); var server = TestServer.start("--redis", redis.url())) {
            server.awaitHealthz(200, WITHIN);
            var jedis = redis.jedis();
            long backendTtl = 3_600_000;
            jedis.fcall("loompush_publish", List.of("push:long"), List.of("kept an hour", "64", String.valueOf(backendTtl)));

            jedis.fcall("loompush_read", List.of("push:long"), List.of("0", "0-0", "10", "1000"));

            long metaTtl = jedis.pttl("push:long!meta");
            assertTrue(metaTtl > 2 * backendTtl - 60_000, "meta PTTL " + metaTtl + " ms after a node's read");
        }
    }

    /** Makes the channel's stream and metadata end at this id, as if Redis had issued it. */
    private static void setLast(RedisFixture redis, String channel, String id) {
        var jedis = redis.jedis();
        jedis.xadd("push:" + channel, XAddParams.xAddParams().id(id), Map.of("d", "placed", "p", "0-0"));
        jedis.hset("push:" + channel + "!meta", "last", id);
    }
}
