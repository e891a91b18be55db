package io.loompush.sim;

import io.loompush.sim.probe.ProcessTree;
import io.loompush.sim.probe.StatsReader;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The checks before a run, each failing with one line that says what to
 * change: the kernel's limits against the counts asked for (open files per
 * process, ephemeral ports per source address), then the server, its stats,
 * its process and Redis, reached for real.
 */
final class Preflight {
    /** Share of a source address's ports a run may plan to use: other sockets and TIME_WAIT hold some. */
    static final double PORT_USE_LIMIT = 0.9;
    private static final Duration REACH_TIMEOUT = Duration.ofSeconds(3);
    /** Descriptors a server needs beyond its connections: listener, logs, jars. */
    private static final int SERVER_SPARE_DESCRIPTORS = 50;

    private Preflight() {}

    /** The split over processes, from the counts and the kernel's limits alone. */
    static Plan plan(SimConfig config, Kernel kernel) throws UsageException {
        long allowed = kernel.openFilesLimit() - ConfigParser.RESERVED_DESCRIPTORS;
        if (config.perProcess() > allowed) {
            throw new UsageException("--per-process " + config.perProcess() + ": this process may open "
                    + kernel.openFilesLimit() + " files (ulimit -n), so at most " + Math.max(0, allowed)
                    + " connections; raise the limit (ulimit -n 1048576, or LimitNOFILE in systemd) or lower it");
        }
        List<Slice> slices = Plan.split(config.clients(), config.perProcess());
        if (slices.size() > Plan.MAX_PROCESSES) {
            throw new UsageException(config.clients() + " clients at " + config.perProcess() + " per process need "
                    + slices.size() + " processes, more than " + Plan.MAX_PROCESSES
                    + "; raise the open-files limit (ulimit -n) so each process holds more");
        }
        int perAddress = config.sources().perAddress(config.clients());
        int usable = (int) (kernel.ephemeralPorts() * PORT_USE_LIMIT);
        if (perAddress > usable) {
            int needed = (config.clients() + usable - 1) / usable;
            throw new UsageException(config.clients() + " connections from " + config.sources().addresses().size()
                    + " source address(es) need " + perAddress + " local ports each, but ip_local_port_range "
                    + kernel.portLow() + "-" + kernel.portHigh() + " leaves " + usable + " usable per address: "
                    + "spread them (--source-addrs 127.0.0.2-127.0.0." + (1 + Math.min(254, needed))
                    + ") or widen the range (sysctl -w net.ipv4.ip_local_port_range=\"1024 65535\")");
        }
        var notes = new ArrayList<String>();
        notes.add("kernel: " + kernel.describe());
        notes.add(config.clients() + " clients in " + (slices.size() == 1 ? "this process" : slices.size()
                + " worker processes of up to " + slices.getFirst().size()) + ", from " + config.sources().describe()
                + " (" + perAddress + " ports per address)");
        if (kernel.somaxconn() != null && kernel.somaxconn() < Math.min(config.ramp(), 4096)) {
            notes.add("net.core.somaxconn is " + kernel.somaxconn() + ": a server's accept queue may overflow at --ramp "
                    + config.ramp() + " (sysctl -w net.core.somaxconn=4096)");
        }
        return new Plan(slices, notes);
    }

    /** Reaches the server, its stats, its process, Redis and the JSON file's folder for real. */
    static List<String> reach(SimConfig config) throws UsageException {
        var notes = new ArrayList<String>();
        try (var socket = new Socket()) {
            socket.connect(config.target().address(), (int) REACH_TIMEOUT.toMillis());
        } catch (IOException e) {
            throw new UsageException("cannot reach the server at " + config.target() + ": " + e.getMessage());
        }
        if (config.statsPath() != null) {
            try (var stats = new StatsReader(config.target().address(), config.target().host(), config.statsPath(),
                config.publishToken())) {
                if (StatsReader.figure(stats.read(), "connections") == null) {
                    throw new IOException("no 'connections' figure");
                }
            } catch (IOException e) {
                throw new UsageException(config.target() + config.statsPath() + ": " + e.getMessage()
                        + "; for a server without loompush stats pass --stats-path none");
            }
        }
        if (config.serverPid() != null) {
            if (!ProcessTree.alive(config.serverPid())) {
                throw new UsageException("--server-pid " + config.serverPid() + ": no such process");
            }
            Long limit = ProcessTree.openFilesLimit(config.serverPid());
            if (limit != null && limit < config.clients() + SERVER_SPARE_DESCRIPTORS) {
                notes.add("the server may open " + limit + " files: fewer than " + config.clients()
                        + " connections and its own; expect refusals");
            }
        }
        if (config.mode().publishes() && config.publishVia() == SimConfig.PublishVia.REDIS) {
            try (var jedis = new Jedis(config.redis().host(), config.redis().port(), (int) REACH_TIMEOUT.toMillis())) {
                jedis.ping();
            } catch (JedisException e) {
                throw new UsageException("--redis: cannot reach " + config.redis() + ": " + e.getMessage());
            }
        }
        if (config.json() != null) {
            Path folder = config.json().toAbsolutePath().getParent();
            if (folder == null || !Files.isDirectory(folder) || !Files.isWritable(folder)) {
                throw new UsageException("--json: cannot write into " + folder);
            }
        }
        return notes;
    }
}
