package io.loompush.server;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The write timeout. A blocking socket write has no timeout of its own, and a
 * client that stops reading would hold its virtual thread forever once the
 * kernel's send buffer is full; so each answer arms a deadline that closes the
 * socket, and the finished write disarms it. Most answers fit in the send
 * buffer and never wait: the deadline is then armed and disarmed in passing.
 *
 * <p>The deadlines live in a ForkJoinPool's delay scheduler (JDK 25), the one
 * virtual threads' timed parks use: arming is a lock-free hand-over and a
 * cancelled deadline leaves at the scheduler's next pass. A
 * ScheduledThreadPoolExecutor took a lock twice per answer, and in a 19,000-poll
 * fan-out its queue's siftUp was deoptimized some 9,500 times ("array_check",
 * JFR jdk.Deoptimization).
 */
final class WriteDeadlines implements AutoCloseable {
    private final ForkJoinPool timer;
    private final long timeoutNanos;

    WriteDeadlines(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.timer = new ForkJoinPool(1, pool -> {
            var worker = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            worker.setName("loompush-write-timeout");
            worker.setDaemon(true);
            return worker;
        }, null, false);
        timer.cancelDelayedTasksOnShutdown();
    }

    /** Closes the socket unless the returned deadline is cancelled within the write timeout. */
    ScheduledFuture<?> arm(Socket socket) {
        return timer.schedule(() -> closeQuietly(socket), timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // The write it cut reports the failure on the connection's own thread.
        }
    }
}
