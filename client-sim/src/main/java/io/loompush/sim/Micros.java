package io.loompush.sim;

import java.time.Instant;

/**
 * Wall-clock microseconds since the epoch: the one clock that means the same
 * in every process of the machine, so a payload stamped by the publisher is
 * timed by a client in a worker process.
 */
final class Micros {
    private Micros() {}

    static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
