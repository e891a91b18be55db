package io.loompush.server.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.loompush.server.push.Backlog;
import io.loompush.server.push.BrokerUnavailableException;
import io.loompush.server.push.Published;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The copies' continuity with their streams, without a network: the streams are
 * lists read through {@code RedisStreams.backlog}, the same gap rule as Redis's
 * replies, and the copies a recorder.
 */
class BackfillTest {
    private static final Duration WITHIN = Duration.ofSeconds(5);

    /** A channel's stream as loompush_read sees it: entries "ms-n" chained by their previous id. */
    private static final class Streams implements StreamReader {
        record Entry(String id, String previous, String data) {}

        final ConcurrentHashMap<String, List<Entry>> entries = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile CountDownLatch entered = new CountDownLatch(0);
        volatile String epoch = "ep";
        int ms = 10;

        /** Appends an entry and returns its notification, as loompush_publish would send it. */
        synchronized byte[] publish(String channel, String data) {
            var list = entries.computeIfAbsent(channel, k -> Collections.synchronizedList(new ArrayList<>()));
            String previous = list.isEmpty() ? "0-0" : list.getLast().id();
            String id = ms + "-" + list.size();
            list.add(new Entry(id, previous, data));
            return b("\0lp1 " + epoch + " " + id + " " + previous + "\n" + data);
        }

        @Override
        public Backlog read(String name, String epoch, long after, int max) {
            reads.incrementAndGet();
            // Redis runs the read when it gets it: what is published while the answer travels is not in it.
            var list = List.copyOf(entries.getOrDefault(name, List.of()));
            entered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            var failing = failures.get(name);
            if (failing != null && failing.getAndDecrement() > 0) {
                throw new BrokerUnavailableException("redis unreachable");
            }
            String last = list.isEmpty() ? "0-0" : list.getLast().id();
            long from = epoch.equals(this.epoch) ? after : 0;
            var reply = new ArrayList<Object>();
            for (Entry e : list) {
                if (StreamIds.position(e.id()) > from && reply.size() < max) {
                    reply.add(List.of(b(e.id()), List.of(b("d"), b(e.data()), b("p"), b(e.previous()))));
                }
            }
            return RedisStreams.backlog(name, epoch, List.of(b(this.epoch), b(last), reply));
        }

        /** As loompush_lost: a new epoch while the stream is still behind the position. */
        @Override
        public synchronized void lost(String name, String epoch, long position) {
            var list = entries.getOrDefault(name, List.of());
            long last = list.isEmpty() ? 0 : StreamIds.position(list.getLast().id());
            if (epoch.equals(this.epoch) && position > last) {
                this.epoch = "ep2";
            }
        }
    }

    /** What reached the copies: "channel:data" per delivery, in order. */
    private static final class Recorder implements Copies {
        final List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger resets = new AtomicInteger();

        @Override
        public int deliver(String name, String epoch, long seq, byte[] data) {
            delivered.add(name + ":" + new String(data, StandardCharsets.UTF_8));
            return 1;
        }

        @Override
        public int broadcast(String name, byte[] data) {
            delivered.add(name + ":plain " + new String(data, StandardCharsets.UTF_8));
            return 1;
        }

        @Override
        public int reset(String name, long at) {
            resets.incrementAndGet();
            return 0;
        }

        @Override
        public void wake(String name) {}
    }

    private final Streams streams = new Streams();
    private final Recorder copies = new Recorder();
    private final Echoes echoes = new Echoes();
    private final Backfill backfill = new Backfill(streams, copies, echoes, 2);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + WITHIN + ": " + what);
            }
            Thread.sleep(2);
        }
    }

    private Subscription covered(String channel) throws InterruptedException {
        var s = new Subscription();
        backfill.begin(channel, s);
        await(channel + " covered", s::covered);
        return s;
    }

    /** A notification that skips an entry starts a reading, held until the test opens the gate. */
    private void holdAReading(String channel, Subscription s) throws InterruptedException {
        streams.gate = new CountDownLatch(1);
        streams.entered = new CountDownLatch(1);
        streams.publish(channel, "missed");
        backfill.arrived(channel, s, streams.publish(channel, "breaks"));
        streams.entered.await();
    }

    @Test
    void aFirstCoverageStartsAtTheStreamsNewestEntry() throws Exception {
        streams.publish("a", "old");
        var s = covered("a");
        assertEquals(StreamIds.position("10-0"), s.cover.since());
        assertEquals(StreamIds.position("10-0"), s.last);
        assertEquals(List.of(), copies.delivered, "what the stream held before is read by the polls that need it");
    }

    @Test
    void notificationsThatFollowTheCopyAreDeliveredInOrder() throws Exception {
        var s = covered("a");
        backfill.arrived("a", s, streams.publish("a", "one"));
        backfill.arrived("a", s, streams.publish("a", "two"));
        backfill.arrived("a", s, b("plain"));
        assertEquals(List.of("a:one", "a:two", "a:plain plain"), copies.delivered);
        assertEquals(1, streams.reads.get(), "no read but the coverage's first");
    }

    /** Issue 19: the publish whose notification started the reading gets its echo from the reading. */
    @Test
    void aNotificationThatSkipsAnEntryReadsTheStreamAndCompletesItsEcho() throws Exception {
        var s = covered("a");
        streams.publish("a", "never notified");
        var echo = echoes.expect("a", b("after it"));
        backfill.arrived("a", s, streams.publish("a", "after it"));

        Published published = echoes.await("a", echo, WITHIN);

        assertNotNull(published, "the echo came with the reading");
        assertEquals(1, published.receivers());
        assertEquals("ep-" + Long.toString(StreamIds.position("10-1"), 36), published.id());
        await("covered again", s::covered);
        assertEquals(List.of("a:never notified", "a:after it"), copies.delivered);
    }

    @Test
    void notificationsArrivingDuringAReadingWaitForItAndFollowIt() throws Exception {
        var s = covered("a");
        holdAReading("a", s);
        backfill.arrived("a", s, streams.publish("a", "while reading 1"));
        backfill.arrived("a", s, streams.publish("a", "while reading 2"));
        assertEquals(List.of(), copies.delivered, "nothing before the entries that precede it");
        assertFalse(s.covered());

        streams.gate.countDown();
        await("covered again", s::covered);

        assertEquals(List.of("a:missed", "a:breaks", "a:while reading 1", "a:while reading 2"), copies.delivered);
        await("no reading left", () -> backfill.readings() == 0);
    }

    @Test
    void aFailedReadIsTriedAgainForThatChannelOnly() throws Exception {
        streams.failures.put("a", new AtomicInteger(2));
        var a = new Subscription();
        backfill.begin("a", a);
        var b = covered("b");
        backfill.arrived("b", b, streams.publish("b", "b goes on"));
        assertEquals(List.of("b:b goes on"), copies.delivered);

        await("a covered after its retries", a::covered);
        assertEquals(2, backfill.retries());
    }

    @Test
    void aReadingWhoseCoverageEndedStops() throws Exception {
        var s = covered("a");
        holdAReading("a", s);
        backfill.end(s);
        streams.gate.countDown();

        await("the reading gone", () -> backfill.readings() == 0);
        assertFalse(s.covered());
        assertEquals(List.of(), copies.delivered);
        assertNull(s.pending);
    }

    @Test
    void aNotificationOfAnotherEpochBreaksOnceAndIsDropped() throws Exception {
        var s = covered("a");
        backfill.arrived("a", s, b("\0lp1 lost 10-5 10-4\nforged"));
        await("covered again", s::covered);
        await("no reading left", () -> backfill.readings() == 0);
        assertEquals(2, streams.reads.get(), "one reading for it, not one after another");
        backfill.arrived("a", s, streams.publish("a", "next"));
        assertEquals(List.of("a:next"), copies.delivered);
    }

    @Test
    void aStreamThatLostEntriesPastTheCopyStartsItOver() throws Exception {
        var s = covered("a");
        streams.publish("a", "kept");
        streams.entries.get("a").set(0, new Streams.Entry("10-0", "9-9", "kept, after a trimmed one"));
        backfill.end(s);
        backfill.begin("a", s);
        await("covered again", s::covered);
        assertEquals(1, copies.resets.get());
        assertEquals(StreamIds.position("10-0"), s.cover.since());
    }

    /** {@link Backfill#PENDING_LIMIT} notifications wait for a reading; one more and the stream is read again. */
    @Test
    void notificationsBeyondThePendingLimitAreReadFromTheStream() throws Exception {
        for (int extra = 0; extra <= 1; extra++) {
            String channel = "limit" + extra;
            var s = covered(channel);
            int readsBefore = streams.reads.get();
            holdAReading(channel, s);
            // The breaking notification is the first queued one.
            for (int i = 1; i < Backfill.PENDING_LIMIT + extra; i++) {
                backfill.arrived(channel, s, streams.publish(channel, "m" + i));
            }
            streams.gate.countDown();
            await(channel + " covered again", s::covered);
            await("no reading left", () -> backfill.readings() == 0);
            assertEquals(extra == 0 ? 1 : 2, streams.reads.get() - readsBefore, "reads with " + extra + " over");
            assertEquals(Backfill.PENDING_LIMIT + 1 + extra - 1 + 1,
                    copies.delivered.stream().filter(d -> d.startsWith(channel + ":")).count());
        }
    }

    /** A failover's loss: the stream, read again after a break, is behind the copy; a new epoch makes it a gap. */
    @Test
    void aStreamBehindTheCopyStartsANewEpoch() throws Exception {
        var s = covered("a");
        backfill.arrived("a", s, streams.publish("a", "kept"));
        backfill.arrived("a", s, streams.publish("a", "acknowledged, then lost"));
        backfill.end(s);
        streams.entries.get("a").removeLast();

        backfill.begin("a", s);
        await("covered again", s::covered);

        assertEquals("ep2", s.cover.epoch(), "cursors of the old epoch get gap:true");
        assertEquals(1, copies.resets.get());
        assertEquals(1, backfill.losses());
        assertEquals(List.of("a:kept", "a:acknowledged, then lost"), copies.delivered);
    }

    /** A reading reads {@link Backfill#BATCH} entries at a time: a full batch means there may be more. */
    @Test
    void aBacklogIsReadInBatchesUntilOneIsNotFull() throws Exception {
        for (int behind : new int[] {Backfill.BATCH - 1, Backfill.BATCH, Backfill.BATCH + 1}) {
            String channel = "behind" + behind;
            var s = covered(channel);
            backfill.end(s);
            for (int i = 0; i < behind; i++) {
                streams.publish(channel, "m" + i);
            }
            int readsBefore = streams.reads.get();
            backfill.begin(channel, s);
            await(channel + " covered again", s::covered);

            assertEquals(behind < Backfill.BATCH ? 1 : 2, streams.reads.get() - readsBefore, behind + " behind");
            assertEquals(behind, copies.delivered.stream().filter(d -> d.startsWith(channel + ":")).count());
        }
    }
}
