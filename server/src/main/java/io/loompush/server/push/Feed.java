package io.loompush.server.push;

/**
 * Where a node's messages come from, as far as the history's gap proof is
 * concerned. With the embedded broker every publish goes through this
 * process, so every channel is always covered. With Redis a node receives a
 * channel's messages only while it is subscribed to it: the feed subscribes
 * while the channel lives here (and a while after), and says since when the
 * subscription has been unbroken.
 */
public interface Feed {
    /** {@link #coveredSince} of a channel whose messages do not reach this node now. */
    long NOT_COVERED = Long.MAX_VALUE;

    /** Every channel covered since forever: the embedded broker. */
    Feed ALWAYS = new Feed() {
        @Override
        public void interested(String channel) {}

        @Override
        public void uninterested(String channel) {}

        @Override
        public long coveredSince(String channel) {
            return Long.MIN_VALUE;
        }
    };

    /** A channel came to live on this node. Called under the channel's lock: must not block. */
    void interested(String channel);

    /** The channel left this node's memory. Called under the channel's lock: must not block. */
    void uninterested(String channel);

    /**
     * The position since which every message of the channel has reached this
     * node, or {@link #NOT_COVERED}.
     */
    long coveredSince(String channel);
}
