package io.loompush.server.redis;

/** One Redis's (or one cluster master's) share of the wanted channels: its subscriber link and that link's manager. */
record Shard(Listener listener, SubscriptionManager manager) {
    void start() {
        listener.start();
        manager.start();
    }

    void close() {
        manager.close();
        listener.close();
    }
}
