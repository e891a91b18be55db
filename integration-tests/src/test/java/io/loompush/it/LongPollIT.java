package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loompush.it.PollAnswer.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A poll is held until a message arrives or its timeout passes, and always answers 200 with a cursor. */
class LongPollIT {
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
    void heldPollIsAnsweredByAPublishWithinMilliseconds() throws Exception {
        try (var poller = server.connect(); var publisher = server.connect()) {
            poller.sendGet("/poll/alice?timeout=10");
            server.stats().awaitHeld(1, 1, Duration.ofSeconds(5));

            long start = System.nanoTime();
            var published = PublishAnswer.of(publisher.post("/publish/alice", "hello"));
            var answer = PollAnswer.of(poller.read());
            var latency = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(latency.compareTo(Duration.ofSeconds(1)) < 0, "publish to answer took " + latency);
            assertEquals(new PublishAnswer("alice", published.id(), 1), published);
            assertEquals(List.of(new Message("alice", published.id(), "hello", null)), answer.messages());
            assertFalse(answer.gap());
        }
    }

    @Test
    void pollThatTimesOutAnswersEmptyWithACursorThatResumes() throws Exception {
        try (var client = server.connect()) {
            long start = System.nanoTime();
            var empty = PollAnswer.of(client.get("/poll/bob?timeout=1"));
            var held = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(held.compareTo(Duration.ofMillis(900)) >= 0 && held.compareTo(Duration.ofSeconds(3)) < 0,
                    "a timeout=1 poll was held for " + held);
            assertEquals(List.of(), empty.messages());
            assertFalse(empty.gap());
            assertFalse(empty.cursor().isEmpty());

            var published = server.publish("bob", "after the timeout");
            var next = PollAnswer.of(client.get("/poll/bob?timeout=5&since=" + empty.cursor()));

            assertEquals(List.of(new Message("bob", published.id(), "after the timeout", null)), next.messages());
            assertFalse(next.gap());
        }
    }

    @Test
    void pollWithTimeoutZeroAnswersAtOnce() throws Exception {
        try (var client = server.connect()) {
            long start = System.nanoTime();
            var answer = PollAnswer.of(client.get("/poll/zero?timeout=0"));
            var took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(took.compareTo(Duration.ofMillis(500)) < 0, "a timeout=0 poll took " + took);
            assertEquals(List.of(), answer.messages());
            assertFalse(answer.gap());
        }
    }

    @Test
    void pollWithoutACursorSeesOnlyWhatIsPublishedAfterIt() throws Exception {
        server.publish("late", "before the poll");
        try (var poller = server.connect()) {
            poller.sendGet("/poll/late?timeout=10");
            server.stats().awaitHeld(1, 1, Duration.ofSeconds(5));
            var published = server.publish("late", "after the poll");

            assertEquals(List.of(published.id()), PollAnswer.of(poller.read()).ids());
        }
    }

    @Test
    void textPayloadIsDeliveredExactlyAsPublished() throws Exception {
        String text = "h\u00e9llo \"w\u00f6rld\"\\ \n\r\t\u0001 \u2028\u2029 \ud83d\ude00 </script>";
        try (var client = server.connect()) {
            String cursor = PollAnswer.of(client.get("/poll/exact?timeout=0")).cursor();
            var published = PublishAnswer.of(client.post("/publish/exact", text));
            var answer = PollAnswer.of(client.get("/poll/exact?timeout=5&since=" + cursor));

            assertEquals(List.of(new Message("exact", published.id(), text, null)), answer.messages());
        }
    }

    @Test
    void payloadThatIsNotUtf8ComesAsBase64() throws Exception {
        byte[] bytes = {(byte) 0xff, 0x00, (byte) 0xc3, 0x28, 'h', 'i'};
        try (var client = server.connect()) {
            String cursor = PollAnswer.of(client.get("/poll/binary?timeout=0")).cursor();
            var published = PublishAnswer.of(client.post("/publish/binary", bytes));
            var answer = PollAnswer.of(client.get("/poll/binary?timeout=5&since=" + cursor));

            var expected = new Message("binary", published.id(), null, Base64.getEncoder().encodeToString(bytes));
            assertEquals(List.of(expected), answer.messages());
        }
    }

    @Test
    void everyPollAnswerCarriesContentLengthAndNoStore() throws Exception {
        try (var client = server.connect()) {
            var response = client.get("/poll/headers?timeout=0");

            assertEquals(200, response.status());
            assertEquals("no-store", response.header("Cache-Control"));
            assertEquals(String.valueOf(response.body().length), response.header("Content-Length"));
            assertNull(response.header("Transfer-Encoding"));
        }
    }
}
