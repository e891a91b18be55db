package io.loompush.it;

import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.mapping;
import static java.util.stream.Collectors.toList;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loompush.it.PollAnswer.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A cursor gets exactly the messages after it, on one channel or several, and only for its own channels. */
class CursorIT {
    /** The server's default --history. */
    private static final int HISTORY = 64;

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
    void messageIdAsSinceGetsExactlyTheMessagesAfterIt() throws Exception {
        List<String> ids = publishNumbered("carol", 5);
        try (var client = server.connect()) {
            var answer = PollAnswer.of(client.get("/poll/carol?timeout=5&since=" + ids.get(1)));

            assertEquals(List.of(message("carol", ids, 3), message("carol", ids, 4), message("carol", ids, 5)),
                    answer.messages());
            assertFalse(answer.gap());
        }
    }

    @Test
    void lastEventIdHeaderWorksLikeSince() throws Exception {
        List<String> ids = publishNumbered("dave", 5);
        try (var client = server.connect()) {
            var answer = PollAnswer.of(client.get("/poll/dave?timeout=5", "Last-Event-ID: " + ids.get(1)));

            assertEquals(List.of("m3", "m4", "m5"), answer.data());
            assertEquals(ids.subList(2, 5), answer.ids());
            assertFalse(answer.gap());
        }
    }

    @Test
    void maxLimitsTheAnswerAndItsCursorContinuesFromThere() throws Exception {
        List<String> ids = publishNumbered("erin", 5);
        try (var client = server.connect()) {
            var first = PollAnswer.of(client.get("/poll/erin?timeout=5&max=2&since=" + ids.get(1)));
            var second = PollAnswer.of(client.get("/poll/erin?timeout=5&max=2&since=" + first.cursor()));
            var third = PollAnswer.of(client.get("/poll/erin?timeout=0&max=2&since=" + second.cursor()));

            assertEquals(ids.subList(2, 4), first.ids());
            assertEquals(List.of(ids.get(4)), second.ids());
            assertEquals(List.of(), third.messages());
            assertFalse(first.gap() || second.gap() || third.gap());
        }
    }

    @Test
    void multiChannelPollGetsEveryChannelsMessagesAndItsCursorContinues() throws Exception {
        try (var client = server.connect()) {
            var start = PollAnswer.of(client.get("/poll/a,b,c?timeout=0"));
            var a1 = server.publish("a", "a1");
            var b1 = server.publish("b", "b1");
            var c1 = server.publish("c", "c1");
            var a2 = server.publish("a", "a2");
            server.publish("elsewhere", "not polled");

            var first = PollAnswer.of(client.get("/poll/a,b,c?timeout=5&since=" + start.cursor()));

            assertEquals(Map.of("a", List.of(a1.id(), a2.id()), "b", List.of(b1.id()), "c", List.of(c1.id())),
                    idsByChannel(first));
            assertFalse(first.gap());

            var b2 = server.publish("b", "b2");
            var second = PollAnswer.of(client.get("/poll/a,b,c?timeout=5&since=" + first.cursor()));

            assertEquals(List.of(new Message("b", b2.id(), "b2", null)), second.messages());
            assertFalse(second.gap());
        }
    }

    @Test
    void maxCutsAMultiChannelAnswerAndItsCursorContinuesEveryChannel() throws Exception {
        try (var client = server.connect()) {
            var start = PollAnswer.of(client.get("/poll/s,t?timeout=0"));
            var s1 = server.publish("s", "s1");
            var t1 = server.publish("t", "t1");
            var s2 = server.publish("s", "s2");
            var t2 = server.publish("t", "t2");
            var s3 = server.publish("s", "s3");

            var seen = new ArrayList<Message>();
            String cursor = start.cursor();
            for (int poll = 0; poll < 3; poll++) {
                var answer = PollAnswer.of(client.get("/poll/s,t?timeout=5&max=2&since=" + cursor));
                assertTrue(answer.messages().size() <= 2, answer::toString);
                assertFalse(answer.gap());
                seen.addAll(answer.messages());
                cursor = answer.cursor();
            }
            var last = PollAnswer.of(client.get("/poll/s,t?timeout=0&max=2&since=" + cursor));

            var byChannel = idsByChannel(new PollAnswer(cursor, seen, false));
            assertEquals(Map.of("s", List.of(s1.id(), s2.id(), s3.id()), "t", List.of(t1.id(), t2.id())), byChannel);
            assertEquals(5, seen.size(), "each message exactly once: " + seen);
            assertEquals(List.of(), last.messages());
        }
    }

    @Test
    void heldMultiChannelPollIsAnsweredByAPublishOnAnyOfItsChannels() throws Exception {
        try (var poller = server.connect()) {
            poller.sendGet("/poll/x1,x2,x3?timeout=10");
            server.stats().awaitHeld(1, 3, Duration.ofSeconds(5));
            var published = server.publish("x2", "to the middle one");

            assertEquals(List.of(new Message("x2", published.id(), "to the middle one", null)),
                    PollAnswer.of(poller.read()).messages());
        }
    }

    @Test
    void multiChannelCursorDoesNotDependOnTheOrderOfTheChannels() throws Exception {
        try (var client = server.connect()) {
            var start = PollAnswer.of(client.get("/poll/p,q,r?timeout=0"));
            var q = server.publish("q", "q1");

            var answer = PollAnswer.of(client.get("/poll/r,q,p?timeout=5&since=" + start.cursor()));

            assertEquals(List.of(q.id()), answer.ids());
        }
    }

    @Test
    void cursorSentWithOtherChannelsIs400() throws Exception {
        try (var client = server.connect()) {
            String cursor = PollAnswer.of(client.get("/poll/a,b,c?timeout=0")).cursor();
            String singleChannelCursor = server.publish("a", "one").id();

            for (String target : List.of("/poll/a,b?timeout=0&since=" + cursor,
                    "/poll/a,b,d?timeout=0&since=" + cursor,
                    "/poll/a,b,c,d?timeout=0&since=" + cursor,
                    "/poll/a?timeout=0&since=" + cursor,
                    "/poll/a,b,c?timeout=0&since=" + singleChannelCursor)) {
                var response = client.get(target);
                assertEquals(400, response.status(), () -> target + " -> " + response);
                Errors.assertErrorBody(response);
            }
        }
    }

    @Test
    void unparseableCursorIs400() throws Exception {
        try (var client = server.connect()) {
            for (String cursor : List.of("garbage", "-1", "abc-", "ABC-1", "abc-1.2", "abc-%21")) {
                var response = client.get("/poll/carol?timeout=0&since=" + cursor);
                assertEquals(400, response.status(), () -> cursor + " -> " + response);
                Errors.assertErrorBody(response);
            }
            var tooLong = client.get("/poll/carol?timeout=0&since=abc-" + "1".repeat(4096));
            assertEquals(400, tooLong.status(), tooLong::toString);
        }
    }

    @Test
    void cursorJustInsideTheRetainedHistoryHasNoGapAndOneBeyondItHasAGap() throws Exception {
        List<String> ids = publishNumbered("frank", HISTORY + 2);
        try (var client = server.connect()) {
            var inside = PollAnswer.of(client.get("/poll/frank?timeout=5&max=1000&since=" + ids.get(1)));
            var beyond = PollAnswer.of(client.get("/poll/frank?timeout=5&max=1000&since=" + ids.get(0)));

            assertEquals(ids.subList(2, HISTORY + 2), inside.ids());
            assertFalse(inside.gap());
            assertEquals(ids.subList(2, HISTORY + 2), beyond.ids());
            assertTrue(beyond.gap(), "m1 was evicted from a history of " + HISTORY + ", so m2 may have been missed");
        }
    }

    @Test
    void cursorFromAnotherServerInstanceIsAnsweredAtOnceWithAGap() throws Exception {
        String foreignCursor;
        try (var previous = TestServer.start(); var client = previous.connect()) {
            previous.publish("gina", "lost with the restart");
            foreignCursor = PollAnswer.of(client.get("/poll/gina?timeout=0")).cursor();
        }
        var retained = server.publish("gina", "retained here");
        try (var client = server.connect()) {
            var answer = PollAnswer.of(client.get("/poll/gina?timeout=10&since=" + foreignCursor));

            assertTrue(answer.gap(), "a cursor of a server whose history is gone must say gap");
            assertEquals(List.of(retained.id()), answer.ids());
        }
    }

    /**
     * The history keeps 64: g5's twenty messages are all there, g4's hundred
     * are not, and answers of five carry g5's before g4's. The gap is g4's, so
     * the one answer that says so is the one that moves g4 past it; those that
     * carry only g5's do not.
     */
    @Test
    void aTrimmedChannelOfAMultiChannelPollIsOneGapEvenWhenMaxCutsItsMessages() throws Exception {
        publishNumbered("g4", 1);
        publishNumbered("g5", 1);
        try (var client = server.connect()) {
            String cursor = PollAnswer.of(client.get("/poll/g4,g5?timeout=0")).cursor();
            publishNumbered("g5", 20);
            publishNumbered("g4", 100);
            var gaps = new ArrayList<Integer>();
            for (int answer = 1; answer <= 30; answer++) {
                var next = PollAnswer.of(client.get("/poll/g4,g5?timeout=0&max=5&since=" + cursor));
                if (next.messages().isEmpty()) {
                    break;
                }
                if (next.gap()) {
                    gaps.add(answer);
                }
                cursor = next.cursor();
            }
            assertEquals(List.of(5), gaps, "the answer that moves g4 past its gap, and only it");
        }
    }

    private static List<String> publishNumbered(String channel, int count) throws IOException {
        var ids = new ArrayList<String>();
        try (var client = server.connect()) {
            for (int i = 1; i <= count; i++) {
                ids.add(PublishAnswer.of(client.post("/publish/" + channel, "m" + i)).id());
            }
        }
        return ids;
    }

    /** Message {@code m<n>} of the channel, as published by {@link #publishNumbered}. */
    private static Message message(String channel, List<String> ids, int n) {
        return new Message(channel, ids.get(n - 1), "m" + n, null);
    }

    /** The ids per channel in the order they were answered: the protocol orders messages within a channel. */
    private static Map<String, List<String>> idsByChannel(PollAnswer answer) {
        return answer.messages().stream().collect(groupingBy(Message::channel, mapping(Message::id, toList())));
    }
}
