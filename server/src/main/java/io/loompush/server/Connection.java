package io.loompush.server;

import io.loompush.server.Router.Answer;
import io.loompush.server.Router.Exchange;
import io.loompush.server.Router.Hold;
import io.loompush.server.http.HttpError;
import io.loompush.server.http.Limits;
import io.loompush.server.http.RequestReader;
import io.loompush.server.http.Response;
import io.loompush.server.http.ResponseWriter;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, served by one virtual thread at a time: read a
 * request, answer it, and loop while keep-alive lasts. A poll that must be
 * held moves to a fresh virtual thread before it parks:
 *
 * <pre>
 *   thread 1:  read ─ answer ─ read ─ … ─ read a poll to hold ─ start thread 2, end
 *   thread 2:  hold (parked) ─ answer ─ yield ─ read ─ answer ─ … ─ read a poll to hold ─ start thread 3, end
 * </pre>
 *
 * Why: a parked virtual thread keeps the stack chunk of its deepest park, and
 * reading parks deep (the socket's frames under ours) whenever the next
 * request has not arrived yet, which is the rule for a client polling again.
 * Measured at 10,000 held polls whose requests came after the connection:
 * holding on the reading thread kept 1,904 B of stack per connection, holding
 * on a fresh one 647 B. And a thread that started to hold lets the other
 * threads take their turn once after its answer, before it reads the client's
 * next poll: in a fan-out that poll is then most often there already, and the
 * read does not park, which spares a deep stack chunk (some 2 KB of garbage)
 * and a trip through the socket poller per answer. (Holding the next poll on
 * the same thread instead left two stack chunks per thread, 2.5 KB: the frames
 * below a park stay in their chunk.) Every way out goes through the one catch
 * ladder in {@link #run}, on whichever thread the connection is.
 */
final class Connection implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    /** What every connection shares: one instance per server. */
    record Shared(Router router, PollHandler polls, Counters counters, Semaphore permits, Limits limits,
                  Duration headerTimeout, WriteDeadlines writeDeadlines, ThreadFactory threads) {}

    private final Socket socket;
    private final Shared shared;
    private RequestReader reader;
    private OutputStream out;
    private boolean first = true;
    /** A request read and not answered yet: what a drain waits for. */
    private boolean inFlight;
    /** The poll handed from the thread that read it to the thread that holds it. */
    private PollSpec toHold;

    Connection(Socket socket, Shared shared) {
        this.socket = socket;
        this.shared = shared;
    }

    @Override
    public void run() {
        boolean movedOn = false;
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
        }
    }

    /** @return true when the connection moved on to a fresh thread, false when it is over */
    private boolean serve() throws IOException {
        if (reader == null) {
            open();
        }
        if (toHold != null) {
            PollSpec spec = toHold;
            toHold = null;
            if (!respond(shared.polls().hold(spec))) {
                return false;
            }
            yieldUnlessRequestHere();
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
            }
        }
    }

    /** Gives the client the time of one turn of the other threads to send its next request. */
    private void yieldUnlessRequestHere() throws IOException {
        if (!reader.ready()) {
            Thread.yield();
        }
    }

    /** Counted among the connections only once open: {@link #end} uncounts exactly what was counted. */
    private void open() throws IOException {
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        var output = out;
        reader = new RequestReader(socket.getInputStream(), socket::setSoTimeout,
                () -> ResponseWriter.writeContinue(output), shared.limits(), shared.headerTimeout());
        shared.counters().connections.incrementAndGet();
    }

    /** Writes the answer to the request in flight; false when the connection closes after it. */
    private boolean respond(Response response) throws IOException {
        var deadline = shared.writeDeadlines().arm(socket);
        try {
            ResponseWriter.write(out, response);
        } finally {
            deadline.cancel(false);
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
            var request = reader.read(first);
            return request == null ? null : shared.router().route(request, socket.getInetAddress());
        } catch (HttpError e) {
            return new Answer(Response.error(e.status(), e.reason()).closing());
        }
    }

    private void answerQuietly(Response response) {
        try {
            ResponseWriter.write(socket.getOutputStream(), response);
        } catch (IOException e) {
            log.debug("could not answer a failed request: {}", e.toString());
        }
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("close failed: {}", e.toString());
        }
    }
}
