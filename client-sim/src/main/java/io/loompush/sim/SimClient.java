package io.loompush.sim;

import io.loompush.sim.check.Payload;
import io.loompush.sim.check.StreamCheck;
import io.loompush.sim.http.MalformedResponseException;
import io.loompush.sim.protocol.Answer;
import io.loompush.sim.protocol.Poll;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One simulated client on its own virtual thread: connect, poll, read the
 * answer, check its messages, poll again with the cursor, until the fleet
 * stops. A failure is counted, the connection dropped, and after a pause
 * ({@link Backoff}: a 503's Retry-After, else a short capped backoff) the
 * client connects again and resumes from its cursor, like a real one. Over
 * a stream transport ({@link Link}) "poll" is the one request that opens
 * the stream, and every event or WebSocket message is an answer; a stream
 * that ends is such a failure, and is opened again from the last cursor.
 *
 * <pre>
 *   disconnected ──connect──> connected ──send poll──> held ──answer──> connected
 *        ^                                               │
 *        └────────────── failure, backoff ───────────────┘
 * </pre>
 *
 * While held it keeps its socket, cursor and check state, and no buffer.
 *
 * <p>A cut (reconnect mode) closes the socket from the fleet's thread while
 * the poll is held; the failure that follows is no error: the client
 * connects again at once and polls with its last cursor. The client's lock
 * orders a cut against a new connection: a connection made after the cut
 * (its epoch is the cut's) is never cut, and its first poll counts the
 * client as resumed, once.
 */
final class SimClient implements Runnable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How much longer than the hold it asked for a client waits for an answer. */
    static final Duration ANSWER_GRACE = Duration.ofSeconds(10);

    private final int index;
    private final LocalFleet fleet;
    private final StreamCheck check;
    private volatile Link connection;
    /** The fleet's cut epoch when the connection was made, written under this client's lock. */
    private int connectionEpoch;
    /** The connection the last cut closed: a failure on it is the cut, not an error. */
    private volatile Link cutOff;
    /** The epoch of the last cut after which this client counted itself resumed. */
    private int resumedEpoch;
    private String cursor;
    /** Whether a poll of this client was answered: from then on it holds a position to resume from. */
    private boolean positioned;
    private boolean everConnected;
    /** Failures since the last answer, for the backoff. */
    private int failuresInARow;
    /** What the last 503 asked for, or null. */
    private Duration retryAfter;

    SimClient(int index, LocalFleet fleet, StreamCheck check) {
        this.index = index;
        this.fleet = fleet;
        this.check = check;
    }

    /**
     * What the loop does after a step: poll again, connect again at once (a cut, or an answer that closed the
     * connection), or back off first (a failure).
     */
    private enum Next { POLL, RECONNECT, BACK_OFF }

    @Override
    public void run() {
        try {
            while (!fleet.stopping() && !Thread.currentThread().isInterrupted()) {
                Next next = connection == null && !connect() ? Next.BACK_OFF : pollOnce();
                if (next != Next.POLL) {
                    close();
                }
                if (next == Next.BACK_OFF) {
                    pause();
                }
            }
        } finally {
            close();
        }
    }

    /** Closes the connection from another thread: the pending read fails and the client sees the fleet stopping. */
    void abort() {
        closeQuietly(connection);
    }

    /** Cuts the connection, from the fleet's thread, unless it was made after cut {@code epoch}. */
    void cut(int epoch) {
        Link c;
        synchronized (this) {
            c = connection;
            if (c == null || connectionEpoch >= epoch) {
                return;
            }
            cutOff = c;
        }
        fleet.tally().cuts.increment();
        closeQuietly(c);
    }

    StreamCheck check() {
        return check;
    }

    private boolean connect() {
        var config = fleet.config();
        long start = System.nanoTime();
        Link opened;
        try {
            opened = Link.open(config.transport(), config.protocol(), config.target().address(),
                    config.sources().forClient(index), CONNECT_TIMEOUT, config.pollTimeout().plus(ANSWER_GRACE));
        } catch (IOException e) {
            if (!fleet.stopping()) {
                fleet.tally().fail(Failure.CONNECT, name() + " from " + config.sources().forClient(index).getHostAddress()
                        + ": " + e.getMessage());
            }
            return false;
        }
        synchronized (this) {
            connection = opened;
            connectionEpoch = fleet.cutEpoch();
        }
        if (fleet.stopping()) {
            // The fleet may have closed every connection before this one was set: close it here.
            synchronized (this) {
                connection = null;
            }
            closeQuietly(opened);
            return false;
        }
        fleet.tally().connected(!everConnected, (System.nanoTime() - start) / 1000);
        everConnected = true;
        return true;
    }

    private Next pollOnce() {
        var config = fleet.config();
        // A loompush poll without a cursor means "from now on": a client cut before its first answer would
        // have no position to resume from, and what came meanwhile would count as lost. So in reconnect mode
        // the first poll asks for no hold and answers at once with a cursor (a seed-node hold is at least 1 s).
        long timeout = !positioned && config.mode() == Mode.RECONNECT ? 0 : config.pollTimeout().toSeconds();
        var poll = new Poll(name(), config.sharedChannels(), config.target().host(), timeout, config.token());
        var c = connection;
        Link.Reply reply;
        boolean holding = false;
        try {
            c.send(poll, cursor);
            if (connectionEpoch > resumedEpoch) {
                resumedEpoch = connectionEpoch;
                fleet.tally().resumed.increment();
            }
            holding = c.subscribed();
            if (holding) {
                fleet.tally().held.increment();
            }
            reply = c.read(cursor);
        } catch (IOException e) {
            if (c == cutOff) {
                return Next.RECONNECT;
            }
            if (!fleet.stopping()) {
                fleet.tally().fail(failureOf(e), name() + ": " + e.getMessage());
            }
            return Next.BACK_OFF;
        } finally {
            if (holding) {
                fleet.tally().held.decrement();
            }
        }
        long receivedAt = Micros.now();
        switch (reply.answer()) {
            case Answer.Refused(int status, String reason) -> {
                fleet.tally().fail(status == 503 ? Failure.OVERLOADED : Failure.REFUSED,
                        name() + ": " + status + " " + reason);
                retryAfter = status == 503 ? Backoff.retryAfter(reply.retryAfter()) : null;
                return Next.BACK_OFF;
            }
            case Answer.Messages messages -> accept(messages, receivedAt);
        }
        positioned = true;
        failuresInARow = 0;
        return reply.keepAlive() ? Next.POLL : Next.RECONNECT;
    }

    private void accept(Answer.Messages messages, long receivedAt) {
        var tally = fleet.tally();
        tally.answers.increment();
        if (messages.deliveries().isEmpty()) {
            tally.timeouts.increment();
        }
        if (messages.gap()) {
            tally.gap(name() + " was told gap:true after cursor " + cursor);
        }
        for (Answer.Delivery delivery : messages.deliveries()) {
            Payload payload = Payload.parse(delivery.data());
            long lostBefore = check.lost();
            var outcome = check.accept(delivery.channel(), payload);
            tally.message(outcome, payload == null ? 0 : receivedAt - payload.publishedMicros(),
                    check.lost() - lostBefore, describe(delivery, payload));
        }
        cursor = messages.cursor();
    }

    private String describe(Answer.Delivery delivery, Payload payload) {
        if (payload == null) {
            String data = delivery.data();
            return name() + " got '" + (data.length() > 40 ? data.substring(0, 40) + "..." : data) + "'";
        }
        return name() + " got " + payload.channel() + " seq " + payload.seq()
                + (delivery.channel() != null && !delivery.channel().equals(payload.channel())
                        ? " labelled " + delivery.channel() : "");
    }

    private void close() {
        Link c;
        synchronized (this) {
            c = connection;
            connection = null;
        }
        if (c != null) {
            fleet.tally().open.decrement();
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Link c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // a connection being dropped: nothing is left to do with it
            }
        }
    }

    private void pause() {
        if (fleet.stopping()) {
            return;
        }
        Duration pause = Backoff.CLIENT.pause(++failuresInARow, retryAfter, ThreadLocalRandom.current().nextDouble());
        retryAfter = null;
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String name() {
        return SimConfig.clientChannel(index);
    }

    private static Failure failureOf(IOException e) {
        return switch (e) {
            case SocketTimeoutException t -> Failure.TIMEOUT;
            case MalformedResponseException m -> Failure.MALFORMED;
            default -> Failure.CLOSED;
        };
    }
}
