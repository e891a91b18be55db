package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * loompush in a real browser. A page from another origin
 * ({@code browser/subscribers.html}, served by a {@link PageServer}) subscribes
 * to one channel three ways at once: a {@code fetch()} long-poll loop, an
 * {@code EventSource} and a {@code WebSocket}. The test restarts the node under
 * them, in Redis mode: SIGTERM, messages published into Redis while no node
 * runs, a new node on the same port. Each subscriber resumes the way a page
 * does (the poll loop and the WebSocket with the last cursor as {@code since},
 * the EventSource by itself with {@code Last-Event-ID}) and must end with every
 * message, in order, once, and never a gap: the protocol's promise to a client
 * that resumes by cursor. The page's last state is saved as
 * {@code target/browser/BrowserIT.png}.
 */
class BrowserIT {
    private static final String CHANNEL = "browser";
    private static final List<String> TRANSPORTS = List.of("poll", "sse", "ws");
    /** Messages published before the restart, while the node is down, and after it. */
    private static final int BEFORE = 20;
    private static final int WHILE_DOWN = 10;
    private static final int AFTER = 20;
    /** Between two publishes of the live part: each message travels on its own. */
    private static final Duration SPACING = Duration.ofMillis(20);
    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final Path TARGET = Path.of(System.getProperty("loompush.browser.dir", "target/browser"));

    @Test
    @Timeout(120)
    void everySubscriberGetsEveryMessageInOrderWithoutAGapAcrossANodeRestart(@TempDir Path dir) throws Exception {
        try (var redis = RedisFixture.running();
             var pages = PageServer.start();
             var publisher = new StreamPublisher(redis);
             var browser = Browser.start(TARGET.resolve("chromedriver.log"), 1100, 560)) {
            String[] flags = {"--redis", redis.url(), "--allow-origin", pages.origin()};
            var nodes = new ArrayList<ServerProcess>();
            try {
                var first = ServerProcess.start(dir.resolve("first.log"), flags);
                nodes.add(first);
                browser.open(pages.page("subscribers.html",
                        Map.of("server", "http://127.0.0.1:" + first.port(), "channel", CHANNEL)));
                // Each starts without a cursor, at its arrival: the first message waits until the node has all three.
                try (var stats = new Stats(first.port())) {
                    stats.awaitUntil("the poll held, the EventSource and the WebSocket open, all on the channel",
                            s -> s.get("held").equals(1L) && s.get("streams").equals(Map.of("sse", 1L, "ws", 1L))
                                    && s.get("mailboxes").equals(3L) && Stats.redis(s, "subscribedChannels") == 1,
                            WITHIN);
                }
                var ids = new ArrayList<String>();
                publishSpaced(publisher, BEFORE, ids);
                var before = awaitMessages(browser, BEFORE);

                first.terminate();
                assertEquals(0, first.awaitExit(WITHIN), first::log);
                for (int i = 0; i < WHILE_DOWN; i++) {
                    ids.add(publisher.publish(CHANNEL));
                }
                awaitRecord(browser, "every subscriber tried the stopped node again and failed",
                        r -> TRANSPORTS.stream().allMatch(t ->
                                subscriber(r, t).errors().size() >= subscriber(before, t).errors().size() + 2));
                var second = ServerProcess.startOn(first.port(), dir.resolve("second.log"), flags);
                nodes.add(second);
                awaitMessages(browser, BEFORE + WHILE_DOWN);
                publishSpaced(publisher, AFTER, ids);
                var record = awaitMessages(browser, ids.size());

                var expected = StreamPublisher.expected(CHANNEL, ids.size());
                var checks = new ArrayList<Executable>();
                for (String transport : TRANSPORTS) {
                    var s = subscriber(record, transport);
                    checks.add(() -> assertEquals(expected, s.data(), transport + ": every message, in order, once; "
                            + s));
                    checks.add(() -> assertEquals(ids, s.ids(), transport + ": the ids the publishes answered; " + s));
                    checks.add(() -> assertEquals(List.of(), s.gaps(), transport + ": no gap; " + s));
                }
                var sse = subscriber(record, "sse");
                var ws = subscriber(record, "ws");
                checks.add(() -> assertTrue(sse.connects() >= 2, "the EventSource reconnected by itself; " + sse));
                checks.add(() -> assertEquals(Optional.of(1001L), ws.closes().stream().findFirst(),
                        "the drain closed the WebSocket with 1001, going away; " + ws));
                assertAll(checks.stream());
            } finally {
                try {
                    browser.screenshot(TARGET.resolve("BrowserIT.png"));
                } finally {
                    nodes.forEach(ServerProcess::close);
                }
            }
        }
    }

    /** What the page kept for one transport (see subscribers.html). */
    record Subscriber(String state, long connects, List<String> data, List<String> ids, List<Object> gaps,
                      List<String> errors, List<Long> closes) {
        @SuppressWarnings("unchecked")
        static Subscriber of(Map<String, Object> s) {
            return new Subscriber((String) s.get("state"), (Long) s.get("connects"), (List<String>) s.get("data"),
                    (List<String>) s.get("ids"), (List<Object>) s.get("gaps"), (List<String>) s.get("errors"),
                    (List<Long>) s.get("closes"));
        }
    }

    private static Subscriber subscriber(Map<String, Object> record, String transport) {
        if (!(record.get(transport) instanceof Map<?, ?> s)) {
            return fail("no " + transport + " subscriber in the page's record: " + record);
        }
        @SuppressWarnings("unchecked")
        var fields = (Map<String, Object>) s;
        return Subscriber.of(fields);
    }

    private static Map<String, Object> awaitRecord(Browser browser, String what,
                                                   Predicate<Map<String, Object>> condition)
            throws InterruptedException {
        return browser.awaitJson(what, "window.record", r -> {
            var sse = subscriber(r, "sse");
            if (sse.state().equals("gave up")) {
                fail("the EventSource gave up: an answer that was not a 200 event stream; " + sse);
            }
            return condition.test(r);
        }, WITHIN);
    }

    /** Waits until every subscriber has at least this many messages. */
    private static Map<String, Object> awaitMessages(Browser browser, int count) throws InterruptedException {
        return awaitRecord(browser, "every subscriber has " + count + " messages",
                r -> TRANSPORTS.stream().allMatch(t -> subscriber(r, t).data().size() >= count));
    }

    /** Publishes the channel's next messages one at a time, keeping the ids. */
    private static void publishSpaced(StreamPublisher publisher, int count, List<String> ids)
            throws InterruptedException {
        for (int i = 0; i < count; i++) {
            ids.add(publisher.publish(CHANNEL));
            Thread.sleep(SPACING);
        }
    }
}
