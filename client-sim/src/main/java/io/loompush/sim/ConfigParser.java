package io.loompush.sim;

import io.loompush.sim.protocol.Protocol;
import io.loompush.sim.protocol.SeedNode;
import io.loompush.sim.protocol.Transport;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link SimConfig} from {@code --flag value} or {@code --flag=value}.
 * Every bad value is refused with one line naming the flag.
 */
final class ConfigParser {
    /** Descriptors kept back from --per-process auto: the JVM's jars, publisher, stats and worker pipes. */
    static final int RESERVED_DESCRIPTORS = 200;
    static final int MAX_CLIENTS = 1_000_000;
    /** Extra time --connect-timeout auto gives beyond clients / ramp. */
    static final Duration CONNECT_SLACK = Duration.ofSeconds(30);
    private static final String CHANNEL_NAME = "[A-Za-z0-9_.:@-]{1,200}";

    /**
     * @param value        what the value is, for --help (null: a switch without value)
     * @param defaultValue the value when the flag is not given, or null when it depends on other flags
     * @param defaultHelp  the default as --help shows it
     * @param hidden       whether --help leaves it out: the options the simulator gives its own workers
     */
    record Option(String flag, String value, String defaultValue, String defaultHelp, String help, boolean hidden) {
        Option(String flag, String value, String defaultValue, String help) {
            this(flag, value, defaultValue, defaultValue, help, false);
        }

        static Option derived(String flag, String value, String defaultHelp, String help) {
            return new Option(flag, value, null, defaultHelp, help, false);
        }

        static Option hidden(String flag, String value, String help) {
            return new Option(flag, value, "", "", help, true);
        }
    }

    static final List<Option> OPTIONS = List.of(
            new Option("--mode", "MODE", "idle",
                    "the scenario: idle, active, fanout, unicast, connect or reconnect (see MODES)"),
            new Option("--protocol", "NAME", "loompush", "the server's protocol: loompush, nchan, seed-node, socketio or pushpin"),
            new Option("--transport", "NAME", "poll",
                    "how clients subscribe: poll (long-poll), sse (Server-Sent Events) or ws (WebSocket); "
                            + "a stream is opened once and resumed with its last cursor when it ends; not with reconnect"),
            new Option("--target", "HOST:PORT", "127.0.0.1:8080", "the server; loopback only (127.0.0.0/8, ::1)"),
            Option.derived("--publish-target", "HOST:PORT", "the --target",
                    "where HTTP publishes go, when not to the server clients poll (Pushpin: its publish port); loopback only"),
            new Option("--clients", "N", "1000", "simulated clients, one long-poll connection each (1 to " + MAX_CLIENTS + ")"),
            new Option("--ramp", "N", "2000", "connections opened per second"),
            new Option("--duration", "DURATION", "30s",
                    "the load phase: the hold in idle, publishing in unicast and reconnect; a bound in active and fanout"),
            new Option("--poll-timeout", "DURATION", "30s", "the hold each poll asks for (1s to 120s)"),
            Option.derived("--shared-channels", "LIST", "none (fanout: broadcast)",
                    "channels every client polls besides its own, comma-separated"),
            new Option("--source-addrs", "ADDRS", "auto",
                    "local addresses to connect from: 127.0.0.2-127.0.0.40, a comma list, or auto"),
            Option.derived("--publish", "VIA", "http (seed-node: redis)", "how the publisher sends: http or redis"),
            new Option("--redis", "URL", "redis://127.0.0.1:6379", "the Redis the publisher publishes to (loompush: FCALL loompush_publish; seed-node: PUBLISH)"),
            new Option("--redis-prefix", "PREFIX", "push:", "Redis channel of channel C: PREFIX + C"),
            new Option("--publish-token", "TOKEN", "none", "bearer token for HTTP publish (and loompush's /stats)"),
            new Option("--token", "TOKEN", "none",
                    "loompush: the subscription token (JWT) every client sends with every poll or stream request as "
                            + "Authorization: Bearer"),
            Option.derived("--rate", "N", "unicast and reconnect 1000, active 0",
                    "messages per second (0: as fast as the publishers go)"),
            new Option("--rounds", "N", "5", "fanout: messages to each shared channel, one round after another"),
            new Option("--cut-at", "DURATION", "5s",
                    "reconnect: when, from the start of the load phase, every client cuts its connection; "
                            + "less than --duration"),
            new Option("--message-bytes", "N", "100", "payload size; never less than its fields (about 60 bytes)"),
            new Option("--publishers", "N", "4", "connections the publisher sends on in parallel (1 to 64)"),
            new Option("--settle", "DURATION", "6s", "wait after connecting, and after the load, before memory is read"),
            new Option("--drain", "DURATION", "10s", "longest wait for messages in flight after the load"),
            new Option("--connect-timeout", "DURATION", "auto",
                    "longest the connect phase may take (auto: clients / ramp + " + CONNECT_SLACK.toSeconds() + "s)"),
            new Option("--server-pid", "PID", "none", "the server's process: RSS and CPU of its whole process tree"),
            Option.derived("--stats-path", "PATH", "loompush: /stats, others: none",
                    "the server's JSON stats (connections, held, memory.rssBytes, ...); none to skip"),
            new Option("--force-gc", null, "false",
                    "also read memory after a full GC of a JVM server (jcmd PID GC.run; needs --server-pid)"),
            new Option("--json", "FILE", "none", "write every figure of the run to FILE as JSON"),
            new Option("--per-process", "N", "auto",
                    "most connections one process opens (auto: open-files limit - " + RESERVED_DESCRIPTORS
                            + "); more clients start worker processes"),
            Option.hidden("--worker", "SLICE", "run clients FROM-TO for a parent simulator"),
            Option.hidden("--run-id", "ID", "the run id a worker's parent chose"));

    private static final int ID_LENGTH = 6;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ConfigParser() {}

    static SimConfig parse(String[] args, Kernel kernel) throws UsageException {
        Map<String, String> values = values(args);
        Mode mode = mode(values.get("--mode"));
        Protocol protocol = protocol(values.get("--protocol"));
        Transport transport = transport(values.get("--transport"), protocol, mode);
        Target target = Target.parse(values.get("--target"), "--target");
        Target publishTarget = values.containsKey("--publish-target")
                ? Target.parse(values.get("--publish-target"), "--publish-target") : target;
        int clients = (int) integer(values, "--clients", 1, MAX_CLIENTS);
        int ramp = (int) integer(values, "--ramp", 1, 1_000_000);
        List<String> shared = shared(values.getOrDefault("--shared-channels", mode == Mode.FANOUT ? "broadcast" : ""),
                mode, protocol);
        var publishVia = publishVia(values.getOrDefault("--publish", protocol.httpPublish() ? "http" : "redis"), protocol);
        String connectTimeout = values.get("--connect-timeout");
        String perProcess = values.get("--per-process");
        long autoPerProcess = Math.max(1, kernel.openFilesLimit() - RESERVED_DESCRIPTORS);
        String run = values.get("--run-id");
        return new SimConfig(
                mode,
                protocol,
                transport,
                target,
                publishTarget,
                clients,
                ramp,
                duration(values, "--duration", Duration.ofSeconds(1), Duration.ofDays(1)),
                duration(values, "--poll-timeout", Duration.ofSeconds(1), Duration.ofSeconds(120)),
                shared,
                SourceAddresses.parse(values.get("--source-addrs"), target.address().getAddress(), clients,
                        kernel.ephemeralPorts(), "--source-addrs"),
                publishVia,
                RedisAddress.parse(values.get("--redis"), "--redis"),
                prefix(values.get("--redis-prefix")),
                values.get("--publish-token").equals("none") ? null : values.get("--publish-token"),
                token(values.get("--token"), protocol),
                (int) integer(values.getOrDefault("--rate", mode == Mode.ACTIVE ? "0" : "1000"), "--rate", 0, 1_000_000),
                (int) integer(values, "--rounds", 1, 1_000_000),
                cutAt(values, mode),
                (int) integer(values, "--message-bytes", 1, 65536),
                (int) integer(values, "--publishers", 1, 64),
                duration(values, "--settle", Duration.ZERO, Duration.ofHours(1)),
                duration(values, "--drain", Duration.ZERO, Duration.ofHours(1)),
                connectTimeout.equals("auto")
                        ? Duration.ofMillis(1000L * clients / ramp).plus(CONNECT_SLACK)
                        : duration(values, "--connect-timeout", Duration.ofSeconds(1), Duration.ofDays(1)),
                values.get("--server-pid").equals("none") ? null : integer(values, "--server-pid", 1, Integer.MAX_VALUE),
                statsPath(values.getOrDefault("--stats-path", protocol.name().equals("loompush") ? "/stats" : "none")),
                forceGc(values),
                values.get("--json").equals("none") ? null : Path.of(values.get("--json")),
                perProcess.equals("auto") ? (int) Math.min(Integer.MAX_VALUE, autoPerProcess)
                        : (int) integer(values, "--per-process", 1, Integer.MAX_VALUE),
                run.isEmpty() ? newRunId() : runId(run),
                values.get("--worker").isEmpty() ? null : worker(values.get("--worker"), clients));
    }

    /** The flags given, over the defaults that do not depend on other flags. */
    private static Map<String, String> values(String[] args) throws UsageException {
        var values = new HashMap<String, String>();
        var known = new HashMap<String, Option>();
        for (Option option : OPTIONS) {
            known.put(option.flag(), option);
            if (option.defaultValue() != null) {
                values.put(option.flag(), option.defaultValue());
            }
        }
        var given = new ArrayList<String>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String flag = eq < 0 ? arg : arg.substring(0, eq);
            Option option = known.get(flag);
            if (option == null) {
                throw new UsageException("unknown option '" + arg + "' (see --help)");
            }
            if (given.contains(flag)) {
                throw new UsageException(flag + ": given twice");
            }
            given.add(flag);
            if (option.value() == null) {
                values.put(flag, eq < 0 ? "true" : bool(flag, arg.substring(eq + 1)));
            } else if (eq >= 0) {
                values.put(flag, arg.substring(eq + 1));
            } else if (i + 1 < args.length) {
                values.put(flag, args[++i]);
            } else {
                throw new UsageException(flag + ": missing value");
            }
        }
        return values;
    }

    private static boolean forceGc(Map<String, String> values) throws UsageException {
        boolean on = values.get("--force-gc").equals("true");
        if (on && values.get("--server-pid").equals("none")) {
            throw new UsageException("--force-gc needs --server-pid: jcmd asks that process for a GC");
        }
        return on;
    }

    /** The cut must leave part of the load phase to reconnect in while publishing goes on. */
    private static Duration cutAt(Map<String, String> values, Mode mode) throws UsageException {
        Duration cutAt = duration(values, "--cut-at", Duration.ZERO, Duration.ofDays(1));
        Duration load = duration(values, "--duration", Duration.ofSeconds(1), Duration.ofDays(1));
        if (mode == Mode.RECONNECT && cutAt.compareTo(load) >= 0) {
            throw new UsageException("--cut-at: " + values.get("--cut-at").strip()
                    + " leaves no time to reconnect in a --duration of " + values.get("--duration").strip());
        }
        return cutAt;
    }

    private static String bool(String flag, String value) throws UsageException {
        if (!value.equals("true") && !value.equals("false")) {
            throw new UsageException(flag + ": expected true or false, got '" + value + "'");
        }
        return value;
    }

    private static Mode mode(String value) throws UsageException {
        for (Mode mode : Mode.values()) {
            if (mode.flagName().equals(value)) {
                return mode;
            }
        }
        throw new UsageException("--mode: expected idle, active, fanout, unicast, connect or reconnect, got '" + value + "'");
    }

    private static String token(String value, Protocol protocol) throws UsageException {
        if (value.equals("none")) {
            return null;
        }
        if (!protocol.name().equals("loompush")) {
            throw new UsageException("--token: " + protocol.name() + " takes no subscription token");
        }
        if (!value.matches("[A-Za-z0-9._-]+")) {
            throw new UsageException("--token: a JWT is base64url parts joined by dots");
        }
        return value;
    }

    private static Protocol protocol(String value) throws UsageException {
        try {
            return Protocol.named(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--protocol: expected loompush, nchan, seed-node, socketio or pushpin, got '" + value + "'");
        }
    }

    /**
     * A stream gives a client no cursor before its first message, so one cut before that could not
     * resume: the reconnect mode stays long-poll only.
     */
    private static Transport transport(String value, Protocol protocol, Mode mode) throws UsageException {
        Transport transport = null;
        for (Transport t : Transport.values()) {
            if (t.flagName().equals(value)) {
                transport = t;
            }
        }
        if (transport == null) {
            throw new UsageException("--transport: expected poll, sse or ws, got '" + value + "'");
        }
        String problem = protocol.transportProblem(transport);
        if (problem != null) {
            throw new UsageException("--transport " + value + ": " + problem);
        }
        if (transport.stream() && mode == Mode.RECONNECT) {
            throw new UsageException("--transport " + value + ": --mode reconnect is long-poll only (a stream gives "
                    + "no cursor before its first message, so a client cut before one could not resume)");
        }
        return transport;
    }

    private static List<String> shared(String value, Mode mode, Protocol protocol) throws UsageException {
        var names = new ArrayList<String>();
        if (!value.isBlank() && !value.strip().equals("none")) {
            for (String part : value.split(",")) {
                String name = part.strip();
                if (!name.matches(CHANNEL_NAME)) {
                    throw new UsageException("--shared-channels: '" + name
                            + "' is not a channel name (1 to 200 of A-Z a-z 0-9 _ . : @ -)");
                }
                if (name.matches(SimConfig.CLIENT_PREFIX + "[0-9]+")) {
                    throw new UsageException("--shared-channels: '" + name + "' is a client's own channel");
                }
                if (names.contains(name)) {
                    throw new UsageException("--shared-channels: '" + name + "' given twice");
                }
                names.add(name);
            }
        }
        if (mode == Mode.FANOUT && names.isEmpty()) {
            throw new UsageException("--mode fanout needs a shared channel (--shared-channels, default broadcast)");
        }
        String problem = protocol.sharedChannelsProblem(names);
        if (problem != null) {
            throw new UsageException("--shared-channels: " + problem);
        }
        return names;
    }

    private static SimConfig.PublishVia publishVia(String value, Protocol protocol) throws UsageException {
        return switch (value) {
            case "http" -> {
                if (!protocol.httpPublish()) {
                    throw new UsageException("--publish http: " + protocol.name() + " is published to through Redis only"
                            + (protocol instanceof SeedNode ? " (PUBLISH push:<client>)" : ""));
                }
                yield SimConfig.PublishVia.HTTP;
            }
            case "redis" -> {
                if (!protocol.redisPublish()) {
                    throw new UsageException("--publish redis: a plain Redis PUBLISH reaches no " + protocol.name()
                            + " subscriber; use --publish http");
                }
                yield SimConfig.PublishVia.REDIS;
            }
            default -> throw new UsageException("--publish: expected http or redis, got '" + value + "'");
        };
    }

    private static String statsPath(String value) throws UsageException {
        if (value.equals("none")) {
            return null;
        }
        if (!value.matches("/[\\x21-\\x7E]{0,200}")) {
            throw new UsageException("--stats-path: expected a path such as /stats, or none, got '" + value + "'");
        }
        return value;
    }

    private static String prefix(String value) throws UsageException {
        if (!value.matches("[\\x21-\\x7E]{0,64}")) {
            throw new UsageException("--redis-prefix: at most 64 visible ASCII characters, no spaces");
        }
        return value;
    }

    private static Slice worker(String value, int clients) throws UsageException {
        if (!value.matches("[0-9]{1,9}-[0-9]{1,9}")) {
            throw new UsageException("--worker: expected FROM-TO");
        }
        Slice slice = Slice.parse(value);
        if (slice.to() > clients || slice.size() == 0) {
            throw new UsageException("--worker: " + value + " is not a part of 0-" + clients);
        }
        return slice;
    }

    private static String runId(String value) throws UsageException {
        if (!value.matches("[a-z0-9]{1,16}")) {
            throw new UsageException("--run-id: 1 to 16 of a-z 0-9");
        }
        return value;
    }

    private static String newRunId() {
        var id = new StringBuilder(ID_LENGTH);
        for (int i = 0; i < ID_LENGTH; i++) {
            id.append(Character.forDigit(RANDOM.nextInt(36), 36));
        }
        return id.toString();
    }

    private static long integer(Map<String, String> values, String flag, long min, long max) throws UsageException {
        return integer(values.get(flag), flag, min, max);
    }

    private static long integer(String value, String flag, long min, long max) throws UsageException {
        try {
            long n = Long.parseLong(value.strip());
            if (n < min || n > max) {
                throw new UsageException(flag + ": " + n + " is out of range " + min + " to " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + ": expected a whole number, got '" + value + "'");
        }
    }

    private static Duration duration(Map<String, String> values, String flag, Duration min, Duration max)
            throws UsageException {
        String value = values.get(flag).strip();
        Duration d = parseDuration(value);
        if (d == null) {
            throw new UsageException(flag + ": expected a duration such as 30s, 500ms or 5m, got '" + value + "'");
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new UsageException(flag + ": " + value + " is out of range " + text(min) + " to " + text(max));
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
}
