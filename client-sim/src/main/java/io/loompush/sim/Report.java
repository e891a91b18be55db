package io.loompush.sim;

import io.loompush.sim.probe.MemorySample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The end of a run: the verdict, the summary table for people, and the JSON with every figure. */
final class Report {
    private static final double MIB = 1024.0 * 1024.0;

    private Report() {}

    /** What went wrong, one line each; empty when the run was clean. */
    static List<String> problems(RunResult r) {
        var problems = new ArrayList<String>();
        var c = r.clients();
        if (c.connected() < c.clients()) {
            problems.add("only " + c.connected() + " of " + c.clients() + " clients connected");
        } else if (r.heldSeconds() == null) {
            problems.add("not every client was held within --connect-timeout");
        }
        if (c.errors() > 0) {
            problems.add(c.errors() + " errors " + nonZero(c.failures()));
        }
        if (r.reconnect() != null && r.reconnect().heldAgainSeconds() == null) {
            problems.add("not every client was held again after the cut within --duration");
        }
        add(problems, c.lost(), "messages lost");
        add(problems, c.duplicates(), "duplicates");
        add(problems, c.late(), "messages out of order");
        add(problems, c.gaps(), "gap:true answers");
        add(problems, c.foreign(), "foreign messages");
        if (r.published() != null) {
            long failed = (Long) r.published().get("refused") + (Long) r.published().get("unknown");
            add(problems, failed, "publishes failed");
        }
        return problems;
    }

    static String table(RunResult r) {
        var config = r.config();
        var c = r.clients();
        var out = new StringBuilder(4096);
        out.append(String.format("%nclient-sim %s: %s over %s at %s, %d clients in %s, run %s, %.1f s%n",
                config.mode().flagName(), config.protocol().name(), config.transport().flagName(), config.target(),
                config.clients(),
                r.plan().inProcess() ? "1 process" : r.plan().slices().size() + " worker processes", config.run(),
                r.elapsedSeconds()));
        out.append("\nconnect\n");
        row(out, "all connected in", r.connectSeconds() == null ? "not all connected"
                : String.format("%.2f s (%.0f per second)", r.connectSeconds(),
                        config.clients() / Math.max(r.connectSeconds(), 1e-3)));
        row(out, "all held in", r.heldSeconds() == null ? "not all held" : String.format("%.2f s", r.heldSeconds()));
        row(out, "connect time p50 / p99 / max", percentiles(c.connectTimes(), 50, 99, 100) + " ms");
        out.append("\nclients\n");
        row(out, "connected", c.connected() + " of " + c.clients());
        row(out, "connections made", c.connects() + " (" + (c.connects() - c.connected()) + " reconnects)");
        row(out, config.transport().stream() ? "stream answers" : "poll answers", c.answers() + " ("
                + c.timeouts() + (config.transport().stream() ? " openings and heartbeats)" : " held to their timeout)"));
        row(out, "errors", c.errors() + (c.errors() == 0 ? "" : " " + nonZero(c.failures())));
        out.append("\nmessages\n");
        if (r.published() != null) {
            row(out, "published", r.published().get("sent") + " via " + r.published().get("via") + " ("
                    + r.published().get("refused") + " refused, " + r.published().get("unknown") + " unknown)");
        }
        row(out, "expected deliveries", String.valueOf(r.expectedDeliveries()));
        row(out, "received", c.received() + (c.stale() == 0 ? "" : " (and " + c.stale() + " of earlier runs, ignored)"));
        row(out, "lost / duplicate / late", c.lost() + " / " + c.duplicates() + " / " + c.late());
        row(out, "gap:true / foreign", c.gaps() + " / " + c.foreign());
        if (r.latency().getTotalCount() > 0) {
            row(out, "latency p50 / p99 / max", percentiles(r.latency(), 50, 99, 100) + " ms");
            row(out, "latency p90 / p99.9", percentiles(r.latency(), 90, 99.9) + " ms");
            if (config.mode() == Mode.UNICAST || config.mode() == Mode.ACTIVE || config.mode() == Mode.RECONNECT) {
                row(out, "delivered per second", String.format("%.0f over %.1f s", c.received() / r.loadSeconds(),
                        r.loadSeconds()));
            }
        }
        if (!r.rounds().isEmpty()) {
            out.append("\nfanout rounds (ms)     delivered       p50       p99  all delivered\n");
            for (Round round : r.rounds()) {
                out.append(String.format("  %-20d %11s %9.2f %9.2f %14.2f%n", round.number(),
                        round.delivered() + "/" + round.expected(),
                        Histograms.millis(round.latency().getValueAtPercentile(50)),
                        Histograms.millis(round.latency().getValueAtPercentile(99)),
                        Histograms.millis(round.latency().getMaxValue())));
            }
        }
        if (r.reconnect() != null) {
            reconnect(out, r.reconnect(), c, config.clients());
        }
        if (r.serverCpuSeconds() != null) {
            row(out, "server CPU in the load", String.format("%.2f s over %.1f s", r.serverCpuSeconds(), r.loadSeconds()));
        }
        if (cpuMicrosPerMessage(r) != null) {
            row(out, "server CPU per message", String.format("%.1f us (%d received in the load)",
                    cpuMicrosPerMessage(r), r.loadReceived()));
        }
        if (r.simulatorCpuSeconds() != null) {
            row(out, "simulator CPU in the load", String.format("%.2f s over %.1f s (%d cores here)",
                    r.simulatorCpuSeconds(), r.loadSeconds(), Runtime.getRuntime().availableProcessors()));
        }
        memory(out, r);
        List<String> problems = problems(r);
        out.append("\nverdict: ").append(problems.isEmpty() ? "OK" : "FAILED: " + String.join("; ", problems))
                .append("\n");
        return out.toString();
    }

    private static void reconnect(StringBuilder out, Reconnect r, FleetResult c, int clients) {
        out.append("\nreconnect\n");
        row(out, "cut", String.format("%d connections at %.2f s into the load", c.cuts(), r.cutAtSeconds()));
        row(out, "all held again", r.heldAgainSeconds() == null ? "not within --duration"
                : String.format("%.2f s after the cut", r.heldAgainSeconds()));
        if (r.serverHeldWhenHeldAgain() != null) {
            row(out, "server's held polls then", r.serverHeldWhenHeldAgain() + " for " + clients + " clients ("
                    + Math.max(0, r.serverHeldWhenHeldAgain() - clients) + " of cut connections)");
        }
        row(out, "server let go of the cut", r.serverReleasedSeconds() == null ? "not seen within --duration"
                : String.format("%.2f s after the cut", r.serverReleasedSeconds()));
        row(out, "503s / other errors", c.failures().getOrDefault(Failure.OVERLOADED.key(), 0L) + " / "
                + (c.errors() - c.failures().getOrDefault(Failure.OVERLOADED.key(), 0L)));
    }

    private static void memory(StringBuilder out, RunResult r) {
        out.append("\nserver memory (MiB)        rss       pss  stats rss heap used  tcp bufs  sock slabs  conns\n");
        for (MemorySample s : r.samples()) {
            out.append(String.format("  %-20s %9s %9s %10s %9s %9s %11s %6s%n", s.label(), mib(s.rssBytes()),
                    mib(s.pssBytes()), mib(s.statsRssBytes()), mib(s.heapUsedBytes()), mib(s.kernel().bufferBytes()),
                    mib(s.kernel().slabBytes()), s.connections() == null ? "-" : s.connections()));
        }
        out.append("\nper connection (bytes)     rss       pss  stats rss heap used  tcp bufs  sock slabs\n");
        for (var entry : perConnection(r).entrySet()) {
            @SuppressWarnings("unchecked")
            var per = (Map<String, Object>) entry.getValue();
            out.append(String.format("  %-20s %9s %9s %10s %9s %9s %11s%n", entry.getKey(), text(per.get("rssBytes")),
                    text(per.get("pssBytes")), text(per.get("statsRssBytes")), text(per.get("heapUsedBytes")),
                    text(per.get("kernelTcpBufferBytes")), text(per.get("kernelSocketSlabBytes"))));
        }
        out.append("  (kernel figures are machine-wide: both ends of each loopback connection)\n");
        if (r.simulatorBytesPerConnection() != null) {
            row(out, "simulator RSS per client", r.simulatorBytesPerConnection() + " bytes");
        }
    }

    /** Per connection: idle (held against before), after a round trip (after-load against before), and after GC. */
    static Map<String, Object> perConnection(RunResult r) {
        var per = new LinkedHashMap<String, Object>();
        int n = r.config().clients();
        put(per, "idle", r.sample("held"), r.sample("before"), n);
        put(per, "idle+gc", r.sample("held+gc"), r.sample("before+gc"), n);
        put(per, "after-load", r.sample("after-load"), r.sample("before"), n);
        put(per, "after-load+gc", r.sample("after-load+gc"), r.sample("before+gc"), n);
        return per;
    }

    static Map<String, Object> json(RunResult r) {
        var config = r.config();
        var c = r.clients();
        var json = new LinkedHashMap<String, Object>();
        json.put("tool", "loompush client-sim");
        json.put("run", config.run());
        json.put("startedAt", Instant.ofEpochMilli(r.startedMillis()).toString());
        json.put("elapsedSeconds", r.elapsedSeconds());
        json.put("config", config(config));
        var plan = new LinkedHashMap<String, Object>();
        plan.put("processes", (long) r.plan().slices().size());
        plan.put("slices", r.plan().slices().stream().map(Slice::toString).toList());
        plan.put("notes", r.plan().notes());
        json.put("plan", plan);
        var connect = new LinkedHashMap<String, Object>();
        connect.put("allConnectedSeconds", r.connectSeconds());
        connect.put("allHeldSeconds", r.heldSeconds());
        connect.put("connectTimeMs", histogram(c.connectTimes()));
        json.put("connect", connect);
        var clients = c.toMap();
        clients.remove("connectTimes");
        clients.put("errors", c.errors());
        json.put("clients", clients);
        json.put("publisher", r.published());
        var messages = new LinkedHashMap<String, Object>();
        messages.put("published", r.publishedTotal());
        messages.put("expectedDeliveries", r.expectedDeliveries());
        messages.put("received", c.received());
        messages.put("lost", c.lost());
        messages.put("duplicates", c.duplicates());
        messages.put("late", c.late());
        messages.put("gaps", c.gaps());
        messages.put("foreign", c.foreign());
        messages.put("stale", c.stale());
        json.put("messages", messages);
        json.put("latencyMs", histogram(r.latency()));
        json.put("rounds", r.rounds().stream().map(Round::toMap).toList());
        json.put("reconnect", r.reconnect() == null ? null : r.reconnect().toMap());
        json.put("loadSeconds", r.loadSeconds());
        json.put("loadReceived", r.loadReceived());
        json.put("deliveredPerSecond", r.loadSeconds() > 0 ? c.received() / r.loadSeconds() : null);
        json.put("serverCpuSeconds", r.serverCpuSeconds());
        json.put("serverCpuMicrosPerMessage", cpuMicrosPerMessage(r));
        json.put("simulatorCpuSeconds", r.simulatorCpuSeconds());
        json.put("simulatorRssBytesPerConnection", r.simulatorBytesPerConnection());
        json.put("cores", (long) Runtime.getRuntime().availableProcessors());
        var memory = new LinkedHashMap<String, Object>();
        memory.put("samples", r.samples().stream().map(MemorySample::toMap).toList());
        memory.put("perConnectionBytes", perConnection(r));
        json.put("memory", memory);
        var verdict = new LinkedHashMap<String, Object>();
        List<String> problems = problems(r);
        verdict.put("ok", problems.isEmpty());
        verdict.put("problems", problems);
        json.put("verdict", verdict);
        return json;
    }

    /** The server's CPU in the load phase over the messages received in it; null without either. */
    static Double cpuMicrosPerMessage(RunResult r) {
        return r.serverCpuSeconds() == null || r.loadReceived() == 0 ? null : r.serverCpuSeconds() * 1e6 / r.loadReceived();
    }

    private static Map<String, Object> config(SimConfig config) {
        var map = new LinkedHashMap<String, Object>();
        map.put("mode", config.mode().flagName());
        map.put("protocol", config.protocol().name());
        map.put("transport", config.transport().flagName());
        map.put("target", config.target().toString());
        map.put("clients", (long) config.clients());
        map.put("ramp", (long) config.ramp());
        map.put("durationSeconds", config.duration().toMillis() / 1000.0);
        map.put("pollTimeoutSeconds", config.pollTimeout().toSeconds());
        map.put("sharedChannels", config.sharedChannels());
        map.put("sourceAddresses", config.sources().addresses().stream().map(a -> a.getHostAddress()).toList());
        map.put("publish", config.publishVia().name().toLowerCase());
        map.put("redis", config.redis().toString());
        map.put("redisPrefix", config.redisPrefix());
        map.put("rate", (long) config.rate());
        map.put("rounds", (long) config.rounds());
        map.put("cutAtSeconds", config.cutAt().toMillis() / 1000.0);
        map.put("messageBytes", (long) config.messageBytes());
        map.put("publishers", (long) config.publishers());
        map.put("settleSeconds", config.settle().toMillis() / 1000.0);
        map.put("drainSeconds", config.drain().toMillis() / 1000.0);
        map.put("connectTimeoutSeconds", config.connectTimeout().toMillis() / 1000.0);
        map.put("serverPid", config.serverPid());
        map.put("statsPath", config.statsPath());
        map.put("forceGc", config.forceGc());
        map.put("perProcess", (long) config.perProcess());
        return map;
    }

    private static Map<String, Object> histogram(Histogram h) {
        var map = new LinkedHashMap<String, Object>();
        map.put("count", h.getTotalCount());
        if (h.getTotalCount() > 0) {
            map.put("mean", Math.round(h.getMean() / 10.0) / 100.0);
            map.put("p50", Histograms.millis(h.getValueAtPercentile(50)));
            map.put("p90", Histograms.millis(h.getValueAtPercentile(90)));
            map.put("p99", Histograms.millis(h.getValueAtPercentile(99)));
            map.put("p999", Histograms.millis(h.getValueAtPercentile(99.9)));
            map.put("max", Histograms.millis(h.getMaxValue()));
        }
        return map;
    }

    private static void put(Map<String, Object> per, String name, MemorySample after, MemorySample before, int n) {
        if (after != null && before != null) {
            per.put(name, after.perConnection(before, n));
        }
    }

    private static void add(List<String> problems, long count, String what) {
        if (count > 0) {
            problems.add(count + " " + what);
        }
    }

    private static String nonZero(Map<String, Long> failures) {
        var parts = new ArrayList<String>();
        failures.forEach((k, v) -> {
            if (v > 0) {
                parts.add(k + " " + v);
            }
        });
        return "(" + String.join(", ", parts) + ")";
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append(String.format("  %-28s %s%n", name, value));
    }

    private static String percentiles(Histogram h, double... percentiles) {
        if (h.getTotalCount() == 0) {
            return "-";
        }
        var parts = new ArrayList<String>();
        for (double p : percentiles) {
            long value = p >= 100 ? h.getMaxValue() : h.getValueAtPercentile(p);
            parts.add(String.format("%.2f", Histograms.millis(value)));
        }
        return String.join(" / ", parts);
    }

    private static String mib(Long bytes) {
        return bytes == null ? "-" : String.format("%.1f", bytes / MIB);
    }

    private static String text(Object value) {
        return value == null ? "-" : String.valueOf(value);
    }
}
