package io.loompush.server;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The write timeout. A blocking socket write has no timeout of its own, and a
 * client that stops reading would hold its virtual thread forever once the
 * kernel's send buffer is full; so each answer arms a deadline that closes the
 * socket, and the finished write disarms it. Most answers fit in the send
 * buffer and never wait: the deadline is then armed and disarmed in passing.
 */
final class WriteDeadlines implements AutoCloseable {
    private final ScheduledThreadPoolExecutor timer;
    private final long timeoutNanos;

    WriteDeadlines(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("loompush-write-timeout").daemon().factory());
        timer.setRemoveOnCancelPolicy(true);
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
