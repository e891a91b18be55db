package io.loompush.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The final figures of some clients after they closed, merged over processes.
 *
 * @param clients      clients this covers
 * @param connected    clients that connected at least once
 * @param connects     connections established, first ones and reconnects
 * @param cuts         reconnect: connections the clients cut on purpose (not errors)
 * @param answers      poll answers read
 * @param timeouts     answers without messages: the hold ran out
 * @param received     messages of this run received once each
 * @param stale        messages of an earlier run (a server's history), ignored
 * @param lost         messages published to these clients and never received
 * @param failures     errors by {@link Failure#key()}
 * @param connectTimes time from starting a connect to established, in microseconds
 * @param examples     the first violations and errors, as lines
 */
record FleetResult(long clients, long connected, long connects, long cuts, long answers, long timeouts, long received,
                   long stale, long duplicates, long late, long lost, long gaps, long foreign, Map<String, Long> failures,
                   long lastConnectMicros, Histogram connectTimes, List<String> examples) {
    /** Example lines kept over all processes. */
    static final int MAX_EXAMPLES = 20;

    FleetResult {
        failures = Map.copyOf(failures);
        examples = List.copyOf(examples);
    }

    long errors() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    FleetResult plus(FleetResult o) {
        var allFailures = new LinkedHashMap<>(failures);
        o.failures.forEach((k, v) -> allFailures.merge(k, v, Long::sum));
        var times = connectTimes.copy();
        times.add(o.connectTimes);
        var allExamples = new ArrayList<>(examples);
        allExamples.addAll(o.examples);
        return new FleetResult(clients + o.clients, connected + o.connected, connects + o.connects, cuts + o.cuts,
                answers + o.answers, timeouts + o.timeouts, received + o.received, stale + o.stale,
                duplicates + o.duplicates, late + o.late, lost + o.lost, gaps + o.gaps, foreign + o.foreign,
                allFailures, Math.max(lastConnectMicros, o.lastConnectMicros), times,
                allExamples.subList(0, Math.min(MAX_EXAMPLES, allExamples.size())));
    }

    Map<String, Object> toMap() {
        var map = new LinkedHashMap<String, Object>();
        map.put("clients", clients);
        map.put("connected", connected);
        map.put("connects", connects);
        map.put("cuts", cuts);
        map.put("answers", answers);
        map.put("timeouts", timeouts);
        map.put("received", received);
        map.put("stale", stale);
        map.put("duplicates", duplicates);
        map.put("late", late);
        map.put("lost", lost);
        map.put("gaps", gaps);
        map.put("foreign", foreign);
        map.put("failures", new LinkedHashMap<>(failures));
        map.put("lastConnectMicros", lastConnectMicros);
        map.put("connectTimes", Histograms.encode(connectTimes));
        map.put("examples", examples);
        return map;
    }

    static FleetResult fromMap(Map<?, ?> map) {
        var failures = new LinkedHashMap<String, Long>();
        if (map.get("failures") instanceof Map<?, ?> f) {
            f.forEach((k, v) -> failures.put(String.valueOf(k), (Long) v));
        }
        var examples = new ArrayList<String>();
        if (map.get("examples") instanceof List<?> list) {
            list.forEach(e -> examples.add(String.valueOf(e)));
        }
        return new FleetResult(Progress.n(map, "clients"), Progress.n(map, "connected"), Progress.n(map, "connects"),
                Progress.n(map, "cuts"), Progress.n(map, "answers"), Progress.n(map, "timeouts"),
                Progress.n(map, "received"), Progress.n(map, "stale"), Progress.n(map, "duplicates"),
                Progress.n(map, "late"), Progress.n(map, "lost"), Progress.n(map, "gaps"), Progress.n(map, "foreign"),
                failures,
                Progress.n(map, "lastConnectMicros"), Histograms.decode((String) map.get("connectTimes")), examples);
    }
}
