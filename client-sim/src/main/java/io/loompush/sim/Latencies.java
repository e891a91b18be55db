package io.loompush.sim;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Gathers the fleets' publish-to-receipt latencies into three histograms:
 * the whole run, the last second (the live line) and the current fanout
 * round. Both the live line and the run collect; each recording lands in all three.
 */
final class Latencies {
    private final Histogram total = Histograms.empty();
    private Histogram tick = Histograms.empty();
    private Histogram round = Histograms.empty();

    synchronized void collect(List<Fleet> fleets) {
        for (Fleet fleet : fleets) {
            Histogram h = fleet.takeLatency();
            total.add(h);
            tick.add(h);
            round.add(h);
        }
    }

    synchronized Histogram takeTick() {
        Histogram taken = tick;
        tick = Histograms.empty();
        return taken;
    }

    synchronized Histogram takeRound() {
        Histogram taken = round;
        round = Histograms.empty();
        return taken;
    }

    synchronized Histogram total() {
        return total.copy();
    }
}
