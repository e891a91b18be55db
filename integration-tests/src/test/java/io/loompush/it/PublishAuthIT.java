package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With a publish token configured, publish needs {@code Authorization: Bearer <token>}; polls need nothing. */
class PublishAuthIT {
    private static final String TOKEN = "s3cret-t0ken";

    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start("--publish-token", TOKEN);
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Test
    void publishWithoutATokenIs401() throws Exception {
        try (var client = server.connect()) {
            assertUnauthorized(client.post("/publish/guarded", "no token"));
        }
    }

    @Test
    void publishWithAWrongTokenIs401() throws Exception {
        try (var client = server.connect()) {
            for (String authorization : List.of("Bearer wrong", "Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1),
                    "bearer " + TOKEN, "Basic " + TOKEN, TOKEN, "Bearer")) {
                assertUnauthorized(client.post("/publish/guarded", "wrong token", "Authorization: " + authorization));
            }
        }
    }

    @Test
    void publishWithTheTokenIsDelivered() throws Exception {
        try (var poller = server.connect(); var publisher = server.connect()) {
            poller.sendGet("/poll/guarded?timeout=10");
            server.stats().awaitHeld(1, 1, Duration.ofSeconds(5));

            var published = PublishAnswer.of(publisher.post("/publish/guarded", "authorised",
                    "Authorization: Bearer " + TOKEN));

            assertEquals(1, published.receivers());
            assertEquals(List.of(published.id()), PollAnswer.of(poller.read()).ids());
        }
    }

    @Test
    void withTheTokenAPublishThroughAProxyIsAccepted() throws Exception {
        try (var client = server.connect()) {
            var response = client.post("/publish/guarded", "proxied", "X-Forwarded-For: 203.0.113.7",
                    "Authorization: Bearer " + TOKEN);

            assertEquals(200, response.status(), response::toString);
        }
    }

    @Test
    void refusedPublishLeavesTheConnectionUsable() throws Exception {
        try (var client = server.connect()) {
            assertUnauthorized(client.post("/publish/guarded", "first try"));
            var retry = client.post("/publish/guarded", "second try", "Authorization: Bearer " + TOKEN);

            assertEquals(200, retry.status(), retry::toString);
        }
    }

    private static void assertUnauthorized(RawResponse response) {
        assertEquals(401, response.status(), response::toString);
        assertEquals("Bearer", response.header("WWW-Authenticate"));
        Errors.assertErrorBody(response);
        assertFalse(response.closing(), "a refused publish was framed correctly, so the connection stays open");
    }
}
