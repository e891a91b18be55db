package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The no-loss promise on the streams: 1,000 SSE clients and 1,000
 * WebSocket clients on node A of two, over a real Redis, while backends
 * publish; A is drained (SIGTERM) or killed (SIGKILL) under them, and every
 * client opens its stream again on B with its last cursor (an SSE client with
 * {@code Last-Event-ID}, as EventSource does). Each gets every message of its
 * channels, in order, once, and not one gap.
 */
class StreamsNoLossIT {
    private static final int PER_TRANSPORT = 1000;
    private static final int CLIENTS = 2 * PER_TRANSPORT;
    /** Every this many messages one goes to the shared channel, the rest to the clients' own. */
    private static final int SHARED_EVERY = 200;
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Test
    @Timeout(120)
    void streamsMovingToAnotherNodeAfterADrainLoseNothing(@TempDir Path dir) throws Exception {
        moveFromAToB(dir, "drained", a -> {
            a.terminate();
            assertEquals(0, a.awaitExit(WITHIN), a::log);
        }, true);
    }

    @Test
    @Timeout(120)
    void streamsMovingToAnotherNodeAfterAKillLoseNothing(@TempDir Path dir) throws Exception {
        moveFromAToB(dir, "killed", ServerProcess::kill, false);
    }

    private interface Fault {
        void hit(ServerProcess node) throws Exception;
    }

    /**
     * @param drained whether A ends its streams itself: then every WebSocket got a close 1001 from A, and no
     *                stream open when the fault came was cut
     */
    private static void moveFromAToB(Path dir, String fault, Fault onA, boolean drained) throws Exception {
        try (var redis = RedisFixture.running();
             var a = ServerProcess.start(dir.resolve("a.log"), "--redis", redis.url());
             var b = ServerProcess.start(dir.resolve("b.log"), "--redis", redis.url());
             var sse = Followers.start(PER_TRANSPORT, Follower.Transport.SSE, 0, List.of(a.port(), b.port()));
             var ws = Followers.start(PER_TRANSPORT, Follower.Transport.WS, PER_TRANSPORT,
                     List.of(a.port(), b.port()));
             var publisher = new StreamPublisher(redis)) {
            try (var stats = new Stats(a.port())) {
                stats.awaitUntil(PER_TRANSPORT + " SSE streams and " + PER_TRANSPORT + " WebSockets subscribed",
                        s -> Stats.streams(s, "sse") == PER_TRANSPORT && Stats.streams(s, "ws") == PER_TRANSPORT
                                && s.get("mailboxes").equals(2L * CLIENTS)
                                && Stats.redis(s, "subscribedChannels") == CLIENTS + 1, WITHIN);
            }

            long start = System.nanoTime();
            publisher.start(5_000, 500, channels());
            Thread.sleep(3_000);
            long faultAt = System.nanoTime();
            onA.hit(a);
            publisher.await(Duration.ofSeconds(60));
            var sseCaughtUp = sse.awaitAll(publisher, Duration.ofSeconds(60));
            var wsCaughtUp = ws.awaitAll(publisher, Duration.ofSeconds(30));

            sse.assertEveryMessageInOrderWithoutGapOrError(publisher);
            ws.assertEveryMessageInOrderWithoutGapOrError(publisher);
            var all = Stream.concat(sse.all().stream(), ws.all().stream()).toList();
            assertTrue(all.stream().allMatch(f -> f.moves() >= 1), () -> "every client moved: " + sse.summary()
                    + "; " + ws.summary());
            if (drained) {
                var cut = all.stream().flatMap(f -> f.dropsSeen().stream())
                        .filter(d -> d.port() == a.port() && d.sentAtNanos() - faultAt < 0).toList();
                assertEquals(List.of(), cut, () -> "every stream on A ended by A; A's log:\n" + a.log());
                assertTrue(ws.all().stream().allMatch(f -> f.closes().contains(1001)),
                        () -> "every WebSocket closed with 1001: " + ws.all().stream().map(Follower::closes).toList());
            }
            System.out.printf("StreamsNoLossIT: node A %s under %d SSE streams and %d WebSockets; %d published in"
                            + " %d ms; SSE: %s, caught up %d ms after the last publish; WebSocket: %s, %d ms%n",
                    fault, PER_TRANSPORT, PER_TRANSPORT, publisher.published(),
                    (System.nanoTime() - start) / 1_000_000, sse.summary(), sseCaughtUp.toMillis(), ws.summary(),
                    wsCaughtUp.toMillis());
        }
    }

    /** Message k goes to the shared channel every {@link #SHARED_EVERY}, else to client k's own. */
    private static IntFunction<String> channels() {
        return k -> k % SHARED_EVERY == SHARED_EVERY - 1 ? Followers.SHARED : Followers.own(k % CLIENTS);
    }
}
