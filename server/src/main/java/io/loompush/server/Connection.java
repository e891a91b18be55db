package io.loompush.server;

import io.loompush.server.Router.Answer;
import io.loompush.server.Router.Exchange;
import io.loompush.server.Router.Hold;
import io.loompush.server.Router.Open;
import io.loompush.server.http.HttpError;
import io.loompush.server.http.Limits;
import io.loompush.server.http.RequestReader;
import io.loompush.server.http.Response;
import io.loompush.server.http.ResponseWriter;
import io.loompush.server.net.IoLoop;
import io.loompush.server.net.Link;
import io.loompush.server.net.Listener;
import io.loompush.server.push.Mailbox;
import io.loompush.server.push.Poller;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, served by one virtual thread at a time: wait for a
 * request, read it, answer it, and loop while keep-alive lasts. A poll that
 * must be held moves to a fresh virtual thread before it parks:
 *
 * <pre>
 *   thread 1:  wait ─ read ─ answer ─ … ─ wait ─ read a poll to hold ─ start thread 2, end
 *   thread 2:  hold (parked) ─ answer ─ yield ─ wait ─ read ─ answer ─ … ─ read a poll to hold ─ start thread 3, end
 *                 └─ the client closed while held ─ end
 * </pre>
 *
 * Why: a held connection is mostly the stack chunk of its parked thread,
 * and a thread that read and answered before it holds keeps a larger one.
 * Measured at 19,000 connections (ops/bench, 2026-11-30): holding on the
 * reading thread, 3,535 B of RSS per connection after a message round trip;
 * on a fresh thread, 2,946 B (idle, before any answer, the two are alike).
 * The wait for the next request is taken at the top of the loop for the same
 * reason, not deep in the request reader, which then finds its bytes there.
 * And a thread that held lets the other threads take their turn once after
 * its answer, before it reads the client's next poll: in a fan-out that poll
 * is then most often there already, and the thread does not park at all.
 *
 * <p>A stream (SSE, WebSocket) moves to a fresh thread the same way, and
 * that thread serves it until the connection ends ({@link Stream}).
 *
 * <p>While a poll is held, the connection's {@link Link} watches the socket:
 * a client that closes is seen at once ({@link #gone}), and the hold's
 * timeout is the link's deadline, swept by the {@link IoLoop}. Every way out
 * goes through the one catch ladder in {@link #run}, on whichever thread the
 * connection is.
 */
final class Connection implements Runnable, Poller.Client {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    /** What a held poll reads when its socket turns readable: the close, or the start of a pipelined request. */
    private static final int PEEK_BYTES = 512;

    /** What every connection shares: one instance per server. */
    record Shared(Router router, PollHandler polls, StreamHandler streams, Counters counters, Semaphore permits,
                  Limits limits, Duration headerTimeout, Duration writeTimeout, IoLoop io, ThreadFactory threads) {}

    /** The socket's descriptor, until {@link #open} hands it to the link. */
    private final int fd;
    private final Shared shared;
    private Link link;
    private RequestReader reader;
    private boolean first = true;
    /** A request read and not answered yet: what a drain waits for. */
    private boolean inFlight;
    /** The poll handed from the thread that read it to the thread that holds it. */
    private PollSpec toHold;
    /** The same for a stream, which then has the connection to itself until it ends. */
    private StreamHandler.Spec toStream;

    Connection(int fd, Shared shared) {
        this.fd = fd;
        this.shared = shared;
    }

    @Override
    public void run() {
        boolean movedOn = false;
        shared.counters().threads.incrementAndGet();
        try {
            movedOn = serve();
        } catch (EOFException | SocketException e) {
            log.debug("client went away: {}", e.toString());
        } catch (IOException e) {
            log.debug("connection failed: {}", e.toString());
        } catch (RuntimeException e) {
            log.error("request failed", e);
            answerQuietly(Response.error(500, "internal error").closing());
        } finally {
            if (!movedOn) {
                end();
            }
            shared.counters().threads.decrementAndGet();
        }
    }

    /** @return true when the connection moved on to a fresh thread, false when it is over */
    private boolean serve() throws IOException {
        if (link == null) {
            open();
        }
        if (toStream != null) {
            StreamHandler.Spec spec = toStream;
            toStream = null;
            shared.streams().run(spec, link, reader.takeBuffered());
            return false;
        }
        if (toHold != null) {
            PollSpec spec = toHold;
            toHold = null;
            Response answer = hold(spec);
            if (answer == null || !respond(answer)) {
                return false;
            }
            if (!reader.buffered()) {
                Thread.yield();
            }
        }
        while (true) {
            Exchange exchange = next();
            if (exchange == null) {
                return false;
            }
            first = false;
            inFlight = true;
            shared.counters().inFlight.incrementAndGet();
            switch (exchange) {
                case Answer(Response answer) -> {
                    if (!respond(answer)) {
                        return false;
                    }
                }
                case Hold(PollSpec spec) -> {
                    toHold = spec;
                    shared.threads().newThread(this).start();
                    return true;
                }
                case Open(StreamHandler.Spec spec) -> {
                    toStream = spec;
                    shared.threads().newThread(this).start();
                    return true;
                }
            }
        }
    }

    /** @return the answer, or null when the client closed while held */
    private Response hold(PollSpec spec) throws IOException {
        var box = new Mailbox();
        if (spec.timeout().isZero()) {
            return shared.polls().hold(spec, box, this);
        }
        link.watch(box, System.nanoTime() + spec.timeout().toNanos());
        try {
            return shared.polls().hold(spec, box, this);
        } finally {
            link.unwatch();
        }
    }

    /**
     * Asked by a held poll whose socket turned readable: did the client close?
     * Bytes that came instead are the start of a pipelined request, kept for
     * the next read; the watch then ends, so what a client may send while held
     * stays bounded.
     */
    @Override
    public boolean gone() {
        var bytes = new byte[PEEK_BYTES];
        try {
            int n = link.readNow(bytes, 0, bytes.length);
            if (n < 0) {
                return true;
            }
            if (n > 0) {
                reader.append(bytes, n);
            } else {
                link.rewatch();
            }
            return false;
        } catch (IOException e) {
            log.debug("client went away while held: {}", e.toString());
            return true;
        }
    }

    /** Counted among the connections only once open: {@link #end} uncounts exactly what was counted. */
    private void open() throws IOException {
        link = Link.open(fd, shared.io(), shared.writeTimeout().toNanos());
        var output = link;
        reader = new RequestReader(output, output::deadline, () -> output.write(ResponseWriter.interimContinue()),
                shared.limits(), shared.headerTimeout());
        shared.counters().connections.incrementAndGet();
    }

    /** Writes the answer to the request in flight; false when the connection closes after it. */
    private boolean respond(Response response) throws IOException {
        try {
            link.write(ResponseWriter.bytes(response));
        } finally {
            inFlight = false;
            shared.counters().inFlight.decrementAndGet();
        }
        return !response.close();
    }

    private void end() {
        closeQuietly();
        if (inFlight) {
            shared.counters().inFlight.decrementAndGet();
        }
        if (reader != null) {
            shared.counters().connections.decrementAndGet();
        }
        shared.permits().release();
    }

    /** The next request, routed; null when the client closed or idled out between requests. */
    private Exchange next() throws IOException {
        try {
            long idleUntil = System.nanoTime() + shared.headerTimeout().toNanos();
            if (!reader.readyNow(link::readNow) && !link.awaitReadable(idleUntil)) {
                return first ? new Answer(Response.error(408, "request head timed out").closing()) : null;
            }
            var request = reader.read(first);
            link.deadline(0);
            return request == null ? null : shared.router().route(request, link);
        } catch (HttpError e) {
            return new Answer(Response.error(e.status(), e.reason()).closing());
        }
    }

    private void answerQuietly(Response response) {
        if (link == null) {
            return;
        }
        try {
            link.write(ResponseWriter.bytes(response));
        } catch (IOException e) {
            log.debug("could not answer a failed request: {}", e.toString());
        }
    }

    private void closeQuietly() {
        if (link != null) {
            link.close();
        } else {
            Listener.discard(fd);
        }
    }
}
