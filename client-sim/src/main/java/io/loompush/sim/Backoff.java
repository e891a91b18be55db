package io.loompush.sim;

import java.time.Duration;

/**
 * How long a client waits before it tries again after a failure: the
 * server's {@code Retry-After} when a 503 gave one, otherwise a short
 * exponential backoff, capped, with half of each pause random so that
 * thousands of clients refused at the same moment do not come back in step.
 *
 * @param first the ceiling of the first pause; each failure in a row doubles it
 * @param cap   the largest ceiling
 */
record Backoff(Duration first, Duration cap) {
    /** What every simulated client uses: quick enough to measure a reconnect storm, bounded so it stays polite. */
    static final Backoff CLIENT = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1));
    /** The longest Retry-After followed: a larger one would outlast any phase of a run. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    /**
     * @param failures   failures in a row so far, 1 for the first
     * @param retryAfter what the server asked for ({@link #retryAfter(String)}), or null
     * @param random     a number in [0, 1)
     */
    Duration pause(int failures, Duration retryAfter, double random) {
        if (retryAfter != null) {
            return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
        }
        int doublings = Math.min(Math.max(0, failures - 1), 30);
        long ceiling = Math.min(cap.toNanos(), first.toNanos() << doublings);
        return Duration.ofNanos(ceiling / 2 + (long) (random * (ceiling / 2)));
    }

    /**
     * The pause a {@code Retry-After} field asks for, in delta-seconds; null when there is none or it
     * is an HTTP date, which a client with no clock shared with the server does not follow.
     */
    static Duration retryAfter(String field) {
        if (field == null || !field.strip().matches("[0-9]{1,9}")) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(field.strip()));
    }
}
