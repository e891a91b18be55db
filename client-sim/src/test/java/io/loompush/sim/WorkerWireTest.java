package io.loompush.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loompush.sim.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What crosses from a worker to its parent and back survives the trip, and merges by summing. */
class WorkerWireTest {
    private static FleetResult result(long clients, long received, long lost, long connectMicros, String example) {
        var times = Histograms.empty();
        times.recordValue(connectMicros);
        return new FleetResult(clients, clients, clients + 1, 3, 10, 2, received, 0, 1, 0, lost, 0, 0,
                Map.of("connect", 1L, "timeout", 0L), 1_000 + clients, times, List.of(example));
    }

    @Test
    void aResultSurvivesTheTripAsJson() {
        var result = result(700, 2100, 3, 250, "loss: c5 got c5 seq 4 (1 skipped)");
        var back = FleetResult.fromMap(Json.object(Json.write(result.toMap())));
        assertEquals(result.toMap(), back.toMap());
    }

    @Test
    void resultsOfSeveralWorkersAddUp() {
        var merged = result(700, 2100, 3, 250, "a").plus(result(600, 1800, 0, 900, "b"));
        assertEquals(1300, merged.clients());
        assertEquals(3900, merged.received());
        assertEquals(3, merged.lost());
        assertEquals(2, merged.duplicates());
        assertEquals(2, merged.errors());
        assertEquals(6, merged.cuts());
        assertEquals(1_700, merged.lastConnectMicros());
        assertEquals(2, merged.connectTimes().getTotalCount());
        assertEquals(List.of("a", "b"), merged.examples());
    }

    @Test
    void progressSurvivesTheTripAndAddsUp() {
        var p = new Progress(5, 4, 3, 5, 100, 1, 2, 0, 0, 0, 0, 77);
        assertEquals(p, Progress.fromMap(Json.object(Json.write(p.toMap()))));
        assertEquals(new Progress(10, 8, 6, 10, 200, 2, 4, 0, 0, 0, 0, 77), p.plus(p));
    }

    @Test
    void eachWorkerGetsThePublishedCountsOfItsSlice() {
        var published = new Published(0, new long[] {1, 2, 3, 4, 5}, new long[] {7});
        var slice = published.slice(new Slice(2, 4));
        var back = Published.fromMap(Json.object(Json.write(slice.toMap())));
        assertArrayEquals(new long[] {3, 7}, back.forClient(2));
        assertArrayEquals(new long[] {4, 7}, back.forClient(3));
        assertEquals(1 + 2 + 3 + 4 + 5 + 7 * 5, published.expectedDeliveries());
    }

    @Test
    void histogramsSurviveTheTrip() {
        var h = Histograms.empty();
        for (long v = 1; v <= 10_000; v++) {
            h.recordValue(v);
        }
        assertEquals(h, Histograms.decode(Histograms.encode(h)));
    }
}
