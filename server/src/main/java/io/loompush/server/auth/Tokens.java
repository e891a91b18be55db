package io.loompush.server.auth;

import io.loompush.server.Query;
import io.loompush.server.http.HttpError;
import io.loompush.server.http.Request;
import java.time.Duration;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate of every subscription ({@code /poll}, and the streams): with a key
 * configured, a subscription needs a token that names its channels, except the
 * channels {@code --auth-open} opens to anyone. The check runs before a
 * channel, a mailbox or a Redis subscription exists, so a refused request
 * leaves nothing behind.
 *
 * <pre>
 *   tokens off, or only open channels ─────────────────────> Grant.OPEN
 *   no token ──────────────────────────────────────────────> 401 token required
 *   cached? ─no─> verify (form, alg, signature, claims) ─bad─> 401 invalid token
 *      │yes          └─ok─> cache it
 *   now before nbf, or at or after exp ────────────────────> 401 token expired
 *   a channel neither open nor in the token's channels ────> 403 channel not allowed: NAME
 *   otherwise ─────────────────────────────────────────────> Grant(sub, exp - now)
 * </pre>
 */
public final class Tokens {
    private static final Logger log = LoggerFactory.getLogger(Tokens.class);
    private static final String BEARER = "Bearer ";

    private final TokenVerifier verifier;
    private final ChannelPatterns open;
    private final TokenCache cache;
    private final InstantSource clock;

    /**
     * @param key        the key tokens are checked with; null turns tokens off
     * @param open       the channels anyone may subscribe to with tokens on
     * @param maxCached  verified tokens kept (see {@link TokenCache})
     */
    public Tokens(TokenKey key, ChannelPatterns open, int maxCached, InstantSource clock) {
        this.verifier = key == null ? null : new TokenVerifier(key);
        this.open = open;
        this.cache = new TokenCache(maxCached);
        this.clock = clock;
    }

    /**
     * @param request  the subscription's request, which carries the token as
     *                 {@code Authorization: Bearer} or as the query parameter {@code token}
     * @param channels the channels asked for: valid names
     * @return what the request may do; a stream closes, and a held poll is answered, at the end of its
     *         {@link Grant#lifetime()}
     * @throws HttpError 401 or 403 with the protocol's reasons
     */
    public Grant check(Request request, String[] channels) throws HttpError {
        if (verifier == null || allOpen(channels)) {
            return Grant.OPEN;
        }
        String text = presented(request);
        if (text == null) {
            throw new HttpError(401, "token required");
        }
        long now = clock.millis();
        Token token = cache.get(text, now);
        if (token == null) {
            token = verify(text);
            if (token.expiresAt() > now) {
                cache.put(text, token, now);
            }
        }
        if (now >= token.expiresAt() || now < token.notBefore()) {
            throw new HttpError(401, "token expired");
        }
        for (String channel : channels) {
            if (!open.allows(channel) && !token.channels().allows(channel)) {
                log.debug("token of {} does not allow channel {}", token.subject(), channel);
                throw new HttpError(403, "channel not allowed: " + channel);
            }
        }
        return new Grant(token.subject(), Duration.ofMillis(token.expiresAt() - now));
    }

    private Token verify(String text) throws HttpError {
        try {
            return verifier.verify(text);
        } catch (InvalidTokenException e) {
            log.debug("invalid token: {}", e.getMessage());
            throw new HttpError(401, "invalid token");
        }
    }

    private boolean allOpen(String[] channels) {
        for (String channel : channels) {
            if (!open.allows(channel)) {
                return false;
            }
        }
        return true;
    }

    /** The token the request carries, the header's before the query's; null when it carries none. */
    private static String presented(Request request) throws HttpError {
        String authorization = request.headers().first("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String token = authorization.substring(BEARER.length()).strip();
            return token.isEmpty() ? null : token;
        }
        String query = request.query();
        if (!query.contains("token=")) {
            return null;
        }
        String token = Query.parse(query).get("token");
        return token == null || token.isEmpty() ? null : token;
    }
}
