package io.loompush.server.auth;

/**
 * A token whose signature and claims were checked, what the cache keeps.
 * Times are milliseconds since the epoch (the claims' seconds, times 1000).
 *
 * @param subject   the {@code sub} claim, or null
 * @param expiresAt the {@code exp} claim
 * @param notBefore the {@code nbf} claim, or 0
 * @param channels  the {@code channels} claim
 */
record Token(String subject, long expiresAt, long notBefore, ChannelPatterns channels) {}
