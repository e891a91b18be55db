package io.loompush.server.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Polls on a node whose copy of a channel's history is part of a shared one (Redis streams). */
class SharedHistoryTest {
    /**
     * A shared history in memory: one epoch, positions P + 1, P + 2, ... where P is the clock's now
     * (the node's copy expires by the millisecond in a position), trimmed from the front on demand.
     */
    private static final class History implements Feed {
        final List<Message> entries = new ArrayList<>();
        volatile Coverage coverage;
        volatile boolean reachable = true;
        int reads;
        long trimmedUpTo;

        @Override
        public void interested(String channel) {}

        @Override
        public void uninterested(String channel) {}

        @Override
        public Coverage coverage(String channel) {
            return coverage;
        }

        @Override
        public long latest(String channel) {
            return coverage == null ? 0 : coverage.latest();
        }

        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public synchronized Backlog read(String channel, String epoch, long after, int max) {
            if (!reachable) {
                throw new BrokerUnavailableException("down");
            }
            reads++;
            long from = epoch.equals("s1") ? after : 0;
            long trimmed = trimmedUpTo == 0 ? 0 : P + trimmedUpTo;
            var messages = entries.stream().filter(m -> m.seq() > from).limit(max).toList();
            long last = entries.isEmpty() ? 0 : entries.getLast().seq();
            return new Backlog("s1", messages, last, !epoch.equals("s1") ? Long.MAX_VALUE : trimmed);
        }

        synchronized void add(Channels channels, String text) {
            long seq = entries.size() + 1 + trimmedUpTo + P;
            entries.add(new Message("a", "s1", seq, text.getBytes()));
            if (coverage != null) {
                channels.deliver("a", "s1", seq, text.getBytes());
                coverage = new Coverage("s1", coverage.since(), coverage.openFrom(), seq);
            }
        }
    }

    private static final long P = new TestClock().millis() << MessageIds.COUNTER_BITS;

    private final TestClock clock = new TestClock();
    private final History history = new History();
    private final Channels channels = new Channels(new MessageIds("ep", clock), history, clock, 64, Duration.ofMinutes(5),
            Long.MAX_VALUE);
    private final Poller poller = new Poller(channels, () -> false);

    /** A poll with a timeout of 0, answered at once. */
    private Batch hold(String epoch, long since, boolean open) {
        return hold(epoch, since, open, false);
    }

    /** @param wait whether to hold until a message comes (no deadline: the tests publish) */
    private Batch hold(String epoch, long since, boolean open, boolean wait) {
        return poller.hold(new String[] {"a"}, new String[] {epoch}, new long[] {since}, new boolean[] {open}, 10,
                wait, new Mailbox(), () -> false);
    }

    private static List<String> texts(Batch batch) {
        return batch.messages().stream().map(m -> new String(m.data())).toList();
    }

    @Test
    void aCursorOlderThanTheNodesCopyIsAnsweredFromTheSharedHistory() {
        history.add(channels, "1");
        history.add(channels, "2");
        history.coverage = new Coverage("s1", P + 2, P + 2, P + 2);
        history.add(channels, "3");
        Batch batch = hold("s1", P + 1, false);
        assertEquals(List.of("2", "3"), texts(batch));
        assertFalse(batch.gap());
        assertEquals(1, history.reads);
        assertArrayEquals(new long[] {P + 3}, batch.positions());
    }

    @Test
    void aCursorWithinTheCopyIsAnsweredHereWithoutReading() throws Exception {
        history.coverage = new Coverage("s1", P, P, P);
        Future<Batch> held = holdInBackground("s1", P, false);
        history.add(channels, "1");
        history.add(channels, "2");
        held.get();
        Batch batch = hold("s1", P + 1, false);
        assertEquals(List.of("2"), texts(batch));
        assertEquals(0, history.reads);
    }

    @Test
    void theSharedHistorySaysWhenMessagesWereTrimmedPastTheCursor() {
        history.trimmedUpTo = 5;
        history.add(channels, "6");
        history.coverage = new Coverage("s1", P + 6, P + 6, P + 6);
        Batch batch = hold("s1", P + 2, false);
        assertTrue(batch.gap());
        assertEquals(List.of("6"), texts(batch));
        Batch next = hold("s1", batch.positions()[0], false);
        assertFalse(next.gap(), "one gap, then the cursor is past it");
    }

    @Test
    void aCursorOfAnotherEpochGetsTheOldestMessagesAndAGap() {
        history.add(channels, "1");
        history.coverage = new Coverage("s1", P + 1, P + 1, P + 1);
        Batch batch = hold("s0", 7, false);
        assertTrue(batch.gap());
        assertEquals(List.of("1"), texts(batch));
        assertEquals("s1", batch.epochs()[0]);
    }

    @Test
    void aPollWithNoPositionWaitsForCoverageAndGetsWhatCameSinceItArrived() throws Exception {
        history.entries.add(new Message("a", "s1", P - (2000L << MessageIds.COUNTER_BITS), "long before".getBytes()));
        Position arrival = channels.arrival("a");
        assertEquals(Cursor.NO_EPOCH, arrival.epoch());
        clock.advance(Duration.ofSeconds(5));
        long later = (clock.millis() << MessageIds.COUNTER_BITS) + 1;
        history.entries.add(new Message("a", "s1", later, "after arrival, before coverage".getBytes()));
        Future<Batch> held = holdInBackground(Cursor.NO_EPOCH, arrival.seq(), true);
        history.coverage = new Coverage("s1", later, later, later);
        channels.wake("a");
        Batch batch = held.get();
        assertEquals(List.of("after arrival, before coverage"), texts(batch));
        assertFalse(batch.gap(), "what was trimmed before the arrival was never promised");
    }

    @Test
    void aChannelNobodyPollsKeepsNoCopyAndOneCreatedLaterStartsAfterWhatItMissed() {
        history.coverage = new Coverage("s1", P, P, P);
        history.add(channels, "1");
        assertEquals(0, channels.channelCount(), "no poll, no copy: the stream has it");
        history.add(channels, "2");
        Batch batch = hold("s1", P + 1, false);
        assertEquals(List.of("2"), texts(batch));
        assertEquals(1, history.reads, "the copy holds nothing from before it was created: read the stream");
    }

    @Test
    void aCursorHoldingOnlyAnArrivalGoesOnFromThereOnACoveredChannelNotFromWhereCoverageBegan() {
        long arrival = P + (5000L << MessageIds.COUNTER_BITS);
        history.entries.add(new Message("a", "s1", P + 1, "long before the arrival".getBytes()));
        history.entries.add(new Message("a", "s1", arrival + 1, "after the arrival".getBytes()));
        history.coverage = new Coverage("s1", P, P, arrival + 1);
        Position at = channels.resume("a", arrival);
        assertEquals("s1", at.epoch());
        Batch batch = hold(at.epoch(), at.seq(), false);
        assertEquals(List.of("after the arrival"), texts(batch));
        assertFalse(batch.gap());
    }

    @Test
    void aCursorHoldingOnlyAnArrivalStaysOpenWhileTheChannelIsNotCovered() {
        assertEquals(new Position(Cursor.NO_EPOCH, P), channels.resume("a", P));
    }

    @Test
    void aPollWithNoPositionIsToldOfEntriesTrimmedAfterItArrivedNotOfThoseBefore() throws Exception {
        Position arrival = channels.arrival("a");
        clock.advance(Duration.ofSeconds(5));
        long later = (clock.millis() << MessageIds.COUNTER_BITS) + 1;
        history.entries.add(new Message("a", "s1", later, "after the trim".getBytes()));

        history.trimmedUpTo = arrival.seq() - P - (500L << MessageIds.COUNTER_BITS);
        Batch trimmedBefore = holdOpenUntilCovered(arrival, later);
        assertEquals(List.of("after the trim"), texts(trimmedBefore));
        assertFalse(trimmedBefore.gap(), "trimmed half a second before the arrival: never promised");

        history.trimmedUpTo = arrival.seq() - P + (2000L << MessageIds.COUNTER_BITS);
        history.coverage = null;
        Batch trimmedAfter = holdOpenUntilCovered(arrival, later);
        assertEquals(List.of("after the trim"), texts(trimmedAfter));
        assertTrue(trimmedAfter.gap(), "trimmed two seconds after the arrival: messages may be lost");
    }

    private Batch holdOpenUntilCovered(Position arrival, long coveredFrom) throws Exception {
        Future<Batch> held = holdInBackground(Cursor.NO_EPOCH, arrival.seq(), true);
        history.coverage = new Coverage("s1", coveredFrom, coveredFrom, coveredFrom);
        channels.wake("a");
        return held.get();
    }

    @Test
    void anUnreadableSharedHistoryLeavesTheCursorWhereItWas() {
        history.coverage = new Coverage("s1", P + 5, P + 5, P + 5);
        history.reachable = false;
        Batch batch = hold("s1", P + 2, false);
        assertTrue(batch.messages().isEmpty());
        assertFalse(batch.gap());
        assertArrayEquals(new long[] {P + 2}, batch.positions());
        assertEquals("s1", batch.epochs()[0]);
    }

    @Test
    void aMessageOutsideAnyHistoryReachesTheHeldPollAndMovesNoCursor() throws Exception {
        history.coverage = new Coverage("s1", P, P, P);
        Future<Batch> held = holdInBackground("s1", P, false);
        assertEquals(1, channels.broadcast("a", "plain".getBytes()));
        Batch batch = held.get();
        assertEquals(List.of("plain"), texts(batch));
        assertArrayEquals(new long[] {P}, batch.positions());
        assertEquals(0, channels.broadcast("a", "nobody holds".getBytes()), "no one else gets it, ever");
    }

    private Future<Batch> holdInBackground(String epoch, long since, boolean open) throws InterruptedException {
        var future = new CompletableFuture<Batch>();
        Thread.ofVirtual().start(() -> future.complete(hold(epoch, since, open, true)));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (channels.mailboxCount() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return future;
    }
}
