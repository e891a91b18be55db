package io.loompush.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The running counts of some clients, summed over processes for the live
 * line and for the waits between phases.
 *
 * @param open              connections open now
 * @param held              polls sent and not answered yet
 * @param resumed           reconnect: clients that sent a poll after the cut on a connection the cut left alone
 * @param connected         clients that connected at least once
 * @param received          messages of this run received, once each (duplicates not counted)
 * @param errors            failed connects and polls
 * @param lost              sequence numbers skipped and not arrived since (trailing loss is found at the end)
 * @param lastConnectMicros when the latest first connection was established, 0 before any
 */
record Progress(long open, long held, long resumed, long connected, long received, long errors, long lost,
                long duplicates, long late, long gaps, long foreign, long lastConnectMicros) {
    static final Progress NONE = new Progress(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    Progress plus(Progress o) {
        return new Progress(open + o.open, held + o.held, resumed + o.resumed, connected + o.connected,
                received + o.received,
                errors + o.errors, lost + o.lost, duplicates + o.duplicates, late + o.late, gaps + o.gaps,
                foreign + o.foreign, Math.max(lastConnectMicros, o.lastConnectMicros));
    }

    long violations() {
        return lost + duplicates + late + gaps + foreign;
    }

    Map<String, Object> toMap() {
        var map = new LinkedHashMap<String, Object>();
        map.put("open", open);
        map.put("held", held);
        map.put("resumed", resumed);
        map.put("connected", connected);
        map.put("received", received);
        map.put("errors", errors);
        map.put("lost", lost);
        map.put("duplicates", duplicates);
        map.put("late", late);
        map.put("gaps", gaps);
        map.put("foreign", foreign);
        map.put("lastConnectMicros", lastConnectMicros);
        return map;
    }

    static Progress fromMap(Map<?, ?> map) {
        return new Progress(n(map, "open"), n(map, "held"), n(map, "resumed"), n(map, "connected"), n(map, "received"),
                n(map, "errors"),
                n(map, "lost"), n(map, "duplicates"), n(map, "late"), n(map, "gaps"), n(map, "foreign"),
                n(map, "lastConnectMicros"));
    }

    static long n(Map<?, ?> map, String key) {
        if (!(map.get(key) instanceof Long value)) {
            throw new IllegalArgumentException("missing figure '" + key + "'");
        }
        return value;
    }
}
