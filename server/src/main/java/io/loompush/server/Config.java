package io.loompush.server;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of the server, built once at start by {@link ConfigParser}
 * and passed down by constructor.
 *
 * @param allowOrigins origins allowed to long-poll from a browser; "*" for any, empty for none
 * @param publishToken the bearer token publish requires, or null for loopback-only publishing
 */
public record Config(
        InetAddress host,
        int port,
        int backlog,
        int maxConnections,
        Duration pollTimeout,
        int maxMessageBytes,
        int history,
        Duration historyTtl,
        Duration headerTimeout,
        Duration drainTimeout,
        String publishToken,
        List<String> allowOrigins) {

    /** The longest hold a client may ask for with {@code timeout}. */
    public static final Duration MAX_POLL_TIMEOUT = Duration.ofSeconds(120);

    public Config {
        allowOrigins = List.copyOf(allowOrigins);
    }
}
