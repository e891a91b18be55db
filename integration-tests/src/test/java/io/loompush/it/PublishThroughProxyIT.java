package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Without a publish token, publish is for loopback only, and a reverse proxy
 * on the same host connects from loopback for every outside client: a publish
 * that says it came through one ({@code Forwarded}, {@code X-Forwarded-For})
 * is refused.
 */
class PublishThroughProxyIT {
    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Test
    void aProxiedPublishFromLoopbackIs403() throws Exception {
        try (var client = server.connect()) {
            for (String proxied : List.of("X-Forwarded-For: 203.0.113.7", "Forwarded: for=203.0.113.7",
                    "x-forwarded-for: 127.0.0.1", "Forwarded: for=127.0.0.1;proto=https")) {
                var response = client.post("/publish/news", "from outside", proxied);

                assertEquals(403, response.status(), proxied + ": " + response);
                assertEquals("{\"error\":\"publish through a proxy needs --publish-token\"}", response.text());
                Errors.assertErrorBody(response);
                assertFalse(response.closing());
            }
        }
    }

    @Test
    void aDirectPublishFromLoopbackIsAccepted() throws Exception {
        try (var client = server.connect()) {
            assertEquals(200, client.post("/publish/news", "from the backend").status());
        }
    }
}
