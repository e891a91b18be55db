package io.loompush.sim;

import io.loompush.sim.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The worker side of {@link WorkerFleet}: runs one slice of the clients and
 * speaks JSON lines with the parent.
 *
 * <pre>
 *   stdout  {"tick":{progress},"latency":"&lt;histogram&gt;"}   every {@link #TICK_INTERVAL}
 *           {"result":{figures},"latency":"&lt;histogram&gt;"}   once, last
 *   stdin   cut                                              reconnect mode: at --cut-at
 *           finish {published counts of this slice}          once, last
 * </pre>
 *
 * When stdin ends without a finish (the parent is gone), the worker closes
 * every connection and exits 1: no worker outlives its run.
 */
final class Worker {
    static final String TICK = "tick";
    static final String RESULT = "result";
    static final String FINISH = "finish";
    static final String CUT = "cut";
    static final Duration TICK_INTERVAL = Duration.ofMillis(250);

    private Worker() {}

    static int run(SimConfig config, InputStream in, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        var fleet = new LocalFleet(config, config.worker(), err);
        fleet.start();
        Thread ticker = Thread.ofPlatform().name("sim-worker-ticks").daemon().start(() -> tick(fleet, out));
        Published published = readCommands(in, fleet);
        ticker.interrupt();
        ticker.join();
        if (published == null) {
            fleet.abort();
            return 1;
        }
        FleetResult result = fleet.finish(published);
        var report = new LinkedHashMap<String, Object>();
        report.put(RESULT, result.toMap());
        report.put("latency", Histograms.encode(fleet.takeLatency()));
        synchronized (out) {
            out.println(Json.write(report));
            out.flush();
        }
        return 0;
    }

    private static void tick(LocalFleet fleet, PrintStream out) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(TICK_INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put(TICK, fleet.progress().toMap());
            report.put("latency", Histograms.encode(fleet.takeLatency()));
            synchronized (out) {
                out.println(Json.write(report));
                out.flush();
            }
        }
    }

    /**
     * Follows the parent's commands: a cut at once, then the finish.
     *
     * @return the counts the parent sent at the end, or null when its stdin ended first
     */
    private static Published readCommands(InputStream in, LocalFleet fleet) throws IOException {
        var lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.equals(CUT)) {
                fleet.cut();
            } else if (line.startsWith(FINISH + " ")) {
                return Published.fromMap(Json.object(line.substring(FINISH.length() + 1)));
            }
        }
        return null;
    }
}
