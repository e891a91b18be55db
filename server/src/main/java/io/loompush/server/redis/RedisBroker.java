package io.loompush.server.redis;

import io.loompush.server.push.Broker;
import io.loompush.server.push.BrokerUnavailableException;
import io.loompush.server.push.Feed;
import io.loompush.server.push.Published;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Publishes through Redis, so that every node subscribed to the channel
 * delivers the message: {@code PUBLISH <prefix><channel> <payload>}, exactly
 * what a backend may send itself.
 *
 * <p>The answer's id and receivers are this node's: when this node receives the
 * channel, the publish waits (briefly) for its own message to come back from
 * Redis and answers with the id this node gave it and the polls it reached
 * here. When this node does not receive the channel, no poll here can be
 * waiting for it: the answer has no id and 0 receivers.
 */
public final class RedisBroker implements Broker {
    /** How long a publish waits for its own message to come back through the subscription. */
    private static final Duration ECHO_TIMEOUT = Duration.ofSeconds(1);
    private static final int COMMAND_TIMEOUT_MILLIS = 2000;
    /** How long a publish waits for a free connection of the pool. */
    private static final Duration POOL_WAIT = Duration.ofSeconds(2);

    private final RedisFeed feed;
    private final JedisPooled publisher;

    public RedisBroker(RedisTarget target, RedisFeed feed) {
        this.feed = feed;
        var pool = new ConnectionPoolConfig();
        // A pooled connection may have died with a Redis restart; a PING on borrow finds it before a publish
        // fails on it (one loopback round trip, against a 503 after every restart).
        pool.setTestOnBorrow(true);
        pool.setMaxWait(POOL_WAIT);
        this.publisher = new JedisPooled(target.hostAndPort(), target.clientConfig(COMMAND_TIMEOUT_MILLIS, "loompush"),
                pool);
    }

    @Override
    public Published publish(String channel, byte[] data) {
        if (!feed.connected()) {
            throw new BrokerUnavailableException("redis unreachable");
        }
        boolean receivedHere = feed.coveredSince(channel) != Feed.NOT_COVERED;
        Echoes.Echo echo = receivedHere ? feed.echoes().expect(channel, data) : null;
        try {
            publisher.publish((feed.prefix() + channel).getBytes(StandardCharsets.UTF_8), data);
        } catch (JedisException e) {
            if (echo != null) {
                feed.echoes().await(channel, echo, Duration.ZERO);
            }
            throw new BrokerUnavailableException("redis unreachable");
        }
        Published here = echo == null ? null : feed.echoes().await(channel, echo, ECHO_TIMEOUT);
        return here != null ? here : new Published(channel, null, 0);
    }

    @Override
    public boolean reachable() {
        return feed.connected();
    }

    @Override
    public String statsJson() {
        return feed.statsJson();
    }

    @Override
    public void close() {
        feed.close();
        publisher.close();
    }
}
