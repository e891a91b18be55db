package io.loompush.server;

import io.loompush.server.http.HttpError;
import io.loompush.server.http.Json;
import io.loompush.server.http.Request;
import io.loompush.server.http.Response;
import io.loompush.server.push.Broker;
import io.loompush.server.push.BrokerUnavailableException;
import io.loompush.server.push.Published;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code POST /publish/{channel}}: with a token configured, publish needs
 * {@code Authorization: Bearer <token>}; without one, only loopback may publish,
 * and not through a proxy: a reverse proxy on the same host connects from
 * loopback on behalf of every outside client, and says so with
 * {@code Forwarded} or {@code X-Forwarded-For}.
 */
final class PublishHandler {
    private final Broker broker;
    private final Counters counters;
    private final byte[] expectedAuthorization;

    PublishHandler(Config config, Broker broker, Counters counters) {
        this.broker = broker;
        this.counters = counters;
        this.expectedAuthorization = config.publishToken() == null
                ? null
                : ("Bearer " + config.publishToken()).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** @param channel the path after {@code /publish/}, still percent-encoded */
    Response publish(Request request, String channel, InetAddress remote) throws HttpError {
        authorize(request, remote);
        String name = Query.decode(channel);
        if (!ChannelNames.valid(name)) {
            throw new HttpError(400, "bad channel name");
        }
        Published published;
        try {
            published = broker.publish(name, request.body());
        } catch (BrokerUnavailableException e) {
            return Response.error(503, e.getMessage()).withHeader("Retry-After", "1");
        }
        counters.published.increment();
        return Response.json(200, "{\"channel\":" + Json.string(published.channel())
                + ",\"id\":" + (published.id() == null ? "null" : Json.string(published.id()))
                + ",\"receivers\":" + published.receivers() + "}");
    }

    private void authorize(Request request, InetAddress remote) throws HttpError {
        if (expectedAuthorization == null) {
            if (!remote.isLoopbackAddress()) {
                throw new HttpError(403, "publish is allowed from loopback only");
            }
            if (request.headers().first("Forwarded") != null || request.headers().first("X-Forwarded-For") != null) {
                throw new HttpError(403, "publish through a proxy needs --publish-token");
            }
            return;
        }
        String given = request.headers().first("Authorization");
        // A constant-time comparison, so the token cannot be guessed byte by byte from response times.
        if (given == null
                || !MessageDigest.isEqual(expectedAuthorization, given.getBytes(StandardCharsets.ISO_8859_1))) {
            throw new HttpError(401, "missing or wrong publish token");
        }
    }
}
