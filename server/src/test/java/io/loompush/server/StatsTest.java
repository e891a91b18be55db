package io.loompush.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    private static final GcPauses GC = GcPauses.of(List.of(
            new GcPauses.Collector("ZGC Major Cycles", 2, 900), new GcPauses.Collector("ZGC Major Pauses", 6, 3)));

    private static Stats withPerConnection(Long heap, Long rss, Long kernel) {
        var memory = new MemoryProbe.Memory(40_000_000, 64_000_000, 90_000_000L, 0, 0, 30_000_000, 60_000_000L,
                heap, rss, 4_000_000L, kernel);
        return new Stats(0, MemoryProbe.MIN_CONNECTIONS, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, memory, GC, null);
    }

    @Test
    void tooFewConnectionsShowAsNullInStats() {
        String json = withPerConnection(null, null, null).toJson();

        assertTrue(json.contains("\"perConnectionHeapBytes\":null,\"perConnectionRssBytes\":null,"), json);
        assertTrue(json.contains("\"kernelBytesPerSocketEstimate\":null}"), json);
    }

    @Test
    void tooFewConnectionsLeaveThePerConnectionMetricsOut() {
        String metrics = withPerConnection(null, null, null).toPrometheus();

        assertFalse(metrics.contains("per_connection"), metrics);
        assertFalse(metrics.contains("per_socket"), metrics);
        assertTrue(metrics.contains("\nloompush_rss_bytes 90000000\n"), metrics);
    }

    @Test
    void perConnectionFiguresAppearInBoth() {
        var stats = withPerConnection(2_400L, 2_800L, 3_300L);

        assertTrue(stats.toJson().contains("\"perConnectionHeapBytes\":2400,\"perConnectionRssBytes\":2800,"));
        assertTrue(stats.toJson().contains("\"kernelBytesPerSocketEstimate\":3300}"));
        assertTrue(stats.toPrometheus().contains("\nloompush_heap_bytes_per_connection 2400\n"));
        assertTrue(stats.toPrometheus().contains("\nloompush_rss_bytes_per_connection 2800\n"));
        assertTrue(stats.toPrometheus().contains("\nloompush_kernel_bytes_per_socket_estimate 3300\n"));
    }

    @Test
    void gcPausesLeaveConcurrentCyclesOut() {
        var stats = withPerConnection(null, null, null);

        assertTrue(stats.toJson().contains("\"gc\":{\"pauses\":6,\"pauseMillis\":3,\"collectors\":["
                + "{\"name\":\"ZGC Major Cycles\",\"count\":2,\"millis\":900},"
                + "{\"name\":\"ZGC Major Pauses\",\"count\":6,\"millis\":3}]}"), stats.toJson());
        assertTrue(stats.toPrometheus().contains("\nloompush_gc_pauses_total 6\n"), stats.toPrometheus());
        assertTrue(stats.toPrometheus().contains("\nloompush_gc_pause_seconds_total 0.003\n"), stats.toPrometheus());
    }

    @Test
    void theCollectorsOfThisJvmAreRead() {
        var gc = GcPauses.read();

        assertFalse(gc.collectors().isEmpty());
        assertTrue(gc.pauses() >= 0 && gc.millis() >= 0, gc::toString);
    }
}
