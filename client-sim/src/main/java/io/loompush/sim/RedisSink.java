package io.loompush.sim;

import io.loompush.sim.protocol.Loompush;
import java.nio.charset.StandardCharsets;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Publishes through Redis on one connection, opened again after a failure:
 * to loompush recoverably, with {@code FCALL loompush_publish 1 <prefix><channel> <payload>}
 * (stream and notification, the function loompush loads), to the seed's server
 * with {@code PUBLISH <prefix><channel> <payload>}, the only way it knows.
 */
final class RedisSink implements Sink {
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final byte[] FUNCTION = "loompush_publish".getBytes(StandardCharsets.US_ASCII);

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
            byte[] key = (config.redisPrefix() + channel).getBytes(StandardCharsets.UTF_8);
            if (config.protocol() instanceof Loompush) {
                jedis.fcall(FUNCTION, List.of(key), List.of(payload));
            } else {
                jedis.publish(key, payload);
            }
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
