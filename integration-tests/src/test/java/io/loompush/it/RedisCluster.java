package io.loompush.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real Redis Cluster for one test: three masters and three replicas, each a
 * {@code redis-server --cluster-enabled yes} on a free loopback port with a
 * directory of its own, joined by {@code redis-cli --cluster create
 * --cluster-replicas 1}. Every process is the fixture's own and is stopped by
 * its pid. A master killed is replaced by its replica within about
 * {@link #NODE_TIMEOUT} (the cluster's failure detection) and a second or two.
 *
 * <pre>
 *   start() ──> 6 nodes answer PING ──> cluster create ──> cluster_state:ok on every node ──> close(): every process killed, files removed
 * </pre>
 */
final class RedisCluster implements AutoCloseable {
    static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final int NODES = 6;
    private static final JedisClientConfig CLIENT = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(2000).socketTimeoutMillis(5000).clientName("loompush-it").build();

    private final Path directory;
    private final Map<Integer, Process> processes = new LinkedHashMap<>();
    private JedisCluster client;

    private RedisCluster(Path directory) {
        this.directory = directory;
    }

    /**
     * Three masters and three replicas, cluster_state:ok.
     *
     * @param durable {@code appendonly yes} with {@code appendfsync always} on every node
     */
    static RedisCluster start(boolean durable) throws IOException, InterruptedException {
        for (String binary : List.of("redis-server", "redis-cli")) {
            if (!onPath(binary)) {
                fail("no " + binary + " on PATH: the Redis Cluster tests start their cluster from redis-server and"
                        + " redis-cli binaries, with Docker or without. Install them: " + RedisFixture.INSTALL);
            }
        }
        var cluster = new RedisCluster(Files.createTempDirectory("loompush-cluster-"));
        try {
            cluster.startNodes(durable);
            cluster.create();
            cluster.awaitOk(Set.copyOf(cluster.processes.keySet()));
            cluster.awaitReplicasInSync();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** {@code redis-cluster://} with two of the nodes as seeds. */
    String url() {
        var ports = List.copyOf(processes.keySet());
        return "redis-cluster://127.0.0.1:" + ports.get(0) + ",127.0.0.1:" + ports.get(1);
    }

    /** The test's own cluster client, as a backend has it. */
    synchronized JedisCluster client() {
        if (client == null) {
            client = newClient();
        }
        return client;
    }

    /** A cluster client of the caller's own, seeded with every node. */
    JedisCluster newClient() {
        return new JedisCluster(processes.keySet().stream().map(p -> new HostAndPort("127.0.0.1", p))
                .collect(Collectors.toSet()), CLIENT, 10, new ConnectionPoolConfig());
    }

    /** The port of the master serving each slot now, from the node that answers first. */
    int[] masters() {
        for (int port : processes.keySet()) {
            if (!processes.get(port).isAlive()) {
                continue;
            }
            try (var jedis = connect(port)) {
                var map = new int[16384];
                for (Object range : jedis.clusterSlots()) {
                    List<?> r = (List<?>) range;
                    int master = ((Long) ((List<?>) r.get(2)).get(1)).intValue();
                    for (long slot = (Long) r.get(0); slot <= (Long) r.get(1); slot++) {
                        map[(int) slot] = master;
                    }
                }
                return map;
            } catch (JedisException e) {
                // the next node
            }
        }
        return fail("no node of the cluster answers CLUSTER SLOTS");
    }

    /** The master ports, each with one channel name {@code <prefix>N} whose slot it serves. */
    Map<Integer, String> channelPerMaster(String prefix) {
        int[] masters = masters();
        var channels = new LinkedHashMap<Integer, String>();
        for (int n = 0; channels.size() < 3; n++) {
            channels.putIfAbsent(masters[JedisClusterCRC16.getSlot(prefix + n)], prefix + n);
        }
        return channels;
    }

    /** SIGKILL to the node on this port, by its pid: its replica takes over after the node timeout. */
    void kill(int port) throws InterruptedException {
        Process process = processes.get(port);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Waits until every replica's link to its master is up and its first synchronisation done: only then may it take over. */
    private void awaitReplicasInSync() throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        for (int port : processes.keySet()) {
            while (true) {
                try (var jedis = connect(port)) {
                    List<Object> role = jedis.role();
                    if (!"slave".equals(text(role.get(0))) || "connected".equals(text(role.get(3)))) {
                        break;
                    }
                }
                if (System.nanoTime() > deadline) {
                    fail("the replica on " + port + " is not in sync within " + STARTUP + "; " + describe());
                }
                Thread.sleep(50);
            }
        }
    }

    /** The port of a replica of the master on this port. */
    int replicaOf(int master) {
        for (int port : live()) {
            try (var jedis = connect(port)) {
                List<Object> role = jedis.role();
                if ("slave".equals(text(role.get(0))) && ((Long) role.get(2)).intValue() == master) {
                    return port;
                }
            }
        }
        return fail("no replica of " + master);
    }

    /** {@code kill -STOP} (or {@code -CONT}) to the node on this port, by its pid: it stays connected and answers nothing. */
    void freeze(int port, boolean frozen) throws IOException, InterruptedException {
        var kill = new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", String.valueOf(processes.get(port).pid()))
                .redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            fail("kill " + (frozen ? "-STOP " : "-CONT ") + processes.get(port).pid() + " failed");
        }
    }

    /** {@code CLIENT KILL TYPE replica} on the master: its replication links are closed. */
    void dropReplicas(int master) {
        try (var jedis = connect(master)) {
            jedis.clientKill(ClientKillParams.clientKillParams().type(ClientType.REPLICA));
        }
    }

    private static String text(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    /** Waits until every slot is served by a live master and every live node says cluster_state:ok. */
    void awaitOk(Set<Integer> live) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                boolean ok = true;
                for (int port : live) {
                    try (var jedis = connect(port)) {
                        last = port + ": " + jedis.clusterInfo().lines().filter(l -> l.startsWith("cluster_state"))
                                .findFirst().orElse("?");
                        ok &= last.endsWith("cluster_state:ok");
                    }
                }
                if (ok) {
                    int[] masters = masters();
                    ok = Arrays.stream(masters).allMatch(live::contains);
                    last = "a slot is still served by a node that is gone";
                }
                if (ok) {
                    return;
                }
            } catch (JedisException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        fail("the cluster is not ok within " + STARTUP + ": " + last + "; " + describe());
    }

    /** The ports of the nodes still running. */
    Set<Integer> live() {
        return processes.entrySet().stream().filter(e -> e.getValue().isAlive()).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
        for (Process process : processes.values()) {
            process.destroyForcibly();
        }
        for (Process process : processes.values()) {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (var files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + directory, e);
        }
    }

    private void startNodes(boolean durable) throws IOException, InterruptedException {
        var taken = new HashSet<Integer>();
        for (int i = 0; i < NODES; i++) {
            int port = freePort(taken);
            Path dir = Files.createDirectories(directory.resolve(String.valueOf(port)));
            var command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--dir", dir.toString(), "--daemonize", "no", "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", String.valueOf(NODE_TIMEOUT.toMillis()),
                    "--save", ""));
            command.addAll(durable ? List.of("--appendonly", "yes", "--appendfsync", "always")
                    : List.of("--appendonly", "no"));
            processes.put(port, new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start());
        }
        long deadline = System.nanoTime() + STARTUP.toNanos();
        for (int port : processes.keySet()) {
            while (true) {
                try (var jedis = connect(port)) {
                    jedis.ping();
                    break;
                } catch (JedisException e) {
                    if (System.nanoTime() > deadline || !processes.get(port).isAlive()) {
                        fail("redis-server on " + port + " did not answer PING; " + describe());
                    }
                    Thread.sleep(20);
                }
            }
        }
    }

    private void create() throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        processes.keySet().forEach(port -> command.add("127.0.0.1:" + port));
        command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        var create = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
            create.destroyForcibly();
            fail(String.join(" ", command) + " failed:\n" + output);
        }
    }

    private static Jedis connect(int port) {
        return new Jedis(new HostAndPort("127.0.0.1", port), CLIENT);
    }

    private String describe() {
        var out = new StringBuilder();
        for (int port : processes.keySet()) {
            Path log = directory.resolve(port + "/redis.log");
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                out.append("\n--- ").append(port).append(": ")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size())));
            } catch (IOException e) {
                out.append("\n--- ").append(port).append(": ").append(e);
            }
        }
        return out.toString();
    }

    private static boolean onPath(String binary) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(d -> !d.isEmpty()).anyMatch(d -> Files.isExecutable(Path.of(d, binary)));
    }

    /**
     * A port whose cluster bus port (port + 10000) is free too, so Redis takes no port above 55535.
     * The nodes start without waiting for each other, so neither may be one the nodes before took
     * for their own port or bus (seen here: a node's port chosen as an earlier node's bus port, still
     * free when checked): {@code taken} holds those, and this one's are added.
     */
    private static int freePort(Set<Integer> taken) throws IOException {
        while (true) {
            try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (port <= 55535 && !taken.contains(port) && !taken.contains(port + 10000)) {
                    try (var bus = new ServerSocket(port + 10000, 1, InetAddress.getLoopbackAddress())) {
                        taken.add(port);
                        taken.add(port + 10000);
                        return port;
                    } catch (IOException busTaken) {
                        // another one
                    }
                }
            }
        }
    }
}
