package io.loompush.sim.protocol;

import io.loompush.sim.http.HttpResponse;
import io.loompush.sim.http.Requests;
import java.util.List;

/**
 * The seed's Node.js design, as the simulator expects its rebuilt peer to speak:
 *
 * <pre>
 *   GET /poll/&lt;clientId&gt;?timeout=&lt;seconds&gt; HTTP/1.1     (keep-alive)
 *     held in pendingClients[clientId] until
 *       a Redis message on push:&lt;clientId&gt;, or on push:broadcast (every pending client):
 *           200, Content-Type: text/plain, Content-Length, body = the payload, byte for byte
 *       timeout seconds pass:
 *           204 No Content
 *   publish: Redis PUBLISH push:&lt;clientId&gt; &lt;payload&gt; (no HTTP publish)
 * </pre>
 *
 * One message per answer, no cursor: a message that arrives while its client
 * is between two polls is lost, as in the seed, and the simulator reports it.
 */
public record SeedNode() implements Protocol {
    /** The one shared channel the seed design has: every pending client gets its messages. */
    public static final String BROADCAST = "broadcast";

    @Override
    public String name() {
        return "seed-node";
    }

    @Override
    public byte[] pollRequest(Poll poll, String cursor) {
        return Requests.get("/poll/" + poll.client() + "?timeout=" + poll.timeoutSeconds(), poll.host(), List.of());
    }

    @Override
    public Answer answer(HttpResponse response, String cursor) {
        return switch (response.status()) {
            case 200 -> new Answer.Messages(List.of(new Answer.Delivery(null, response.bodyText())), null, false);
            case 204 -> new Answer.Messages(List.of(), null, false);
            default -> new Answer.Refused(response.status(), "status " + response.status());
        };
    }

    @Override
    public String transportProblem(Transport transport) {
        return transport == Transport.POLL ? null
                : "seed-node has no " + transport.flagName() + ": the seed's design long-polls only";
    }

    @Override
    public byte[] publishRequest(String channel, byte[] payload, String host, String token) {
        throw new UnsupportedOperationException("seed-node is published to through Redis only");
    }

    @Override
    public boolean publishAccepted(HttpResponse response) {
        return false;
    }

    @Override
    public boolean httpPublish() {
        return false;
    }

    @Override
    public boolean redisPublish() {
        return true;
    }

    @Override
    public String sharedChannelsProblem(List<String> shared) {
        return shared.isEmpty() || shared.equals(List.of(BROADCAST))
                ? null
                : "seed-node has one shared channel, '" + BROADCAST + "'";
    }
}
