package io.loompush.sim.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the kernel spends on TCP sockets, machine-wide: buffer pages from
 * {@code /proc/net/sockstat} and the socket objects' slabs from
 * {@code /proc/slabinfo} (root only). Both ends of a loopback connection live
 * on this machine, so a connection costs two sockets here.
 *
 * @param bufferBytes TCP buffer memory (sockstat {@code mem}, in pages), or null
 * @param inUse       TCP sockets in use, IPv4 and IPv6, or null
 * @param slabBytes   the TCP, TCPv6 and socket-inode slabs' objects in use times their size, or null
 */
public record KernelSockets(Long bufferBytes, Long inUse, Long slabBytes) {
    private static final List<String> SOCKET_SLABS = List.of("TCP", "TCPv6", "sock_inode_cache");
    /** The base page size, assumed where /proc/self/smaps does not say. */
    private static final long DEFAULT_PAGE_BYTES = 4096;

    public static KernelSockets read() {
        Long pages = sockstat(Path.of("/proc/net/sockstat"), "TCP:", "mem");
        Long v4 = sockstat(Path.of("/proc/net/sockstat"), "TCP:", "inuse");
        Long v6 = sockstat(Path.of("/proc/net/sockstat6"), "TCP6:", "inuse");
        return new KernelSockets(pages == null ? null : pages * pageBytes(),
                v4 == null ? null : v4 + (v6 == null ? 0 : v6), socketSlabBytes());
    }

    private static Long socketSlabBytes() {
        List<String> lines = lines(Path.of("/proc/slabinfo"));
        if (lines.isEmpty()) {
            return null;
        }
        long bytes = 0;
        for (String line : lines) {
            String[] words = line.split("\\s+");
            if (words.length > 3 && SOCKET_SLABS.contains(words[0]) && words[1].matches("[0-9]+")) {
                bytes += Long.parseLong(words[1]) * Long.parseLong(words[3]);
            }
        }
        return bytes;
    }

    /** A named figure of a sockstat line such as {@code TCP: inuse 5 orphan 0 tw 0 alloc 7 mem 1}. */
    static Long sockstat(Path file, String prefix, String key) {
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

    /** The page size of this process's first mapping: the kernel's base page. */
    private static long pageBytes() {
        try (var lines = Files.lines(Path.of("/proc/self/smaps"))) {
            return lines.filter(l -> l.startsWith("KernelPageSize:"))
                    .findFirst()
                    .map(l -> 1024 * Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .orElse(DEFAULT_PAGE_BYTES);
        } catch (IOException | RuntimeException e) {
            return DEFAULT_PAGE_BYTES;
        }
    }

    private static List<String> lines(Path file) {
        return ProcFiles.lines(file);
    }
}
