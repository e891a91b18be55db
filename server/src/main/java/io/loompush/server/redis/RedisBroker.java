package io.loompush.server.redis;

import io.loompush.server.push.Broker;
import io.loompush.server.push.BrokerUnavailableException;
import io.loompush.server.push.Published;
import java.time.Duration;

/**
 * Publishes through Redis, so that every node subscribed to the channel
 * delivers the message, and a client that comes back later or elsewhere finds
 * it: {@code FCALL loompush_publish}, which appends it to the channel's stream
 * and notifies subscribers in one step, exactly what a backend may call itself.
 *
 * <p>The answer's id is the stream's. Its receivers are this node's: when this
 * node receives the channel, the publish waits (briefly) for its own message to
 * come back from Redis and counts the polls it reached here; otherwise 0.
 */
public final class RedisBroker implements Broker {
    /** How long a publish waits for its own message to come back through the subscription. */
    private static final Duration ECHO_TIMEOUT = Duration.ofSeconds(1);

    private final RedisStreams streams;
    private final RedisFeed feed;

    public RedisBroker(RedisStreams streams, RedisFeed feed) {
        this.streams = streams;
        this.feed = feed;
    }

    @Override
    public Published publish(String channel, byte[] data) {
        if (!feed.connected()) {
            throw new BrokerUnavailableException("redis unreachable");
        }
        boolean receivedHere = feed.coverage(channel) != null;
        Echoes.Echo echo = receivedHere ? feed.echoes().expect(channel, data) : null;
        String id;
        try {
            id = streams.publish(channel, data);
        } catch (BrokerUnavailableException e) {
            if (echo != null) {
                feed.echoes().await(channel, echo, Duration.ZERO);
            }
            throw e;
        }
        Published here = echo == null ? null : feed.echoes().await(channel, echo, ECHO_TIMEOUT);
        return new Published(channel, id, here == null ? 0 : here.receivers());
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
        streams.close();
    }
}
