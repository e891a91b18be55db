package io.loompush.server;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The garbage collector's stop-the-world pauses since the JVM started, from its
 * {@link GarbageCollectorMXBean}s. Every collector of Serial, Parallel and G1
 * counts pauses (G1's "G1 Concurrent GC" its remark and cleanup pauses); ZGC
 * and Shenandoah also have beans for their concurrent cycles, named
 * "… Cycles", whose time is not a pause and is left out of the totals.
 *
 * @param pauses     pauses, all collectors
 * @param millis     their time together
 * @param collectors each collector's own count and time, cycles included
 */
record GcPauses(long pauses, long millis, List<Collector> collectors) {
    record Collector(String name, long count, long millis) {
        boolean pauses() {
            return !name.endsWith(" Cycles");
        }
    }

    static GcPauses read() {
        var collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(bean -> new Collector(bean.getName(), Math.max(0, bean.getCollectionCount()),
                        Math.max(0, bean.getCollectionTime())))
                .toList();
        return of(collectors);
    }

    static GcPauses of(List<Collector> collectors) {
        long pauses = 0;
        long millis = 0;
        for (var c : collectors) {
            if (c.pauses()) {
                pauses += c.count();
                millis += c.millis();
            }
        }
        return new GcPauses(pauses, millis, collectors);
    }
}
