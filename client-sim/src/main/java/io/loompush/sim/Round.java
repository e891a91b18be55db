package io.loompush.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One fanout round: one message to each shared channel, until every client
 * had it (or the round gave up).
 *
 * @param expected deliveries the round should make: clients times shared channels
 * @param latency  publish to receipt of this round's deliveries, microseconds; its max is when the last client had it
 */
record Round(int number, long expected, long delivered, Histogram latency) {
    Map<String, Object> toMap() {
        var map = new LinkedHashMap<String, Object>();
        map.put("round", (long) number);
        map.put("expected", expected);
        map.put("delivered", delivered);
        map.put("p50Ms", Histograms.millis(latency.getValueAtPercentile(50)));
        map.put("p99Ms", Histograms.millis(latency.getValueAtPercentile(99)));
        map.put("allDeliveredMs", Histograms.millis(latency.getMaxValue()));
        return map;
    }
}
