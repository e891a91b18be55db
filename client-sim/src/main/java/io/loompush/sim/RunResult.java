package io.loompush.sim;

import io.loompush.sim.probe.MemorySample;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Everything one run measured, for the summary table and the JSON file.
 *
 * @param connectSeconds      from the first connect to the last client's first connection; null when not all connected
 * @param heldSeconds         from the first connect to every client held (and the server saying so); null when never
 * @param loadSeconds         how long the mode's load phase took
 * @param loadReceived        messages received during the load phase (the server CPU of the same phase
 *                            divided by it is the CPU per delivered message)
 * @param serverCpuSeconds    the server tree's CPU during the load phase; null without --server-pid
 * @param simulatorCpuSeconds this simulator's CPU (with its workers) during the load phase: when it nears
 *                            the machine's cores, latencies include the simulator's own queueing
 * @param simulatorBytesPerConnection what each held connection added to this simulator's RSS (with its workers)
 * @param published           the publisher's figures; null in modes that do not publish
 * @param expectedDeliveries  what the clients should have received in all
 * @param reconnect           the figures around the cut in reconnect mode; null in the other modes
 */
record RunResult(SimConfig config, Plan plan, long startedMillis, double elapsedSeconds, Double connectSeconds,
                 Double heldSeconds, double loadSeconds, long loadReceived, Double serverCpuSeconds, Double simulatorCpuSeconds,
                 Long simulatorBytesPerConnection, List<MemorySample> samples,
                 FleetResult clients, Map<String, Object> published, long publishedTotal, long expectedDeliveries,
                 Histogram latency, List<Round> rounds, Reconnect reconnect) {
    RunResult {
        samples = List.copyOf(samples);
        rounds = List.copyOf(rounds);
    }

    /** The reading labelled so, or null when it was not taken. */
    MemorySample sample(String label) {
        return samples.stream().filter(s -> s.label().equals(label)).findFirst().orElse(null);
    }
}
