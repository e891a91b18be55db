package io.loompush.server.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A Redis Cluster's masters, each with a shard of its own (one sharded
 * subscriber link), following the topology: every second, and at once when a
 * link breaks, {@code CLUSTER SLOTS} from any node known; a master that
 * appears (promoted by a failover, or added) gets a shard, one that owns no
 * slot any more loses its shard, and the channels whose slot changed master
 * are handed to {@code moved} to be subscribed where they are now.
 */
final class ClusterShards {
    private static final Logger log = LoggerFactory.getLogger(ClusterShards.class);
    static final int SLOTS = 16384;
    private static final Duration REFRESH = Duration.ofSeconds(1);

    /** Builds the shard of a master, which asks {@link #owns} which channels it carries. */
    interface Factory {
        Shard shard(RedisTarget.Node master);
    }

    private final Set<RedisTarget.Node> seeds;
    private final JedisClientConfig clientConfig;
    private final Factory factory;
    private final Consumer<IntPredicate> moved;
    private final Map<RedisTarget.Node, Shard> shards = new ConcurrentHashMap<>();
    private final Thread thread;
    /** The master of each slot, null where none is known. */
    private volatile RedisTarget.Node[] masters = new RedisTarget.Node[SLOTS];
    private volatile List<RedisTarget.Node> known;
    private volatile boolean closed;

    /** @param moved called with the slots whose master changed, after the new shards started */
    ClusterShards(RedisTarget target, JedisClientConfig clientConfig, Factory factory, Consumer<IntPredicate> moved) {
        this.seeds = new LinkedHashSet<>(target.nodes());
        this.known = List.copyOf(seeds);
        this.clientConfig = clientConfig;
        this.factory = factory;
        this.moved = moved;
        this.thread = Thread.ofVirtual().name("loompush-redis-topology").unstarted(this::follow);
    }

    void start() {
        refresh();
        thread.start();
    }

    /** The shard of the channel's slot, or null while its master is unknown. */
    Shard of(String channel) {
        RedisTarget.Node master = masters[JedisClusterCRC16.getSlot(channel)];
        return master == null ? null : shards.get(master);
    }

    /** Whether the channel's slot is served by this master now. */
    boolean owns(RedisTarget.Node master, String channel) {
        return master.equals(masters[JedisClusterCRC16.getSlot(channel)]);
    }

    Collection<Shard> all() {
        return shards.values();
    }

    /** Every slot has a master, and every master's link is up. */
    boolean connected() {
        for (RedisTarget.Node master : masters) {
            if (master == null) {
                return false;
            }
        }
        return !shards.isEmpty() && shards.values().stream().allMatch(s -> s.listener().connected());
    }

    /**
     * A channel name whose key falls in one of the master's slots: its link's control channel. A
     * master owns a slot in a few tries (a third of them here); one that owns none any more (its
     * shard is being closed) gets the plain control name, harmlessly.
     */
    String control(RedisTarget.Node master) {
        var map = masters;
        for (int n = 0; n < 16 * SLOTS; n++) {
            String name = Link.CONTROL + n;
            if (master.equals(map[JedisClusterCRC16.getSlot(name)])) {
                return name;
            }
        }
        return Link.CONTROL;
    }

    /** A link broke: look at the topology now rather than at the next tick. */
    void nudge() {
        LockSupport.unpark(thread);
    }

    void close() {
        closed = true;
        LockSupport.unpark(thread);
        shards.values().forEach(Shard::close);
    }

    private void follow() {
        while (!closed) {
            LockSupport.parkNanos(REFRESH.toNanos());
            try {
                refresh();
            } catch (RuntimeException e) {
                log.error("redis cluster: following the topology failed; trying again", e);
            }
        }
    }

    private void refresh() {
        RedisTarget.Node[] next = null;
        var nodes = new LinkedHashSet<RedisTarget.Node>();
        var candidates = new LinkedHashSet<RedisTarget.Node>();
        for (RedisTarget.Node master : masters) {
            if (master != null) {
                candidates.add(master);
            }
        }
        candidates.addAll(known);
        candidates.addAll(seeds);
        for (RedisTarget.Node node : candidates) {
            try (var jedis = new Jedis(node.hostAndPort(), clientConfig)) {
                next = slots(jedis.clusterSlots(), nodes);
                break;
            } catch (JedisException e) {
                log.debug("redis cluster: {} does not answer CLUSTER SLOTS: {}", node, e.getMessage());
            }
        }
        if (next == null) {
            return;
        }
        known = List.copyOf(nodes);
        RedisTarget.Node[] before = masters;
        if (Arrays.equals(before, next)) {
            return;
        }
        var now = new LinkedHashSet<RedisTarget.Node>();
        for (RedisTarget.Node master : next) {
            if (master != null) {
                now.add(master);
            }
        }
        masters = next;
        for (RedisTarget.Node master : now) {
            shards.computeIfAbsent(master, m -> {
                log.info("redis cluster: master {} serves slots; subscribing there", m);
                Shard shard = factory.shard(m);
                shard.start();
                return shard;
            });
        }
        for (RedisTarget.Node gone : new ArrayList<>(shards.keySet())) {
            if (!now.contains(gone)) {
                log.info("redis cluster: {} serves no slot any more", gone);
                shards.remove(gone).close();
            }
        }
        RedisTarget.Node[] after = next;
        moved.accept(slot -> before[slot] != null && !before[slot].equals(after[slot]));
    }

    /** The master of each slot in a {@code CLUSTER SLOTS} reply; every node named goes into {@code nodes}. */
    static RedisTarget.Node[] slots(List<Object> reply, Set<RedisTarget.Node> nodes) {
        var map = new RedisTarget.Node[SLOTS];
        for (Object range : reply) {
            List<?> r = (List<?>) range;
            int from = ((Long) r.get(0)).intValue();
            int to = ((Long) r.get(1)).intValue();
            RedisTarget.Node master = node((List<?>) r.get(2));
            Arrays.fill(map, from, to + 1, master);
            for (int i = 2; i < r.size(); i++) {
                nodes.add(node((List<?>) r.get(i)));
            }
        }
        return map;
    }

    private static RedisTarget.Node node(List<?> hostPortId) {
        Object host = hostPortId.get(0);
        String text = host instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(host);
        return new RedisTarget.Node(text, ((Long) hostPortId.get(1)).intValue());
    }
}
