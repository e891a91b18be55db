package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code --max-connections}: N open connections are served, the one past
 * them gets 503 with Retry-After and is closed, and a closed connection gives
 * its place back.
 */
class MaxConnectionsIT {
    private static final int MAX_CONNECTIONS = 3;

    @Test
    void connectionsUpToTheLimitAreServedAndTheNextIs503() throws Exception {
        var open = new ArrayList<RawHttpClient>();
        try (var server = TestServer.start("--max-connections", String.valueOf(MAX_CONNECTIONS))) {
            try {
                for (int i = 0; i < MAX_CONNECTIONS; i++) {
                    var client = server.connect();
                    open.add(client);
                    assertEquals(200, client.get("/healthz").status(), "connection " + (i + 1));
                }
                for (int attempt = 1; attempt <= 2; attempt++) {
                    try (var client = server.connect()) {
                        var response = client.read();
                        assertEquals(503, response.status(), "attempt " + attempt + ": " + response);
                        assertEquals("1", response.header("Retry-After"));
                        Errors.assertErrorBody(response);
                        assertTrue(response.closing(), response::toString);
                        assertTrue(client.closedByServer());
                    }
                }
                for (var client : open) {
                    assertEquals(200, client.get("/healthz").status(), "the connections within the limit still serve");
                }

                open.removeFirst().close();

                awaitServedOnANewConnection(server, Duration.ofSeconds(5));
            } finally {
                for (var client : open) {
                    client.close();
                }
            }
        }
    }

    /** The server frees the place when it sees the close, a moment after the client's close returns. */
    private static void awaitServedOnANewConnection(TestServer server, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        RawResponse last = null;
        while (System.nanoTime() < deadline) {
            try (var client = server.connect()) {
                last = client.get("/healthz");
                if (last.status() == 200) {
                    return;
                }
            } catch (SocketException e) {
                last = null;
            }
            Thread.sleep(20);
        }
        fail("no connection was served within " + timeout + " after one of " + MAX_CONNECTIONS + " closed; last: "
                + last);
    }
}
