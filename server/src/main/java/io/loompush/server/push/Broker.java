package io.loompush.server.push;

/**
 * Where a publish goes. The embedded broker hands it straight to this
 * process's channels; the Redis broker sends it through Redis so that every
 * node delivers it.
 */
public interface Broker {
    Published publish(String channel, byte[] data);
}
