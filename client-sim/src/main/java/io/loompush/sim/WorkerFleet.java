package io.loompush.sim;

import io.loompush.sim.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A slice of the clients in a worker process: this simulator's own jar, run
 * again with the same JVM and flags plus {@code --worker FROM-TO}. The worker
 * speaks JSON lines ({@link Worker}); this side reads its ticks into the
 * progress and latency, sends the published counts at the end and reads
 * back the result. Its stderr is this process's, so its violations show.
 */
final class WorkerFleet implements Fleet {
    /** How long a worker may take to close its clients and report. */
    private static final Duration FINISH_WAIT = Duration.ofSeconds(60);
    private static final Duration EXIT_WAIT = Duration.ofSeconds(10);

    private final List<String> command;
    private final Slice slice;
    private final CountDownLatch reported = new CountDownLatch(1);
    private Process process;
    private Writer commands;
    private volatile Progress progress = Progress.NONE;
    private Histogram latency = Histograms.empty();
    private volatile FleetResult result;
    private volatile String failure;

    WorkerFleet(List<String> command, Slice slice) {
        this.command = List.copyOf(command);
        this.slice = slice;
    }

    @Override
    public void start() throws IOException {
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().name("sim-worker-" + slice).daemon().start(this::readReports);
    }

    @Override
    public Progress progress() {
        return progress;
    }

    @Override
    public synchronized Histogram takeLatency() {
        Histogram taken = latency;
        latency = Histograms.empty();
        return taken;
    }

    @Override
    public void cut() throws IOException {
        try {
            commands.write(Worker.CUT + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new IOException(name() + ": cannot send the cut: " + e.getMessage(), e);
        }
    }

    @Override
    public String failure() {
        return failure;
    }

    @Override
    public FleetResult finish(Published published) throws IOException, InterruptedException {
        try {
            commands.write(Worker.FINISH + " " + Json.write(published.slice(slice).toMap()) + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new IOException(name() + ": cannot send the published counts: " + e.getMessage(), e);
        }
        if (!reported.await(FINISH_WAIT.toMillis(), TimeUnit.MILLISECONDS) || result == null) {
            abort();
            throw new IOException(failure != null ? failure : name() + " did not report within " + FINISH_WAIT.toSeconds() + "s");
        }
        if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            abort();
        }
        return result;
    }

    @Override
    public void abort() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private void readReports() {
        try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                read(Json.object(line));
            }
        } catch (IOException | RuntimeException e) {
            failure = name() + " sent an unreadable report: " + e.getMessage();
            abort();
        } finally {
            if (result == null && failure == null) {
                failure = name() + " exited" + exitCode() + " before its result";
            }
            reported.countDown();
        }
    }

    private void read(Map<String, Object> report) {
        if (report.get("latency") instanceof String encoded) {
            Histogram h = Histograms.decode(encoded);
            synchronized (this) {
                latency.add(h);
            }
        }
        if (report.get(Worker.TICK) instanceof Map<?, ?> tick) {
            progress = Progress.fromMap(tick);
        }
        if (report.get(Worker.RESULT) instanceof Map<?, ?> done) {
            result = FleetResult.fromMap(done);
        }
    }

    private String exitCode() {
        try {
            return process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS) ? " with " + process.exitValue() : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private String name() {
        return "worker for clients " + slice;
    }
}
