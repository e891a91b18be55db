package io.loompush.server.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A link over one end of a Unix socket pair; the test plays the client on the other end. */
class LinkTest {
    private static final Duration TICK = Duration.ofMillis(20);
    private static final long SECOND = 1_000_000_000L;

    private final IoLoop loop = new IoLoop(TICK).start();
    private final int[] pair = Sys.socketPair();
    private final Link link = Link.open(pair[0], loop, 200_000_000L);
    private final int client = pair[1];

    @AfterEach
    void close() {
        link.close();
        Sys.close(client);
        loop.close();
    }

    private void send(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        assertEquals(bytes.length, Sys.send(client, bytes, 0, bytes.length));
    }

    @Test
    void aReadWaitsForTheClientAndThenGetsItsBytes() throws Exception {
        var read = CompletableFuture.supplyAsync(() -> {
            var b = new byte[16];
            try {
                return new String(b, 0, link.read(b, 0, b.length), StandardCharsets.US_ASCII);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        Thread.sleep(50);
        assertFalse(read.isDone());
        send("hello");
        assertEquals("hello", read.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aReadPastItsDeadlineTimesOutWithinATick() {
        link.deadline(System.nanoTime() + 50_000_000L);
        long start = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> link.read(new byte[8], 0, 8));
        long took = System.nanoTime() - start;
        assertTrue(took >= 50_000_000L && took < SECOND, "took " + took / 1_000_000 + " ms");
    }

    @Test
    void readNowTellsNothingThereFromClosed() {
        var b = new byte[8];
        assertEquals(0, link.readNow(b, 0, b.length));
        send("x");
        assertEquals(1, link.readNow(b, 0, b.length));
        Sys.shutdown(client);
        assertEquals(-1, link.readNow(b, 0, b.length));
    }

    @Test
    void awaitReadableReturnsWhenBytesComeAndFalseAtTheDeadline() throws Exception {
        assertFalse(link.awaitReadable(System.nanoTime() + 50_000_000L));
        send("x");
        assertTrue(link.awaitReadable(System.nanoTime() + 5 * SECOND));
        assertEquals(1, link.readNow(new byte[8], 0, 8));
    }

    @Test
    void aWatchIsToldOfAClientThatClosesAndOfItsDeadline() throws Exception {
        var readable = new CountDownLatch(1);
        var expired = new CountDownLatch(1);
        Watcher watcher = new Watcher() {
            @Override
            public void readable() {
                readable.countDown();
            }

            @Override
            public void expired() {
                expired.countDown();
            }
        };
        link.watch(watcher, System.nanoTime() + 100_000_000L);
        assertTrue(expired.await(5, TimeUnit.SECONDS));
        assertEquals(1, readable.getCount(), "nothing came: not readable");
        Sys.shutdown(client);
        assertTrue(readable.await(5, TimeUnit.SECONDS));
        assertEquals(-1, link.readNow(new byte[8], 0, 8));
        link.unwatch();
    }

    @Test
    void anUnwatchedLinkTellsNothing() throws Exception {
        var told = new AtomicInteger();
        link.watch(new Watcher() {
            @Override
            public void readable() {
                told.incrementAndGet();
            }

            @Override
            public void expired() {
                told.incrementAndGet();
            }
        }, System.nanoTime() + 60_000_000L);
        link.unwatch();
        Thread.sleep(150);
        assertEquals(0, told.get());
    }

    @Test
    void aWriteTheClientDoesNotReadIsCutAtTheWriteTimeout() {
        var big = new byte[16 << 20];
        long start = System.nanoTime();
        assertThrows(IOException.class, () -> link.write(big));
        long took = System.nanoTime() - start;
        assertTrue(took >= 200_000_000L && took < 5 * SECOND, "took " + took / 1_000_000 + " ms");
    }

    @Test
    void aWriteThatNeedsRoomGoesOnAsTheClientReads() throws Exception {
        var big = new byte[4 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        var written = CompletableFuture.runAsync(() -> {
            try {
                link.write(big);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        var got = new byte[big.length];
        int n = 0;
        long deadline = System.nanoTime() + 10 * SECOND;
        while (n < got.length && System.nanoTime() < deadline) {
            long r = Sys.read(client, got, n, got.length - n);
            if (r > 0) {
                n += (int) r;
            } else {
                Thread.sleep(1);
            }
        }
        written.get(5, TimeUnit.SECONDS);
        assertArrayEquals(big, got);
    }
}
