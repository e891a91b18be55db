package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's own JavaScript client, {@code /loompush.js}, in headless
 * Chromium. A page of another origin ({@code browser/client.html}) imports the
 * module from the server and subscribes to one channel once per transport
 * setting: {@code ws}, {@code sse}, {@code poll}, and {@code auto} (WebSocket,
 * then SSE, then long-poll). The tests publish and read what each subscription
 * was given, through the page's {@code window.record}; each saves the page's
 * last state as {@code target/browser/LoompushJsIT-<test>.png}.
 */
class LoompushJsIT {
    private static final String CHANNEL = "js";
    private static final List<String> ALL = List.of("ws", "sse", "poll", "auto");
    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final Duration SPACING = Duration.ofMillis(20);
    private static final Path TARGET = Path.of(System.getProperty("loompush.browser.dir", "target/browser"));

    @Test
    @Timeout(90)
    void everyTransportDeliversEveryMessageInOrderAndUnsubscribeReleasesItsConnection() throws Exception {
        try (var pages = PageServer.start();
             var server = TestServer.start("--allow-origin", pages.origin());
             var browser = Browser.start(TARGET.resolve("chromedriver.log"), 1100, 400)) {
            try {
                open(browser, pages, "http://127.0.0.1:" + server.port(), ALL);
                server.stats().awaitUntil("the poll held, an SSE stream and two WebSockets open",
                        s -> s.get("held").equals(1L) && s.get("streams").equals(Map.of("sse", 1L, "ws", 2L)),
                        WITHIN);
                var ids = new ArrayList<String>();
                for (int i = 0; i < 30; i++) {
                    ids.add(server.publish(CHANNEL, CHANNEL + ":" + i).id());
                    Thread.sleep(SPACING);
                }
                var record = awaitMessages(browser, ALL, ids.size());

                var checks = new ArrayList<Executable>();
                for (String name : ALL) {
                    var s = subscription(record, name);
                    String expected = name.equals("auto") ? "ws" : name;
                    checks.add(() -> assertEquals(expected(30), s.data(), name + ": every message, in order; " + s));
                    checks.add(() -> assertEquals(ids, s.ids(), name + ": the ids the publishes answered; " + s));
                    checks.add(() -> assertEquals(List.of(), s.gaps(), name + ": no gap; " + s));
                    checks.add(() -> assertEquals(List.of(expected), s.opened(), name + ": one connection; " + s));
                }
                assertAll(checks.stream());

                browser.json("(window.unsubscribeAll(), {})");
                server.stats().awaitUntil("no poll held and no stream open after unsubscribe()",
                        s -> s.get("held").equals(0L) && s.get("streams").equals(Map.of("sse", 0L, "ws", 0L))
                                && s.get("mailboxes").equals(0L),
                        WITHIN);
                var closed = browser.json("window.record");
                assertTrue(ALL.stream().allMatch(n -> subscription(closed, n).state().equals("closed")),
                        closed::toString);
            } finally {
                browser.screenshot(TARGET.resolve("LoompushJsIT-transports.png"));
            }
        }
    }

    @Test
    @Timeout(90)
    void fallsBackToSseWhenAProxyRefusesTheWebSocketUpgradeAndToLongPollWhenItRefusesSseToo() throws Exception {
        try (var pages = PageServer.start();
             var server = TestServer.start("--allow-origin", pages.origin());
             var noWebSocket = RefusingProxy.start(server.port(), Set.of(RefusingProxy.Refuse.WEBSOCKET));
             var noStreams = RefusingProxy.start(server.port(),
                     Set.of(RefusingProxy.Refuse.WEBSOCKET, RefusingProxy.Refuse.SSE));
             var browser = Browser.start(TARGET.resolve("chromedriver.log"), 1100, 400)) {
            try {
                for (var proxy : List.of(noWebSocket, noStreams)) {
                    String landsOn = proxy == noWebSocket ? "sse" : "poll";
                    open(browser, pages, proxy.address(), List.of("auto"));
                    awaitRecord(browser, "auto fell back to " + landsOn,
                            r -> landsOn.equals(subscription(r, "auto").transport()));
                    var ids = new ArrayList<String>();
                    for (int i = 0; i < 10; i++) {
                        ids.add(server.publish(CHANNEL, CHANNEL + ":" + i).id());
                        Thread.sleep(SPACING);
                    }
                    var s = subscription(awaitMessages(browser, List.of("auto"), 10), "auto");

                    assertAll(
                            () -> assertEquals(expected(10), s.data(), landsOn + ": every message, in order; " + s),
                            () -> assertEquals(ids, s.ids(), s::toString),
                            () -> assertEquals(List.of(landsOn), s.opened(), "only " + landsOn + " opened; " + s),
                            () -> assertEquals(List.of(), s.gaps(), s::toString),
                            () -> assertTrue(proxy.refusedUpgrades.get() >= 1, "the proxy refused the upgrade"),
                            () -> assertEquals(landsOn.equals("poll"), proxy.refusedStreams.get() >= 1,
                                    "the proxy refused the SSE request when told to"));
                    if (proxy == noWebSocket) {
                        browser.screenshot(TARGET.resolve("LoompushJsIT-fallback-sse.png"));
                    }
                }
            } finally {
                browser.screenshot(TARGET.resolve("LoompushJsIT-fallback-poll.png"));
            }
        }
    }

    /**
     * With {@code remember}, the cursor outlives the page: a page that is left, and opened again
     * after more messages came, gets those first, on every transport.
     */
    @Test
    @Timeout(60)
    void aPageOpenedAgainResumesFromTheCursorItRemembered() throws Exception {
        try (var pages = PageServer.start();
             var server = TestServer.start("--allow-origin", pages.origin());
             var browser = Browser.start(TARGET.resolve("chromedriver.log"), 1100, 400)) {
            var page = pages.page("client.html", Map.of("server", "http://127.0.0.1:" + server.port(),
                    "channel", CHANNEL, "subscriptions", "ws,sse,poll", "remember", "loompush-it"));
            var names = List.of("ws", "sse", "poll");
            browser.open(page);
            server.stats().awaitUntil("the poll held, the SSE stream and the WebSocket open",
                    s -> s.get("held").equals(1L) && s.get("streams").equals(Map.of("sse", 1L, "ws", 1L)), WITHIN);
            for (int i = 0; i < 5; i++) {
                server.publish(CHANNEL, CHANNEL + ":" + i);
            }
            awaitMessages(browser, names, 5);

            browser.open(URI.create("about:blank"));
            server.stats().awaitUntil("the page's connections gone",
                    s -> s.get("held").equals(0L) && s.get("streams").equals(Map.of("sse", 0L, "ws", 0L)), WITHIN);
            for (int i = 5; i < 10; i++) {
                server.publish(CHANNEL, CHANNEL + ":" + i);
            }
            browser.open(page);
            var record = awaitMessages(browser, names, 5);
            browser.screenshot(TARGET.resolve("LoompushJsIT-remember.png"));

            for (String name : names) {
                var s = subscription(record, name);
                assertEquals(expected(10).subList(5, 10), s.data(), name + ": what came while away; " + s);
                assertEquals(List.of(), s.gaps(), name + ": no gap; " + s);
            }
        }
    }

    /**
     * With tokens on, each transport carries the token, and when the server ends a subscription at
     * its token's expiry (the held poll answered, then 401; the SSE stream ended; the WebSocket
     * closed with 1008) the client asks its {@code token()} for a fresh one and goes on, losing nothing.
     */
    @Test
    @Timeout(60)
    void anExpiredTokenIsReplacedByAFreshOneOnEveryTransport() throws Exception {
        String secret = "loompush-js-it-secret-0123456789abcdef";
        String expiring = Jwt.hs256(secret, Jwt.claims(Jwt.nowSeconds() + 5, CHANNEL));
        String fresh = Jwt.hs256(secret, Jwt.claims(Jwt.nowSeconds() + 120, CHANNEL));
        var names = List.of("ws", "sse", "poll");
        try (var pages = PageServer.start();
             var server = TestServer.start("--allow-origin", pages.origin(), "--auth-jwt-secret", secret);
             var browser = Browser.start(TARGET.resolve("chromedriver.log"), 1100, 400)) {
            try {
                browser.open(pages.page("client.html", Map.of("server", "http://127.0.0.1:" + server.port(),
                        "channel", CHANNEL, "subscriptions", String.join(",", names),
                        "tokens", expiring + "," + fresh)));
                server.stats().awaitUntil("the poll held, the SSE stream and the WebSocket open",
                        s -> s.get("held").equals(1L) && s.get("streams").equals(Map.of("sse", 1L, "ws", 1L)),
                        WITHIN);
                for (int i = 0; i < 3; i++) {
                    server.publish(CHANNEL, CHANNEL + ":" + i);
                }
                awaitMessages(browser, names, 3);
                awaitRecord(browser, "every subscription asked for a fresh token and is open again",
                        r -> names.stream().map(n -> subscription(r, n))
                                .allMatch(s -> s.tokenCalls() >= 2 && s.state().equals("open")));
                server.stats().awaitUntil("the poll held, the SSE stream and the WebSocket open again",
                        s -> s.get("held").equals(1L) && s.get("streams").equals(Map.of("sse", 1L, "ws", 1L)),
                        WITHIN);
                for (int i = 3; i < 6; i++) {
                    server.publish(CHANNEL, CHANNEL + ":" + i);
                }
                var record = awaitMessages(browser, names, 6);

                var checks = new ArrayList<Executable>();
                for (String name : names) {
                    var s = subscription(record, name);
                    checks.add(() -> assertEquals(expected(6), s.data(), name + ": every message; " + s));
                    checks.add(() -> assertEquals(List.of(), s.gaps(), name + ": no gap; " + s));
                    checks.add(() -> assertEquals(2L, s.tokenCalls(), name + ": one fresh token; " + s));
                }
                checks.add(() -> assertTrue(subscription(record, "ws").errors().contains("ws: closed 1008"),
                        "the WebSocket closed with 1008 at the token's expiry; " + subscription(record, "ws")));
                assertAll(checks.stream());
            } finally {
                browser.screenshot(TARGET.resolve("LoompushJsIT-token.png"));
            }
        }
    }

    /**
     * Redis mode, as in BrowserIT: the node is stopped (SIGTERM) under the
     * subscriptions, messages go into Redis while no node runs, and a new node
     * starts on the same port. Every subscription resumes by its cursor, on its
     * transport, with every message and no gap.
     */
    @Test
    @Timeout(120)
    void everySubscriptionSurvivesANodeRestartWithNoLoss(@TempDir Path dir) throws Exception {
        restart(dir, false);
    }

    /**
     * The same restart, but while the node is down the test trims the channel's
     * stream (XTRIM) to its last 5 of 20 new messages: every subscription is
     * told of the gap once, then gets those 5 and what follows.
     */
    @Test
    @Timeout(120)
    void everySubscriptionReportsTheGapWhenTheHistoryIsTrimmedWhileItIsAway(@TempDir Path dir) throws Exception {
        restart(dir, true);
    }

    private static void restart(Path dir, boolean trim) throws Exception {
        int before = 10;
        int whileDown = trim ? 20 : 10;
        int kept = trim ? 5 : whileDown;
        int after = 10;
        String name = trim ? "gap" : "restart";
        try (var redis = RedisFixture.running();
             var pages = PageServer.start();
             var publisher = new StreamPublisher(redis);
             var browser = Browser.start(TARGET.resolve("chromedriver.log"), 1100, 400)) {
            String[] flags = {"--redis", redis.url(), "--allow-origin", pages.origin()};
            var nodes = new ArrayList<ServerProcess>();
            try {
                var first = ServerProcess.start(dir.resolve("first.log"), flags);
                nodes.add(first);
                open(browser, pages, "http://127.0.0.1:" + first.port(), ALL);
                try (var stats = new Stats(first.port())) {
                    stats.awaitUntil("the poll held, an SSE stream and two WebSockets open, on the channel",
                            s -> s.get("held").equals(1L) && s.get("streams").equals(Map.of("sse", 1L, "ws", 2L))
                                    && s.get("mailboxes").equals(4L) && Stats.redis(s, "subscribedChannels") == 1,
                            WITHIN);
                }
                var ids = new ArrayList<String>();
                publishSpaced(publisher, before, ids);
                var up = awaitMessages(browser, ALL, before);

                first.terminate();
                assertEquals(0, first.awaitExit(WITHIN), first::log);
                awaitRecord(browser, "every subscription lost its node and failed to connect again",
                        r -> ALL.stream().allMatch(n ->
                                subscription(r, n).errors().size() >= subscription(up, n).errors().size() + 2));
                for (int i = 0; i < whileDown; i++) {
                    ids.add(publisher.publish(CHANNEL));
                }
                if (trim) {
                    redis.jedis().xtrim("push:" + CHANNEL, kept, false);
                    ids.subList(before, before + whileDown - kept).clear();
                }
                var second = ServerProcess.startOn(first.port(), dir.resolve("second.log"), flags);
                nodes.add(second);
                awaitMessages(browser, ALL, before + kept);
                publishSpaced(publisher, after, ids);
                var record = awaitMessages(browser, ALL, ids.size());

                var expected = new ArrayList<>(StreamPublisher.expected(CHANNEL, before + whileDown + after));
                expected.subList(before, before + whileDown - kept).clear();
                var checks = new ArrayList<Executable>();
                for (String n : ALL) {
                    var s = subscription(record, n);
                    checks.add(() -> assertEquals(expected, s.data(), n + ": every message kept, in order; " + s));
                    checks.add(() -> assertEquals(ids, s.ids(), n + ": the ids the publishes answered; " + s));
                    if (trim) {
                        checks.add(() -> assertEquals(List.of((long) before), s.gaps().stream()
                                .map(g -> g.get("before")).toList(), n + ": one gap, after " + before + "; " + s));
                    } else {
                        checks.add(() -> assertEquals(List.of(), s.gaps(), n + ": no gap; " + s));
                    }
                    // auto tries ws, sse, poll in turn while the node is down: the node may come back on either.
                    checks.add(() -> assertEquals(n.equals("auto") ? List.of("ws", s.opened().getLast())
                            : List.of(n, n), s.opened(), n + ": connected twice; " + s));
                }
                assertAll(checks.stream());
            } finally {
                try {
                    browser.screenshot(TARGET.resolve("LoompushJsIT-" + name + ".png"));
                } finally {
                    nodes.forEach(ServerProcess::close);
                }
            }
        }
    }

    /** What the page kept for one subscription (see client.html). */
    record Subscription(String state, String transport, List<String> opened, List<String> data, List<String> ids,
                        List<Map<String, Object>> gaps, List<String> errors, long tokenCalls) {
        @SuppressWarnings("unchecked")
        static Subscription of(Map<String, Object> s) {
            return new Subscription((String) s.get("state"), (String) s.get("transport"),
                    (List<String>) s.get("opened"), (List<String>) s.get("data"), (List<String>) s.get("ids"),
                    (List<Map<String, Object>>) s.get("gaps"), (List<String>) s.get("errors"),
                    (Long) s.get("tokenCalls"));
        }
    }

    private static void open(Browser browser, PageServer pages, String server, List<String> subscriptions) {
        browser.open(pages.page("client.html",
                Map.of("server", server, "channel", CHANNEL, "subscriptions", String.join(",", subscriptions))));
    }

    private static List<String> expected(int count) {
        return Stream.iterate(0, i -> i + 1).limit(count).map(i -> CHANNEL + ":" + i).toList();
    }

    private static Subscription subscription(Map<String, Object> record, String name) {
        if (record.get("failed") instanceof String failure) {
            return fail("the page could not import /loompush.js: " + failure);
        }
        if (!(record.get(name) instanceof Map<?, ?> s)) {
            return fail("no subscription " + name + " in the page's record: " + record);
        }
        @SuppressWarnings("unchecked")
        var fields = (Map<String, Object>) s;
        return Subscription.of(fields);
    }

    private static Map<String, Object> awaitRecord(Browser browser, String what,
                                                   Predicate<Map<String, Object>> condition)
            throws InterruptedException {
        return browser.awaitJson(what, "window.record", condition, WITHIN);
    }

    private static Map<String, Object> awaitMessages(Browser browser, List<String> names, int count)
            throws InterruptedException {
        return awaitRecord(browser, "every subscription has " + count + " messages",
                r -> names.stream().allMatch(n -> subscription(r, n).data().size() >= count));
    }

    private static void publishSpaced(StreamPublisher publisher, int count, List<String> ids)
            throws InterruptedException {
        for (int i = 0; i < count; i++) {
            ids.add(publisher.publish(CHANNEL));
            Thread.sleep(SPACING);
        }
    }
}
