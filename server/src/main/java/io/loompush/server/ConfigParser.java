package io.loompush.server;

import com.sun.management.UnixOperatingSystemMXBean;
import io.loompush.server.auth.ChannelPatterns;
import io.loompush.server.auth.TokenKey;
import io.loompush.server.redis.RedisTarget;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link Config} from command-line flags and their environment
 * twins ({@code --poll-timeout} / {@code LOOMPUSH_POLL_TIMEOUT}); a flag wins
 * over its twin. Every bad value is refused with one line naming the flag.
 */
final class ConfigParser {
    /** Descriptors kept back from {@code --max-connections auto} for the JVM, the listener and Redis. */
    static final int RESERVED_DESCRIPTORS = 100;

    /** @param value what the value is, for --help: N, DURATION, ADDRESS, ... */
    record Option(String flag, String value, String defaultValue, String help) {
        String env() {
            return "LOOMPUSH_" + flag.substring(2).toUpperCase().replace('-', '_');
        }
    }

    static final List<Option> OPTIONS = List.of(
            new Option("--host", "ADDRESS", "0.0.0.0", "address to listen on"),
            new Option("--port", "N", "8080", "port to listen on (0: any free port)"),
            new Option("--backlog", "N", "4096", "accept queue length (the kernel caps it at net.core.somaxconn)"),
            new Option("--max-connections", "N", "auto",
                    "open connections at most, then 503 (auto: the open-files limit minus " + RESERVED_DESCRIPTORS + ")"),
            new Option("--poll-timeout", "DURATION", "30s", "hold time of a poll that names no timeout (0s to 120s)"),
            new Option("--max-message-bytes", "N", "65536", "largest publish body, then 413 (1 to 16777216)"),
            new Option("--history", "N", "64",
                    "messages kept per channel for clients that come back; with Redis, each stream's MAXLEN ~ too (1 to 100000)"),
            new Option("--history-ttl", "DURATION", "5m",
                    "how long a message stays in history; with Redis, a stream's TTL after its last publish (1s to 7d)"),
            new Option("--header-timeout", "DURATION", "10s",
                    "time for a request head to arrive, then 408; again for a body; also the keep-alive idle time"),
            new Option("--write-timeout", "DURATION", "30s",
                    "time an answer may take to leave, then the connection is cut (a client that stopped reading)"),
            new Option("--drain-timeout", "DURATION", "10s", "on SIGTERM, how long answers in flight may take before exit"),
            new Option("--publish-token", "TOKEN", "", "bearer token that publish requires (empty: publish from loopback only)"),
            new Option("--allow-origin", "ORIGINS", "",
                    "origins that may subscribe from a browser (CORS; WebSocket origin check), comma-separated, or *"),
            new Option("--redis", "URL", "",
                    "redis://[user:password@]host:port[/db] or rediss:// (TLS); empty: the embedded broker"),
            new Option("--redis-prefix", "PREFIX", "push:", "Redis channel of loompush channel C: PREFIX + C"),
            new Option("--subscription-linger", "DURATION", "30s",
                    "how long a node stays subscribed to a channel nobody polls here any more"),
            new Option("--max-history-bytes", "N", "134217728",
                    "payload bytes kept in history over all channels; beyond, the oldest messages go first,"
                            + " and a poll that needed them gets gap:true (1 to 2^40)"),
            new Option("--auth-jwt-secret", "SECRET", "",
                    "subscriptions need a JWT signed HS256 with this secret, at least " + TokenKey.MIN_SECRET_BYTES
                            + " bytes (empty: no tokens, unless --auth-jwt-key)"),
            new Option("--auth-jwt-key", "FILE", "",
                    "subscriptions need a JWT signed with the private half of this PEM public key:"
                            + " RS256 for RSA, ES256 for EC P-256"),
            new Option("--auth-open", "LIST", "",
                    "channels anyone may subscribe to with tokens on: names or prefix* patterns, comma-separated"),
            new Option("--auth-cache", "N", "100000",
                    "verified tokens kept until they expire, so a repeated token is a lookup (0 to 10000000)"),
            new Option("--heartbeat", "DURATION", "15s",
                    "how often an idle SSE stream gets a comment and a WebSocket a ping (1s to 1h)"));

    /** Assumed where the JVM cannot tell the open-files limit (not Unix). */
    private static final long UNKNOWN_OPEN_FILES_LIMIT = 10_000;

    private ConfigParser() {}

    static long openFilesLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount()
                : UNKNOWN_OPEN_FILES_LIMIT;
    }

    static Config parse(String[] args, Map<String, String> env, long openFilesLimit) throws ConfigException {
        var values = new HashMap<String, String>();
        for (Option option : OPTIONS) {
            values.put(option.flag(), env.getOrDefault(option.env(), option.defaultValue()));
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String flag = eq < 0 ? arg : arg.substring(0, eq);
            if (!values.containsKey(flag)) {
                throw new ConfigException("unknown option '" + arg + "' (see --help)");
            }
            if (eq >= 0) {
                values.put(flag, arg.substring(eq + 1));
            } else if (i + 1 < args.length) {
                values.put(flag, args[++i]);
            } else {
                throw new ConfigException(flag + ": missing value");
            }
        }
        String maxConnections = values.get("--max-connections");
        long autoMax = Math.max(1, Math.min(Integer.MAX_VALUE, openFilesLimit - RESERVED_DESCRIPTORS));
        return new Config(
                host(values.get("--host")),
                (int) integer(values, "--port", 0, 65535),
                (int) integer(values, "--backlog", 1, 1 << 20),
                maxConnections.equals("auto") ? (int) autoMax
                        : (int) integer(values, "--max-connections", 1, Integer.MAX_VALUE),
                duration(values, "--poll-timeout", Duration.ZERO, Config.MAX_POLL_TIMEOUT),
                (int) integer(values, "--max-message-bytes", 1, 16 << 20),
                (int) integer(values, "--history", 1, 100_000),
                duration(values, "--history-ttl", Duration.ofSeconds(1), Duration.ofDays(7)),
                duration(values, "--header-timeout", Duration.ofMillis(100), Duration.ofHours(1)),
                duration(values, "--write-timeout", Duration.ofMillis(100), Duration.ofHours(1)),
                duration(values, "--drain-timeout", Duration.ZERO, Duration.ofHours(1)),
                values.get("--publish-token").isEmpty() ? null : values.get("--publish-token"),
                origins(values.get("--allow-origin")),
                redis(values.get("--redis")),
                prefix(values.get("--redis-prefix")),
                duration(values, "--subscription-linger", Duration.ZERO, Duration.ofHours(1)),
                integer(values, "--max-history-bytes", 1, 1L << 40),
                tokenKey(values.get("--auth-jwt-secret"), values.get("--auth-jwt-key")),
                authOpen(values),
                (int) integer(values, "--auth-cache", 0, 10_000_000),
                duration(values, "--heartbeat", Duration.ofSeconds(1), Duration.ofHours(1)));
    }

    static String help(long openFilesLimit) {
        var out = new StringBuilder("""
                loompush: a push server on virtual threads: long-poll, Server-Sent Events, WebSocket.

                Usage: java -jar loompush-server.jar [options]

                Every option also reads from its environment variable; the option wins.
                Durations take ms, s, m, h or d (a bare number is seconds).

                """);
        for (Option option : OPTIONS) {
            String def = option.defaultValue().isEmpty() ? "none" : option.defaultValue();
            if (option.flag().equals("--max-connections")) {
                def += ", here " + Math.max(1, openFilesLimit - RESERVED_DESCRIPTORS);
            }
            out.append(String.format("  %-28s %s%n  %-28s default %s; env %s%n",
                    option.flag() + " " + option.value(), option.help(), "", def, option.env()));
        }
        out.append(String.format("  %-28s %s%n", "--help", "this text"));
        return out.toString();
    }

    private static InetAddress host(String value) throws ConfigException {
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw new ConfigException("--host: cannot resolve '" + value + "'");
        }
    }

    private static long integer(Map<String, String> values, String flag, long min, long max) throws ConfigException {
        String value = values.get(flag);
        try {
            long n = Long.parseLong(value.strip());
            if (n < min || n > max) {
                throw new ConfigException(flag + ": " + n + " is out of range " + min + " to " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(flag + ": expected a whole number, got '" + value + "'");
        }
    }

    private static Duration duration(Map<String, String> values, String flag, Duration min, Duration max)
            throws ConfigException {
        String value = values.get(flag).strip();
        Duration d = parseDuration(value);
        if (d == null) {
            throw new ConfigException(flag + ": expected a duration such as 30s, 500ms or 5m, got '" + value + "'");
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ConfigException(flag + ": " + value + " is out of range " + text(min) + " to " + text(max));
        }
        return d;
    }

    static Duration parseDuration(String value) {
        int split = 0;
        while (split < value.length() && Character.isDigit(value.charAt(split))) {
            split++;
        }
        if (split == 0 || split > 12) {
            return null;
        }
        long n = Long.parseLong(value.substring(0, split));
        return switch (value.substring(split)) {
            case "ms" -> Duration.ofMillis(n);
            case "", "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> null;
        };
    }

    private static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static RedisTarget redis(String value) throws ConfigException {
        if (value.isBlank()) {
            return null;
        }
        try {
            return RedisTarget.parse(value.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--redis: " + e.getMessage());
        }
    }

    private static String prefix(String value) throws ConfigException {
        if (!value.matches("[\\x21-\\x7E]{0,64}")) {
            throw new ConfigException("--redis-prefix: at most 64 visible ASCII characters, no spaces");
        }
        return value;
    }

    private static TokenKey tokenKey(String secret, String keyFile) throws ConfigException {
        if (!secret.isEmpty() && !keyFile.isBlank()) {
            throw new ConfigException("--auth-jwt-secret and --auth-jwt-key: set one, not both");
        }
        if (!secret.isEmpty()) {
            try {
                return TokenKey.secret(secret);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--auth-jwt-secret: " + e.getMessage());
            }
        }
        if (keyFile.isBlank()) {
            return null;
        }
        String pem;
        try {
            pem = Files.readString(Path.of(keyFile.strip()));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("--auth-jwt-key: cannot read " + keyFile.strip() + ": " + e);
        }
        try {
            return TokenKey.publicKey(pem);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--auth-jwt-key: " + keyFile.strip() + ": " + e.getMessage());
        }
    }

    private static ChannelPatterns authOpen(Map<String, String> values) throws ConfigException {
        String value = values.get("--auth-open");
        if (value.isBlank()) {
            return ChannelPatterns.NONE;
        }
        if (values.get("--auth-jwt-secret").isEmpty() && values.get("--auth-jwt-key").isBlank()) {
            throw new ConfigException("--auth-open: means nothing without --auth-jwt-secret or --auth-jwt-key");
        }
        try {
            return ChannelPatterns.parse(Arrays.stream(value.split(",")).map(String::strip).toList());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--auth-open: " + e.getMessage());
        }
    }

    private static List<String> origins(String value) throws ConfigException {
        if (value.isBlank()) {
            return List.of();
        }
        List<String> origins = Arrays.stream(value.split(",")).map(String::strip).toList();
        for (String origin : origins) {
            if (!origin.equals("*") && !origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
                throw new ConfigException("--allow-origin: '" + origin + "' is not an origin like https://example.com or *");
            }
        }
        return origins;
    }
}
