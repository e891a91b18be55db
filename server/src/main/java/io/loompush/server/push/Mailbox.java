package io.loompush.server.push;

import java.util.concurrent.locks.LockSupport;

/**
 * Where a held poll waits. The poll registers its mailbox on each of its
 * channels and parks; a publisher signals it and moves on, never touching the
 * poll's socket. The messages themselves are in the channel history, so the
 * mailbox carries only "look again".
 */
public final class Mailbox {
    private final Thread owner = Thread.currentThread();
    private volatile boolean signalled;

    void signal() {
        if (!signalled) {
            signalled = true;
            LockSupport.unpark(owner);
        }
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
