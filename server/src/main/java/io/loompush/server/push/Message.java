package io.loompush.server.push;

/**
 * One published message. {@code seq} is its place in its channel's history
 * and {@code epoch} names that history (see {@link MessageIds}); both are the
 * registry's or the feed's shared instances, like {@code channel}.
 */
public record Message(String channel, String epoch, long seq, byte[] data) {
    /** The id clients see: {@code <epoch>-<seq in base 36>}. */
    public String id() {
        return MessageIds.format(epoch, seq);
    }
}
