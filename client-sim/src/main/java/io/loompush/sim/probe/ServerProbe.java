package io.loompush.sim.probe;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads the server's memory and CPU at the points of a run: through /proc
 * when its pid is known (the whole process tree), through its stats when it
 * has them, and the kernel's socket figures always. With a forced GC, each
 * reading is taken twice: as it is (what a user sees), then after a full GC
 * (what is live).
 */
public final class ServerProbe implements AutoCloseable {
    /** Time for a forced GC to finish and the RSS figures to follow it. */
    private static final Duration GC_WAIT = Duration.ofSeconds(30);
    private static final Duration AFTER_GC_PAUSE = Duration.ofSeconds(1);

    private final Long pid;
    private final StatsReader stats;
    private final boolean forceGc;

    /**
     * @param pid     the server's process, or null
     * @param stats   its stats, or null
     * @param forceGc whether to read again after {@code jcmd PID GC.run}
     */
    public ServerProbe(Long pid, StatsReader stats, boolean forceGc) {
        this.pid = pid;
        this.stats = stats;
        this.forceGc = forceGc;
    }

    /** One reading labelled {@code label}, and one labelled {@code label+gc} after a forced GC when asked for. */
    public List<MemorySample> sample(String label) throws InterruptedException {
        var samples = new ArrayList<MemorySample>(2);
        samples.add(read(label));
        if (forceGc) {
            String failure = gc();
            if (failure == null) {
                Thread.sleep(AFTER_GC_PAUSE);
                samples.add(read(label + "+gc"));
            } else {
                System.err.println("client-sim: no after-GC reading: " + failure);
            }
        }
        return samples;
    }

    /** The server's own stats now, or null when it has none or they cannot be read. */
    public Map<String, Object> stats() {
        if (stats == null) {
            return null;
        }
        try {
            return stats.read();
        } catch (IOException e) {
            return null;
        }
    }

    private MemorySample read(String label) {
        ProcessTree.Usage usage = pid == null ? null : ProcessTree.usage(pid);
        Map<String, Object> s = stats();
        return new MemorySample(label, System.currentTimeMillis(),
                usage == null ? null : usage.processes(),
                usage == null ? null : usage.rssBytes(),
                usage == null ? null : usage.pssBytes(),
                usage == null ? null : usage.cpuSeconds(),
                s == null ? null : StatsReader.figure(s, "memory.rssBytes"),
                s == null ? null : StatsReader.figure(s, "memory.heapUsedBytes"),
                s == null ? null : StatsReader.figure(s, "connections"),
                s == null ? null : StatsReader.figure(s, "held"),
                KernelSockets.read());
    }

    /** Asks the server's JVM for a full GC; returns why it could not, or null. */
    private String gc() throws InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            var process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(GC_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return "jcmd " + pid + " GC.run took over " + GC_WAIT.toSeconds() + "s";
            }
            return process.exitValue() == 0 ? null : "jcmd " + pid + " GC.run exited with " + process.exitValue()
                    + " (is it a JVM of this user?)";
        } catch (IOException e) {
            return "cannot run " + jcmd + ": " + e.getMessage();
        }
    }

    @Override
    public void close() {
        if (stats != null) {
            stats.close();
        }
    }
}
