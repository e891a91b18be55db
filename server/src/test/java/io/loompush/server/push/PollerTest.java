package io.loompush.server.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollerTest {
    private final TestClock clock = new TestClock();
    private final Channels channels = new Channels(new MessageIds("ep", clock), Feed.local("ep"), clock, 64,
            Duration.ofMinutes(5), Long.MAX_VALUE);
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Poller poller = new Poller(channels, draining::get);
    /** The mailbox of the latest hold: what the connection's I/O loop tells of the socket and the deadline. */
    private volatile Mailbox lastMailbox;

    /** Holds as a connection does: the deadline, here a sleeping thread, tells the mailbox when it passes. */
    private Batch hold(String[] names, long[] since, int max, Duration timeout) {
        return hold(names, since, max, timeout, () -> false);
    }

    private Batch hold(String[] names, long[] since, int max, Duration timeout, Poller.Client client) {
        var epochs = new String[names.length];
        Arrays.fill(epochs, "ep");
        var box = new Mailbox();
        lastMailbox = box;
        if (!timeout.isZero()) {
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(timeout);
                    box.expired();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        return poller.hold(names, epochs, since, new boolean[names.length], max, !timeout.isZero(), box, client);
    }

    private long arrival() {
        return channels.arrival("any").seq();
    }

    private static List<String> texts(Batch batch) {
        return batch.messages().stream().map(m -> m.channel() + ":" + new String(m.data())).toList();
    }

    private Future<Batch> holdInBackground(String[] names, long[] since, Duration timeout) throws Exception {
        return holdInBackground(names, since, timeout, () -> false);
    }

    private Future<Batch> holdInBackground(String[] names, long[] since, Duration timeout, Poller.Client client)
            throws Exception {
        var future = new CompletableFuture<Batch>();
        Thread.ofVirtual().start(() -> future.complete(hold(names, since, 100, timeout, client)));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (channels.mailboxCount() < names.length && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return future;
    }

    @Test
    void aHeldPollIsAnsweredByAPublish() throws Exception {
        Future<Batch> held = holdInBackground(new String[] {"a"}, new long[] {arrival()}, Duration.ofSeconds(30));
        channels.publish("a", "hi".getBytes());
        Batch batch = held.get();
        assertEquals(List.of("a:hi"), texts(batch));
        assertFalse(batch.gap());
        assertEquals(batch.messages().getFirst().seq(), batch.positions()[0]);
        assertEquals(0, channels.mailboxCount());
        assertEquals(0, channels.channelCount() - 1, "only the history is left");
    }

    @Test
    void aMessagePublishedAfterThePollArrivedButBeforeItRegisteredIsDelivered() {
        long arrival = arrival();
        channels.publish("a", "early".getBytes());
        Batch batch = hold(new String[] {"a"}, new long[] {arrival}, 10, Duration.ofSeconds(5));
        assertEquals(List.of("a:early"), texts(batch));
        assertFalse(batch.gap());
    }

    @Test
    void aTimedOutPollAnswersEmptyWithAPositionThatMissesNothing() {
        Batch batch = hold(new String[] {"a"}, new long[] {arrival()}, 10, Duration.ofMillis(20));
        assertTrue(batch.messages().isEmpty());
        channels.publish("a", "after".getBytes());
        assertEquals(List.of("a:after"), texts(hold(new String[] {"a"}, batch.positions(), 10, Duration.ZERO)));
        assertEquals(0, channels.mailboxCount());
    }

    @Test
    void multiChannelAnswersComeInPublishOrderAndMaxMovesEachCursorOnlyPastWhatWasSent() {
        long[] start = hold(new String[] {"a", "b"}, new long[] {arrival(), arrival()}, 10,
                Duration.ZERO).positions();
        channels.publish("b", "1".getBytes());
        channels.publish("a", "2".getBytes());
        channels.publish("b", "3".getBytes());
        Batch first = hold(new String[] {"a", "b"}, start, 2, Duration.ZERO);
        assertEquals(List.of("b:1", "a:2"), texts(first));
        Batch rest = hold(new String[] {"a", "b"}, first.positions(), 2, Duration.ZERO);
        assertEquals(List.of("b:3"), texts(rest));
        assertFalse(rest.gap());
    }

    @Test
    void aClientThatClosedWhileHeldEndsTheHoldWithNoAnswerAndLeavesNoMailbox() throws Exception {
        var asked = new AtomicInteger();
        Future<Batch> held = holdInBackground(new String[] {"a", "b"}, new long[] {arrival(), arrival()},
                Duration.ofMinutes(1), () -> asked.incrementAndGet() > 0);
        lastMailbox.readable();
        assertNull(held.get(5, TimeUnit.SECONDS));
        assertEquals(1, asked.get());
        assertEquals(0, channels.mailboxCount());
    }

    @Test
    void aReadableSocketWhoseClientIsStillThereKeepsThePollHeld() throws Exception {
        var asked = new AtomicInteger();
        Future<Batch> held = holdInBackground(new String[] {"a"}, new long[] {arrival()}, Duration.ofMinutes(1),
                () -> asked.incrementAndGet() < 0);
        lastMailbox.readable();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (asked.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertFalse(held.isDone());
        channels.publish("a", "still".getBytes());
        assertEquals(List.of("a:still"), texts(held.get(5, TimeUnit.SECONDS)));
        assertEquals(1, asked.get());
    }

    /** Follows the cursor with answers of at most {@code max}, until an answer says nothing new; counts the gaps. */
    private int gapsFollowing(String[] names, long[] start, int max) {
        int gaps = 0;
        long[] at = start;
        for (int answers = 0; answers < 100; answers++) {
            Batch batch = hold(names, at, max, Duration.ZERO);
            gaps += batch.gap() ? 1 : 0;
            if (batch.messages().isEmpty()) {
                return gaps;
            }
            at = batch.positions();
        }
        throw new AssertionError("the cursor never caught up");
    }

    @Test
    void aTrimmedHistoryIsOneGapOnAMultiChannelPollEvenWhenMaxCutsTheChannelThatHasIt() {
        channels.publish("g4", "seed".getBytes());
        channels.publish("g5", "seed".getBytes());
        long[] start = hold(new String[] {"g4", "g5"}, new long[] {arrival(), arrival()}, 10, Duration.ZERO)
                .positions();
        for (int i = 0; i < 20; i++) {
            channels.publish("g5", ("b" + i).getBytes());
        }
        for (int i = 0; i < 100; i++) {
            channels.publish("g4", ("a" + i).getBytes());
        }
        assertEquals(1, gapsFollowing(new String[] {"g4", "g5"}, start, 5));
    }

    @Test
    void aTrimmedHistoryIsOneGapOnASingleChannelPoll() {
        long[] start = hold(new String[] {"a"}, new long[] {arrival()}, 10, Duration.ZERO).positions();
        for (int i = 0; i < 100; i++) {
            channels.publish("a", ("a" + i).getBytes());
        }
        assertEquals(1, gapsFollowing(new String[] {"a"}, start, 5));
    }

    /**
     * Messages outside any history (a plain Redis PUBLISH) are at most once:
     * those beyond {@code max} in one answer are dropped, and the poll's
     * position does not move for them (docs/PROTOCOL.md).
     */
    @Test
    void messagesOutsideAnyHistoryBeyondMaxAreDropped() {
        var box = new Mailbox();
        box.offer(new Message("a", "ep", 1, "first".getBytes()));
        box.offer(new Message("a", "ep", 2, "second".getBytes()));
        long arrival = arrival();
        Batch batch = poller.hold(new String[] {"a"}, new String[] {"ep"}, new long[] {arrival}, new boolean[1], 1,
                false, box, () -> false);
        assertEquals(List.of("a:first"), texts(batch));
        assertEquals(List.of(), box.take(), "the second is gone");
        assertTrue(texts(hold(new String[] {"a"}, batch.positions(), 10, Duration.ZERO)).isEmpty());
    }

    @Test
    void drainingAnswersAHeldPollAtOnce() throws Exception {
        Future<Batch> held = holdInBackground(new String[] {"a"}, new long[] {arrival()}, Duration.ofMinutes(1));
        draining.set(true);
        channels.wakeAll();
        assertTrue(held.get().messages().isEmpty());
    }

    @Test
    void namesAreReplacedByTheRegistrysInstances() {
        channels.publish("a", "x".getBytes());
        String[] names = {new String("a")};
        Batch batch = hold(names, new long[] {0}, 10, Duration.ZERO);
        assertTrue(names[0] == batch.messages().getFirst().channel());
    }

    @Test
    void manyConcurrentPollsAllGetTheBroadcast() throws Exception {
        int polls = 500;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new java.util.ArrayList<Future<Batch>>();
            for (int i = 0; i < polls; i++) {
                futures.add(executor.submit(() -> hold(new String[] {"news"}, new long[] {arrival()}, 10,
                        Duration.ofSeconds(30))));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (channels.mailboxCount() < polls && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(polls, channels.publish("news", "all".getBytes()).receivers());
            for (var future : futures) {
                assertArrayEquals(new String[] {"news:all"}, texts(future.get()).toArray());
            }
        }
        assertEquals(0, channels.mailboxCount());
    }
}
