package io.loompush.sim;

import static io.loompush.sim.ConfigParserTest.KERNEL;
import static io.loompush.sim.ConfigParserTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreflightTest {
    @Test
    void nineteenThousandClientsFitInOneProcessUnderTwentyThousandDescriptors() throws Exception {
        var plan = Preflight.plan(parse("--clients", "19000"), KERNEL);
        assertTrue(plan.inProcess());
        assertEquals(List.of(new Slice(0, 19000)), plan.slices());
    }

    @Test
    void moreClientsThanOneProcessMayOpenAreSplitEvenlyOverWorkers() throws Exception {
        var plan = Preflight.plan(parse("--clients", "40000", "--source-addrs", "127.0.0.2-127.0.0.9"), KERNEL);
        assertEquals(List.of(new Slice(0, 13334), new Slice(13334, 26668), new Slice(26668, 40000)), plan.slices());
        assertEquals(List.of(new Slice(0, 667), new Slice(667, 1334), new Slice(1334, 2000)),
                Preflight.plan(parse("--clients", "2000", "--per-process", "700"), KERNEL).slices());
    }

    @Test
    void aPerProcessCountAboveTheOpenFilesLimitIsRefusedWithTheFix() {
        var e = assertThrows(UsageException.class,
                () -> Preflight.plan(parse("--per-process", "19900"), KERNEL));
        assertTrue(e.getMessage().contains("ulimit -n"), e.getMessage());
    }

    @Test
    void tooManyProcessesAreRefused() {
        var e = assertThrows(UsageException.class,
                () -> Preflight.plan(parse("--clients", "1000", "--per-process", "10"), KERNEL));
        assertTrue(e.getMessage().contains("more than " + Plan.MAX_PROCESSES), e.getMessage());
    }

    @Test
    void moreConnectionsThanOneAddressHasPortsAreRefusedWithBothFixes() {
        var e = assertThrows(UsageException.class,
                () -> Preflight.plan(parse("--clients", "26000", "--source-addrs", "127.0.0.2"), KERNEL));
        assertTrue(e.getMessage().contains("ip_local_port_range 32768-60999"), e.getMessage());
        assertTrue(e.getMessage().contains("--source-addrs 127.0.0.2-127.0.0.3"), e.getMessage());
        assertTrue(e.getMessage().contains("sysctl -w net.ipv4.ip_local_port_range"), e.getMessage());
    }

    @Test
    void aSmallAcceptQueueIsNoted() throws Exception {
        var plan = Preflight.plan(parse("--ramp", "2000"), new Kernel(20_000, 32768, 60999, 128));
        assertTrue(plan.notes().stream().anyMatch(n -> n.contains("somaxconn is 128")), plan.notes().toString());
    }

    @Test
    void anUnreachableServerIsRefused() throws Exception {
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        var e = assertThrows(UsageException.class, () -> Preflight.reach(parse("--target", "127.0.0.1:" + port)));
        assertTrue(e.getMessage().startsWith("cannot reach the server at 127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void aServerWithoutStatsIsRefusedUnlessToldSo() throws IOException {
        try (var silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try (var client = silent.accept()) {
                        client.getOutputStream().write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            var e = assertThrows(UsageException.class,
                    () -> Preflight.reach(parse("--target", "127.0.0.1:" + silent.getLocalPort())));
            assertTrue(e.getMessage().contains("--stats-path none"), e.getMessage());
        }
    }
}
