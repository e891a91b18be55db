package io.loompush.server.push;

/**
 * Where a publish goes. The embedded broker hands it straight to this
 * process's channels; the Redis broker sends it through Redis so that every
 * node delivers it.
 */
public interface Broker extends AutoCloseable {
    /** @throws BrokerUnavailableException when the message could not be sent on */
    Published publish(String channel, byte[] data);

    /** Whether publishing and delivery work now: /healthz answers 503 when not. */
    boolean reachable();

    /** The broker's own figures for /stats, as a JSON object, or null when it has none. */
    String statsJson();

    @Override
    void close();
}
