package io.loompush.sim.protocol;

import io.loompush.sim.http.HttpResponse;
import io.loompush.sim.http.Requests;
import io.loompush.sim.json.Json;
import io.loompush.sim.stream.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Pushpin ({@code ops/peers/pushpin}) in front of a GRIP origin that holds
 * every subscription on the channels its path names:
 *
 * <pre>
 *   GET /sub/&lt;client&gt;[/&lt;shared&gt;...]   held (Grip-Hold: response) until
 *       a message on one of them:  200, the payload as the body
 *       Grip-Timeout passes:       204, the origin's own answer
 *   GET /sse/&lt;client&gt;[/&lt;shared&gt;...]   Accept: text/event-stream; held (Grip-Hold: stream):
 *       200 text/event-stream, then "data: &lt;payload&gt;" per message, a ":" comment every 15 s
 *   publish: POST /publish/ on Pushpin's publish port (not the one clients use):
 *       {"items":[{"channel":C,"formats":{"http-response":{"code":200,"body":P},
 *                                          "http-stream":{"content":"data: P\n\n"}}}]}   -&gt; 200
 * </pre>
 *
 * One message per answer and no cursor: GRIP's reliable mode needs an
 * origin that keeps history, which this minimal one does not, so a message
 * that comes while a client is between two polls, or reconnecting, is lost
 * and counted. Pushpin's WebSocket needs an origin speaking
 * WebSocket-over-HTTP, which this one does not.
 */
public record Pushpin() implements Protocol {
    @Override
    public String name() {
        return "pushpin";
    }

    @Override
    public byte[] pollRequest(Poll poll, String cursor) {
        return Requests.get(Nchan.channels("/sub/", poll), poll.host(), List.of());
    }

    @Override
    public Answer answer(HttpResponse response, String cursor) {
        return switch (response.status()) {
            case 200 -> new Answer.Messages(List.of(new Answer.Delivery(null, response.bodyText())), cursor, false);
            case 204 -> new Answer.Messages(List.of(), cursor, false);
            default -> new Answer.Refused(response.status(), "status " + response.status());
        };
    }

    @Override
    public String transportProblem(Transport transport) {
        return transport == Transport.WS
                ? "Pushpin's WebSocket needs an origin speaking WebSocket-over-HTTP, which ops/peers/pushpin's does not"
                : null;
    }

    /** No Last-Event-ID: the events carry no id, and the origin keeps no history to resume from. */
    @Override
    public byte[] sseRequest(Poll poll, String cursor) {
        return Requests.eventStream(Nchan.channels("/sse/", poll), poll.host(), null, List.of());
    }

    @Override
    public Answer sseEvent(SseEvent event, String cursor) {
        return new Answer.Messages(event.heartbeat() ? List.of() : List.of(new Answer.Delivery(null, event.data())),
                cursor, false);
    }

    /** One item for {@code channel}, in both formats: a held response's body and a stream's event. */
    @Override
    public byte[] publishRequest(String channel, byte[] payload, String host, String token) {
        String data = new String(payload, StandardCharsets.UTF_8);
        var json = new StringBuilder(2 * payload.length + 128).append("{\"items\":[{\"channel\":");
        Json.appendString(json, channel);
        json.append(",\"formats\":{\"http-response\":{\"code\":200,\"body\":");
        Json.appendString(json, data);
        json.append("},\"http-stream\":{\"content\":");
        Json.appendString(json, "data: " + data + "\n\n");
        json.append("}}}]}");
        List<String> fields = token == null ? List.of("Content-Type: application/json")
                : List.of("Content-Type: application/json", "Authorization: Bearer " + token);
        return Requests.post("/publish/", host, fields, json.toString().getBytes(StandardCharsets.UTF_8));
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
        return false;
    }

    @Override
    public String sharedChannelsProblem(List<String> shared) {
        return null;
    }
}
