package io.loompush.server.push;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves by hand. */
final class TestClock implements InstantSource {
    private long millis = 1_800_000_000_000L;

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    void advance(Duration d) {
        millis += d.toMillis();
    }
}
