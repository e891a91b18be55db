package io.loompush.server;

import io.loompush.server.http.HttpError;
import io.loompush.server.http.Json;
import io.loompush.server.http.Request;
import io.loompush.server.http.Response;
import io.loompush.server.push.Broker;
import io.loompush.server.push.BrokerUnavailableException;
import io.loompush.server.push.Published;
import java.net.InetAddress;

/** {@code POST /publish/{channel}}, for whom the {@link OperatorRule} lets in. */
final class PublishHandler {
    private final Broker broker;
    private final Counters counters;
    private final OperatorRule operators;

    PublishHandler(OperatorRule operators, Broker broker, Counters counters) {
        this.broker = broker;
        this.counters = counters;
        this.operators = operators;
    }

    /** @param channel the path after {@code /publish/}, still percent-encoded */
    Response publish(Request request, String channel, InetAddress remote) throws HttpError {
        operators.check(request, remote, "publish");
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
}
