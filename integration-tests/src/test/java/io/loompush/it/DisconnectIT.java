package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that goes away while held is let go at once, long before its hold
 * would end; whatever goes away costs nothing after its hold, and loses nothing.
 */
class DisconnectIT {
    /** A hold far longer than any wait here, so only noticing the disconnect can end it in time. */
    private static final String LONG_HOLD = "timeout=30";
    /** How soon the server must let go of a client that went away while held (issue 12: within 1 s). */
    private static final Duration LET_GO_WITHIN = Duration.ofSeconds(1);
    /** The hold time of the short polls here, plus what the server may take to clean up. */
    private static final Duration CLEAN_WITHIN = Duration.ofSeconds(3);

    private TestServer server;
    private Stats stats;
    private long baseline;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
        stats = server.stats();
        baseline = stats.read("connections");
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void clientThatVanishesWhileHeldIsLetGoAtOnce() throws Exception {
        var client = server.connect();
        client.sendGet("/poll/ghost?" + LONG_HOLD);
        stats.awaitHeld(1, 1, Duration.ofSeconds(5));

        client.abort();

        awaitNothingLeft(LET_GO_WITHIN);
    }

    @Test
    void clientThatClosesWhileHeldIsLetGoAtOnce() throws Exception {
        var client = server.connect();
        client.sendGet("/poll/leaver?" + LONG_HOLD);
        stats.awaitHeld(1, 1, Duration.ofSeconds(5));

        client.close();

        awaitNothingLeft(LET_GO_WITHIN);
    }

    @Test
    void fiftyClientsOnSharedAndOwnChannelsVanishingLeaveNothingBehind() throws Exception {
        var clients = new ArrayList<RawHttpClient>();
        try {
            for (int i = 0; i < 50; i++) {
                var client = server.connect();
                clients.add(client);
                client.sendGet("/poll/user" + i + ",shared?timeout=1");
            }
            stats.awaitHeld(50, 100, Duration.ofSeconds(5));
            for (int i = 0; i < clients.size(); i++) {
                if (i % 2 == 0) {
                    clients.get(i).abort();
                } else {
                    clients.get(i).close();
                }
            }
        } finally {
            for (var client : clients) {
                client.close();
            }
        }

        awaitNothingLeft(CLEAN_WITHIN);
    }

    @Test
    void pollAfterADisconnectResumesFromTheLastCursor() throws Exception {
        String cursor;
        try (var first = server.connect()) {
            cursor = PollAnswer.of(first.get("/poll/roamer?timeout=0")).cursor();
            first.sendGet("/poll/roamer?timeout=1&since=" + cursor);
            stats.awaitHeld(1, 1, Duration.ofSeconds(5));
            first.abort();
        }
        awaitNothingLeft(CLEAN_WITHIN);
        var missed = server.publish("roamer", "while away");

        try (var second = server.connect()) {
            var answer = PollAnswer.of(second.get("/poll/roamer?timeout=5&since=" + cursor));

            assertEquals(List.of(missed.id()), answer.ids());
            assertFalse(answer.gap());
        }
    }

    private void awaitNothingLeft(Duration within) throws Exception {
        Map<String, Object> after = stats.awaitUntil("no held poll, mailbox, channel or extra connection left",
                s -> s.get("held").equals(0L) && s.get("mailboxes").equals(0L) && s.get("channels").equals(0L)
                        && s.get("connections").equals(baseline),
                within);
        assertEquals(baseline, after.get("connections"));
    }
}
