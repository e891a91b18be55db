package io.loompush.server.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CursorTest {
    private static final List<String> ONE = List.of("alice");
    private static final List<String> TWO = List.of("alice", "news");

    @Test
    void singleChannelCursorIsAMessageId() {
        var ids = new MessageIds("ep", new TestClock());
        long seq = ids.next();
        Cursor cursor = Cursor.parse(ids.format(seq), ONE);
        assertEquals("ep", cursor.epoch());
        assertArrayEquals(new long[] {seq}, cursor.positions());
        assertEquals(ids.format(seq), cursor.format(ONE));
    }

    @Test
    void multiChannelCursorRoundTrips() {
        String text = new Cursor("ep", new long[] {7, 99}).format(TWO);
        assertArrayEquals(new long[] {7, 99}, Cursor.parse(text, TWO).positions());
    }

    @Test
    void multiChannelCursorIsRefusedForOtherChannels() {
        String text = new Cursor("ep", new long[] {7, 99}).format(TWO);
        assertThrows(IllegalArgumentException.class, () -> Cursor.parse(text, List.of("alice", "sports")));
        assertThrows(IllegalArgumentException.class, () -> Cursor.parse(text, List.of("alice", "news", "x")));
        assertThrows(IllegalArgumentException.class, () -> Cursor.parse(text, ONE));
    }

    @Test
    void malformedCursorsAreRefused() {
        for (String bad : new String[] {"", "-", "ep", "ep-", "EP-1", "ep-1-2", "ep--1", "ep-1.2", "ep-zzzzzzzzzzzzzzz",
                "ep-" + "1".repeat(Cursor.MAX_LENGTH)}) {
            assertThrows(IllegalArgumentException.class, () -> Cursor.parse(bad, ONE), bad);
        }
    }
}
