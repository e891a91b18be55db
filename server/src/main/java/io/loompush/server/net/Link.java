package io.loompush.server.net;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * One client socket as its virtual thread sees it: blocking-style reads and
 * writes over a non-blocking channel, one deadline, and a watch for a held
 * request.
 *
 * <pre>
 *   read/write: try now ──> done
 *                  └─ nothing ──> arm interest, park ──> fired: try again
 *                                              └──> deadline passed: SocketTimeoutException
 *   watch(w):   arm read interest; fired ──> w.readable(); deadline passed ──> w.expired()
 * </pre>
 *
 * The deadline is one field that the {@link IoLoop} sweeps: a read sets it to
 * the end of its request's head time, a hold to the end of the hold, a write
 * that must wait to the end of the write time (and a write past it is cut by
 * closing the socket). Nothing is scheduled per request.
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

    private final SocketChannel channel;
    private final IoLoop loop;
    private final InetAddress remote;
    private final long writeTimeoutNanos;
    private SelectionKey key;
    /** System.nanoTime() when the current wait times out; 0 for none. Swept by the loop. */
    private volatile long deadline;
    private volatile boolean timedOut;
    private volatile boolean fired;
    private volatile boolean writing;
    private volatile Thread parked;
    private volatile Watcher watcher;

    private Link(SocketChannel channel, IoLoop loop, InetAddress remote, long writeTimeoutNanos) {
        this.channel = channel;
        this.loop = loop;
        this.remote = remote;
        this.writeTimeoutNanos = writeTimeoutNanos;
    }

    /** Takes over a freshly accepted channel: non-blocking, no delay, registered with the loop. */
    public static Link open(SocketChannel channel, IoLoop loop, long writeTimeoutNanos) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        var remote = ((InetSocketAddress) channel.getRemoteAddress()).getAddress();
        var link = new Link(channel, loop, remote, writeTimeoutNanos);
        link.key = loop.register(channel, link);
        return link;
    }

    public InetAddress remote() {
        return remote;
    }

    /** Sets when the next wait times out (System.nanoTime()); 0 for never. */
    public void deadline(long nanos) {
        timedOut = false;
        deadline = nanos;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        var buffer = ByteBuffer.wrap(b, off, len);
        int n;
        while ((n = channel.read(buffer)) == 0) {
            await(SelectionKey.OP_READ);
        }
        return n;
    }

    @Override
    public int read() throws IOException {
        var one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
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
            await(SelectionKey.OP_READ);
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            deadline = 0;
        }
    }

    /**
     * Reads what is there now without waiting: -1 when the client closed, 0
     * when nothing is there.
     */
    public int readNow(byte[] b, int off, int len) throws IOException {
        return channel.read(ByteBuffer.wrap(b, off, len));
    }

    /** Writes all of it; waits for room at most the write timeout, then the socket is closed. */
    public void write(byte[] bytes) throws IOException {
        var buffer = ByteBuffer.wrap(bytes);
        channel.write(buffer);
        if (!buffer.hasRemaining()) {
            return;
        }
        writing = true;
        deadline(System.nanoTime() + writeTimeoutNanos);
        try {
            while (buffer.hasRemaining()) {
                await(SelectionKey.OP_WRITE);
                channel.write(buffer);
            }
        } finally {
            deadline = 0;
            writing = false;
        }
    }

    /** Tells the watcher when the client's socket turns readable, and when the deadline passes. */
    public void watch(Watcher w, long deadlineNanos) throws IOException {
        watcher = w;
        deadline(deadlineNanos);
        arm(SelectionKey.OP_READ);
    }

    /** Ends the watch; a readiness it armed may still fire, and is then ignored. */
    public void unwatch() {
        watcher = null;
        deadline = 0;
    }

    /** Asks again to be told when the socket turns readable, for the watch going on. */
    public void rewatch() throws IOException {
        arm(SelectionKey.OP_READ);
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            loop.wakeup();
            LockSupport.unpark(parked);
        }
    }

    /** From the loop: the socket is ready for what was armed. */
    void fire() {
        fired = true;
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
            try {
                channel.close();
            } catch (IOException e) {
                // The write it cuts reports the failure on the connection's own thread.
            }
        }
        LockSupport.unpark(parked);
    }

    private void await(int ops) throws IOException {
        parked = Thread.currentThread();
        fired = false;
        try {
            arm(ops);
            while (!fired) {
                if (timedOut) {
                    throw new SocketTimeoutException("deadline passed");
                }
                if (!channel.isOpen()) {
                    throw new ClosedChannelException();
                }
                LockSupport.park(this);
            }
        } finally {
            parked = null;
        }
    }

    private void arm(int ops) throws ClosedChannelException {
        try {
            loop.arm(key, ops);
        } catch (CancelledKeyException e) {
            throw new ClosedChannelException();
        }
    }
}
