package io.loompush.sim.protocol;

import io.loompush.sim.http.HttpResponse;
import io.loompush.sim.http.MalformedResponseException;
import io.loompush.sim.http.Requests;
import io.loompush.sim.stream.SseEvent;
import io.loompush.sim.stream.WsHandshake;
import java.util.ArrayList;
import java.util.List;

/**
 * Nchan long-poll subscribers: {@code GET /sub/<client>[/<shared>...]}, one
 * message per answer with {@code Last-Modified} and {@code Etag}, which the
 * next poll sends back as {@code If-Modified-Since} and {@code If-None-Match};
 * a hold that times out is answered 304 (older Nchan) or 408. Publish by
 * {@code POST /pub/<channel>} (201 or 202). The peer's nginx config maps each
 * path segment to one channel id ({@code nchan_channel_id $1 $2}), up to
 * {@link #MAX_CHANNELS}; Nchan's hold time is its own
 * {@code nchan_subscriber_timeout}, which should match --poll-timeout.
 *
 * <p>The cursor is Last-Modified and Etag joined by a newline, which no
 * header value holds.
 *
 * <p>Its own stream subscribers ({@code nchan_subscriber eventsource} and
 * {@code websocket}) at {@code /sse/<client>[/<shared>...]} and
 * {@code /ws/<client>[/<shared>...]}: an EventSource event is one message,
 * {@code id: <message id>} and the payload as its data (a multi-line payload
 * in several data lines), a heartbeat {@code event: ping} without data
 * ({@code nchan_eventsource_ping_interval}). A WebSocket message is one
 * message; with the subprotocol {@code ws+meta.nchan}, which the simulator asks for, it starts
 * {@code id: <message id>\n}, maybe {@code content-type: <type>\n}, then a blank line and the payload;
 * heartbeats are pings ({@code nchan_websocket_ping_interval}). Both resume from the
 * {@code Last-Event-ID} header; the stream cursor is the last message id.
 */
public record Nchan() implements Protocol {
    /** Channels one Nchan subscriber location multiplexes. */
    static final int MAX_CHANNELS = 4;

    @Override
    public String name() {
        return "nchan";
    }

    /** The WebSocket subprotocol in which Nchan sends each message's id, so that a subscriber can resume. */
    static final String META_SUBPROTOCOL = "ws+meta.nchan";
    private static final String ID_LINE = "id: ";
    private static final String CONTENT_TYPE_LINE = "content-type: ";

    @Override
    public byte[] pollRequest(Poll poll, String cursor) {
        String target = channels("/sub/", poll);
        var fields = new ArrayList<String>(2);
        if (cursor != null) {
            int split = cursor.indexOf('\n');
            String lastModified = cursor.substring(0, split);
            String etag = cursor.substring(split + 1);
            if (!lastModified.isEmpty()) {
                fields.add("If-Modified-Since: " + lastModified);
            }
            if (!etag.isEmpty()) {
                fields.add("If-None-Match: " + etag);
            }
        }
        return Requests.get(target, poll.host(), fields);
    }

    /**
     * {@code <prefix><client>/<shared>...}: the nginx config maps each segment to one channel id (Pushpin's
     * origin reads its channels the same way).
     */
    static String channels(String prefix, Poll poll) {
        var target = new StringBuilder(48).append(prefix).append(poll.client());
        for (String shared : poll.shared()) {
            target.append('/').append(shared);
        }
        return target.toString();
    }

    @Override
    public Answer answer(HttpResponse response, String cursor) {
        return switch (response.status()) {
            case 200 -> new Answer.Messages(List.of(new Answer.Delivery(null, response.bodyText())),
                    cursor(response, cursor), false);
            case 304, 408 -> new Answer.Messages(List.of(), cursor, false);
            default -> new Answer.Refused(response.status(), "status " + response.status());
        };
    }

    @Override
    public String transportProblem(Transport transport) {
        return null;
    }

    @Override
    public byte[] sseRequest(Poll poll, String cursor) {
        return Requests.eventStream(channels("/sse/", poll), poll.host(), cursor, List.of());
    }

    @Override
    public Answer sseEvent(SseEvent event, String cursor) {
        if (event.heartbeat()) {
            return new Answer.Messages(List.of(), cursor, false);
        }
        return new Answer.Messages(List.of(new Answer.Delivery(null, event.data())),
                event.id() == null ? cursor : event.id(), false);
    }

    @Override
    public byte[] wsRequest(Poll poll, String cursor, String key) {
        List<String> resume = cursor == null ? List.of() : List.of("Last-Event-ID: " + cursor);
        return Requests.get(channels("/ws/", poll), poll.host(), WsHandshake.fields(key, META_SUBPROTOCOL, resume));
    }

    @Override
    public String wsSubprotocol() {
        return META_SUBPROTOCOL;
    }

    /** {@code id: <id>\n[content-type: <type>\n]\n<payload>}, the form of {@link #META_SUBPROTOCOL}. */
    @Override
    public Answer wsMessage(String message, String cursor) throws MalformedResponseException {
        int end = message.indexOf('\n');
        if (!message.startsWith(ID_LINE) || end < 0) {
            throw new MalformedResponseException("ws+meta.nchan message without its id line");
        }
        String id = message.substring(ID_LINE.length(), end);
        int at = end + 1;
        if (message.startsWith(CONTENT_TYPE_LINE, at)) {
            at = message.indexOf('\n', at) + 1;
        }
        if (at == 0 || !message.startsWith("\n", at)) {
            throw new MalformedResponseException("ws+meta.nchan message without the blank line after its metadata");
        }
        return new Answer.Messages(List.of(new Answer.Delivery(null, message.substring(at + 1))), id, false);
    }

    @Override
    public byte[] publishRequest(String channel, byte[] payload, String host, String token) {
        List<String> fields = token == null ? List.of() : List.of("Authorization: Bearer " + token);
        return Requests.post("/pub/" + channel, host, fields, payload);
    }

    @Override
    public boolean publishAccepted(HttpResponse response) {
        return response.status() == 200 || response.status() == 201 || response.status() == 202;
    }

    @Override
    public boolean httpPublish() {
        return true;
    }

    /** Nchan keeps its own message format in Redis: a plain PUBLISH reaches no subscriber. */
    @Override
    public boolean redisPublish() {
        return false;
    }

    @Override
    public String sharedChannelsProblem(List<String> shared) {
        return shared.size() + 1 > MAX_CHANNELS
                ? "an Nchan subscriber location multiplexes at most " + MAX_CHANNELS
                        + " channels: the client's own and " + (MAX_CHANNELS - 1) + " shared"
                : null;
    }

    private static String cursor(HttpResponse response, String previous) {
        String lastModified = response.header("Last-Modified");
        String etag = response.header("Etag");
        if (lastModified == null && etag == null) {
            return previous;
        }
        return (lastModified == null ? "" : lastModified) + "\n" + (etag == null ? "" : etag);
    }
}
