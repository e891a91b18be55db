package io.loompush.server.push;

/** The default broker: publishes into this process's channels, no Redis needed. */
public final class EmbeddedBroker implements Broker {
    private final Channels channels;

    public EmbeddedBroker(Channels channels) {
        this.channels = channels;
    }

    @Override
    public Published publish(String channel, byte[] data) {
        return channels.publish(channel, data);
    }

    @Override
    public boolean reachable() {
        return true;
    }

    @Override
    public String statsJson() {
        return null;
    }

    @Override
    public void close() {}
}
