package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --header-timeout}: a request head (and then its body) must arrive in
 * time, else 408 and close; it is also how long an idle keep-alive connection
 * lasts. The sleeps here are the slow client under test, not synchronisation.
 */
class HeaderTimeoutIT {
    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(300);
    private static final String PARTIAL_HEAD = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";

    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start("--header-timeout", HEADER_TIMEOUT.toMillis() + "ms");
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Test
    void headThatArrivesInPiecesWithinTheTimeoutIsServed() throws Exception {
        try (var client = server.connect()) {
            client.send(PARTIAL_HEAD);
            Thread.sleep(HEADER_TIMEOUT.dividedBy(3));
            client.send("\r\n");

            assertEquals(200, client.read().status());
        }
    }

    @Test
    void stalledHeadIs408AndCloses() throws Exception {
        for (int attempt = 1; attempt <= 2; attempt++) {
            try (var client = server.connect()) {
                long start = System.nanoTime();
                client.send(PARTIAL_HEAD);
                assertTimedOutAndClosed(client, start);
            }
        }
    }

    @Test
    void connectionThatSendsNothingIs408AndCloses() throws Exception {
        try (var client = server.connect()) {
            assertTimedOutAndClosed(client, System.nanoTime());
        }
    }

    @Test
    void stalledBodyIs408AndCloses() throws Exception {
        try (var client = server.connect()) {
            long start = System.nanoTime();
            client.send("POST /publish/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nhalf.");
            assertTimedOutAndClosed(client, start);
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedQuietlyAfterTheTimeout() throws Exception {
        try (var client = server.connect()) {
            assertEquals(200, client.get("/healthz").status());
            long start = System.nanoTime();

            assertTrue(client.closedByServer(), "an idle connection is closed without an answer");
            assertAtLeastTheTimeout(start);
        }
    }

    @Test
    void heldPollOutlastsTheHeaderTimeout() throws Exception {
        try (var client = server.connect()) {
            var answer = PollAnswer.of(client.get("/poll/patient?timeout=1"));

            assertEquals(0, answer.messages().size());
            assertEquals(200, client.get("/healthz").status(), "the connection is still open after the hold");
        }
    }

    private static void assertTimedOutAndClosed(RawHttpClient client, long start) throws IOException {
        var response = client.read();
        assertAtLeastTheTimeout(start);
        assertEquals(408, response.status(), response::toString);
        Errors.assertErrorBody(response);
        assertTrue(response.closing(), response::toString);
        assertTrue(client.closedByServer());
    }

    private static void assertAtLeastTheTimeout(long start) {
        var waited = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(waited.compareTo(HEADER_TIMEOUT.minusMillis(50)) >= 0 && waited.compareTo(Duration.ofSeconds(5)) < 0,
                "the server gave up after " + waited + " with a header timeout of " + HEADER_TIMEOUT);
    }
}
