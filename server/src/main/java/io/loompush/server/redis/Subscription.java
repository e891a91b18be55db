package io.loompush.server.redis;

import java.util.ArrayDeque;

/**
 * One wanted channel: whether it is still wanted ({@link Wanted}), which link
 * its SUBSCRIBE went out on ({@link SubscriptionManager}), and the node's copy
 * of its stream ({@link Backfill}).
 *
 * <pre>
 *   not covered ──SUBSCRIBE confirmed──> reading ──stream read, queued notifications applied──> covered
 *        ^                                  ^  └── read failed: the same channel again, after a backoff      │
 *        │                                  └──────────── a notification that does not follow the copy ────┤
 *        └───────────────────────── link lost, or UNSUBSCRIBE confirmed ───────────────────────────────────┘
 * </pre>
 */
final class Subscription {
    /** While covered, how far the copy goes back; null otherwise. Read without the lock by polls. */
    volatile Cover cover;
    /** The newest position in the copy; written under the lock, read without it. */
    volatile long last;
    /** The link the channel's SUBSCRIBE was sent on, -1 when none. */
    volatile int generation = -1;

    volatile long unwantedSinceNanos;
    volatile boolean unwanted;
    /** Whether an entry waits in {@link Wanted}'s linger queue (one at a time); only inside its compute. */
    boolean queued;

    // Guarded by this object's lock.
    /** The copy this node holds, kept across link breaks so the next coverage can continue it. */
    Cover held;
    /** Counts coverages begun and ended: a reading that finds another number than its own stops. */
    int work;
    /** Notifications that came while the stream is read, in order; null when no reading is under way. */
    ArrayDeque<byte[]> pending;
    /** Whether notifications were left out of {@link #pending} for its limit: the stream is read again. */
    boolean overflowed;
    /** The queued notification that broke continuity after the last reading, if one did. */
    byte[] broke;

    boolean covered() {
        return cover != null;
    }
}
