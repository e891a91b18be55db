package io.loompush.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ListenerTest {
    @Test
    void acceptsOnTheBoundPortAndTellsTheClientsAddress() throws Exception {
        var listener = Listener.open(InetAddress.getLoopbackAddress(), 0, 16);
        try (var loop = new IoLoop(java.time.Duration.ofMillis(50)).start();
             var client = new Socket(InetAddress.getLoopbackAddress(), listener.port())) {
            int fd = listener.accept();
            assertTrue(fd >= 0);
            var link = Link.open(fd, loop, 1_000_000_000L);
            assertEquals(InetAddress.getLoopbackAddress(), link.remote());
            link.write("hi".getBytes());
            assertEquals('h', client.getInputStream().read());
            link.close();
        } finally {
            listener.close();
            listener.release();
        }
    }

    @Test
    void closingWakesAThreadBlockedInAccept() throws Exception {
        var listener = Listener.open(InetAddress.getLoopbackAddress(), 0, 16);
        var accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return listener.accept();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, r -> Thread.ofPlatform().start(r));
        Thread.sleep(50);
        listener.close();
        assertEquals(Listener.CLOSED, accepted.get(5, TimeUnit.SECONDS));
        listener.release();
    }

    @Test
    void aPortInUseIsABindException() throws Exception {
        var first = Listener.open(InetAddress.getLoopbackAddress(), 0, 16);
        try {
            assertThrows(BindException.class, () -> Listener.open(InetAddress.getLoopbackAddress(), first.port(), 16));
        } finally {
            first.close();
            first.release();
        }
    }
}
