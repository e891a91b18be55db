package io.loompush.server.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loompush.server.push.Backlog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stream ids, notifications, and the gap rule over {@code loompush_read}'s reply. */
class StreamsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Object> entry(String id, String previous, String data) {
        return List.of(b(id), List.of(b("d"), b(data), b("p"), b(previous)));
    }

    private static long p(String id) {
        return StreamIds.position(id);
    }

    @Test
    void streamIdsArePositionsWithTheCounterInTheLow20Bits() {
        assertEquals(1795587684059L << 20 | 3, p("1795587684059-3"));
        assertEquals("1795587684059-3", StreamIds.streamId(p("1795587684059-3")));
        // The function writes the same id in Lua: checked against its output for this stream id.
        assertEquals("eaywhurly8e8", Long.toString(p("1795587684059-0"), 36));
        for (String bad : new String[] {"", "-", "1-", "-1", "1", "a-1", "1-1048576", "99999999999999999-0"}) {
            assertThrows(IllegalArgumentException.class, () -> StreamIds.position(bad), bad);
        }
    }

    @Test
    void aNotificationIsToldFromAPlainPublishByItsHead() {
        var n = Notification.parse(b("\0lp1 ep 10-1 10-0\nhello\nworld"));
        assertEquals("ep", n.epoch());
        assertEquals(p("10-1"), n.position());
        assertEquals(p("10-0"), n.previous());
        assertArrayEquals(b("hello\nworld"), n.payload());
        for (String plain : new String[] {"hello", "\0lp1 ep 10-1\nx", "\0lp1 ep x-1 10-0\nx", "\0lp1 ep 10-1 10-0",
                "\0lp2 ep 10-1 10-0\nx", ""}) {
            assertNull(Notification.parse(b(plain)), plain);
        }
    }

    @Test
    void entriesFollowingTheCursorAreNoGap() {
        Backlog backlog = RedisStreams.backlog("a", "ep",
                List.of(b("ep"), b("7-0"), List.of(entry("6-0", "5-0", "x"), entry("7-0", "6-0", "y"))));
        assertFalse(backlog.gapAfter(p("5-0")));
        assertEquals(List.of(p("6-0"), p("7-0")), backlog.messages().stream().map(m -> m.seq()).toList());
        assertEquals("ep", backlog.messages().getFirst().epoch());
    }

    @Test
    void aFirstEntryThatFollowsALaterIdMeansEntriesWereTrimmed() {
        Backlog backlog = RedisStreams.backlog("a", "ep",
                List.of(b("ep"), b("9-0"), List.of(entry("9-0", "8-0", "x"))));
        assertTrue(backlog.gapAfter(p("5-0")));
        assertFalse(backlog.gapAfter(p("8-0")), "a poll promised only what came after 8-0 missed nothing");
    }

    @Test
    void nothingAfterACursorOlderThanTheNewestIdMeansTheyExpired() {
        Backlog nothing = RedisStreams.backlog("a", "ep", List.of(b("ep"), b("9-0"), List.of()));
        assertTrue(nothing.gapAfter(p("5-0")));
        assertFalse(nothing.gapAfter(p("9-0")));
    }

    @Test
    void aCursorOfAnotherEpochIsAGap() {
        assertTrue(RedisStreams.backlog("a", "old",
                List.of(b("new"), b("1-0"), List.of(entry("1-0", "0-0", "x")))).gapAfter(p("5-0")));
    }

    @Test
    void theLibraryCarriesThisServersDefaults() {
        String library = RedisStreams.library(500, Duration.ofSeconds(90), false);
        assertTrue(library.startsWith("#!lua name=loompush"));
        assertTrue(library.contains("local DEFAULT_MAXLEN = 500"));
        assertTrue(library.contains("local DEFAULT_TTL_MS = 90000"));
        assertTrue(library.contains("local NOTIFY = 'PUBLISH'"));
    }

    @Test
    void onAClusterTheLibraryNotifiesInsideTheShard() {
        assertTrue(RedisStreams.library(500, Duration.ofSeconds(90), true).contains("local NOTIFY = 'SPUBLISH'"));
    }
}
