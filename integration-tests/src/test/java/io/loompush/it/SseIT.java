package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /sse/{channels}}: the poll's channels, cursors and gap rule as an event stream. */
class SseIT {
    private static final int HISTORY = 4;
    private static final String ORIGIN = "https://app.example.com";

    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start("--history", String.valueOf(HISTORY), "--heartbeat", "1s", "--allow-origin", ORIGIN);
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    /** Opens the stream, failing the test unless it is a 200 event stream. */
    private static SseEvents open(RawHttpClient client, String target, String... headers) throws IOException {
        client.sendGet(target, headers);
        var head = client.readOpening();
        assertEquals(200, head.status(), () -> "stream head: " + head);
        assertEquals("text/event-stream", head.header("Content-Type"));
        assertEquals("no-store", head.header("Cache-Control"));
        return new SseEvents(client.input());
    }

    private static List<String> publish(String channel, int count) throws IOException {
        var ids = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            ids.add(server.publish(channel, channel + ":" + i).id());
        }
        return ids;
    }

    private static void assertMessage(SseEvents.Event event, String channel, String id, String data) {
        assertEquals("message", event.type(), event::toString);
        var json = event.json();
        assertEquals(channel, json.get("channel"));
        assertEquals(id, json.get("id"));
        assertEquals(data, json.get("data"));
    }

    @Test
    void retainedMessagesComeFirstThenNewOnesEachWithItsIdAsTheEventId() throws Exception {
        List<String> ids = publish("s1", 3);
        try (var client = server.connect()) {
            var events = open(client, "/sse/s1?since=" + ids.get(0));
            for (int i = 1; i <= 2; i++) {
                var event = events.nextEvent();
                assertMessage(event, "s1", ids.get(i), "s1:" + i);
                assertEquals(ids.get(i), event.id(), "a one-channel cursor is the message's id");
            }
            String next = server.publish("s1", "live").id();
            var live = events.nextEvent();
            assertMessage(live, "s1", next, "live");
            assertEquals(next, live.id());
        }
    }

    @Test
    void withoutACursorOnlyWhatIsPublishedAfterTheRequestComes() throws Exception {
        publish("s2", 2);
        try (var client = server.connect()) {
            var events = open(client, "/sse/s2");
            String id = server.publish("s2", "after").id();
            assertMessage(events.nextEvent(), "s2", id, "after");
        }
    }

    @Test
    void lastEventIdResumesExactlyAfterThatEvent() throws Exception {
        List<String> ids = publish("s3", 3);
        try (var client = server.connect()) {
            var events = open(client, "/sse/s3", "Last-Event-ID: " + ids.get(1));
            assertMessage(events.nextEvent(), "s3", ids.get(2), "s3:2");
        }
    }

    /** EventSource reconnects to the address it was given, since and all, with the last event's id in the header. */
    @Test
    void lastEventIdWinsOverSinceAsAnEventSourceReconnects() throws Exception {
        List<String> ids = publish("s4", 3);
        try (var client = server.connect()) {
            var events = open(client, "/sse/s4?since=" + ids.get(0), "Last-Event-ID: " + ids.get(1));
            assertMessage(events.nextEvent(), "s4", ids.get(2), "s4:2");
        }
    }

    @Test
    void aMultiChannelStreamGivesEveryEventTheCursorJustAfterItsMessage() throws Exception {
        String cursor;
        try (var client = server.connect()) {
            cursor = PollAnswer.of(client.get("/poll/mx,my?timeout=0")).cursor();
        }
        String x0 = server.publish("mx", "x0").id();
        String y0 = server.publish("my", "y0").id();
        String x1 = server.publish("mx", "x1").id();
        var seen = new ArrayList<SseEvents.Event>();
        try (var client = server.connect()) {
            var events = open(client, "/sse/mx,my?since=" + cursor);
            for (int i = 0; i < 3; i++) {
                seen.add(events.nextEvent());
            }
        }
        assertMessage(seen.get(0), "mx", x0, "x0");
        assertMessage(seen.get(1), "my", y0, "y0");
        assertMessage(seen.get(2), "mx", x1, "x1");
        try (var client = server.connect()) {
            var events = open(client, "/sse/mx,my", "Last-Event-ID: " + seen.get(1).id());
            assertMessage(events.nextEvent(), "mx", x1, "x1");
        }
        try (var client = server.connect()) {
            var rest = PollAnswer.of(client.get("/poll/mx,my?timeout=0&since=" + seen.get(2).id()));
            assertEquals(List.of(), rest.messages(), "the last event's id is the cursor after everything");
            assertEquals(false, rest.gap());
        }
    }

    @Test
    void aCursorOlderThanTheHistoryGivesOneGapEventBeforeTheFirstMessageAfterIt() throws Exception {
        List<String> ids = publish("g1", 1 + 2 * HISTORY);
        SseEvents.Event gap;
        try (var client = server.connect()) {
            var events = open(client, "/sse/g1?since=" + ids.get(0));
            gap = events.nextEvent();
            assertEquals("gap", gap.type(), gap::toString);
            assertEquals(List.of("g1"), gap.json().get("channels"));
            for (int i = 1 + HISTORY; i <= 2 * HISTORY; i++) {
                assertMessage(events.nextEvent(), "g1", ids.get(i), "g1:" + i);
            }
        }
        try (var client = server.connect()) {
            var events = open(client, "/sse/g1", "Last-Event-ID: " + gap.id());
            var first = events.nextEvent();
            assertMessage(first, "g1", ids.get(1 + HISTORY), "g1:" + (1 + HISTORY));
        }
    }

    @Test
    void anIdleStreamGetsAHeartbeatComment() throws Exception {
        try (var client = RawHttpClient.connect(server.port(), Duration.ofSeconds(5))) {
            var events = open(client, "/sse/quiet");
            long start = System.nanoTime();
            assertTrue(events.next().comment());
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waited >= 500 && waited < 2_500, "a comment after a heartbeat of 1 s, not " + waited + " ms");
        }
    }

    @Test
    void anAllowedOriginGetsCorsHeaders() throws Exception {
        try (var client = server.connect()) {
            client.sendGet("/sse/web", "Origin: " + ORIGIN);
            var head = client.readOpening();
            assertEquals(ORIGIN, head.header("Access-Control-Allow-Origin"));
            assertEquals("Origin", head.header("Vary"));
        }
    }

    @Test
    void aClientThatClosesIsLetGoAtOnce() throws Exception {
        try (var client = server.connect()) {
            open(client, "/sse/leaving");
            server.stats().awaitUntil("the stream open", s -> Stats.streams(s, "sse") == 1, Duration.ofSeconds(5));
        }
        server.stats().awaitUntil("the stream let go", s -> Stats.streams(s, "sse") == 0, Duration.ofSeconds(1));
    }

    @Test
    void headGetsTheStreamHeadAndTheConnectionEnds() throws Exception {
        try (var client = server.connect()) {
            client.send("HEAD /sse/h HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            var head = client.readOpening();
            assertEquals(200, head.status());
            assertEquals("text/event-stream", head.header("Content-Type"));
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void aBadCursorIs400AndNoStream() throws Exception {
        try (var client = server.connect()) {
            client.sendGet("/sse/bad?since=not-a-cursor");
            var answer = client.readOpening();
            assertEquals(400, answer.status());
            assertTrue(answer.json().get("error").toString().startsWith("bad cursor"), answer::toString);
        }
    }

    @Test
    void aDrainEndsTheStream() throws Exception {
        try (var own = TestServer.start(); var client = own.connect()) {
            var events = open(client, "/sse/draining");
            own.stats().awaitUntil("the stream open", s -> Stats.streams(s, "sse") == 1, Duration.ofSeconds(5));
            own.drain();
            assertThrows(EOFException.class, events::next);
        }
    }
}
