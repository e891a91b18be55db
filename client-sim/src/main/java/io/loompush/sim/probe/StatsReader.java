package io.loompush.sim.probe;

import io.loompush.sim.http.HttpConnection;
import io.loompush.sim.http.Requests;
import io.loompush.sim.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reads the server's JSON stats over one keep-alive connection of its own
 * (which the server counts among its connections: the baseline reading
 * includes it). Reconnects after a failure. loompush gives its stats to
 * loopback, or to whoever has its publish token (as for publish), which is
 * then sent as {@code Authorization: Bearer}.
 */
public final class StatsReader implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final InetSocketAddress target;
    private final String host;
    private final String path;
    private final List<String> fields;
    private HttpConnection connection;

    public StatsReader(InetSocketAddress target, String host, String path) {
        this(target, host, path, null);
    }

    /** @param publishToken the server's publish token, or null */
    public StatsReader(InetSocketAddress target, String host, String path, String publishToken) {
        this.target = target;
        this.host = host;
        this.path = path;
        this.fields = publishToken == null ? List.of() : List.of("Authorization: Bearer " + publishToken);
    }

    /**
     * Reads the stats once. A kept-alive connection the server has meanwhile
     * closed (its keep-alive idle time is shorter than a settle) is replaced
     * by a fresh one, once.
     *
     * @throws IOException when the server cannot be reached or its answer is not a JSON object with 200
     */
    public synchronized Map<String, Object> read() throws IOException {
        if (connection != null) {
            try {
                return exchange();
            } catch (IOException e) {
                close();
            }
        }
        connection = HttpConnection.open(target, null, TIMEOUT, TIMEOUT);
        try {
            return exchange();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private Map<String, Object> exchange() throws IOException {
        var response = connection.exchange(Requests.get(path, host, fields));
        if (!response.keepAlive()) {
            close();
        }
        if (response.status() != 200) {
            throw new IOException(path + " answered " + response.status());
        }
        try {
            return Json.object(response.bodyText());
        } catch (IllegalArgumentException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
    }

    /** A number at a dotted path such as {@code memory.rssBytes}, or null. */
    public static Long figure(Map<String, Object> stats, String dotted) {
        Object value = stats;
        for (String key : dotted.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(key);
        }
        return value instanceof Number n ? n.longValue() : null;
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException e) {
                // closing a connection we no longer use: nothing to do
            }
            connection = null;
        }
    }
}
