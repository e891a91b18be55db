package io.loompush.sim.check;

import static io.loompush.sim.check.StreamCheck.Outcome.DUPLICATE;
import static io.loompush.sim.check.StreamCheck.Outcome.FOREIGN;
import static io.loompush.sim.check.StreamCheck.Outcome.GAP;
import static io.loompush.sim.check.StreamCheck.Outcome.IN_ORDER;
import static io.loompush.sim.check.StreamCheck.Outcome.LATE;
import static io.loompush.sim.check.StreamCheck.Outcome.STALE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loompush.sim.check.StreamCheck.Outcome;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class StreamCheckTest {
    private static final String RUN = "run1";
    private static final String[] CHANNELS = {"c7", "broadcast"};

    private static Payload message(String channel, long seq) {
        return new Payload(RUN, channel, seq, 0);
    }

    /**
     * A fake stream: what a server would deliver of {@code published}
     * messages on channel c7, dropping those the predicate names.
     */
    private static List<Payload> lossyStream(int published, IntPredicate dropped) {
        var delivered = new ArrayList<Payload>();
        for (int seq = 1; seq <= published; seq++) {
            if (!dropped.test(seq)) {
                delivered.add(message("c7", seq));
            }
        }
        return delivered;
    }

    private static Map<Outcome, Integer> check(StreamCheck check, List<Payload> stream) {
        var outcomes = new EnumMap<Outcome, Integer>(Outcome.class);
        for (Payload payload : stream) {
            outcomes.merge(check.accept(payload.channel(), payload), 1, Integer::sum);
        }
        return outcomes;
    }

    @Test
    void aCompleteStreamInOrderPasses() {
        var check = new StreamCheck(RUN, CHANNELS);
        assertEquals(Map.of(IN_ORDER, 1000), check(check, lossyStream(1000, seq -> false)));
        assertEquals(0, check.lost());
        assertEquals(0, check.trailingLoss(new long[] {1000, 0}));
    }

    @Test
    void aLossyStreamFailsTheCheckWithExactlyTheMessagesItDropped() {
        var check = new StreamCheck(RUN, CHANNELS);
        var outcomes = check(check, lossyStream(1000, seq -> seq % 7 == 0));
        assertEquals(142, check.lost(), "every seventh message of 1000 was dropped");
        assertEquals(142, (int) outcomes.get(GAP), "each drop is seen at the next message");
        assertEquals(0, check.trailingLoss(new long[] {1000, 0}), "999 was delivered, 1000 was not dropped");
    }

    @Test
    void messagesMissingAtTheEndAreFoundAgainstWhatWasPublished() {
        var check = new StreamCheck(RUN, CHANNELS);
        check(check, lossyStream(1000, seq -> seq > 990));
        assertEquals(0, check.lost(), "nothing was skipped before the last one received");
        assertEquals(10, check.trailingLoss(new long[] {1000, 0}));
        assertEquals(3, check.trailingLoss(new long[] {990, 3}), "and on the shared channel, nothing arrived");
    }

    @Test
    void aRepeatedMessageIsADuplicate() {
        var check = new StreamCheck(RUN, CHANNELS);
        assertEquals(IN_ORDER, check.accept("c7", message("c7", 1)));
        assertEquals(IN_ORDER, check.accept("c7", message("c7", 2)));
        assertEquals(DUPLICATE, check.accept("c7", message("c7", 2)));
        assertEquals(DUPLICATE, check.accept("c7", message("c7", 1)));
        assertEquals(0, check.lost());
    }

    @Test
    void aMessageAfterALaterOneIsLateAndNoLongerLost() {
        var check = new StreamCheck(RUN, CHANNELS);
        assertEquals(IN_ORDER, check.accept("c7", message("c7", 1)));
        assertEquals(GAP, check.accept("c7", message("c7", 4)));
        assertEquals(2, check.lost());
        assertEquals(LATE, check.accept("c7", message("c7", 3)));
        assertEquals(1, check.lost());
        assertEquals(DUPLICATE, check.accept("c7", message("c7", 3)));
        assertEquals(1, check.lost());
    }

    @Test
    void channelsAreCheckedApart() {
        var check = new StreamCheck(RUN, CHANNELS);
        assertEquals(IN_ORDER, check.accept("broadcast", message("broadcast", 1)));
        assertEquals(IN_ORDER, check.accept("c7", message("c7", 1)));
        assertEquals(IN_ORDER, check.accept("broadcast", message("broadcast", 2)));
        assertEquals(IN_ORDER, check.accept("c7", message("c7", 2)));
    }

    @Test
    void messagesNotOfThisClientAreForeignAndOfAnotherRunStale() {
        var check = new StreamCheck(RUN, CHANNELS);
        assertEquals(FOREIGN, check.accept("c8", message("c8", 1)), "another client's channel");
        assertEquals(FOREIGN, check.accept("broadcast", message("c7", 1)), "labelled with another channel");
        assertEquals(FOREIGN, check.accept(null, null), "no payload at all");
        assertEquals(STALE, check.accept("c7", new Payload("run0", "c7", 9, 0)));
        assertEquals(IN_ORDER, check.accept(null, message("c7", 1)), "a protocol that names no channel");
    }
}
