package io.loompush.server.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readiness layer and the one deadline sweeper, on one platform thread.
 *
 * <pre>
 *   loop:  select (at most one tick) ──> each ready link: interest off, link.fire()
 *          every tick:                  each registered link: link.sweep(now)
 * </pre>
 *
 * Connections read and write in their own virtual threads over non-blocking
 * channels ({@link Link}); when a read or write cannot go on, the link arms
 * its interest here and parks, and this loop unparks it. A held poll arms
 * read interest too, so a client that closes while held is seen at once.
 * Interest is one-shot: this loop turns it off when it fires, so a socket
 * with unread bytes does not fire again and again.
 *
 * <p>Why not the JDK's own poller: a blocking read parks there with no way
 * to be told of anything else, so a thread parked on a mailbox cannot also
 * watch its socket; and every timed read or park schedules and cancels a
 * timer task on a platform thread. Here a deadline is a field of the link,
 * and the sweep that looks at all of them costs some microseconds per tick
 * per thousand links.
 */
public final class IoLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IoLoop.class);

    private final Selector selector;
    private final long tickMillis;
    private final Thread thread;
    private volatile boolean closed;

    /** @param tick how often deadlines are looked at: the precision of every timeout */
    public IoLoop(Duration tick) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.tickMillis = Math.max(1, tick.toMillis());
        this.thread = Thread.ofPlatform().name("loompush-io").daemon().unstarted(this::run);
    }

    public IoLoop start() {
        thread.start();
        return this;
    }

    /** Makes the channel non-blocking and registers it with no interest yet. */
    SelectionKey register(SocketChannel channel, Link link) throws IOException {
        channel.configureBlocking(false);
        return channel.register(selector, 0, link);
    }

    /** Asks to be told when the key's channel is ready for {@code ops}. */
    void arm(SelectionKey key, int ops) {
        key.interestOps(ops);
        selector.wakeup();
    }

    /** A closed channel's descriptor is released by the loop's next select: make it come now. */
    void wakeup() {
        selector.wakeup();
    }

    private void run() {
        long lastSweep = System.nanoTime();
        long tickNanos = tickMillis * 1_000_000;
        while (!closed) {
            try {
                selector.select(IoLoop::fire, tickMillis);
                long now = System.nanoTime();
                if (now - lastSweep >= tickNanos) {
                    lastSweep = now;
                    sweep(now);
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    log.error("the I/O loop failed; going on", e);
                }
            }
        }
    }

    private static void fire(SelectionKey key) {
        try {
            key.interestOps(0);
        } catch (CancelledKeyException e) {
            // Closed meanwhile: the link's thread learns it from its channel.
        }
        ((Link) key.attachment()).fire();
    }

    private void sweep(long now) {
        for (SelectionKey key : selector.keys()) {
            ((Link) key.attachment()).sweep(now);
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(Duration.ofSeconds(1));
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.debug("closing the selector failed: {}", e.toString());
        }
    }
}
