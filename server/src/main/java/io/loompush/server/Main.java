package io.loompush.server;

import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar loompush-server.jar [options]}: see {@code --help}. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        long openFiles = ConfigParser.openFilesLimit();
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(ConfigParser.help(openFiles));
            return;
        }
        Config config;
        try {
            config = ConfigParser.parse(args, System.getenv(), openFiles);
        } catch (ConfigException e) {
            System.err.println("loompush: " + e.getMessage());
            System.exit(2);
            return;
        }
        PushServer server;
        try {
            server = PushServer.start(config);
        } catch (IOException e) {
            System.err.println("loompush: cannot listen on " + config.host().getHostAddress() + ":" + config.port()
                    + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        // SIGTERM and Ctrl-C drain; halting with 0 reports a clean shutdown instead of the JVM's 143.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("loompush-drain").unstarted(() -> {
            server.close();
            Runtime.getRuntime().halt(0);
        }));
        if (config.maxConnections() > openFiles - ConfigParser.RESERVED_DESCRIPTORS) {
            log.warn("--max-connections {} is above what the open-files limit {} allows; raise it (ops/tune-kernel)",
                    config.maxConnections(), openFiles);
        }
        log.info("loompush listening on {}:{} ({}, up to {} connections, poll timeout {}s)",
                config.host().getHostAddress(), server.port(),
                config.redis() == null ? "embedded broker" : "redis " + config.redis(),
                config.maxConnections(), config.pollTimeout().toSeconds());
    }

}
