package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A client sends poll after poll on one connection; the server closes it only when asked to. */
class KeepAliveIT {
    private static final int ROUNDS = 100;

    private TestServer server;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void oneConnectionCarriesAHundredPublishesAndPollsInARow() throws Exception {
        try (var client = server.connect()) {
            String cursor = PollAnswer.of(client.get("/poll/ka?timeout=0")).cursor();
            for (int round = 0; round < ROUNDS; round++) {
                var publish = client.post("/publish/ka", "round " + round);
                assertFalse(publish.closing(), "publish answer of round " + round + " closes: " + publish);
                var published = PublishAnswer.of(publish);

                var poll = client.get("/poll/ka?timeout=5&since=" + cursor);
                assertFalse(poll.closing(), "poll answer of round " + round + " closes: " + poll);
                var answer = PollAnswer.of(poll);
                assertEquals(List.of(published.id()), answer.ids());
                assertEquals(List.of("round " + round), answer.data());
                assertFalse(answer.gap());
                cursor = answer.cursor();
            }

            var stats = client.get("/stats").json();
            assertEquals(1L, stats.get("connections"), "the client's one connection is all the server saw open");
            assertEquals((long) ROUNDS, stats.get("published"));
            assertEquals((long) ROUNDS, stats.get("delivered"));
        }
    }

    @Test
    void oneConnectionCarriesAHundredPollsAnsweredByAnotherConnectionsPublishes() throws Exception {
        try (var poller = server.connect(); var publisher = server.connect()) {
            int localPort = poller.localPort();
            String cursor = PollAnswer.of(poller.get("/poll/kb?timeout=0")).cursor();
            for (int round = 0; round < ROUNDS; round++) {
                poller.sendGet("/poll/kb?timeout=10&since=" + cursor);
                var published = PublishAnswer.of(publisher.post("/publish/kb", "round " + round));
                var poll = poller.read();
                assertFalse(poll.closing(), "poll answer of round " + round + " closes: " + poll);
                var answer = PollAnswer.of(poll);
                assertEquals(List.of(published.id()), answer.ids());
                cursor = answer.cursor();
            }

            assertEquals(localPort, poller.localPort());
            assertEquals(3L, server.stats().read("connections"), "poller, publisher and the /stats reader");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
        try (var client = server.connect()) {
            client.send("GET /poll/kd?timeout=0 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /publish/kd HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nfirst"
                    + "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n");

            assertEquals(List.of(), PollAnswer.of(client.read()).messages());
            assertEquals("kd", PublishAnswer.of(client.read()).channel());
            assertEquals(200, client.read().status());
        }
    }

    @Test
    void http10RequestIsAnsweredAndClosed() throws Exception {
        try (var client = server.connect()) {
            client.send("GET /poll/ke?timeout=0 HTTP/1.0\r\n\r\n");

            var response = client.read();
            assertEquals(200, response.status());
            assertTrue(response.closing(), response::toString);
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void connectionCloseIsHonouredAfterTheAnswer() throws Exception {
        try (var client = server.connect()) {
            var response = client.get("/poll/kc?timeout=0", "Connection: close");

            assertEquals(200, response.status());
            assertTrue(response.closing(), response::toString);
            assertTrue(client.closedByServer());
        }
    }
}
