package io.loompush.sim.protocol;

import io.loompush.sim.http.HttpResponse;
import io.loompush.sim.http.Requests;
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
 */
public record Nchan() implements Protocol {
    /** Channels one Nchan subscriber location multiplexes. */
    static final int MAX_CHANNELS = 4;

    @Override
    public String name() {
        return "nchan";
    }

    @Override
    public byte[] pollRequest(Poll poll, String cursor) {
        var target = new StringBuilder(48).append("/sub/").append(poll.client());
        for (String shared : poll.shared()) {
            target.append('/').append(shared);
        }
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
        return Requests.get(target.toString(), poll.host(), fields);
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
