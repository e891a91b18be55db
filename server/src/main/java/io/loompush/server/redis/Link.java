package io.loompush.server.redis;

import java.nio.charset.StandardCharsets;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Connection;

/**
 * One subscriber connection and its callbacks, which run on the listener
 * thread and only hand over: none reads from Redis or waits on anything.
 */
final class Link extends BinaryJedisPubSub {
    /** Never a channel name (names cannot hold '!'): subscribed first on every link, it says the link is up. */
    static final String CONTROL = "!loompush";

    /** What the link hands over to; every method returns at once. */
    interface Events {
        /** The control channel is confirmed: the link is up. */
        void up(Link link);

        void subscribed(Link link, String channel);

        void unsubscribed(Link link, String channel);

        void message(String channel, byte[] message);
    }

    final int generation;
    private final String prefix;
    private final Events events;
    volatile Connection connection;
    volatile boolean up;
    /**
     * When Redis last sent anything on this link. Any frame proves the link alive, not only a PONG:
     * a PONG queued behind thousands of SUBSCRIBE confirmations must not get a busy link dropped as dead.
     */
    volatile long lastHeardNanos = System.nanoTime();

    Link(int generation, String prefix, Events events) {
        this.generation = generation;
        this.prefix = prefix;
        this.events = events;
    }

    @Override
    public void onSubscribe(byte[] channel, int count) {
        lastHeardNanos = System.nanoTime();
        String name = name(channel);
        if (name.equals(CONTROL)) {
            up = true;
            events.up(this);
        } else {
            events.subscribed(this, name);
        }
    }

    @Override
    public void onUnsubscribe(byte[] channel, int count) {
        lastHeardNanos = System.nanoTime();
        events.unsubscribed(this, name(channel));
    }

    @Override
    public void onMessage(byte[] channel, byte[] message) {
        lastHeardNanos = System.nanoTime();
        events.message(name(channel), message);
    }

    @Override
    public void onPong(byte[] pattern) {
        lastHeardNanos = System.nanoTime();
    }

    void drop() {
        Connection c = connection;
        if (c != null) {
            c.disconnect();
        }
    }

    private String name(byte[] channel) {
        return new String(channel, prefix.length(), channel.length - prefix.length(), StandardCharsets.UTF_8);
    }
}
