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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection on its own virtual thread: read a request, answer
 * it (a poll may park here for its whole hold), and loop while keep-alive
 * lasts. Every way out goes through the one catch ladder in {@link #run}.
 */
final class Connection implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    /** What every connection shares: one instance per server, so a connection costs two references. */
    record Shared(Router router, PollHandler polls, Counters counters, Semaphore permits, Limits limits,
                  Duration headerTimeout, WriteDeadlines writeDeadlines) {}

    private final Socket socket;
    private final Shared shared;

    Connection(Socket socket, Shared shared) {
        this.socket = socket;
        this.shared = shared;
    }

    @Override
    public void run() {
        Counters counters = shared.counters();
        counters.connections.incrementAndGet();
        try {
            serve();
        } catch (EOFException | SocketException e) {
            log.debug("client went away: {}", e.toString());
        } catch (IOException e) {
            log.debug("connection failed: {}", e.toString());
        } catch (RuntimeException e) {
            log.error("request failed", e);
            answerQuietly(Response.error(500, "internal error").closing());
        } finally {
            closeQuietly();
            counters.connections.decrementAndGet();
            shared.permits().release();
        }
    }

    private void serve() throws IOException {
        socket.setTcpNoDelay(true);
        OutputStream out = socket.getOutputStream();
        var reader = new RequestReader(socket.getInputStream(), socket::setSoTimeout,
                () -> ResponseWriter.writeContinue(out), shared.limits(), shared.headerTimeout());
        boolean first = true;
        while (true) {
            Exchange exchange = next(reader, first);
            if (exchange == null) {
                return;
            }
            first = false;
            shared.counters().inFlight.incrementAndGet();
            Response response;
            try {
                response = switch (exchange) {
                    case Answer(Response answer) -> answer;
                    case Hold(PollSpec spec) -> shared.polls().hold(spec);
                };
                write(out, response);
            } finally {
                shared.counters().inFlight.decrementAndGet();
            }
            if (response.close()) {
                return;
            }
        }
    }

    /** The next request, routed; null when the client closed or idled out between requests. */
    private Exchange next(RequestReader reader, boolean first) throws IOException {
        try {
            var request = reader.read(first);
            return request == null ? null : shared.router().route(request, socket.getInetAddress());
        } catch (HttpError e) {
            return new Answer(Response.error(e.status(), e.reason()).closing());
        }
    }

    private void write(OutputStream out, Response response) throws IOException {
        var deadline = shared.writeDeadlines().arm(socket);
        try {
            ResponseWriter.write(out, response);
        } finally {
            deadline.cancel(false);
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
