package io.loompush.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1));

    @Test
    void eachFailureInARowDoublesTheCeilingUpToTheCap() {
        assertEquals(Duration.ofMillis(25), BACKOFF.pause(1, null, 0.0), "half of the first ceiling, 50 ms");
        assertEquals(Duration.ofMillis(50), BACKOFF.pause(2, null, 0.0));
        assertEquals(Duration.ofMillis(400), BACKOFF.pause(5, null, 0.0));
        assertEquals(Duration.ofMillis(500), BACKOFF.pause(6, null, 0.0), "the cap, 1 s");
        assertEquals(Duration.ofMillis(500), BACKOFF.pause(1_000, null, 0.0));
    }

    @Test
    void halfOfEachPauseIsRandomSoRefusedClientsSpreadOut() {
        assertEquals(Duration.ofMillis(600), BACKOFF.pause(5, null, 0.5));
        assertEquals(Duration.ofMillis(1000).minusNanos(1), BACKOFF.pause(7, null, 0.999_999_999));
    }

    @Test
    void aRetryAfterIsFollowedAsGivenUpToItsBound() {
        assertEquals(Duration.ofSeconds(1), BACKOFF.pause(7, Duration.ofSeconds(1), 0.3));
        assertEquals(Duration.ofSeconds(3), BACKOFF.pause(1, Duration.ofSeconds(3), 0.3));
        assertEquals(Backoff.MAX_RETRY_AFTER, BACKOFF.pause(1, Duration.ofHours(1), 0.3));
    }

    @Test
    void retryAfterIsReadInDeltaSecondsOnly() {
        assertEquals(Duration.ofSeconds(1), Backoff.retryAfter("1"));
        assertEquals(Duration.ofSeconds(120), Backoff.retryAfter(" 120 "));
        assertEquals(Duration.ZERO, Backoff.retryAfter("0"));
        assertNull(Backoff.retryAfter(null));
        assertNull(Backoff.retryAfter("Wed, 21 Oct 2026 07:28:00 GMT"), "an HTTP date");
        assertNull(Backoff.retryAfter("-1"));
        assertNull(Backoff.retryAfter("1.5"));
    }
}
