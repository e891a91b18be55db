package io.loompush.server.redis;

import io.loompush.server.push.Backlog;

/** Reads a channel's stream: {@code loompush_read} in Redis, a list in tests. */
interface StreamReader {
    /**
     * The entries after a position (the oldest ones when the epoch is another), and whether any are missing.
     *
     * @throws io.loompush.server.push.BrokerUnavailableException when the stream cannot be read now
     */
    Backlog read(String name, String epoch, long after, int max);

    /**
     * The stream, in this epoch, holds less than a copy of it had, up to the position: it must start a
     * new epoch so the loss shows as a gap wherever a cursor of the old one comes.
     *
     * @throws io.loompush.server.push.BrokerUnavailableException when the stream cannot be reached now
     */
    void lost(String name, String epoch, long position);
}
