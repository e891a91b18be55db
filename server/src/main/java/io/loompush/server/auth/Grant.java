package io.loompush.server.auth;

import java.time.Duration;

/**
 * What a subscription was allowed: its channels, until when.
 *
 * @param subject  the token's {@code sub}, for logs; null without one
 * @param lifetime how long from the check until the token expires; null when nothing expires (tokens
 *                 off, or only open channels asked for)
 */
public record Grant(String subject, Duration lifetime) {
    /** No token needed, nothing expires. */
    public static final Grant OPEN = new Grant(null, null);

    /**
     * A held poll's timeout, cut to the token's lifetime: the poll is answered
     * when the token expires at the latest, and the client's next poll, with the
     * same token, gets 401 and fetches a fresh one.
     */
    public Duration cap(Duration timeout) {
        return lifetime == null || timeout.compareTo(lifetime) <= 0 ? timeout : lifetime;
    }
}
