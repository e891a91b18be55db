package io.loompush.server.net;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.locks.LockSupport;

/**
 * One client socket as its virtual thread sees it: blocking-style reads and
 * writes over a non-blocking descriptor, one deadline, and a watch for a
 * held request.
 *
 * <pre>
 *   read/write: try now ──> done
 *                  └─ nothing ──> arm (one-shot), park ──> fired: try again
 *                                          └──> deadline passed: SocketTimeoutException
 *   watch(w):   arm read readiness; fired ──> w.readable(); deadline passed ──> w.expired()
 * </pre>
 *
 * The deadline is one field that the {@link IoLoop} sweeps: a wait for a
 * request sets it to the end of the header time, a hold to the end of the
 * hold, a write that must wait to the end of the write time (a write past it
 * is cut by shutting the socket down). Nothing is scheduled per request.
 *
 * <p>Only the connection's own thread closes the descriptor ({@link #close}):
 * a number closed while another thread may still use it could be given to a
 * new connection at once. Other threads only shut the socket down.
 */
public final class Link extends InputStream {
    private static final VarHandle DEADLINE;

    static {
        try {
            DEADLINE = MethodHandles.lookup().findVarHandle(Link.class, "deadline", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int fd;
    private final IoLoop loop;
    private final long writeTimeoutNanos;
    /** Whether the descriptor is in the epoll set yet; the connection's threads only. */
    private boolean added;
    /** Set by the connection's own thread, under the lock (see {@link #close}). */
    private boolean closed;
    /** System.nanoTime() when the current wait times out; 0 for none. Swept by the loop. */
    private volatile long deadline;
    private volatile boolean timedOut;
    /** The epoll events that ended the current wait; 0 while it goes on. */
    private volatile int fired;
    private volatile boolean writing;
    private volatile Thread parked;
    private volatile Watcher watcher;

    private Link(int fd, IoLoop loop, long writeTimeoutNanos) {
        this.fd = fd;
        this.loop = loop;
        this.writeTimeoutNanos = writeTimeoutNanos;
    }

    /** Takes over a freshly accepted non-blocking socket: no delay, registered with the loop. */
    public static Link open(int fd, IoLoop loop, long writeTimeoutNanos) {
        Sys.setIntOption(fd, Sys.IPPROTO_TCP, Sys.TCP_NODELAY, 1);
        var link = new Link(fd, loop, writeTimeoutNanos);
        loop.register(fd, link);
        return link;
    }

    /** The client's address, asked of the kernel when needed (a publish): a held poll keeps none. */
    public InetAddress remote() throws IOException {
        var address = new byte[28];
        if (Sys.peerName(fd, address) != 0) {
            throw new SocketException("connection lost");
        }
        try {
            return Sockaddr.address(address);
        } catch (UnknownHostException e) {
            throw new SocketException("unknown peer address");
        }
    }

    /** Sets when the next wait times out (System.nanoTime()); 0 for never. */
    public void deadline(long nanos) {
        timedOut = false;
        deadline = nanos;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (true) {
            long n = Sys.read(fd, b, off, len);
            if (n >= 0) {
                return n == 0 ? -1 : (int) n;
            }
            if (failed(await(Sys.EPOLLIN))) {
                n = Sys.read(fd, b, off, len);
                if (n < 0) {
                    throw new SocketException("connection reset");
                }
                return n == 0 ? -1 : (int) n;
            }
        }
    }

    @Override
    public int read() throws IOException {
        var one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    /**
     * Reads what is there now without waiting: -1 when the client closed, 0
     * when nothing is there (or the socket failed: the next wait says so).
     */
    public int readNow(byte[] b, int off, int len) {
        long n = Sys.read(fd, b, off, len);
        return n < 0 ? 0 : n == 0 ? -1 : (int) n;
    }

    /**
     * Waits until the client sends something (or closes), at most until the
     * deadline, without reading it: the shallow park of an idle connection.
     *
     * @return false when the deadline passed first
     */
    public boolean awaitReadable(long deadlineNanos) throws IOException {
        deadline(deadlineNanos);
        try {
            await(Sys.EPOLLIN);
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            deadline = 0;
        }
    }

    /** Writes all of it; waits for room at most the write timeout, then the socket is cut. */
    public void write(byte[] bytes) throws IOException {
        int off = 0;
        try {
            while (off < bytes.length) {
                long n = Sys.send(fd, bytes, off, bytes.length - off);
                if (n > 0) {
                    off += (int) n;
                    continue;
                }
                if (!writing) {
                    writing = true;
                    deadline(System.nanoTime() + writeTimeoutNanos);
                }
                if (failed(await(Sys.EPOLLOUT))) {
                    throw new SocketException("connection lost while writing");
                }
            }
        } finally {
            if (writing) {
                deadline = 0;
                writing = false;
            }
        }
    }

    /**
     * Ends the sending side (the client reads what was written, then the end)
     * and reads what the client still sends until it closes too, at most until
     * the deadline. Why: closing a socket with unread bytes in it resets the
     * connection, and a reset can reach the client before the last frame it
     * was meant to read, such as a WebSocket close that says why.
     */
    public void finish(long deadlineNanos) throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            Sys.shutdown(fd, Sys.SHUT_WR);
        }
        deadline(deadlineNanos);
        var discard = new byte[512];
        try {
            while (read(discard, 0, discard.length) >= 0) {
                // dropped: the client's last frames, nobody reads them any more
            }
        } catch (SocketTimeoutException e) {
            // the client did not close in time: the close that follows may reset it
        } finally {
            deadline = 0;
        }
    }

    /** Tells the watcher when the client's socket turns readable, and when the deadline passes. */
    public void watch(Watcher w, long deadlineNanos) throws IOException {
        watcher = w;
        deadline(deadlineNanos);
        rewatch();
    }

    /** Ends the watch; a readiness it armed may still fire, and is then ignored. */
    public void unwatch() {
        watcher = null;
        deadline = 0;
    }

    /** Asks again to be told when the socket turns readable, for the watch going on. */
    public void rewatch() throws IOException {
        arm(Sys.EPOLLIN);
    }

    /**
     * Leaves the loop and closes the descriptor; the connection's own thread
     * only. Under the link's lock, so that the sweeper never shuts down a
     * number already closed here and given to a new connection.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            loop.deregister(fd, this);
            Sys.close(fd);
        }
    }

    /** From the loop: the socket is ready for what was armed, or failed. */
    void fire(int events) {
        fired = events;
        Watcher w = watcher;
        if (w != null) {
            w.readable();
        }
        LockSupport.unpark(parked);
    }

    /** From the loop: times the current wait out if its deadline has passed. */
    void sweep(long now) {
        long due = deadline;
        if (due == 0 || now - due < 0 || !DEADLINE.compareAndSet(this, due, 0L)) {
            return;
        }
        timedOut = true;
        Watcher w = watcher;
        if (w != null) {
            w.expired();
        }
        if (writing) {
            cut();
        }
        LockSupport.unpark(parked);
    }

    /** A client that does not read its answer: its socket is shut down, never closed from here. */
    private synchronized void cut() {
        if (!closed) {
            Sys.shutdown(fd);
        }
    }

    /** @return the epoll events that ended the wait */
    private int await(int events) throws IOException {
        parked = Thread.currentThread();
        fired = 0;
        try {
            arm(events);
            int got;
            while ((got = fired) == 0) {
                if (timedOut) {
                    throw new SocketTimeoutException("deadline passed");
                }
                LockSupport.park(this);
            }
            return got;
        } finally {
            parked = null;
        }
    }

    private void arm(int events) throws SocketException {
        if (closed || !loop.arm(fd, events, added)) {
            throw new SocketException("socket closed");
        }
        added = true;
    }

    private static boolean failed(int events) {
        return (events & (Sys.EPOLLERR | Sys.EPOLLHUP)) != 0;
    }

    @Override
    public String toString() {
        return "Link[fd " + fd + (closed ? ", closed" : "") + "]";
    }
}
