package io.loompush.server.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readiness layer and the one deadline sweeper.
 *
 * <pre>
 *   waiter (platform thread):  epoll_wait on the outer set, at most one tick ──> unpark the dispatcher
 *                              every tick: each link.sweep(now)
 *   dispatcher (virtual):      epoll_wait(0) on the links' set ──> each ready link: link.fire(events)
 *                              until none is ready; re-arm the links' set in the outer one; park
 * </pre>
 *
 * Connections read and write in their own virtual threads; when a read or
 * write cannot go on, the link arms its descriptor, one-shot (EPOLLONESHOT,
 * from the connection's own thread: epoll_ctl needs no wake-up of anyone),
 * and parks; the dispatcher unparks it. A held poll arms read readiness too,
 * so a client that closes while held is seen at once. The links are found by
 * descriptor in one table, as nginx does. The links' epoll set sits in an
 * outer one that the platform thread waits on, as the JDK's own pollers do:
 * a virtual thread that unparks another only pushes it on its carrier's
 * queue, where a platform thread would wake an idle carrier for every one.
 *
 * <p>Why not the JDK's own poller: a blocking read parks there with no way
 * to be told of anything else, so a thread parked on a mailbox cannot also
 * watch its socket; and every timed read or park schedules and cancels a
 * timer task on a platform thread. Here a deadline is a field of the link,
 * and the sweep that looks at all of them costs some microseconds per tick
 * per thousand links. Why not a java.nio Selector: it costs some 300 bytes
 * per connection (the channel's locks and addresses, the key, two map
 * entries), and its interest changes go through a queue and a wake-up of the
 * selecting thread.
 */
public final class IoLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IoLoop.class);
    private static final int MAX_EVENTS = 1024;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Link[].class);

    /** The links' descriptors. */
    private final int epfd;
    /** Holds {@link #epfd} alone: readable when a link is ready. */
    private final int outer;
    private final int tickMillis;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment events;
    private final MemorySegment outerEvents;
    private final MemorySegment errno;
    private final Thread waiter;
    private final Thread dispatcher;
    private volatile boolean dispatch;
    /** The links by descriptor; grown under the lock, read by the loop without it. */
    private volatile Link[] links = new Link[1024];
    private volatile boolean closed;

    /** @param tick how often deadlines are looked at: the precision of every timeout */
    public IoLoop(Duration tick) {
        if (!System.getProperty("os.name").equals("Linux")) {
            throw new UnsupportedOperationException("loompush needs Linux (epoll); this is " + System.getProperty("os.name"));
        }
        this.tickMillis = (int) Math.max(1, tick.toMillis());
        this.events = arena.allocate((long) MAX_EVENTS * Sys.EPOLL_EVENT_SIZE, 8);
        this.outerEvents = arena.allocate(Sys.EPOLL_EVENT_SIZE, 8);
        this.errno = arena.allocate(Sys.ERRNO_SIZE, 8);
        this.epfd = Sys.epollCreate(errno);
        this.outer = Sys.epollCreate(errno);
        if (epfd < 0 || outer < 0 || Sys.epollCtl(outer, Sys.EPOLL_CTL_ADD, epfd, Sys.EPOLLIN | Sys.EPOLLONESHOT) != 0) {
            throw new IllegalStateException("epoll_create1 failed: errno " + Sys.errno(errno));
        }
        this.waiter = Thread.ofPlatform().name("loompush-io").daemon().unstarted(this::await);
        this.dispatcher = Thread.ofVirtual().name("loompush-io-dispatch").unstarted(this::dispatch);
    }

    public IoLoop start() {
        dispatcher.start();
        waiter.start();
        return this;
    }

    synchronized void register(int fd, Link link) {
        Link[] table = links;
        if (fd >= table.length) {
            var grown = new Link[Math.max(fd + 1, table.length * 2)];
            System.arraycopy(table, 0, grown, 0, table.length);
            table = grown;
        }
        SLOT.setRelease(table, fd, link);
        links = table;
    }

    /** Before the descriptor is closed, so that a new socket given the same number is not taken for this one. */
    synchronized void deregister(int fd, Link link) {
        Link[] table = links;
        if (fd < table.length && table[fd] == link) {
            SLOT.setRelease(table, fd, (Link) null);
        }
    }

    /**
     * Asks once to be told when the descriptor is ready for {@code events}
     * (EPOLLIN, EPOLLOUT); hang-ups and errors are told too.
     *
     * @return false when the descriptor cannot be watched: it is closed
     */
    boolean arm(int fd, int events, boolean added) {
        int all = events | Sys.EPOLLRDHUP | Sys.EPOLLONESHOT;
        return Sys.epollCtl(epfd, added ? Sys.EPOLL_CTL_MOD : Sys.EPOLL_CTL_ADD, fd, all) == 0;
    }

    /** The platform thread: waits for any link to be ready, and sweeps the deadlines. */
    private void await() {
        long lastSweep = System.nanoTime();
        long tickNanos = tickMillis * 1_000_000L;
        while (!closed) {
            try {
                int n = Sys.epollWait(errno, outer, outerEvents, 1, tickMillis);
                if (n > 0) {
                    dispatch = true;
                    LockSupport.unpark(dispatcher);
                } else if (n < 0 && Sys.errno(errno) != Sys.EINTR) {
                    log.error("epoll_wait failed: errno {}", Sys.errno(errno));
                }
                long now = System.nanoTime();
                if (now - lastSweep >= tickNanos) {
                    lastSweep = now;
                    sweep(links, now);
                }
            } catch (RuntimeException e) {
                // Every connection waits on this thread: log and go on rather than let them all hang.
                log.error("the I/O loop's waiter failed; going on", e);
            }
        }
        LockSupport.unpark(dispatcher);
    }

    /** The virtual thread: fires every ready link, then asks the waiter to say when more are. */
    private void dispatch() {
        while (!closed) {
            while (!dispatch && !closed) {
                LockSupport.park(this);
            }
            dispatch = false;
            try {
                fireReady();
            } catch (RuntimeException e) {
                log.error("the I/O loop's dispatcher failed; going on", e);
            }
            // Level-triggered: a link that became ready since the last poll makes the outer set fire at once.
            Sys.epollCtl(outer, Sys.EPOLL_CTL_MOD, epfd, Sys.EPOLLIN | Sys.EPOLLONESHOT);
        }
    }

    private void fireReady() {
        int n;
        do {
            n = Sys.epollPoll(epfd, events, MAX_EVENTS);
            Link[] table = links;
            for (int i = 0; i < n; i++) {
                long at = (long) i * Sys.EPOLL_EVENT_SIZE;
                int ready = events.get(ValueLayout.JAVA_INT_UNALIGNED, at);
                int fd = (int) events.get(ValueLayout.JAVA_LONG_UNALIGNED, at + Sys.EPOLL_DATA_OFFSET);
                var link = fd < table.length ? (Link) SLOT.getAcquire(table, fd) : null;
                if (link != null) {
                    link.fire(ready);
                }
            }
        } while (n == MAX_EVENTS);
    }

    private static void sweep(Link[] table, long now) {
        for (int fd = 0; fd < table.length; fd++) {
            var link = (Link) SLOT.getAcquire(table, fd);
            if (link != null) {
                link.sweep(now);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(dispatcher);
        try {
            waiter.join(Duration.ofMillis(2L * tickMillis + 1000));
            dispatcher.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!waiter.isAlive() && !dispatcher.isAlive()) {
            Sys.close(epfd);
            Sys.close(outer);
            arena.close();
        }
    }
}
