package io.loompush.sim;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * The live line, once a second: phase, connections open and held, messages
 * received and published per second, latency p50/p99 of that second, errors
 * and violations. On a terminal it rewrites one line; otherwise it prints one
 * line per second, for logs. Each change of phase is printed at once as
 * {@code client-sim: phase <name> at <seconds> s}, so that a script watching
 * the log (ops/profile) can start and stop a profiler on the load phase.
 */
final class ProgressLine {
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final int clients;
    private final Supplier<Progress> progress;
    private final Runnable collect;
    private final Latencies latencies;
    private final LongSupplier published;
    private final PrintStream out;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private final Thread thread;
    private volatile String phase = "start";

    ProgressLine(int clients, Supplier<Progress> progress, Runnable collect, Latencies latencies,
                 LongSupplier published, PrintStream out) {
        this.clients = clients;
        this.progress = progress;
        this.collect = collect;
        this.latencies = latencies;
        this.published = published;
        this.out = out;
        var console = System.console();
        this.terminal = console != null && console.isTerminal();
        this.thread = Thread.ofPlatform().name("sim-progress").daemon().unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    void phase(String phase) {
        this.phase = phase;
        String line = String.format("client-sim: phase %s at %.3f s", phase, (System.nanoTime() - start) / 1e9);
        synchronized (out) {
            out.println(terminal ? "\r" + line + "\033[K" : line);
            out.flush();
        }
    }

    /** Stops the line; again is harmless. */
    void stop() throws InterruptedException {
        if (!thread.isAlive()) {
            return;
        }
        thread.interrupt();
        thread.join();
        if (terminal) {
            out.println();
        }
    }

    private void loop() {
        long lastReceived = 0;
        long lastPublished = 0;
        while (true) {
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
            collect.run();
            Progress p = progress.get();
            long sent = published.getAsLong();
            Histogram second = latencies.takeTick();
            String line = String.format("[%4ds] %-9s open %d/%d  held %d  recv %d/s  pub %d/s  p50 %s  p99 %s  errors %d  violations %d",
                    (System.nanoTime() - start) / 1_000_000_000L, phase, p.open(), clients, p.held(),
                    p.received() - lastReceived, sent - lastPublished, ms(second, 50), ms(second, 99), p.errors(),
                    p.violations());
            lastReceived = p.received();
            lastPublished = sent;
            if (terminal) {
                out.print("\r" + line + "\033[K");
                out.flush();
            } else {
                out.println(line);
            }
        }
    }

    private static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : Histograms.millis(h.getValueAtPercentile(percentile)) + "ms";
    }
}
