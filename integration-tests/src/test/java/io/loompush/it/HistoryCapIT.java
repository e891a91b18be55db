package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code --max-history-bytes}: over the cap the oldest messages go, and a client that needed one is told gap:true. */
class HistoryCapIT {
    private static final int CAP = 1000;

    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start("--max-history-bytes", String.valueOf(CAP));
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Test
    void theHistoryStaysWithinTheCapAndWhatItShedIsAGap() throws Exception {
        String payload = "x".repeat(CAP / 4);
        String before;
        try (var client = server.connect()) {
            before = PollAnswer.of(client.get("/poll/capped?timeout=0")).cursor();
        }
        var first = server.publish("capped", payload);
        List<String> kept = List.of(server.publish("capped", payload).id(), server.publish("other", payload).id(),
                server.publish("capped", payload).id());
        assertEquals(CAP, server.stats().read("historyBytes"), "at the cap, nothing is shed");
        var last = server.publish("other", "y");

        assertEquals(CAP - payload.length() + 1, server.stats().read("historyBytes"), "one byte over sheds the oldest");
        try (var client = server.connect()) {
            var missed = PollAnswer.of(client.get("/poll/capped?timeout=0&since=" + before));
            assertTrue(missed.gap(), "the first message after the cursor was shed");
            assertEquals(List.of(kept.get(0), kept.get(2)), missed.ids());

            var sawIt = PollAnswer.of(client.get("/poll/capped?timeout=0&since=" + first.id()));
            assertFalse(sawIt.gap(), "a client that had the shed message missed nothing");
            assertEquals(List.of(kept.get(0), kept.get(2)), sawIt.ids());

            var fine = PollAnswer.of(client.get("/poll/other?timeout=0&since=" + kept.get(1)));
            assertFalse(fine.gap());
            assertEquals(List.of(last.id()), fine.ids());
        }
    }
}
