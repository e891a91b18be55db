package io.loompush.server.redis;

/**
 * The node's copies of the channels, as the feed fills them: the registry
 * ({@link io.loompush.server.push.Channels}) in the server, a recorder in tests.
 * Every method returns at once (no I/O).
 */
interface Copies {
    /** Appends a stream entry to the channel's copy; returns the held polls it reached. */
    int deliver(String name, String epoch, long seq, byte[] data);

    /** Hands a plain PUBLISH to the polls held on the channel now; returns how many. */
    int broadcast(String name, byte[] data);

    /** Forgets the channel's copy (it no longer continues the stream); returns the held polls told to look again. */
    int reset(String name, long at);

    /** Tells the channel's held polls to look again: its coverage changed. */
    void wake(String name);
}
