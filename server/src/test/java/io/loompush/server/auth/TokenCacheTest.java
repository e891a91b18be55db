package io.loompush.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenCacheTest {
    private static final int N = 64;
    private static final long NOW = 1_800_000_000_000L;

    private static Token expiringAt(long millis) {
        return new Token("alice", millis, 0, ChannelPatterns.NONE);
    }

    @Test
    void holdsExactlyNTokens() {
        var cache = new TokenCache(N);
        for (int i = 0; i < N; i++) {
            cache.put("t" + i, expiringAt(NOW + 60_000), NOW);
        }
        assertEquals(N, cache.size());
        for (int i = 0; i < N; i++) {
            assertNotNull(cache.get("t" + i, NOW), "t" + i);
        }
    }

    @Test
    void theTokenAfterNMakesRoomAndIsKept() {
        var cache = new TokenCache(N);
        for (int i = 0; i < N; i++) {
            cache.put("t" + i, expiringAt(NOW + 60_000), NOW);
        }
        var newest = expiringAt(NOW + 60_000);
        cache.put("t" + N, newest, NOW);

        assertTrue(cache.size() <= N, "size " + cache.size());
        assertEquals(N - N / 8 + 1, cache.size(), "an eighth made room, once");
        assertSame(newest, cache.get("t" + N, NOW));
    }

    @Test
    void expiredTokensMakeRoomBeforeLiveOnes() {
        var cache = new TokenCache(N);
        cache.put("old", expiringAt(NOW + 1_000), NOW);
        for (int i = 1; i < N; i++) {
            cache.put("t" + i, expiringAt(NOW + 60_000), NOW);
        }
        cache.put("t" + N, expiringAt(NOW + 60_000), NOW + 1_000);

        assertEquals(N, cache.size());
        for (int i = 1; i <= N; i++) {
            assertNotNull(cache.get("t" + i, NOW + 1_000), "t" + i);
        }
    }

    @Test
    void aTokenIsDroppedWhenUsedAtItsExpiry() {
        var cache = new TokenCache(N);
        cache.put("t", expiringAt(NOW + 1_000), NOW);
        assertNotNull(cache.get("t", NOW + 999));
        assertNull(cache.get("t", NOW + 1_000));
        assertEquals(0, cache.size());
    }

    @Test
    void aCacheOfZeroKeepsNothing() {
        var cache = new TokenCache(0);
        cache.put("t", expiringAt(NOW + 1_000), NOW);
        assertNull(cache.get("t", NOW));
    }
}
