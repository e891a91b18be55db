package io.loompush.server;

import io.loompush.server.http.HttpError;
import io.loompush.server.http.Request;
import io.loompush.server.http.Response;
import io.loompush.server.net.Link;
import io.loompush.server.ws.Handshake;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Maps a request to its answer. A poll is not answered here: it comes back as
 * a {@link Hold}, so that the request itself is garbage before the poll parks.
 */
final class Router {
    sealed interface Exchange permits Answer, Hold, Open {}

    record Answer(Response response) implements Exchange {}

    record Hold(PollSpec spec) implements Exchange {}

    /** A stream to open: the connection is the stream's from then on. */
    record Open(StreamHandler.Spec spec) implements Exchange {}

    /** The methods of RFC 9110: a wrong one of these is 405, anything else 501. */
    private static final Set<String> KNOWN_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
    private static final String POLL = "/poll/";
    private static final String PUBLISH = "/publish/";
    private static final String SSE = "/sse/";
    private static final String WS = "/ws/";

    private final PollHandler polls;
    private final StreamHandler streams;
    private final PublishHandler publishes;
    private final OperatorRule operators;
    private final Assets assets;
    private final Supplier<Stats> stats;
    private final BooleanSupplier draining;
    private final BooleanSupplier brokerReachable;

    Router(PollHandler polls, StreamHandler streams, PublishHandler publishes, OperatorRule operators, Assets assets,
           Supplier<Stats> stats, BooleanSupplier draining, BooleanSupplier brokerReachable) {
        this.polls = polls;
        this.streams = streams;
        this.publishes = publishes;
        this.operators = operators;
        this.assets = assets;
        this.stats = stats;
        this.draining = draining;
        this.brokerReachable = brokerReachable;
    }

    /** @param peer the client's socket, asked for its address only by a publish and the figures */
    Exchange route(Request request, Link peer) throws IOException {
        Exchange exchange;
        try {
            exchange = dispatch(request, peer);
        } catch (HttpError e) {
            Response error = Response.error(e.status(), e.reason());
            if (e.status() == 405) {
                error = error.withHeader("Allow", request.path().startsWith(PUBLISH) ? "POST" : "GET, HEAD");
            } else if (e.status() == 401) {
                error = error.withHeader("WWW-Authenticate", "Bearer");
            } else if (e.status() == 426) {
                error = error.withHeader("Sec-WebSocket-Version", Handshake.VERSION);
            }
            String origin = request.path().startsWith(POLL) || request.path().startsWith(SSE)
                    ? polls.allowOrigin(request.headers().first("Origin")) : null;
            if (origin != null) {
                // So that a page can read why it was refused, "token expired" above all.
                error = error.withHeader("Access-Control-Allow-Origin", origin).withHeader("Vary", "Origin");
            }
            exchange = new Answer(error);
        }
        if (exchange instanceof Answer(Response response)) {
            if (request.method().equals("HEAD")) {
                response = response.forHead();
            }
            return new Answer(request.keepAlive() && !draining.getAsBoolean() ? response : response.closing());
        }
        return exchange;
    }

    private Exchange dispatch(Request request, Link peer) throws HttpError, IOException {
        String path = request.path();
        String method = request.method();
        if (path.startsWith(POLL)) {
            allow(method, "GET");
            return new Hold(polls.parse(request, path.substring(POLL.length())));
        }
        if (path.startsWith(SSE)) {
            allow(method, "GET");
            return new Open(streams.parse(request, path.substring(SSE.length()), Transport.SSE));
        }
        if (path.startsWith(WS)) {
            // The handshake's own rules: anything but a GET upgrade is 400 (RFC 6455 section 4.2.1).
            return new Open(streams.parse(request, path.substring(WS.length()), Transport.WS));
        }
        if (path.startsWith(PUBLISH)) {
            allow(method, "POST");
            return new Answer(publishes.publish(request, path.substring(PUBLISH.length()), peer.remote()));
        }
        Assets.Asset asset = assets.at(path);
        if (asset != null) {
            allow(method, "GET");
            return new Answer(Assets.answer(asset, request));
        }
        return new Answer(switch (path) {
            case "/healthz" -> {
                allow(method, "GET");
                if (draining.getAsBoolean()) {
                    yield Response.error(503, "draining").withHeader("Retry-After", "1");
                }
                yield brokerReachable.getAsBoolean()
                        ? Response.json(200, "{\"status\":\"ok\"}")
                        : Response.error(503, "redis unreachable").withHeader("Retry-After", "1");
            }
            case "/stats" -> {
                allow(method, "GET");
                operators.check(request, peer.remote(), "/stats");
                yield Response.json(200, stats.get().toJson());
            }
            case "/metrics" -> {
                allow(method, "GET");
                operators.check(request, peer.remote(), "/metrics");
                yield new Response(200, "text/plain; version=0.0.4; charset=utf-8",
                        stats.get().toPrometheus().getBytes(StandardCharsets.UTF_8),
                        List.of(), false, false);
            }
            default -> throw new HttpError(404, "not found");
        });
    }

    /** A path that allows GET allows HEAD too (RFC 9110 section 9.3.2). */
    private static void allow(String method, String allowed) throws HttpError {
        if (!method.equals(allowed) && !(method.equals("HEAD") && allowed.equals("GET"))) {
            throw KNOWN_METHODS.contains(method)
                    ? new HttpError(405, "method not allowed")
                    : new HttpError(501, "method not implemented");
        }
    }
}
