package io.loompush.sim;

import java.nio.charset.StandardCharsets;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/** Publishes with {@code PUBLISH <prefix><channel> <payload>} on one Redis connection, opened again after a failure. */
final class RedisSink implements Sink {
    private static final int TIMEOUT_MILLIS = 10_000;

    private final SimConfig config;
    private Jedis jedis;
    private String problem;

    RedisSink(SimConfig config) {
        this.config = config;
    }

    @Override
    public Result publish(String channel, byte[] payload) {
        try {
            if (jedis == null) {
                jedis = new Jedis(config.redis().host(), config.redis().port(), TIMEOUT_MILLIS);
                jedis.connect();
            }
        } catch (JedisException e) {
            close();
            problem = "publish to " + channel + ": cannot connect to " + config.redis() + ": " + e.getMessage();
            return Result.REFUSED;
        }
        try {
            jedis.publish((config.redisPrefix() + channel).getBytes(StandardCharsets.UTF_8), payload);
            return Result.ACCEPTED;
        } catch (JedisException e) {
            close();
            problem = "publish to " + channel + ": " + e.getMessage();
            return Result.UNKNOWN;
        }
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public void close() {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (JedisException e) {
                // a Redis connection being dropped: nothing is left to do with it
            }
            jedis = null;
        }
    }
}
