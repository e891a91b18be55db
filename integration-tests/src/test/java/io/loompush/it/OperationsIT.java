package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /healthz, /stats and /metrics, and what any other path or method gets. */
class OperationsIT {
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
    void healthzIsOk() throws Exception {
        try (var client = server.connect()) {
            var response = client.get("/healthz");

            assertEquals(200, response.status());
            assertEquals("application/json", response.header("Content-Type"));
            assertEquals("no-store", response.header("Cache-Control"));
            assertEquals(Map.of("status", "ok"), response.json());
        }
    }

    @Test
    void statsHasTheFiguresOfTheProtocol() throws Exception {
        try (var client = server.connect()) {
            var response = client.get("/stats");

            assertEquals(200, response.status());
            assertEquals("application/json", response.header("Content-Type"));
            var stats = response.json();
            for (String figure : List.of("connections", "held", "channels", "published", "delivered")) {
                assertInstanceOf(Long.class, stats.get(figure), () -> figure + " in " + stats);
            }
            assertTrue((Long) stats.get("connections") >= 1, stats::toString);
            var memory = assertInstanceOf(Map.class, stats.get("memory"), stats::toString);
            for (String figure : List.of("heapUsedBytes", "heapCommittedBytes", "rssBytes", "perConnectionHeapBytes",
                    "perConnectionRssBytes", "kernelTcpBytes", "kernelBytesPerSocketEstimate")) {
                assertTrue(memory.containsKey(figure), () -> figure + " in " + memory);
            }
            assertTrue(assertInstanceOf(Long.class, memory.get("heapUsedBytes")) > 0, memory::toString);
            assertTrue(assertInstanceOf(Long.class, memory.get("heapCommittedBytes")) > 0, memory::toString);
        }
    }

    @Test
    void statsCountsPublishedAndDeliveredMessages() throws Exception {
        try (var client = server.connect()) {
            var before = client.get("/stats").json();
            String cursor = PollAnswer.of(client.get("/poll/counted?timeout=0")).cursor();
            server.publish("counted", "one");
            server.publish("counted", "two");
            assertEquals(2, PollAnswer.of(client.get("/poll/counted?timeout=5&since=" + cursor)).messages().size());
            var after = client.get("/stats").json();

            assertEquals(2L, (Long) after.get("published") - (Long) before.get("published"));
            assertEquals(2L, (Long) after.get("delivered") - (Long) before.get("delivered"));
        }
    }

    @Test
    void metricsAreInPrometheusTextFormat() throws Exception {
        try (var client = server.connect()) {
            var response = client.get("/metrics");

            assertEquals(200, response.status());
            assertTrue(response.header("Content-Type").startsWith("text/plain"), response::toString);
            for (String metric : List.of("loompush_connections", "loompush_held_polls", "loompush_channels",
                    "loompush_published_total", "loompush_delivered_total", "loompush_heap_used_bytes")) {
                assertTrue(response.text().lines().anyMatch(l -> l.matches(metric + " [0-9]+")),
                        () -> metric + " in\n" + response.text());
            }
        }
    }

    @Test
    void unknownPathIs404() throws Exception {
        try (var client = server.connect()) {
            for (String target : List.of("/", "/nope", "/poll", "/publish", "/healthz/extra", "/statsx")) {
                var response = client.get(target);
                assertEquals(404, response.status(), () -> target + " -> " + response);
                Errors.assertErrorBody(response);
            }
        }
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        try (var client = server.connect()) {
            assertMethodNotAllowed(client.post("/poll/x", ""), "GET, HEAD");
            assertMethodNotAllowed(client.get("/publish/x"), "POST");
            assertMethodNotAllowed(client.post("/healthz", ""), "GET, HEAD");
            assertMethodNotAllowed(client.post("/stats", ""), "GET, HEAD");
            assertMethodNotAllowed(client.post("/metrics", ""), "GET, HEAD");
            client.send("DELETE /poll/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertMethodNotAllowed(client.read(), "GET, HEAD");
        }
    }

    /**
     * HEAD is GET without the body (RFC 9110 section 9.3.2): the same status and
     * Content-Length, no body bytes, so the next request's answer is the next
     * thing on the connection.
     */
    @Test
    void headIsAnsweredLikeGetWithoutTheBody() throws Exception {
        try (var client = server.connect()) {
            int healthzLength = client.get("/healthz").body().length;
            for (String target : new String[] {"/healthz", "/poll/headed?timeout=0", "/nowhere"}) {
                client.send("HEAD " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                var head = client.readHeadAnswer();
                assertEquals(target.equals("/nowhere") ? 404 : 200, head.status(), target);
                assertTrue(Integer.parseInt(head.header("Content-Length")) > 0, target);
                if (target.equals("/healthz")) {
                    assertEquals(String.valueOf(healthzLength), head.header("Content-Length"));
                }
                var next = client.get("/healthz");
                assertEquals(200, next.status(), () -> "after HEAD " + target + ": " + next);
            }
            client.send("HEAD /publish/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertEquals(405, client.readHeadAnswer().status());
        }
    }

    private static void assertMethodNotAllowed(RawResponse response, String allow) {
        assertEquals(405, response.status(), response::toString);
        assertEquals(allow, response.header("Allow"), response::toString);
        Errors.assertErrorBody(response);
    }
}
