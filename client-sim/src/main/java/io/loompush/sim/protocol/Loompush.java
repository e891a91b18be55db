package io.loompush.sim.protocol;

import io.loompush.sim.http.HttpResponse;
import io.loompush.sim.http.MalformedResponseException;
import io.loompush.sim.http.Requests;
import io.loompush.sim.json.Json;
import io.loompush.sim.stream.SseEvent;
import io.loompush.sim.stream.WsHandshake;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * loompush, docs/PROTOCOL.md: {@code GET /poll/<client>,<shared>...?timeout=&since=<cursor>}
 * answered {@code {"cursor":…,"messages":[{"channel","id","data"}],"gap":…}};
 * {@code GET /sse/<channels>} with {@code Last-Event-ID: <cursor>}, each event {@code id: <cursor>} and
 * {@code data: {"channel","id","data"}}, a gap as {@code event: gap}, heartbeats as comments;
 * {@code GET /ws/<channels>?since=<cursor>}, each text message a poll answer's JSON;
 * publish by {@code POST /publish/<channel>}; Redis {@code FCALL loompush_publish 1 push:<channel> <payload>}.
 */
public record Loompush() implements Protocol {
    /** loompush polls name at most this many channels. */
    static final int MAX_CHANNELS = 64;

    @Override
    public String name() {
        return "loompush";
    }

    @Override
    public byte[] pollRequest(Poll poll, String cursor) {
        var target = channels("/poll/", poll).append("?timeout=").append(poll.timeoutSeconds());
        if (cursor != null) {
            target.append("&since=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        return Requests.get(target.toString(), poll.host(), authorization(poll));
    }

    @Override
    public Answer answer(HttpResponse response, String cursor) throws MalformedResponseException {
        if (response.status() != 200) {
            return new Answer.Refused(response.status(), errorReason(response));
        }
        return pollAnswer(response.bodyText(), "poll answer");
    }

    @Override
    public String transportProblem(Transport transport) {
        return null;
    }

    @Override
    public byte[] sseRequest(Poll poll, String cursor) {
        return Requests.eventStream(channels("/sse/", poll).toString(), poll.host(), cursor, authorization(poll));
    }

    /** A message event carries one message object and its cursor; {@code event: gap} says what cannot be proven. */
    @Override
    public Answer sseEvent(SseEvent event, String cursor) throws MalformedResponseException {
        if (event.heartbeat()) {
            return new Answer.Messages(List.of(), cursor, false);
        }
        String next = event.id() == null ? cursor : event.id();
        if ("gap".equals(event.type())) {
            return new Answer.Messages(List.of(), next, true);
        }
        if (event.type() != null && !event.type().equals("message")) {
            throw new MalformedResponseException("event of unknown type '" + event.type() + "'");
        }
        if (event.id() == null) {
            throw new MalformedResponseException("message event without an id");
        }
        Object message;
        try {
            message = Json.parse(event.data());
        } catch (IllegalArgumentException e) {
            throw new MalformedResponseException("message event: " + e.getMessage());
        }
        return new Answer.Messages(List.of(delivery(message, "message event")), next, false);
    }

    @Override
    public byte[] wsRequest(Poll poll, String cursor, String key) {
        var target = channels("/ws/", poll);
        if (cursor != null) {
            target.append("?since=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        return Requests.get(target.toString(), poll.host(), WsHandshake.fields(key, null, authorization(poll)));
    }

    @Override
    public String wsSubprotocol() {
        return null;
    }

    /** Each text message is exactly a poll answer. */
    @Override
    public Answer wsMessage(String message, String cursor) throws MalformedResponseException {
        return pollAnswer(message, "WebSocket message");
    }

    /** The subscription token's field, when the client has one. */
    private static List<String> authorization(Poll poll) {
        return poll.token() == null ? List.of() : List.of("Authorization: Bearer " + poll.token());
    }

    /** {@code <prefix><client>,<shared>...} */
    private static StringBuilder channels(String prefix, Poll poll) {
        var target = new StringBuilder(64).append(prefix).append(poll.client());
        for (String shared : poll.shared()) {
            target.append(',').append(shared);
        }
        return target;
    }

    /** {@code {"cursor":…,"messages":[…],"gap":…}}; {@code what} names it in a complaint. */
    private static Answer.Messages pollAnswer(String text, String what) throws MalformedResponseException {
        Map<String, Object> body;
        try {
            body = Json.object(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedResponseException(what + ": " + e.getMessage());
        }
        if (!(body.get("cursor") instanceof String next) || !(body.get("messages") instanceof List<?> messages)
                || !(body.get("gap") instanceof Boolean gap)) {
            throw new MalformedResponseException(what + " without cursor, messages or gap");
        }
        var deliveries = new ArrayList<Answer.Delivery>(messages.size());
        for (Object item : messages) {
            deliveries.add(delivery(item, what));
        }
        return new Answer.Messages(deliveries, next, gap);
    }

    private static Answer.Delivery delivery(Object item, String what) throws MalformedResponseException {
        if (!(item instanceof Map<?, ?> message) || !(message.get("channel") instanceof String channel)) {
            throw new MalformedResponseException(what + ": message without a channel");
        }
        return new Answer.Delivery(channel, data(message));
    }

    @Override
    public byte[] publishRequest(String channel, byte[] payload, String host, String token) {
        List<String> fields = token == null ? List.of() : List.of("Authorization: Bearer " + token);
        return Requests.post("/publish/" + channel, host, fields, payload);
    }

    @Override
    public boolean publishAccepted(HttpResponse response) {
        return response.status() == 200;
    }

    @Override
    public boolean httpPublish() {
        return true;
    }

    @Override
    public boolean redisPublish() {
        return true;
    }

    @Override
    public String sharedChannelsProblem(List<String> shared) {
        return shared.size() + 1 > MAX_CHANNELS
                ? "loompush polls at most " + MAX_CHANNELS + " channels: the client's own and " + (MAX_CHANNELS - 1)
                        + " shared"
                : null;
    }

    private static String data(Map<?, ?> message) throws MalformedResponseException {
        if (message.get("data") instanceof String data) {
            return data;
        }
        if (message.get("data_b64") instanceof String encoded) {
            try {
                return new String(Base64.getDecoder().decode(encoded), StandardCharsets.ISO_8859_1);
            } catch (IllegalArgumentException e) {
                throw new MalformedResponseException("poll answer with bad data_b64");
            }
        }
        throw new MalformedResponseException("poll answer message without data");
    }

    private static String errorReason(HttpResponse response) {
        try {
            if (Json.object(response.bodyText()).get("error") instanceof String reason) {
                return reason;
            }
        } catch (IllegalArgumentException e) {
            // not a loompush error body: the status says enough
        }
        return "status " + response.status();
    }
}
