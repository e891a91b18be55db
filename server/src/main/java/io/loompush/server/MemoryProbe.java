package io.loompush.server;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what the process and the kernel spend: heap from the JVM, RSS from
 * {@code /proc/self/status}, the kernel's TCP buffer pages from
 * {@code /proc/net/sockstat} and socket object sizes from {@code /proc/slabinfo}.
 * A figure that cannot be read (not Linux, no permission) is null, never guessed.
 *
 * <p>The per-socket kernel estimate adds, per TCP socket: its share of the
 * TCP and TCPv6 slabs, one socket inode, one struct file, one dentry, one
 * epoll item (the JVM's poller watches every socket a virtual thread waits
 * on) and its share of the TCP buffer pages.
 *
 * <p>Per-connection figures need {@link #MIN_CONNECTIONS}: below it they
 * would be the process's own noise divided by a few (megabytes of garbage
 * or code cache, the buffer pages of other sockets), negative or hundreds of
 * kilobytes, so they are null.
 */
final class MemoryProbe {
    /** The fewest connections a per-connection figure is given for. */
    static final int MIN_CONNECTIONS = 1000;

    /**
     * One reading. Per-connection figures are relative to the baseline taken
     * at start, so they hold everything the connections brought, garbage
     * included until a collection; null below {@link #MIN_CONNECTIONS}, when
     * the figure fell below its baseline, or when there is no figure.
     */
    record Memory(long heapUsed, long heapCommitted, Long rss, long directBuffers, long mappedBuffers,
                  long baselineHeapUsed, Long baselineRss, Long perConnectionHeap, Long perConnectionRss,
                  Long kernelTcp, Long kernelPerSocket) {}

    private final MemoryMXBean jvm = ManagementFactory.getMemoryMXBean();
    private final Long pageSize = pageSize();
    private final long baselineHeap;
    private final Long baselineRss;

    /** Takes the baseline that per-connection figures are relative to. */
    MemoryProbe() {
        baselineHeap = jvm.getHeapMemoryUsage().getUsed();
        baselineRss = rss();
    }

    Memory read(int connections) {
        var heap = jvm.getHeapMemoryUsage();
        Long rss = rss();
        Long kernelTcp = kernelTcp();
        return new Memory(heap.getUsed(), heap.getCommitted(), rss, bufferPool("direct"), bufferPool("mapped"),
                baselineHeap, baselineRss,
                perConnection(heap.getUsed(), baselineHeap, connections),
                perConnection(rss, baselineRss, connections),
                kernelTcp, connections < MIN_CONNECTIONS ? null : kernelPerSocket(kernelTcp));
    }

    /** Growth since the baseline per connection, or null (see {@link Memory}). */
    static Long perConnection(Long now, Long baseline, int connections) {
        if (connections < MIN_CONNECTIONS || now == null || baseline == null || now < baseline) {
            return null;
        }
        return (now - baseline) / connections;
    }

    private static long bufferPool(String name) {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals(name)) {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }

    private static Long rss() {
        for (String line : lines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return null;
    }

    /** The page size of the first mapping, the kernel's base page. */
    private static Long pageSize() {
        try (var lines = Files.lines(Path.of("/proc/self/smaps"))) {
            return lines.filter(l -> l.startsWith("KernelPageSize:"))
                    .findFirst()
                    .map(l -> 1024 * Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** TCP buffer memory in bytes: {@code mem} of sockstat is in pages. */
    private Long kernelTcp() {
        Long pages = sockstat(Path.of("/proc/net/sockstat"), "TCP:", "mem");
        return pages == null || pageSize == null ? null : pages * pageSize;
    }

    private Long kernelPerSocket(Long kernelTcp) {
        Long v4 = sockstat(Path.of("/proc/net/sockstat"), "TCP:", "inuse");
        Long v6 = sockstat(Path.of("/proc/net/sockstat6"), "TCP6:", "inuse");
        Map<String, long[]> slabs = slabs();
        long sockets = (v4 == null ? 0 : v4) + (v6 == null ? 0 : v6);
        if (kernelTcp == null || slabs == null || sockets == 0) {
            return null;
        }
        long tcpSlabBytes = 0;
        for (String name : List.of("TCP", "TCPv6")) {
            long[] slab = slabs.get(name);
            if (slab != null) {
                tcpSlabBytes += slab[0] * slab[1];
            }
        }
        long perSocket = (tcpSlabBytes + kernelTcp) / sockets;
        for (String name : List.of("sock_inode_cache", "filp", "dentry", "eventpoll_epi")) {
            long[] slab = slabs.get(name);
            if (slab != null) {
                perSocket += slab[1];
            }
        }
        return perSocket;
    }

    /** A named figure from a sockstat line such as {@code TCP: inuse 5 orphan 0 tw 0 alloc 7 mem 1}. */
    private static Long sockstat(Path file, String prefix, String key) {
        for (String line : lines(file)) {
            if (line.startsWith(prefix)) {
                String[] words = line.split("\\s+");
                for (int i = 1; i + 1 < words.length; i++) {
                    if (words[i].equals(key)) {
                        return Long.parseLong(words[i + 1]);
                    }
                }
            }
        }
        return null;
    }

    /** Slab name to {active objects, object size}, or null when slabinfo is unreadable. */
    private static Map<String, long[]> slabs() {
        List<String> lines = lines(Path.of("/proc/slabinfo"));
        if (lines.isEmpty()) {
            return null;
        }
        var slabs = new HashMap<String, long[]>();
        for (String line : lines) {
            String[] words = line.split("\\s+");
            if (words.length > 3 && !line.startsWith("#") && words[1].chars().allMatch(Character::isDigit)) {
                slabs.put(words[0], new long[] {Long.parseLong(words[1]), Long.parseLong(words[3])});
            }
        }
        return slabs;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
