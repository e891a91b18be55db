package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The leak proof. Ten cycles of 5,000 clients that connect and leave: half
 * receive a message and close cleanly, half vanish while held (some of them
 * in the middle of their request). After each cycle everything a connection
 * had is gone: connections, held polls, mailboxes, channels, Redis
 * subscriptions; and after a collection the heap in use stays within 2 MB of
 * what it was after the first cycle.
 */
class LeakIT {
    private static final int CYCLES = 10;
    private static final int CLIENTS = 5000;
    private static final long HEAP_TOLERANCE = 2L << 20;
    private static final Duration SETTLE = Duration.ofSeconds(20);

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void tenCyclesOfFiveThousandClientsLeaveNothingBehind() throws Exception {
        try (var redis = RedisFixture.running();
             // A short history lets each cycle's channels go soon; it must still outlast the delivery of a
             // cycle's messages on a loaded machine, or a held poll rightly answers that its message expired.
             var server = TestServer.start("--redis", redis.url(), "--subscription-linger", "0s",
                     "--history-ttl", "3s")) {
            server.awaitHealthz(200, Duration.ofSeconds(10));
            // The one connection left open is the stats reader's own.
            long baselineConnections = 1;
            var heaps = new ArrayList<Long>();
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                runCycle(server);
                var stats = server.stats().awaitUntil("cycle " + cycle + " left nothing behind", s ->
                        (long) s.get("connections") == baselineConnections
                                && (long) s.get("held") == 0
                                && (long) s.get("mailboxes") == 0
                                && (long) s.get("channels") == 0
                                && (long) s.get("historyEntries") == 0
                                && Stats.redis(s, "wantedChannels") == 0
                                && Stats.redis(s, "subscribedChannels") == 0, SETTLE);
                // Redis has no subscription of ours left but the control channel.
                redis.awaitChannels("push:*", Set.of("push:!loompush"), SETTLE);
                heaps.add(heapAfterCollection());
                assertEquals(baselineConnections, stats.get("connections"));
            }
            long first = heaps.getFirst();
            for (int cycle = 1; cycle < CYCLES; cycle++) {
                long grown = heaps.get(cycle) - first;
                assertTrue(grown < HEAP_TOLERANCE,
                        "heap after cycle " + cycle + " is " + grown + " bytes over the first cycle's: " + heaps);
            }
        }
    }

    /**
     * Even clients poll and receive their message; odd ones reset their connection
     * while held, and one in five of those sends half a request first. A poll
     * whose client vanished is let go when its hold ends (the protocol's promise),
     * so the vanishing ones hold for 3 s only.
     */
    private static void runCycle(TestServer server) throws Exception {
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var clients = new ArrayList<RawHttpClient>();
            var answers = new ArrayList<Future<PollAnswer>>();
            for (int i = 0; i < CLIENTS; i++) {
                var client = server.connect();
                clients.add(client);
                if (i % 2 == 0) {
                    String channel = "leak-" + i;
                    answers.add(threads.submit(() -> PollAnswer.of(client.get("/poll/" + channel + "?timeout=30"))));
                } else if (i % 10 == 1) {
                    client.send("GET /poll/leak-" + i + "?timeout=3 HTTP/1.1\r\nHo");
                } else {
                    client.sendGet("/poll/leak-" + i + "?timeout=3");
                }
            }
            int held = CLIENTS / 2 + CLIENTS / 2 - CLIENTS / 10;
            server.stats().awaitHeld(held, held, SETTLE);
            for (int i = 1; i < CLIENTS; i += 2) {
                clients.get(i).abort();
            }
            try (var publisher = server.connect()) {
                for (int i = 0; i < CLIENTS; i += 2) {
                    assertEquals(200, publisher.post("/publish/leak-" + i, "m" + i).status());
                }
            }
            List<String> received = new ArrayList<>();
            for (var answer : answers) {
                var got = answer.get();
                assertEquals(1, got.messages().size(), got::toString);
                received.add(got.messages().getFirst().data());
            }
            for (int i = 0; i < CLIENTS; i += 2) {
                assertEquals("m" + i, received.get(i / 2));
                clients.get(i).close();
            }
        }
    }

    private static long heapAfterCollection() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        // A collection may leave objects whose finalisation or cleaning is still queued: take the lowest of a few.
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
