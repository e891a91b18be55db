package io.loompush.server.auth;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Verified tokens by their text, so that a long-poll client, which sends the
 * same token with every poll, costs a map lookup instead of a signature check.
 * A token is dropped when it is used after its {@code exp}, or when the cache
 * is full and needs room.
 *
 * <p>The bound: a put into a full cache first drops every expired token; when
 * none had expired, it drops an eighth of the cache, whichever the map's
 * iteration meets first (in effect, at random). A full cache is so swept once
 * per eighth of its size of puts, not on every put, and lookups never wait for
 * it. Puts that race past the size check may hold the cache over its bound by
 * as many tokens as there were racing threads, until the next put sweeps.
 */
final class TokenCache {
    private final ConcurrentHashMap<String, Token> tokens = new ConcurrentHashMap<>();
    private final int maxTokens;

    /** @param maxTokens how many tokens the cache holds at most; 0 keeps none */
    TokenCache(int maxTokens) {
        this.maxTokens = maxTokens;
    }

    /** The verified token for this text, or null when it is not cached (or was, and has expired). */
    Token get(String text, long nowMillis) {
        Token token = tokens.get(text);
        if (token != null && token.expiresAt() <= nowMillis) {
            tokens.remove(text, token);
            return null;
        }
        return token;
    }

    void put(String text, Token token, long nowMillis) {
        if (maxTokens == 0) {
            return;
        }
        if (tokens.size() >= maxTokens) {
            makeRoom(nowMillis);
        }
        tokens.put(text, token);
    }

    int size() {
        return tokens.size();
    }

    private void makeRoom(long nowMillis) {
        if (tokens.values().removeIf(token -> token.expiresAt() <= nowMillis)) {
            return;
        }
        int drop = Math.max(1, maxTokens / 8);
        var it = tokens.keySet().iterator();
        while (drop-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
