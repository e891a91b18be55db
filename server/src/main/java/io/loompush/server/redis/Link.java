package io.loompush.server.redis;

import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.BinaryJedisShardedPubSub;
import redis.clients.jedis.Connection;

/**
 * One subscriber connection and its callbacks, which run on its listener
 * thread and only hand over: none reads from Redis or waits on anything. On a
 * single Redis it SUBSCRIBEs; on a cluster it SSUBSCRIBEs on one master, every
 * command's keys in one slot.
 */
final class Link {
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

    /** The commands of the connection, plain or sharded pub/sub. */
    interface Commands {
        void add(byte[]... keys);

        void remove(byte[]... keys);

        /** Something Redis answers on this connection, so a silent link shows. */
        void probe();

        /** Subscribes the control channel and reads until the link breaks. */
        void run(Connection connection);
    }

    final int generation;
    final Commands commands;
    private final Keys keys;
    private final String control;
    private final Events events;
    volatile Connection connection;
    volatile boolean up;
    /**
     * When Redis last sent anything on this link. Any frame proves the link alive, not only a PONG:
     * a PONG queued behind thousands of SUBSCRIBE confirmations must not get a busy link dropped as dead.
     */
    volatile long lastHeardNanos = System.nanoTime();

    /** @param control the control channel's name: {@link #CONTROL}, or on a cluster one in a slot of this master */
    Link(int generation, Keys keys, String control, Events events) {
        this.generation = generation;
        this.keys = keys;
        this.control = control;
        this.events = events;
        this.commands = keys.cluster() ? new Sharded() : new Plain();
    }

    void drop() {
        Connection c = connection;
        if (c != null) {
            c.disconnect();
        }
    }

    private void subscribed(byte[] key) {
        lastHeardNanos = System.nanoTime();
        String name = keys.channel(key);
        if (name.equals(control)) {
            if (!up) {
                up = true;
                events.up(this);
            }
        } else {
            events.subscribed(this, name);
        }
    }

    private void unsubscribed(byte[] key) {
        lastHeardNanos = System.nanoTime();
        events.unsubscribed(this, keys.channel(key));
    }

    private void message(byte[] key, byte[] message) {
        lastHeardNanos = System.nanoTime();
        events.message(keys.channel(key), message);
    }

    private final class Plain extends BinaryJedisPubSub implements Commands {
        @Override
        public void onSubscribe(byte[] channel, int count) {
            subscribed(channel);
        }

        @Override
        public void onUnsubscribe(byte[] channel, int count) {
            unsubscribed(channel);
        }

        @Override
        public void onMessage(byte[] channel, byte[] message) {
            message(channel, message);
        }

        @Override
        public void onPong(byte[] pattern) {
            lastHeardNanos = System.nanoTime();
        }

        @Override
        public void add(byte[]... keys) {
            subscribe(keys);
        }

        @Override
        public void remove(byte[]... keys) {
            unsubscribe(keys);
        }

        @Override
        public void probe() {
            ping();
        }

        @Override
        public void run(Connection connection) {
            proceed(connection, keys.keyBytes(control));
        }
    }

    /** Sharded pub/sub has no PING: the control channel subscribed again is the probe, confirmed like the first time. */
    private final class Sharded extends BinaryJedisShardedPubSub implements Commands {
        @Override
        public void onSSubscribe(byte[] channel, int count) {
            subscribed(channel);
        }

        @Override
        public void onSUnsubscribe(byte[] channel, int count) {
            unsubscribed(channel);
        }

        @Override
        public void onSMessage(byte[] channel, byte[] message) {
            message(channel, message);
        }

        @Override
        public void add(byte[]... keys) {
            ssubscribe(keys);
        }

        @Override
        public void remove(byte[]... keys) {
            sunsubscribe(keys);
        }

        @Override
        public void probe() {
            ssubscribe(keys.keyBytes(control));
        }

        @Override
        public void run(Connection connection) {
            proceed(connection, keys.keyBytes(control));
        }
    }
}
