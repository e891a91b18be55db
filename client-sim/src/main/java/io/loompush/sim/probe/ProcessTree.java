package io.loompush.sim.probe;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a server's processes use, from {@code /proc}: the process and every
 * descendant (nginx's workers, a Node.js cluster), because a server's memory
 * is all of its processes. RSS counts pages shared between them once per
 * process; PSS splits them, and is shown beside it.
 */
public final class ProcessTree {
    /** The kernel's USER_HZ: /proc reports CPU time in these ticks, 100 on every Linux architecture in use. */
    private static final double USER_HZ = 100.0;
    /** Fields after the ')' that closes the command name in /proc/PID/stat. */
    private static final int PPID_FIELD = 1;
    private static final int UTIME_FIELD = 11;
    private static final int STIME_FIELD = 12;

    /**
     * @param pssBytes   null where smaps_rollup cannot be read
     * @param cpuSeconds user plus system time of every process of the tree so far
     */
    public record Usage(int processes, long rssBytes, Long pssBytes, double cpuSeconds) {}

    private ProcessTree() {}

    /** @return null when the process is gone */
    public static Usage usage(long pid) {
        List<Long> pids = descendantsAndSelf(pid);
        if (pids.isEmpty()) {
            return null;
        }
        long rss = 0;
        long pss = 0;
        boolean pssKnown = true;
        double cpu = 0;
        for (long p : pids) {
            Long r = kilobytes(Path.of("/proc", String.valueOf(p), "status"), "VmRSS:");
            Long s = kilobytes(Path.of("/proc", String.valueOf(p), "smaps_rollup"), "Pss:");
            rss += r == null ? 0 : r;
            pssKnown &= s != null;
            pss += s == null ? 0 : s;
            String stat = read(Path.of("/proc", String.valueOf(p), "stat"));
            cpu += stat == null ? 0 : cpuSeconds(stat);
        }
        return new Usage(pids.size(), rss, pssKnown ? pss : null, cpu);
    }

    public static boolean alive(long pid) {
        return Files.isDirectory(Path.of("/proc", String.valueOf(pid)));
    }

    /** The soft open-files limit of a process, from /proc/PID/limits, or null. */
    public static Long openFilesLimit(long pid) {
        String limits = read(Path.of("/proc", String.valueOf(pid), "limits"));
        if (limits == null) {
            return null;
        }
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] words = line.substring("Max open files".length()).strip().split("\\s+");
                return words[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(words[0]);
            }
        }
        return null;
    }

    static List<Long> descendantsAndSelf(long pid) {
        if (!alive(pid)) {
            return List.of();
        }
        Map<Long, List<Long>> children = new HashMap<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : proc) {
                String stat = read(dir.resolve("stat"));
                if (stat != null) {
                    long child = Long.parseLong(dir.getFileName().toString());
                    children.computeIfAbsent(parentOf(stat), k -> new ArrayList<>()).add(child);
                }
            }
        } catch (IOException e) {
            return List.of(pid);
        }
        var tree = new ArrayList<Long>();
        var queue = new ArrayDeque<Long>(List.of(pid));
        while (!queue.isEmpty()) {
            long p = queue.poll();
            tree.add(p);
            queue.addAll(children.getOrDefault(p, List.of()));
        }
        return tree;
    }

    /** The parent pid from a /proc/PID/stat line; the command name may hold spaces and parentheses. */
    static long parentOf(String stat) {
        return Long.parseLong(afterCommand(stat)[PPID_FIELD]);
    }

    static double cpuSeconds(String stat) {
        String[] fields = afterCommand(stat);
        return (Long.parseLong(fields[UTIME_FIELD]) + Long.parseLong(fields[STIME_FIELD])) / USER_HZ;
    }

    private static String[] afterCommand(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
    }

    private static Long kilobytes(Path file, String key) {
        String text = read(file);
        if (text == null) {
            return null;
        }
        for (String line : text.split("\n")) {
            if (line.startsWith(key)) {
                return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return null;
    }

    private static String read(Path file) {
        return ProcFiles.read(file);
    }
}
