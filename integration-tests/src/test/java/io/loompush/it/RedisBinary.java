package io.loompush.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code redis-server --port N <persistence> --dir <tmp>}, bound to 127.0.0.1. */
final class RedisBinary implements RedisBackend {
    private static final Duration SHUTDOWN = Duration.ofSeconds(10);

    private final Path executable;
    private final int port;
    private final List<String> persistence;
    private final Path directory;
    private final Path log;
    private Process process;

    RedisBinary(Path executable, int port, List<String> persistence) throws IOException {
        this.executable = executable;
        this.port = port;
        this.persistence = persistence;
        this.directory = Files.createTempDirectory("loompush-redis-");
        this.log = directory.resolve("redis.log");
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public void start() throws IOException {
        var command = new ArrayList<>(List.of(executable.toString(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--dir", directory.toString(), "--daemonize", "no"));
        command.addAll(persistence);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** SIGTERM, then SIGKILL if it lingers; waits for the process to be gone either way. */
    @Override
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** {@code kill -STOP} or {@code -CONT}, to this process only, by its pid. */
    @Override
    public void freeze(boolean frozen) throws IOException {
        var kill = new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", String.valueOf(process.pid()))
                .redirectErrorStream(true).start();
        try {
            if (!kill.waitFor(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                fail("kill " + (frozen ? "-STOP " : "-CONT ") + process.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
        stop();
        try (var files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + directory, e);
        }
    }

    @Override
    public void assertRunning() {
        if (process != null && !process.isAlive()) {
            fail("redis-server exited with " + process.exitValue() + " on start; " + describe());
        }
    }

    @Override
    public String describe() {
        String output;
        try {
            output = Files.exists(log) ? Files.readString(log) : "(nothing yet)";
        } catch (IOException e) {
            output = "(log unreadable: " + e + ")";
        }
        return executable + " on 127.0.0.1:" + port + ", its log:\n" + output;
    }
}
