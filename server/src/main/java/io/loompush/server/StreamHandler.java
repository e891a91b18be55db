package io.loompush.server;

import io.loompush.server.http.HttpError;
import io.loompush.server.http.Request;
import io.loompush.server.net.Link;
import io.loompush.server.push.Channels;
import io.loompush.server.push.Poller;
import io.loompush.server.ws.Handshake;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /sse/{channels}} and {@code GET /ws/{channels}}: parses the
 * subscription (as a poll's: channels, {@code since} or {@code Last-Event-ID},
 * {@code max}), checks the WebSocket handshake, and runs the stream.
 */
final class StreamHandler {
    /**
     * A stream to open.
     *
     * @param accept   the WebSocket handshake's {@code Sec-WebSocket-Accept}; null for SSE
     * @param headOnly a HEAD request for SSE: the head a GET gets, then the end
     */
    record Spec(Transport transport, PollSpec poll, String accept, boolean headOnly) {}

    private final PollHandler polls;
    private final Stream.Shared shared;
    private final Counters counters;
    private final boolean originsRestricted;
    private final FanOut<byte[]> sseFanOut = new FanOut<>(SseStream::event);
    private final FanOut<byte[]> wsFanOut = new FanOut<>(WsStream::frame);

    StreamHandler(Config config, PollHandler polls, Channels channels, Counters counters, BooleanSupplier draining) {
        this.polls = polls;
        this.counters = counters;
        this.shared = new Stream.Shared(new Poller(channels, draining), counters, draining,
                config.heartbeat().toNanos());
        this.originsRestricted = !config.allowOrigins().isEmpty();
    }

    /**
     * @param list      the path after {@code /sse/} or {@code /ws/}, still percent-encoded
     * @param transport {@link Transport#SSE} or {@link Transport#WS}
     */
    Spec parse(Request request, String list, Transport transport) throws HttpError {
        String accept = null;
        if (transport == Transport.WS) {
            accept = Handshake.accept(request);
            String origin = request.headers().first("Origin");
            if (originsRestricted && origin != null && polls.allowOrigin(origin) == null) {
                throw new HttpError(403, "origin not allowed");
            }
        }
        return new Spec(transport, polls.parse(request, list, transport), accept, request.method().equals("HEAD"));
    }

    /**
     * Serves the stream on the calling thread until it ends.
     *
     * @param early what the request reader read past the request: a WebSocket client's first frames
     */
    void run(Spec spec, Link link, byte[] early) throws IOException {
        if (spec.headOnly()) {
            link.write(SseStream.head(spec.poll().allowOrigin()));
            return;
        }
        boolean sse = spec.transport() == Transport.SSE;
        AtomicInteger open = sse ? counters.sse : counters.ws;
        Stream stream = sse
                ? new SseStream(spec.poll(), link, shared, sseFanOut)
                : new WsStream(spec.poll(), link, shared, wsFanOut);
        open.incrementAndGet();
        try {
            stream.run(sse ? SseStream.head(spec.poll().allowOrigin()) : Handshake.switching(spec.accept()), early);
        } finally {
            open.decrementAndGet();
        }
    }
}
