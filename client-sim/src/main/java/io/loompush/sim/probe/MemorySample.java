package io.loompush.sim.probe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One reading of what the server spends, at one point of a run. Any figure
 * that could not be read is null, never guessed.
 *
 * @param label          the point of the run: before, held, after-load, closed; "+gc" after a forced GC
 * @param processes      processes in the server's tree (with --server-pid)
 * @param rssBytes       RSS of the server's whole process tree (with --server-pid)
 * @param pssBytes       PSS of the tree: shared pages split between its processes
 * @param cpuSeconds     user + system CPU of the tree since it started
 * @param statsRssBytes  the server's own RSS figure from its stats
 * @param heapUsedBytes  the server's heap in use from its stats
 * @param connections    open connections by the server's stats
 * @param held           held polls by the server's stats
 */
public record MemorySample(String label, long atMillis, Integer processes, Long rssBytes, Long pssBytes,
                           Double cpuSeconds, Long statsRssBytes, Long heapUsedBytes, Long connections, Long held,
                           KernelSockets kernel) {

    /** What each of {@code count} connections added since {@code before}, in bytes; null where unknown. */
    public Map<String, Object> perConnection(MemorySample before, int count) {
        var per = new LinkedHashMap<String, Object>();
        per.put("rssBytes", delta(rssBytes, before.rssBytes, count));
        per.put("pssBytes", delta(pssBytes, before.pssBytes, count));
        per.put("statsRssBytes", delta(statsRssBytes, before.statsRssBytes, count));
        per.put("heapUsedBytes", delta(heapUsedBytes, before.heapUsedBytes, count));
        per.put("kernelTcpBufferBytes", delta(kernel.bufferBytes(), before.kernel.bufferBytes(), count));
        per.put("kernelSocketSlabBytes", delta(kernel.slabBytes(), before.kernel.slabBytes(), count));
        return per;
    }

    public Map<String, Object> toMap() {
        var map = new LinkedHashMap<String, Object>();
        map.put("label", label);
        map.put("atMillis", atMillis);
        map.put("processes", processes);
        map.put("rssBytes", rssBytes);
        map.put("pssBytes", pssBytes);
        map.put("cpuSeconds", cpuSeconds);
        map.put("statsRssBytes", statsRssBytes);
        map.put("heapUsedBytes", heapUsedBytes);
        map.put("serverConnections", connections);
        map.put("serverHeld", held);
        map.put("kernelTcpBufferBytes", kernel.bufferBytes());
        map.put("kernelTcpSockets", kernel.inUse());
        map.put("kernelSocketSlabBytes", kernel.slabBytes());
        return map;
    }

    private static Long delta(Long after, Long before, int count) {
        return after == null || before == null || count == 0 ? null : Math.round((after - before) / (double) count);
    }
}
