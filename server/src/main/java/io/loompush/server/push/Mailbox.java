package io.loompush.server.push;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Where a held poll waits. The poll registers its mailbox on each of its
 * channels and parks; a publisher signals it and moves on, never touching the
 * poll's socket. The messages themselves are in the channel history, so the
 * mailbox carries only "look again", except for the rare message that has no
 * place in any history (a plain Redis PUBLISH), which it carries itself.
 */
public final class Mailbox {
    private final Thread owner = Thread.currentThread();
    private volatile boolean signalled;
    /** Messages outside any history; null nearly always, so a held poll pays one field for them. */
    private List<Message> carried;

    void signal() {
        if (!signalled) {
            signalled = true;
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
     * Parks the owner until signalled or until the deadline, and clears the signal.
     *
     * @return true when signalled, false when the deadline passed
     */
    boolean await(long deadlineNanos) {
        while (!signalled) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(this, left);
        }
        signalled = false;
        return true;
    }
}
