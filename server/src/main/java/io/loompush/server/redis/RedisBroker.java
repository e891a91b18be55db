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
 * Measured 2026-11-30 on the 2-core machine, 2,000 publishes one after another on
 * one keep-alive connection, three runs: on a channel the node covers (waiting for
 * the echo) p50 0.28 to 0.37 ms, on one it does not 0.20 to 0.25 ms; 32 connections
 * publishing at once, 5,300 to 9,500 publishes/s against 8,500 to 10,900, within the
 * noise of a shared machine. About 0.1 ms for the receivers the protocol promises:
 * it stays.
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
        if (!feed.connected(channel)) {
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
