package io.loompush.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many messages the publisher sent on each channel: what every client
 * must have received at the end, checked against the last sequence number it saw.
 *
 * @param from    the first client the counts are of
 * @param clients per client channel from {@code from}, messages sent
 * @param shared  per shared channel, messages sent
 */
record Published(int from, long[] clients, long[] shared) {

    static Published none(int clients, int shared) {
        return new Published(0, new long[clients], new long[shared]);
    }

    /** The counts client {@code index} checks against: its own channel, then the shared ones. */
    long[] forClient(int index) {
        long[] counts = new long[1 + shared.length];
        counts[0] = clients[index - from];
        System.arraycopy(shared, 0, counts, 1, shared.length);
        return counts;
    }

    Published slice(Slice slice) {
        return new Published(slice.from(), Arrays.copyOfRange(clients, slice.from() - from, slice.to() - from), shared);
    }

    /** Every delivery the clients should see: each client's own messages plus every shared message once per client. */
    long expectedDeliveries() {
        long total = 0;
        for (long n : clients) {
            total += n;
        }
        for (long n : shared) {
            total += n * clients.length;
        }
        return total;
    }

    long total() {
        return Arrays.stream(clients).sum() + Arrays.stream(shared).sum();
    }

    Map<String, Object> toMap() {
        var map = new LinkedHashMap<String, Object>();
        map.put("from", (long) from);
        map.put("clients", Arrays.stream(clients).boxed().toList());
        map.put("shared", Arrays.stream(shared).boxed().toList());
        return map;
    }

    static Published fromMap(Map<?, ?> map) {
        return new Published((int) Progress.n(map, "from"), longs(map.get("clients")), longs(map.get("shared")));
    }

    private static long[] longs(Object list) {
        if (!(list instanceof List<?> items)) {
            throw new IllegalArgumentException("expected a list of counts");
        }
        var counts = new ArrayList<Long>(items.size());
        items.forEach(item -> counts.add((Long) item));
        return counts.stream().mapToLong(Long::longValue).toArray();
    }
}
