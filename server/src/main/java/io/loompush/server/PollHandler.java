package io.loompush.server;

import io.loompush.server.auth.Grant;
import io.loompush.server.auth.Tokens;
import io.loompush.server.http.HttpError;
import io.loompush.server.http.Request;
import io.loompush.server.http.Response;
import io.loompush.server.push.Batch;
import io.loompush.server.push.Channels;
import io.loompush.server.push.Cursor;
import io.loompush.server.push.Mailbox;
import io.loompush.server.push.Message;
import io.loompush.server.push.Position;
import io.loompush.server.push.Poller;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

/** {@code GET /poll/{channels}}: parses the request, holds it, writes the answer. */
final class PollHandler {
    static final int MAX_CHANNELS = 64;
    static final int DEFAULT_MAX = 100;
    static final int MAX_MAX = 1000;
    /** The timeouts a client may ask for, made once: a held poll keeps its timeout. */
    private static final Duration[] TIMEOUTS = LongStream.rangeClosed(0, Config.MAX_POLL_TIMEOUT.toSeconds())
            .mapToObj(Duration::ofSeconds).toArray(Duration[]::new);

    private final Config config;
    private final Channels channels;
    private final Tokens tokens;
    private final Poller poller;
    private final Counters counters;
    private final BooleanSupplier draining;
    /** The answer a fan-out's polls share: one message on its only channel, its id the cursor. */
    private final FanOut<Response> fanOut = new FanOut<>(m -> Response.json(200, AnswerJson.answer(m)));

    PollHandler(Config config, Channels channels, Tokens tokens, Counters counters, BooleanSupplier draining) {
        this.config = config;
        this.channels = channels;
        this.tokens = tokens;
        this.poller = new Poller(channels, draining);
        this.counters = counters;
        this.draining = draining;
    }

    /** @param list the path after {@code /poll/}, still percent-encoded */
    PollSpec parse(Request request, String list) throws HttpError {
        return parse(request, list, Transport.POLL);
    }

    /**
     * A subscription on any transport. A stream's (SSE, WebSocket) has no
     * {@code timeout} and no keep-alive. The cursor is {@code since}, else the
     * {@code Last-Event-ID} header; on SSE the header comes first, since a
     * browser's EventSource reconnects to the same address (its {@code since}
     * too) and sends the last event's id in the header.
     *
     * @param list the path after the transport's prefix, still percent-encoded
     */
    PollSpec parse(Request request, String list, Transport transport) throws HttpError {
        boolean stream = transport != Transport.POLL;
        var names = new TreeSet<String>();
        String[] parts = list.split(",", -1);
        if (parts.length > MAX_CHANNELS) {
            throw new HttpError(400, "more than " + MAX_CHANNELS + " channels");
        }
        for (String part : parts) {
            String name = Query.decode(part);
            if (!ChannelNames.valid(name)) {
                throw new HttpError(400, "bad channel name");
            }
            names.add(name);
        }
        Map<String, String> query = Query.parse(request.query());
        Duration timeout = stream ? null : query.containsKey("timeout")
                ? TIMEOUTS[(int) number(query, "timeout", 0, 0, Config.MAX_POLL_TIMEOUT.toSeconds())]
                : config.pollTimeout();
        int max = (int) number(query, "max", DEFAULT_MAX, 1, MAX_MAX);
        String lastEventId = request.headers().first("Last-Event-ID");
        String cursor = transport == Transport.SSE && lastEventId != null
                ? lastEventId
                : query.getOrDefault("since", lastEventId);
        String[] channelNames = names.toArray(String[]::new);
        // Before anything looks at a channel: a refused poll creates no channel, mailbox or subscription.
        Grant grant = tokens.check(request, channelNames);
        var epochs = new String[channelNames.length];
        long[] since = new long[channelNames.length];
        boolean[] open = new boolean[channelNames.length];
        if (cursor == null) {
            arrival(channelNames, epochs, since, open);
        } else {
            Cursor parsed = cursor(cursor, List.copyOf(names));
            System.arraycopy(parsed.epochs(), 0, epochs, 0, epochs.length);
            System.arraycopy(parsed.positions(), 0, since, 0, since.length);
            for (int i = 0; i < open.length; i++) {
                if (epochs[i].equals(Cursor.NO_EPOCH)) {
                    Position at = channels.resume(channelNames[i], since[i]);
                    epochs[i] = at.epoch();
                    since[i] = at.seq();
                }
                open[i] = epochs[i].equals(Cursor.NO_EPOCH);
            }
        }
        // A poll's hold ends at its token's expiry at the latest; a stream's lifetime is the token's.
        Duration heldFor = stream ? grant.lifetime() : grant.cap(timeout);
        return new PollSpec(channelNames, epochs, since, open, heldFor, max, !stream && request.keepAlive(),
                allowOrigin(request.headers().first("Origin")), request.method().equals("HEAD"));
    }

    /**
     * Holds the poll until there is something to answer; its connection tells
     * the mailbox when the hold's deadline passes or the client's socket turns
     * readable (see {@link Poller#hold}).
     *
     * @return the answer, or null when the client closed while held
     */
    Response hold(PollSpec spec, Mailbox box, Poller.Client client) {
        counters.held.incrementAndGet();
        Batch batch;
        try {
            batch = poller.hold(spec.channels(), spec.epochs(), spec.since(), spec.open(), spec.max(),
                    !spec.timeout().isZero(), box, client);
        } finally {
            counters.held.decrementAndGet();
        }
        if (batch == null) {
            return null;
        }
        counters.delivered.add(batch.messages().size());
        var response = answer(batch, spec.channels());
        if (spec.allowOrigin() != null) {
            response = response.withHeader("Access-Control-Allow-Origin", spec.allowOrigin()).withHeader("Vary", "Origin");
        }
        if (spec.headOnly()) {
            response = response.forHead();
        }
        return spec.keepAlive() && !draining.getAsBoolean() ? response : response.closing();
    }

    /** The answer; in a fan-out, the one built for the first poll it answered (see {@link FanOut}). */
    private Response answer(Batch batch, String[] channels) {
        Message m = AnswerJson.onlyMessage(batch, channels);
        return m == null ? Response.json(200, AnswerJson.answer(batch, channels)) : fanOut.answer(m);
    }

    /**
     * Without a cursor, a poll starts at its arrival on each channel, so that a
     * message published while the request is still on its way to its channels
     * is not missed; on a channel not covered yet, the arrival has no epoch and
     * the poll starts where coverage begins (see {@link Channels#look}).
     */
    private void arrival(String[] names, String[] epochs, long[] since, boolean[] open) {
        for (int i = 0; i < names.length; i++) {
            Position at = channels.arrival(names[i]);
            epochs[i] = at.epoch();
            since[i] = at.seq();
            open[i] = at.epoch().equals(Cursor.NO_EPOCH);
        }
    }

    private static Cursor cursor(String text, List<String> names) throws HttpError {
        try {
            return Cursor.parse(text, names);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "bad cursor: " + e.getMessage());
        }
    }

    /** The origin to allow in CORS, or null: an allowed request {@code Origin}, or none. */
    String allowOrigin(String origin) {
        if (origin == null) {
            return null;
        }
        for (String allowed : config.allowOrigins()) {
            if (allowed.equals(origin)) {
                return allowed;
            }
            if (allowed.equals("*")) {
                return origin;
            }
        }
        return null;
    }

    private static long number(Map<String, String> query, String name, long otherwise, long min, long max)
            throws HttpError {
        String value = query.get(name);
        if (value == null) {
            return otherwise;
        }
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            n = Long.MIN_VALUE;
        }
        if (n < min || n > max) {
            throw new HttpError(400, "bad parameter " + name + ": expected " + min + " to " + max);
        }
        return n;
    }
}
