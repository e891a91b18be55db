package io.loompush.server.push;

import io.loompush.server.net.Watcher;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Where a held poll waits. The poll registers its mailbox on each of its
 * channels and parks; a publisher signals it and moves on, never touching the
 * poll's socket. The messages themselves are in the channel history, so the
 * mailbox carries only "look again", except for the rare message that has no
 * place in any history (a plain Redis PUBLISH), which it carries itself.
 *
 * <p>Besides the publishers, the connection's I/O loop raises two events here
 * ({@link Watcher}): the client's socket turned readable (it may have closed),
 * and the hold's deadline passed. Events accumulate until the owner takes
 * them; only the first one after a take unparks it.
 */
public final class Mailbox implements Watcher {
    /** A publish or a change of coverage: look again. */
    static final int LOOK = 1;
    /** The hold's deadline passed. */
    static final int EXPIRED = 2;
    /** The client's socket turned readable: it may be gone. */
    static final int READABLE = 4;

    private static final VarHandle EVENTS;

    static {
        try {
            EVENTS = MethodHandles.lookup().findVarHandle(Mailbox.class, "events", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread owner = Thread.currentThread();
    private volatile int events;
    /** Messages outside any history; null nearly always, so a held poll pays one field for them. */
    private List<Message> carried;

    void signal() {
        raise(LOOK);
    }

    @Override
    public void readable() {
        raise(READABLE);
    }

    @Override
    public void expired() {
        raise(EXPIRED);
    }

    private void raise(int event) {
        if ((events & event) == 0 && (int) EVENTS.getAndBitwiseOr(this, event) == 0) {
            LockSupport.unpark(owner);
        }
    }

    /** Carries a message that has no place in history to this poll; {@link #signal} it afterwards. */
    synchronized void offer(Message message) {
        if (carried == null) {
            carried = new ArrayList<>(1);
        }
        carried.add(message);
    }

    /** The messages carried so far, now taken; empty when none. */
    synchronized List<Message> take() {
        List<Message> taken = carried == null ? List.of() : carried;
        carried = null;
        return taken;
    }

    /**
     * Parks the owner until an event is raised, or until {@code retryAtNanos}
     * when it is not 0, and takes the events.
     *
     * @return the events raised since the last call, 0 when the retry time came first
     */
    int await(long retryAtNanos) {
        int taken;
        while ((taken = (int) EVENTS.getAndSet(this, 0)) == 0) {
            if (retryAtNanos == 0) {
                LockSupport.park(this);
            } else {
                long left = retryAtNanos - System.nanoTime();
                if (left <= 0) {
                    return 0;
                }
                LockSupport.parkNanos(this, left);
            }
        }
        return taken;
    }
}
