package io.loompush.server.redis;

import io.loompush.server.push.Published;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Matches an HTTP publish with its own message coming back from Redis, so the
 * publish can answer with this node's id and receivers. Redis relays the
 * payload as it is, so the echo is recognised by channel and payload; two
 * identical payloads on one channel are indistinguishable, and either echo
 * answers either publish.
 */
final class Echoes {
    record Echo(byte[] data, CompletableFuture<Published> delivered) {}

    private final ConcurrentHashMap<String, ConcurrentLinkedQueue<Echo>> waiting = new ConcurrentHashMap<>();

    /** Registers a publish about to be sent; {@link #await} it after sending. */
    Echo expect(String channel, byte[] data) {
        var echo = new Echo(data, new CompletableFuture<>());
        waiting.compute(channel, (key, queue) -> {
            var q = queue == null ? new ConcurrentLinkedQueue<Echo>() : queue;
            q.add(echo);
            return q;
        });
        return echo;
    }

    /** The echo's delivery, or null when it did not come back in time. */
    Published await(String channel, Echo echo, Duration timeout) {
        try {
            return echo.delivered().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            forget(channel, echo);
        }
    }

    /** A message came from Redis and was delivered here. */
    void arrived(String channel, byte[] data, Published delivered) {
        var queue = waiting.get(channel);
        if (queue == null) {
            return;
        }
        for (Iterator<Echo> it = queue.iterator(); it.hasNext(); ) {
            Echo echo = it.next();
            if (Arrays.equals(echo.data(), data) && echo.delivered().complete(delivered)) {
                return;
            }
        }
    }

    private void forget(String channel, Echo echo) {
        waiting.computeIfPresent(channel, (key, queue) -> {
            queue.remove(echo);
            return queue.isEmpty() ? null : queue;
        });
    }
}
