package io.loompush.server.push;

/**
 * Where a node's messages come from, as far as history is concerned.
 *
 * <p>With the embedded broker every publish goes through this process: every
 * channel is covered since forever, in the process's own epoch, and the
 * in-memory history is all there is. With Redis a node receives a channel's
 * messages only while it is subscribed to it: the feed subscribes while a
 * poll is held on the channel here (and a while after), says how far the
 * node's copy goes back, and reads older messages from the shared history (the
 * channel's stream) for cursors from before.
 */
public interface Feed {
    /** The embedded broker's feed: one history per process, in this epoch. */
    static Feed local(String epoch) {
        var always = new Coverage(epoch, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE);
        return new Feed() {
            @Override
            public void interested(String channel) {}

            @Override
            public void uninterested(String channel) {}

            @Override
            public Coverage coverage(String channel) {
                return always;
            }

            @Override
            public boolean shared() {
                return false;
            }

            @Override
            public long latest(String channel) {
                throw new UnsupportedOperationException("the embedded broker's positions are its own ids");
            }

            @Override
            public Backlog read(String channel, String epoch, long after, int max) {
                throw new UnsupportedOperationException("the embedded broker has no shared history");
            }
        };
    }

    /** A poll is held on the channel here now. Called under the channel's lock: must not block. */
    void interested(String channel);

    /** The last poll held on the channel here has gone. Called under the channel's lock: must not block. */
    void uninterested(String channel);

    /** How far this node's copy of the channel goes back, or null while its messages do not reach this node. */
    Coverage coverage(String channel);

    /**
     * The newest position of the channel that reached this node, covered now or
     * not; 0 when none did. Messages reach only the channel objects that exist
     * when they arrive, so one created now holds everything after this.
     */
    long latest(String channel);

    /** Whether a history beyond this node's copy exists: {@link #read} works. */
    boolean shared();

    /**
     * Reads the shared history after a cursor. Blocks on I/O: never called under a channel's lock.
     *
     * @throws BrokerUnavailableException when the shared history cannot be read now
     */
    Backlog read(String channel, String epoch, long after, int max);
}
