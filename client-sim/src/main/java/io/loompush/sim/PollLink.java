package io.loompush.sim;

import io.loompush.sim.http.HttpConnection;
import io.loompush.sim.protocol.Poll;
import io.loompush.sim.protocol.Protocol;
import java.io.IOException;

/** Long-poll: a poll request, its answer, again on the same keep-alive connection. */
final class PollLink implements Link {
    private final Protocol protocol;
    private final HttpConnection connection;

    PollLink(Protocol protocol, HttpConnection connection) {
        this.protocol = protocol;
        this.connection = connection;
    }

    @Override
    public void send(Poll poll, String cursor) throws IOException {
        connection.send(protocol.pollRequest(poll, cursor));
    }

    @Override
    public boolean subscribed() {
        return true;
    }

    @Override
    public Reply read(String cursor) throws IOException {
        var response = connection.read();
        return new Reply(protocol.answer(response, cursor), response.header("Retry-After"), response.keepAlive());
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
