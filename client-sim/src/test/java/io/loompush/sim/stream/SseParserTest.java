package io.loompush.sim.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loompush.sim.http.MalformedResponseException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseParserTest {
    private static final int MAX = 1024;

    private static SseParser.Parsed parse(String text) throws MalformedResponseException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return SseParser.next(bytes, 0, bytes.length, MAX);
    }

    @Test
    void anEventGivesItsIdTypeAndDataAndWhereItEnded() throws Exception {
        String text = "id: k1\ndata: {\"channel\":\"c7\"}\n\nid: k2\n";
        var parsed = parse(text);
        assertEquals(new SseEvent("k1", null, "{\"channel\":\"c7\"}"), parsed.event());
        assertEquals(text.indexOf("id: k2"), parsed.consumed());
    }

    @Test
    void theNextEventIsReadFromWhereTheLastEnded() throws Exception {
        byte[] bytes = "id: k1\ndata: one\n\nevent: gap\nid: k2\ndata: {\"channels\":[\"c7\"]}\n\n"
                .getBytes(StandardCharsets.UTF_8);
        var first = SseParser.next(bytes, 0, bytes.length, MAX);
        var second = SseParser.next(bytes, first.consumed(), bytes.length, MAX);
        assertEquals(new SseEvent("k2", "gap", "{\"channels\":[\"c7\"]}"), second.event());
        assertEquals(bytes.length, first.consumed() + second.consumed());
    }

    @Test
    void dataLinesAreJoinedWithNewlines() throws Exception {
        assertEquals("two\nlines\n", parse("id: 5:0\ndata: two\ndata: lines\ndata\n\n").event().data());
    }

    @Test
    void crlfAndCrEndLinesAsLfDoes() throws Exception {
        assertEquals(new SseEvent("k1", null, "x"), parse("id: k1\r\ndata: x\r\n\r\n").event());
        assertEquals(new SseEvent("k1", null, "x"), parse("id: k1\rdata: x\r\r:").event());
    }

    @Test
    void onlyOneSpaceAfterTheColonIsDropped() throws Exception {
        assertEquals("  two spaces", parse("data:   two spaces\n\n").event().data());
        assertEquals("none", parse("data:none\n\n").event().data());
    }

    @Test
    void commentsAndEventsWithoutDataAreHeartbeats() throws Exception {
        var comment = parse(":\n\n");
        assertTrue(comment.event().heartbeat());
        assertEquals(3, comment.consumed());
        assertTrue(parse(": hi\n\n").event().heartbeat());
        var ping = parse("event: ping\n\n").event();
        assertTrue(ping.heartbeat());
        assertEquals("ping", ping.type());
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        assertEquals(new SseEvent(null, null, "x"), parse("retry: 1000\nfoo: bar\ndata: x\n\n").event());
    }

    @Test
    void anIncompleteEventIsNull() throws Exception {
        assertNull(parse(""));
        assertNull(parse("id: k1\ndata: x"));
        assertNull(parse("id: k1\ndata: x\n"));
        assertNull(parse("data: x\r\n\r"), "the CR may be the first half of a CRLF still to come");
    }

    @Test
    void anEventUpToTheLimitIsReadAndOneByteMoreIsRefused() throws Exception {
        String exactly = "data: " + "x".repeat(MAX - 8) + "\n\n";
        assertEquals(MAX, exactly.length());
        assertEquals(MAX, parse(exactly).consumed());
        String over = "data: " + "x".repeat(MAX - 7) + "\n\n";
        assertThrows(MalformedResponseException.class, () -> parse(over));
        assertThrows(MalformedResponseException.class, () -> parse("data: " + "x".repeat(MAX)),
                "no blank line within the limit");
    }
}
