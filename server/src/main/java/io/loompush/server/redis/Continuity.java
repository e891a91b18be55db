package io.loompush.server.redis;

/**
 * Whether a notification continues the node's copy of a stream: it follows the
 * newest entry the copy holds ({@link #NEXT}); the copy already holds it, from a
 * reading of the stream ({@link #HELD}); or it skips entries or starts another
 * epoch, and the stream must be read ({@link #BREAK}).
 */
enum Continuity {
    NEXT, HELD, BREAK;

    /** @param last the newest position in the copy */
    static Continuity of(Cover cover, long last, Notification notification) {
        boolean sameEpoch = notification.epoch().equals(cover.epoch());
        if (sameEpoch && notification.position() <= last) {
            return HELD;
        }
        return sameEpoch && notification.previous() == last ? NEXT : BREAK;
    }
}
