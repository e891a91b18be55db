package io.loompush.server.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CursorTest {
    private static final List<String> ONE = List.of("alice");
    private static final List<String> TWO = List.of("alice", "news");

    @Test
    void singleChannelCursorIsAMessageId() {
        var ids = new MessageIds("ep", new TestClock());
        long seq = ids.next();
        Cursor cursor = Cursor.parse(MessageIds.format("ep", seq), ONE);
        assertArrayEquals(new String[] {"ep"}, cursor.epochs());
        assertArrayEquals(new long[] {seq}, cursor.positions());
        assertEquals(MessageIds.format("ep", seq), cursor.format(ONE));
    }

    @Test
    void multiChannelCursorRoundTrips() {
        String text = new Cursor(new String[] {"ep", "ep"}, new long[] {7, 99}).format(TWO);
        assertTrue(text.startsWith("ep-7.2r."), "one epoch is written once: " + text);
        assertArrayEquals(new long[] {7, 99}, Cursor.parse(text, TWO).positions());
    }

    @Test
    void eachChannelMayHaveItsOwnEpoch() {
        var three = List.of("a", "b", "c");
        var cursor = new Cursor(new String[] {"e1", "e2", "e2"}, new long[] {1, 2, 3});
        String text = cursor.format(three);
        assertTrue(text.startsWith("e1-1.e2-2.3."), text);
        Cursor parsed = Cursor.parse(text, three);
        assertArrayEquals(cursor.epochs(), parsed.epochs());
        assertArrayEquals(cursor.positions(), parsed.positions());
    }

    @Test
    void multiChannelCursorIsRefusedForOtherChannels() {
        String text = new Cursor(new String[] {"ep", "ep"}, new long[] {7, 99}).format(TWO);
        assertThrows(IllegalArgumentException.class, () -> Cursor.parse(text, List.of("alice", "sports")));
        assertThrows(IllegalArgumentException.class, () -> Cursor.parse(text, List.of("alice", "news", "x")));
        assertThrows(IllegalArgumentException.class, () -> Cursor.parse(text, ONE));
    }

    @Test
    void malformedCursorsAreRefused() {
        for (String bad : new String[] {"", "-", "ep", "ep-", "EP-1", "ep-1-2", "ep--1", "ep-1.2", "ep-zzzzzzzzzzzzzzz", "1", "x".repeat(17) + "-1",
                "ep-" + "1".repeat(Cursor.MAX_LENGTH)}) {
            assertThrows(IllegalArgumentException.class, () -> Cursor.parse(bad, ONE), bad);
        }
    }
}
