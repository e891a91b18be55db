package io.loompush.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws InterruptedException {
        return Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpDocumentsEveryModeAndEveryFlag() throws Exception {
        assertEquals(0, run("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (Mode mode : Mode.values()) {
            assertTrue(help.contains("  " + mode.flagName() + " "), "mode " + mode.flagName());
        }
        for (ConfigParser.Option option : ConfigParser.OPTIONS) {
            assertEquals(!option.hidden(), help.contains(option.flag() + " ") || help.contains(option.flag() + "\n"),
                    option.flag());
        }
        assertTrue(help.contains("ip_local_port_range") && help.contains("ulimit -n"));
        assertTrue(help.contains("pendingClients"), "the seed-node wire format");
    }

    @Test
    void anUnknownFlagIsOneLineAndExitCodeTwo() throws Exception {
        assertEquals(2, run("--clients", "10", "--rampp", "5"));
        assertEquals("client-sim: unknown option '--rampp' (see --help)\n", errText());
    }

    @Test
    void aTargetOffLoopbackIsRefusedWithExitCodeTwo() throws Exception {
        assertEquals(2, run("--target", "8.8.8.8:80"));
        assertTrue(errText().contains("not a loopback address"), errText());
        assertEquals(1, errText().lines().count());
    }

    @Test
    void anImpossibleCountIsRefusedWithExitCodeTwo() throws Exception {
        assertEquals(2, run("--clients", "0"));
        assertEquals("client-sim: --clients: 0 is out of range 1 to 1000000\n", errText());
    }

    @Test
    void anUnreachableServerIsExitCodeTwo() throws Exception {
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        assertEquals(2, run("--target", "127.0.0.1:" + port, "--clients", "10"));
        assertTrue(errText().lines().anyMatch(l -> l.startsWith("client-sim: cannot reach the server at 127.0.0.1:" + port)),
                errText());
    }
}
