package io.loompush.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatsTest {

    private static Stats withPerConnection(Long heap, Long rss, Long kernel) {
        var memory = new MemoryProbe.Memory(40_000_000, 64_000_000, 90_000_000L, 0, 0, 30_000_000, 60_000_000L,
                heap, rss, 4_000_000L, kernel);
        return new Stats(MemoryProbe.MIN_CONNECTIONS, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, memory, null);
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
}
