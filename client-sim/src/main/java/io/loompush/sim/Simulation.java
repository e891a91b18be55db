package io.loompush.sim;

import io.loompush.sim.probe.MemorySample;
import io.loompush.sim.probe.ProcessTree;
import io.loompush.sim.probe.ServerProbe;
import io.loompush.sim.probe.StatsReader;
import io.loompush.sim.protocol.Transport;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One run, phase by phase; every phase has a deadline, so the run ends by itself.
 *
 * <pre>
 *   before ─> connect ─> settle ─> load (the mode) ─> drain ─> settle ─> close
 *   memory read:  before,   held (after settle),   after-load (after settle),   closed
 * </pre>
 *
 * connect: open every client at --ramp and wait until each holds a poll,
 * and the server's stats (when it has them) count them all as held.
 * drain: wait until every message published has been received, or --drain.
 * reconnect (a load phase): publish for --duration, cut every connection at
 * --cut-at, wait until every client is held again, then until the server let
 * go of the cut polls, while publishing goes on ({@link Reconnect}).
 */
final class Simulation {
    /** How often the waits look at the counts. */
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(20);
    /** How often the waits may ask the server's stats: each reading costs the server some work. */
    private static final Duration STATS_INTERVAL = Duration.ofMillis(250);
    /**
     * Without stats, how long after the last client's poll left before the server is taken to hold it:
     * a second at 19,000 clients, in proportion for fewer (a server registers a few hundred polls in
     * well under 100 ms), never less than {@link #MIN_HOLD_GUARD}.
     */
    private static final Duration HOLD_GUARD = Duration.ofSeconds(1);
    private static final int HOLD_GUARD_CLIENTS = 19_000;
    private static final Duration MIN_HOLD_GUARD = Duration.ofMillis(100);

    private final SimConfig config;
    private final Plan plan;
    private final List<Fleet> fleets;
    private final ServerProbe probe;
    private final Publisher publisher;
    private final Latencies latencies = new Latencies();
    private final ProgressLine line;
    private final List<MemorySample> samples = new ArrayList<>();
    private final List<Round> rounds = new ArrayList<>();
    private Reconnect reconnect;
    private long baselineHeld;
    private long baselineConnections;
    private long lastStatsRead;
    private Map<String, Object> lastStats;

    /** @param log where the live line goes */
    Simulation(SimConfig config, Plan plan, List<Fleet> fleets, Publisher publisher, PrintStream log) {
        this.config = config;
        this.plan = plan;
        this.fleets = List.copyOf(fleets);
        this.publisher = publisher;
        StatsReader stats = config.statsPath() == null ? null
                : new StatsReader(config.target().address(), config.target().host(), config.statsPath(),
                config.publishToken());
        this.probe = new ServerProbe(config.serverPid(), stats, config.forceGc());
        this.line = new ProgressLine(config.clients(), this::progress, () -> latencies.collect(this.fleets), latencies,
                () -> publisher == null ? 0 : publisher.sent(), log);
    }

    /** The connect phase's figures: from the first connect to the last client's first connection, and to all held. */
    private record Connected(Double connectSeconds, Double heldSeconds) {}

    /** The load phase's figures: its length, the messages received in it, and the CPU both sides spent in it. */
    private record Loaded(double seconds, long received, Double serverCpuSeconds, Double simulatorCpuSeconds) {}

    RunResult run() throws IOException, InterruptedException {
        long startedMillis = System.currentTimeMillis();
        long started = System.nanoTime();
        long self = ProcessHandle.current().pid();
        try {
            Map<String, Object> stats = probe.stats();
            baselineHeld = stats == null ? 0 : orZero(StatsReader.figure(stats, heldFigure(config.transport())));
            baselineConnections = stats == null ? 0 : orZero(StatsReader.figure(stats, "connections"));
            samples.addAll(probe.sample("before"));
            Long simulatorRssBefore = rss(self);

            Connected connected = connect();
            line.phase("settle");
            Thread.sleep(config.settle());
            samples.addAll(probe.sample("held"));
            Long simulatorRssHeld = rss(self);

            Loaded loaded = load();
            if (config.mode().publishes()) {
                line.phase("drain");
                long expected = publisher.published().expectedDeliveries();
                await(() -> progress().received() >= expected, config.drain());
                line.phase("settle");
                Thread.sleep(config.settle());
                samples.addAll(probe.sample("after-load"));
            }

            line.phase("close");
            Published published = publisher == null
                    ? Published.none(config.clients(), config.sharedChannels().size())
                    : publisher.published();
            FleetResult clients = finish(published);
            latencies.collect(fleets);
            line.stop();
            awaitServerConnections();
            samples.addAll(probe.sample("closed"));
            return new RunResult(config, plan, startedMillis, (System.nanoTime() - started) / 1e9,
                    connected.connectSeconds(), connected.heldSeconds(), loaded.seconds(), loaded.received(),
                    loaded.serverCpuSeconds(),
                    loaded.simulatorCpuSeconds(),
                    simulatorRssBefore == null || simulatorRssHeld == null ? null
                            : (simulatorRssHeld - simulatorRssBefore) / config.clients(),
                    samples, clients, publisher == null ? null : publisher.figures(),
                    published.total(), published.expectedDeliveries(), latencies.total(), rounds, reconnect);
        } finally {
            line.stop();
            fleets.forEach(Fleet::abort);
            probe.close();
        }
    }

    /** Starts every fleet and waits, at most --connect-timeout, until every client is connected and held. */
    private Connected connect() throws IOException, InterruptedException {
        long startMicros = Micros.now();
        for (Fleet fleet : fleets) {
            fleet.start();
        }
        line.start();
        line.phase("connect");
        boolean allHeld = await(() -> progress().connected() == config.clients()
                && progress().held() == config.clients() && serverHolds(), config.connectTimeout());
        Double heldSeconds = allHeld ? (Micros.now() - startMicros) / 1e6 : null;
        Progress now = progress();
        Double connectSeconds = now.connected() == config.clients()
                ? (now.lastConnectMicros() - startMicros) / 1e6 : null;
        if (allHeld && config.statsPath() == null) {
            Thread.sleep(holdGuard(config.clients()));
        }
        return new Connected(connectSeconds, heldSeconds);
    }

    private Loaded load() throws IOException, InterruptedException {
        line.phase(config.mode().flagName());
        long self = ProcessHandle.current().pid();
        Double serverCpu = cpuSeconds(config.serverPid());
        Double simulatorCpu = cpuSeconds(self);
        long receivedBefore = progress().received();
        long start = System.nanoTime();
        runMode();
        return new Loaded((System.nanoTime() - start) / 1e9, progress().received() - receivedBefore,
                difference(serverCpu, cpuSeconds(config.serverPid())), difference(simulatorCpu, cpuSeconds(self)));
    }

    private void runMode() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + config.duration().toNanos();
        switch (config.mode()) {
            case IDLE -> await(() -> false, config.duration());
            case CONNECT -> { }
            case ACTIVE -> {
                publisher.toEveryClient(deadline);
                long expected = publisher.published().expectedDeliveries();
                await(() -> progress().received() >= expected, remaining(deadline));
            }
            case UNICAST -> publisher.toRandomClients(config.duration());
            case FANOUT -> fanout(deadline);
            case RECONNECT -> reconnect(deadline);
        }
    }

    /** Publishes to random clients for --duration and cuts every connection at --cut-at meanwhile. */
    private void reconnect(long deadline) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Thread publishing = Thread.ofVirtual().name("sim-publishing").start(() -> {
            try {
                publisher.toRandomClients(config.duration());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            Thread.sleep(config.cutAt());
            long cut = System.nanoTime();
            lastStats = null;
            for (Fleet fleet : fleets) {
                fleet.cut();
            }
            boolean heldAgain = await(() -> {
                Progress p = progress();
                return p.resumed() == config.clients() && p.held() == config.clients() && serverHolds();
            }, remaining(deadline));
            Double heldAgainSeconds = heldAgain ? (System.nanoTime() - cut) / 1e9 : null;
            Long serverHeld = heldAgain && config.statsPath() != null ? serverHeldBeyondBaseline() : null;
            boolean released = config.statsPath() != null && await(() -> {
                Long held = serverHeldBeyondBaseline();
                return held != null && held <= config.clients();
            }, remaining(deadline));
            reconnect = new Reconnect((cut - start) / 1e9, heldAgainSeconds, serverHeld,
                    released ? (System.nanoTime() - cut) / 1e9 : null);
            publishing.join();
        } finally {
            publishing.interrupt();
            publishing.join();
        }
    }

    /**
     * Each round starts when every client holds a poll again, publishes one
     * message to each shared channel and waits until all clients have them.
     */
    private void fanout(long deadline) throws IOException, InterruptedException {
        long perRound = (long) config.clients() * config.sharedChannels().size();
        for (int r = 1; r <= config.rounds() && System.nanoTime() < deadline; r++) {
            await(() -> progress().held() == config.clients() && serverHolds(), remaining(deadline));
            latencies.collect(fleets);
            latencies.takeRound();
            long before = progress().received();
            long target = before + perRound;
            publisher.toSharedChannels();
            await(() -> progress().received() >= target, remaining(deadline));
            latencies.collect(fleets);
            rounds.add(new Round(r, perRound, progress().received() - before, latencies.takeRound()));
        }
    }

    /**
     * Waits until the condition holds or the timeout passes, looking every
     * {@link #CHECK_INTERVAL}; a fleet that failed ends the run.
     *
     * @return whether the condition held
     */
    private boolean await(BooleanSupplier condition, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Fleet fleet : fleets) {
                if (fleet.failure() != null) {
                    throw new IOException(fleet.failure());
                }
            }
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(CHECK_INTERVAL);
        }
    }

    /** Whether the server's stats count every client's poll (or stream) as held; true without stats. */
    private boolean serverHolds() {
        if (config.statsPath() == null) {
            return true;
        }
        Long held = statsFigure(heldFigure(config.transport()));
        return held != null && held >= baselineHeld + config.clients();
    }

    /** The stats figure that counts what a client holds: loompush's held polls, or its open streams of that kind. */
    static String heldFigure(Transport transport) {
        return switch (transport) {
            case POLL -> "held";
            case SSE -> "streams.sse";
            case WS -> "streams.ws";
        };
    }

    /** The polls the server's stats count as held, less those it held before the run; null when unread. */
    private Long serverHeldBeyondBaseline() {
        Long held = statsFigure("held");
        return held == null ? null : held - baselineHeld;
    }

    /** After closing, waits (at most --settle) for the server to count its connections back down to the baseline. */
    private void awaitServerConnections() throws IOException, InterruptedException {
        if (config.statsPath() != null) {
            await(() -> {
                Long open = statsFigure("connections");
                return open != null && open <= baselineConnections;
            }, config.settle());
        }
    }

    /** A figure of the server's stats, read again at most every {@link #STATS_INTERVAL}. */
    private Long statsFigure(String name) {
        if (lastStats == null || System.nanoTime() - lastStatsRead >= STATS_INTERVAL.toNanos()) {
            lastStatsRead = System.nanoTime();
            lastStats = probe.stats();
        }
        return lastStats == null ? null : StatsReader.figure(lastStats, name);
    }

    private FleetResult finish(Published published) throws IOException, InterruptedException {
        FleetResult merged = null;
        for (Fleet fleet : fleets) {
            FleetResult result = fleet.finish(published);
            merged = merged == null ? result : merged.plus(result);
        }
        return merged;
    }

    private Progress progress() {
        Progress sum = Progress.NONE;
        for (Fleet fleet : fleets) {
            sum = sum.plus(fleet.progress());
        }
        return sum;
    }

    static Duration holdGuard(int clients) {
        Duration scaled = HOLD_GUARD.multipliedBy(Math.min(clients, HOLD_GUARD_CLIENTS)).dividedBy(HOLD_GUARD_CLIENTS);
        return scaled.compareTo(MIN_HOLD_GUARD) < 0 ? MIN_HOLD_GUARD : scaled;
    }

    /** CPU seconds of a process tree so far, or null without a pid or without /proc. */
    private static Double cpuSeconds(Long pid) {
        if (pid == null) {
            return null;
        }
        ProcessTree.Usage usage = ProcessTree.usage(pid);
        return usage == null ? null : usage.cpuSeconds();
    }

    /** RSS of a process tree now (this simulator with its workers), or null without /proc. */
    private static Long rss(long pid) {
        ProcessTree.Usage usage = ProcessTree.usage(pid);
        return usage == null ? null : usage.rssBytes();
    }

    private static Double difference(Double before, Double after) {
        return before == null || after == null ? null : after - before;
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
