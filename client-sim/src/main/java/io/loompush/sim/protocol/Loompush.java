package io.loompush.sim.protocol;

import io.loompush.sim.http.HttpResponse;
import io.loompush.sim.http.MalformedResponseException;
import io.loompush.sim.http.Requests;
import io.loompush.sim.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * loompush, docs/PROTOCOL.md: {@code GET /poll/<client>,<shared>...?timeout=&since=<cursor>}
 * answered {@code {"cursor":…,"messages":[{"channel","id","data"}],"gap":…}};
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
        var target = new StringBuilder(64).append("/poll/").append(poll.client());
        for (String shared : poll.shared()) {
            target.append(',').append(shared);
        }
        target.append("?timeout=").append(poll.timeoutSeconds());
        if (cursor != null) {
            target.append("&since=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        return Requests.get(target.toString(), poll.host(),
                poll.token() == null ? List.of() : List.of("Authorization: Bearer " + poll.token()));
    }

    @Override
    public Answer answer(HttpResponse response, String cursor) throws MalformedResponseException {
        if (response.status() != 200) {
            return new Answer.Refused(response.status(), errorReason(response));
        }
        Map<String, Object> body;
        try {
            body = Json.object(response.bodyText());
        } catch (IllegalArgumentException e) {
            throw new MalformedResponseException("poll answer: " + e.getMessage());
        }
        if (!(body.get("cursor") instanceof String next) || !(body.get("messages") instanceof List<?> messages)
                || !(body.get("gap") instanceof Boolean gap)) {
            throw new MalformedResponseException("poll answer without cursor, messages or gap");
        }
        var deliveries = new ArrayList<Answer.Delivery>(messages.size());
        for (Object item : messages) {
            if (!(item instanceof Map<?, ?> message) || !(message.get("channel") instanceof String channel)) {
                throw new MalformedResponseException("poll answer message without a channel");
            }
            deliveries.add(new Answer.Delivery(channel, data(message)));
        }
        return new Answer.Messages(deliveries, next, gap);
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
