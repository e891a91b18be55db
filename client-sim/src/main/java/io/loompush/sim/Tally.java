package io.loompush.sim;

import io.loompush.sim.check.StreamCheck.Outcome;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The live counts of one process's clients, written by thousands of virtual
 * threads at once (adders and recorders, no locks on the hot path). The
 * first violations and errors are printed as they happen and kept as examples.
 */
final class Tally {
    final LongAdder open = new LongAdder();
    final LongAdder held = new LongAdder();
    final LongAdder resumed = new LongAdder();
    final LongAdder cuts = new LongAdder();
    final LongAdder connected = new LongAdder();
    final LongAdder connects = new LongAdder();
    final LongAdder answers = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder stale = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder late = new LongAdder();
    final LongAdder lost = new LongAdder();
    final LongAdder gaps = new LongAdder();
    final LongAdder foreign = new LongAdder();
    private final Map<Failure, LongAdder> failures = new EnumMap<>(Failure.class);
    private final LongAccumulator lastConnectMicros = new LongAccumulator(Math::max, 0);
    /** Publish-to-receipt latency, microseconds. */
    private final Recorder latency = new Recorder(Histograms.DIGITS);
    private final Recorder connectTimes = new Recorder(Histograms.DIGITS);
    private final Histogram allConnectTimes = Histograms.empty();
    private final List<String> examples = new ArrayList<>();
    private final AtomicLong examplesSeen = new AtomicLong();
    private final PrintStream log;

    /** @param log where the first violations and errors are printed as they happen */
    Tally(PrintStream log) {
        this.log = log;
        for (Failure failure : Failure.values()) {
            failures.put(failure, new LongAdder());
        }
    }

    void connected(boolean first, long tookMicros) {
        open.increment();
        connects.increment();
        connectTimes.recordValue(Math.max(0, tookMicros));
        if (first) {
            connected.increment();
            lastConnectMicros.accumulate(Micros.now());
        }
    }

    void fail(Failure failure, String detail) {
        failures.get(failure).increment();
        example("error " + failure.key() + ": " + detail);
    }

    /** Counts one message; {@code lostDelta} is how the client's net loss moved with it. */
    void message(Outcome outcome, long latencyMicros, long lostDelta, String detail) {
        switch (outcome) {
            case IN_ORDER -> received.increment();
            case GAP -> {
                received.increment();
                example("loss: " + detail + " (" + lostDelta + " skipped)");
            }
            case LATE -> {
                received.increment();
                late.increment();
                example("out of order: " + detail);
            }
            case DUPLICATE -> {
                duplicates.increment();
                example("duplicate: " + detail);
            }
            case STALE -> stale.increment();
            case FOREIGN -> {
                foreign.increment();
                example("foreign message: " + detail);
            }
        }
        lost.add(lostDelta);
        if (outcome != Outcome.STALE && outcome != Outcome.FOREIGN) {
            latency.recordValue(Math.max(0, latencyMicros));
        }
    }

    void gap(String detail) {
        gaps.increment();
        example("gap: " + detail);
    }

    Progress progress() {
        return new Progress(open.sum(), held.sum(), resumed.sum(), connected.sum(), received.sum(), errors(),
                lost.sum(), duplicates.sum(), late.sum(), gaps.sum(), foreign.sum(), lastConnectMicros.get());
    }

    /** The latencies recorded since the last call. */
    Histogram takeLatency() {
        return latency.getIntervalHistogram();
    }

    /** @param trailingLoss messages never received at the end, beyond the last one each client saw */
    FleetResult result(long clients, long trailingLoss) {
        var byKind = new LinkedHashMap<String, Long>();
        failures.forEach((failure, count) -> byKind.put(failure.key(), count.sum()));
        synchronized (allConnectTimes) {
            allConnectTimes.add(connectTimes.getIntervalHistogram());
            synchronized (examples) {
                return new FleetResult(clients, connected.sum(), connects.sum(), cuts.sum(), answers.sum(),
                        timeouts.sum(), received.sum(), stale.sum(), duplicates.sum(), late.sum(),
                        lost.sum() + trailingLoss, gaps.sum(), foreign.sum(), byKind, lastConnectMicros.get(),
                        allConnectTimes.copy(), List.copyOf(examples));
            }
        }
    }

    private long errors() {
        long errors = 0;
        for (LongAdder count : failures.values()) {
            errors += count.sum();
        }
        return errors;
    }

    private void example(String line) {
        long seen = examplesSeen.incrementAndGet();
        if (seen <= FleetResult.MAX_EXAMPLES) {
            synchronized (examples) {
                examples.add(line);
            }
            log.println("client-sim: " + line);
        } else if (seen == FleetResult.MAX_EXAMPLES + 1) {
            log.println("client-sim: more violations and errors; the summary counts them all");
        }
    }
}
