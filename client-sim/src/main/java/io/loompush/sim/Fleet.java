package io.loompush.sim;

import java.io.IOException;
import org.HdrHistogram.Histogram;

/**
 * A slice of the simulated clients: in this process ({@link LocalFleet}) or
 * in a worker process it started ({@link WorkerFleet}). The run sees the same
 * steps either way.
 */
sealed interface Fleet permits LocalFleet, WorkerFleet {
    /** Starts connecting its clients at its share of the ramp; returns at once. */
    void start() throws IOException;

    /** The running counts, at most a moment old. */
    Progress progress();

    /** The publish-to-receipt latencies recorded since the last call. */
    Histogram takeLatency();

    /**
     * Reconnect mode: every client closes its connection now, held poll and all, and connects again
     * at once with its last cursor; returns at once.
     */
    void cut() throws IOException;

    /** Why the fleet cannot go on (a worker died), or null. */
    String failure();

    /** Stops every client, closes every connection, and checks the counts against what was published. */
    FleetResult finish(Published published) throws IOException, InterruptedException;

    /** Stops at once, on the way out of a failed run. */
    void abort();
}
