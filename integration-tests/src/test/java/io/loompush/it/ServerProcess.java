package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The shaded server jar as a child process, the way it runs in production,
 * for what only a process shows: signals and exit codes. Its output goes to a
 * log file that failures quote. Closing it kills the process if it is still
 * alive.
 */
final class ServerProcess implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the jar on a free loopback port with the given extra flags, and waits for /healthz 200. */
    static ServerProcess start(Path log, String... flags) throws IOException, InterruptedException {
        return startOn(freePort(), log, flags);
    }

    /**
     * Starts the jar on this loopback port, as {@link #start}: a node restarted in place, where its
     * clients reconnect to the address they had.
     */
    static ServerProcess startOn(int port, Path log, String... flags) throws IOException, InterruptedException {
        String jar = System.getProperty("loompush.server.jar");
        assertNotNull(jar, "failsafe passes -Dloompush.server.jar");
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar, "--host", "127.0.0.1", "--port", String.valueOf(port)));
        command.addAll(List.of(flags));
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var server = new ServerProcess(process, port, log);
        try {
            server.awaitHealthy();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    int port() {
        return port;
    }

    /** Sends SIGTERM (what {@link Process#destroy()} does on Linux). */
    void terminate() {
        process.destroy();
    }

    /** Sends SIGKILL, the way a node dies with its machine, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(STARTUP.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("the server outlived SIGKILL for " + STARTUP);
        }
    }

    /** @return the exit code, or fails the test when the process is still running after the timeout */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("the server did not exit within " + timeout + "; its log:\n" + log());
        }
        return process.exitValue();
    }

    /** What the server wrote so far, for failure messages. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the server exited with " + process.exitValue() + " on start; its log:\n" + log());
            }
            try (var client = RawHttpClient.connect(port)) {
                if (client.get("/healthz").status() == 200) {
                    return;
                }
            } catch (ConnectException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        fail("the server did not answer /healthz within " + STARTUP + "; its log:\n" + log());
    }

    /** A port that was free a moment ago: the jar needs a fixed one so the test knows where to connect. */
    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
