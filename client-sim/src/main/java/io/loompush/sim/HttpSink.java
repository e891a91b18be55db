package io.loompush.sim;

import io.loompush.sim.http.HttpConnection;
import java.io.IOException;
import java.time.Duration;

/** Publishes over one keep-alive HTTP connection, opened again after a failure. */
final class HttpSink implements Sink {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final SimConfig config;
    private HttpConnection connection;
    private String problem;

    HttpSink(SimConfig config) {
        this.config = config;
    }

    @Override
    public Result publish(String channel, byte[] payload) {
        var protocol = config.protocol();
        try {
            if (connection == null) {
                connection = HttpConnection.open(config.publishTarget().address(), null, TIMEOUT, TIMEOUT);
            }
        } catch (IOException e) {
            problem = "publish to " + channel + ": cannot connect: " + e.getMessage();
            return Result.REFUSED;
        }
        try {
            var response = connection.exchange(
                    protocol.publishRequest(channel, payload, config.publishTarget().host(), config.publishToken()));
            if (!response.keepAlive()) {
                close();
            }
            if (protocol.publishAccepted(response)) {
                return Result.ACCEPTED;
            }
            problem = "publish to " + channel + ": status " + response.status() + " " + abbreviated(response.bodyText());
            return Result.REFUSED;
        } catch (IOException e) {
            close();
            problem = "publish to " + channel + ": " + e.getMessage();
            return Result.UNKNOWN;
        }
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException e) {
                // a publisher connection being dropped: nothing is left to do with it
            }
            connection = null;
        }
    }

    private static String abbreviated(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
