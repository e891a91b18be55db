package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With {@code --allow-origin}, polls from a listed origin get CORS headers; publish never does. */
class CorsIT {
    private static final String ALLOWED = "https://app.example.com";

    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start("--allow-origin", ALLOWED);
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Test
    void pollFromAnAllowedOriginGetsItBackWithVary() throws Exception {
        try (var client = server.connect()) {
            var response = client.get("/poll/web?timeout=0", "Origin: " + ALLOWED);

            assertEquals(200, response.status());
            assertEquals(ALLOWED, response.header("Access-Control-Allow-Origin"));
            assertEquals("Origin", response.header("Vary"));
        }
    }

    @Test
    void aRefusedPollFromAnAllowedOriginCarriesCorsSoThePageCanReadWhy() throws Exception {
        try (var client = server.connect()) {
            var response = client.get("/poll/web?timeout=-1", "Origin: " + ALLOWED);

            assertEquals(400, response.status());
            assertEquals(ALLOWED, response.header("Access-Control-Allow-Origin"));
        }
    }

    @Test
    void pollFromAnotherOriginGetsNoCorsHeaders() throws Exception {
        try (var client = server.connect()) {
            var response = client.get("/poll/web?timeout=0", "Origin: https://evil.example.com");

            assertEquals(200, response.status());
            assertNull(response.header("Access-Control-Allow-Origin"));
        }
    }

    @Test
    void publishSendsNoCorsHeaders() throws Exception {
        try (var client = server.connect()) {
            var response = client.post("/publish/web", "hi", "Origin: " + ALLOWED);

            assertEquals(200, response.status());
            assertNull(response.header("Access-Control-Allow-Origin"));
        }
    }

    @Test
    void anyOriginIsEchoedWhenStarIsAllowed() throws Exception {
        try (var star = TestServer.start("--allow-origin", "*");
             var client = star.connect()) {
            var response = client.get("/poll/web?timeout=0", "Origin: http://localhost:3000");

            assertEquals("http://localhost:3000", response.header("Access-Control-Allow-Origin"));
            assertEquals("Origin", response.header("Vary"));
        }
    }
}
