package io.loompush.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * How the clients are split over processes: one slice in this process when
 * they fit under its open-files limit, otherwise one worker process per slice.
 *
 * @param notes what the checks found worth saying before the run
 */
record Plan(List<Slice> slices, List<String> notes) {
    /** Beyond this many worker processes a run is surely a mistake. */
    static final int MAX_PROCESSES = 64;

    Plan {
        slices = List.copyOf(slices);
        notes = List.copyOf(notes);
    }

    boolean inProcess() {
        return slices.size() == 1;
    }

    /** Even slices of at most {@code perProcess} clients each. */
    static List<Slice> split(int clients, int perProcess) {
        int processes = (clients + perProcess - 1) / perProcess;
        int size = (clients + processes - 1) / processes;
        var slices = new ArrayList<Slice>(processes);
        for (int from = 0; from < clients; from += size) {
            slices.add(new Slice(from, Math.min(clients, from + size)));
        }
        return slices;
    }
}
