package io.loompush.server;

import io.loompush.server.auth.ChannelPatterns;
import io.loompush.server.auth.TokenKey;
import io.loompush.server.redis.RedisTarget;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every setting of the server, built once at start by {@link ConfigParser}
 * and passed down by constructor.
 *
 * @param allowOrigins origins allowed to long-poll from a browser; "*" for any, empty for none
 * @param publishToken the bearer token publish requires, or null for loopback-only publishing
 * @param redis        where Redis is, or null for the embedded broker
 * @param redisPrefix  what Redis channel names start with: {@code push:alice} for channel {@code alice}
 * @param subscriptionLinger how long a node stays subscribed to a channel nobody polls here any more
 * @param maxHistoryBytes payload bytes the embedded history keeps over all channels; beyond, the oldest go
 * @param authKey      the key subscription tokens are checked with, or null when subscriptions need none
 * @param authOpen     the channels anyone may subscribe to when tokens are on
 * @param authCacheTokens verified tokens kept, so a repeated token is a lookup
 * @param heartbeat   how often an idle SSE stream gets a comment and a WebSocket a ping
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
        Duration writeTimeout,
        Duration drainTimeout,
        String publishToken,
        List<String> allowOrigins,
        RedisTarget redis,
        String redisPrefix,
        Duration subscriptionLinger,
        long maxHistoryBytes,
        TokenKey authKey,
        ChannelPatterns authOpen,
        int authCacheTokens,
        Duration heartbeat) {

    /** The longest hold a client may ask for with {@code timeout}. */
    public static final Duration MAX_POLL_TIMEOUT = Duration.ofSeconds(120);

    public Config {
        allowOrigins = List.copyOf(allowOrigins);
    }

    /** The configuration these command-line options give, ignoring the environment: for embedding and tests. */
    public static Config fromArgs(String... args) throws ConfigException {
        return ConfigParser.parse(args, Map.of(), ConfigParser.openFilesLimit());
    }
}
