package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /dashboard}, the server's own page of its figures, in headless
 * Chromium, and who may read those figures: loopback or the publish token,
 * as for publish, on {@code /stats} and {@code /metrics} alike; the page and
 * {@code /loompush.js} hold no figure and are anyone's, cacheable by ETag.
 */
class DashboardIT {
    private static final String TOKEN = "dashboard-test-token-0123456789";
    private static final int POLLS = 1000;
    private static final int SSE = 3;
    private static final int WS = 2;
    private static final int MESSAGES = 100;
    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final Path TARGET = Path.of(System.getProperty("loompush.browser.dir", "target/browser"));
    /** The figures that stay put once the load is in place: the dashboard must show what /stats says. */
    private static final List<String> STEADY = List.of("connections", "held", "streams.sse", "streams.ws",
            "published", "delivered", "channels", "mailboxes", "historyEntries", "draining",
            "redis.connected", "redis.subscribedChannels", "redis.wantedChannels", "redis.reconnects");

    /**
     * A node in Redis mode under a known load: {@value #POLLS} held polls (enough for the
     * per-connection figures), {@value #SSE} SSE streams and {@value #WS} WebSockets on a channel
     * that gets {@value #MESSAGES} messages at 25 a second. The page must show those numbers, and
     * every steady figure as /stats gives it; its screenshot is {@code target/browser/DashboardIT.png}.
     */
    @Test
    @Timeout(120)
    void theDashboardShowsWhatStatsSaysAfterAKnownLoad(@TempDir Path dir) throws Exception {
        var sockets = new ArrayList<AutoCloseable>();
        try (var redis = RedisFixture.running();
             var node = ServerProcess.start(dir.resolve("node.log"), "--redis", redis.url(), "--heartbeat", "120s");
             var stats = new Stats(node.port());
             var browser = Browser.start(TARGET.resolve("chromedriver.log"), 1280, 800)) {
            try {
                browser.open(URI.create("http://127.0.0.1:" + node.port() + "/dashboard"));
                for (int i = 0; i < POLLS; i++) {
                    sockets.add(request(node.port(), "/poll/quiet?timeout=110"));
                }
                for (int i = 0; i < SSE; i++) {
                    sockets.add(request(node.port(), "/sse/news"));
                }
                for (int i = 0; i < WS; i++) {
                    sockets.add(WsConnection.open(RawHttpClient.connect(node.port()), "/ws/news"));
                }
                stats.awaitUntil("the load in place", s -> s.get("held").equals((long) POLLS)
                        && s.get("streams").equals(Map.of("sse", (long) SSE, "ws", (long) WS))
                        && Stats.redis(s, "subscribedChannels") == 2, WITHIN);
                try (var publisher = RawHttpClient.connect(node.port())) {
                    for (int i = 0; i < MESSAGES; i++) {
                        assertEquals(200, publisher.post("/publish/news", "news " + i).status());
                        Thread.sleep(40);
                    }
                }
                stats.awaitUntil("every message written to every stream",
                        s -> s.get("delivered").equals((long) MESSAGES * (SSE + WS)), WITHIN);

                var shown = browser.awaitJson("the dashboard shows the load", "window.dashboard.shown",
                        d -> Long.valueOf(POLLS).equals(d.get("held")) && Long.valueOf(SSE).equals(d.get("streams.sse"))
                                && Long.valueOf(WS).equals(d.get("streams.ws"))
                                && Long.valueOf(MESSAGES).equals(d.get("published"))
                                && Long.valueOf(MESSAGES * (SSE + WS)).equals(d.get("delivered")),
                        WITHIN);
                var matched = awaitMatch(browser, stats);
                var drawn = browser.json("window.dashboard.stats");
                @SuppressWarnings("unchecked")
                var memory = (Map<String, Object>) drawn.get("memory");
                var text = browser.json("Object.fromEntries([...document.querySelectorAll('[data-figure]')]"
                        + ".map(e => [e.dataset.figure, e.textContent]))");
                assertAll(
                        () -> assertEquals(matched.get("stats"), matched.get("shown"), "the steady figures"),
                        () -> assertNotNull(memory.get("perConnectionRssBytes"), "per connection from 1,000 on"),
                        () -> assertEquals(memory.get("perConnectionHeapBytes"),
                                shown.get("memory.perConnectionHeapBytes"), "the figure it read is the one shown"),
                        () -> assertEquals(memory.get("kernelBytesPerSocketEstimate"),
                                shown.get("memory.kernelBytesPerSocketEstimate")),
                        () -> assertEquals("1,000", text.get("held"), text::toString),
                        () -> assertEquals("500", text.get("delivered"), text::toString),
                        () -> assertEquals("connected", text.get("redis.connected"), text::toString));
                // A few more readings, so that the charts show the load coming and the messages going.
                Thread.sleep(5000);
            } finally {
                try {
                    browser.screenshot(TARGET.resolve("DashboardIT.png"));
                } finally {
                    for (var socket : sockets) {
                        socket.close();
                    }
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void withAPublishTokenTheFiguresNeedItAndThePageAsksForIt() throws Exception {
        try (var server = TestServer.start("--publish-token", TOKEN);
             var client = server.connect();
             var browser = Browser.start(TARGET.resolve("chromedriver.log"), 1280, 800)) {
            for (String path : List.of("/stats", "/metrics")) {
                var refused = client.get(path);
                assertEquals(401, refused.status(), path + ": " + refused);
                assertEquals("Bearer", refused.header("WWW-Authenticate"));
                assertEquals(200, client.get(path, "Authorization: Bearer " + TOKEN).status(), path);
                assertEquals(401, client.get(path, "Authorization: Bearer wrong").status(), path);
            }

            String dashboard = "http://127.0.0.1:" + server.port() + "/dashboard";
            browser.open(URI.create(dashboard));
            browser.awaitJson("the page says /stats refused it and shows its form",
                    "({status: document.getElementById('status').textContent,"
                            + " form: getComputedStyle(document.getElementById('login')).display})",
                    s -> s.get("status").toString().startsWith("/stats: 401") && s.get("form").equals("block"),
                    WITHIN);
            browser.json("(document.querySelector('#login input').value = '" + TOKEN + "',"
                    + " document.querySelector('#login button').click(), {})");
            awaitFigures(browser);

            browser.json("(sessionStorage.clear(), {})");
            browser.open(URI.create("about:blank"));
            browser.open(URI.create(dashboard + "#token=" + TOKEN));
            awaitFigures(browser);
            assertEquals("", browser.json("({hash: location.hash})").get("hash"),
                    "the token leaves the address bar");
        }
    }

    @Test
    void withoutAPublishTokenTheFiguresAreForLoopbackAndNotThroughAProxy() throws Exception {
        try (var server = TestServer.start(); var client = server.connect()) {
            assertEquals(200, client.get("/stats").status());
            for (String path : List.of("/stats", "/metrics")) {
                for (String header : List.of("X-Forwarded-For: 203.0.113.7", "Forwarded: for=203.0.113.7")) {
                    var refused = client.get(path, header);
                    assertEquals(403, refused.status(), path + " " + header + ": " + refused);
                    assertEquals(Map.of("error", path + " through a proxy needs --publish-token"), refused.json());
                }
            }
        }
    }

    @Test
    void thePageAndTheClientAreAnyonesAndCacheable() throws Exception {
        try (var server = TestServer.start("--publish-token", TOKEN); var client = server.connect()) {
            var page = client.get("/dashboard");
            assertEquals(200, page.status());
            assertEquals("text/html; charset=utf-8", page.header("Content-Type"));
            assertTrue(page.header("Content-Security-Policy").contains("connect-src 'self'"), page::toString);

            var js = client.get("/loompush.js");
            String etag = js.header("ETag");
            assertAll(
                    () -> assertEquals(200, js.status()),
                    () -> assertEquals("text/javascript; charset=utf-8", js.header("Content-Type")),
                    () -> assertEquals("no-cache", js.header("Cache-Control")),
                    () -> assertEquals("*", js.header("Access-Control-Allow-Origin")),
                    () -> assertTrue(etag != null && etag.matches("\"[0-9a-f]{24}\""), js::toString),
                    () -> assertTrue(js.text().contains("export function subscribe(channels, options = {})")));

            // A 304 has no body whatever its Content-Length says (the 200's, RFC 9110 section 8.6).
            client.sendGet("/loompush.js", "If-None-Match: " + etag);
            var unchanged = client.readHeadAnswer();
            assertEquals(304, unchanged.status(), unchanged::toString);
            assertEquals(String.valueOf(js.body().length), unchanged.header("Content-Length"));
            assertEquals(etag, unchanged.header("ETag"));

            client.send("HEAD /loompush.js HTTP/1.1\r\nHost: localhost\r\n\r\n");
            var head = client.readHeadAnswer();
            assertEquals(200, head.status());
            assertEquals(String.valueOf(js.body().length), head.header("Content-Length"));
            assertEquals(etag, head.header("ETag"));

            assertEquals(200, client.get("/dashboard.js").status(), "the connection is still good after 304 and HEAD");
            assertEquals(405, client.post("/loompush.js", "").status());
        }
    }

    /** Reads /stats and the page until the steady figures agree, as both move on once a second. */
    private static Map<String, Object> awaitMatch(Browser browser, Stats stats) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            var fromStats = steady(stats.read());
            var shown = browser.json("window.dashboard.shown");
            var fromPage = new LinkedHashMap<String, Object>();
            STEADY.forEach(name -> fromPage.put(name, shown.get(name)));
            if (fromStats.equals(fromPage) || System.nanoTime() > deadline) {
                return Map.of("stats", fromStats, "shown", fromPage);
            }
            Thread.sleep(200);
        }
    }

    private static Map<String, Object> steady(Map<String, Object> stats) {
        var figures = new LinkedHashMap<String, Object>();
        for (String name : STEADY) {
            Object value = stats;
            for (String key : name.split("\\.")) {
                value = value instanceof Map<?, ?> m ? m.get(key) : null;
            }
            figures.put(name, value);
        }
        return figures;
    }

    private static void awaitFigures(Browser browser) throws InterruptedException {
        browser.awaitJson("the figures on the page", "window.dashboard.shown",
                d -> d.get("connections") instanceof Long n && n >= 1, WITHIN);
    }

    /** A request on a socket of its own, left open: a held poll, an SSE stream. */
    private static Socket request(int port, String target) throws IOException {
        var socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return socket;
    }
}
