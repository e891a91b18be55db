package io.loompush.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void anAsciiPayloadIsEscapedStraightFromItsBytes() {
        var out = new StringBuilder("x");
        assertTrue(Json.appendUtf8(out, "a\"b\\c\n\t\u0001/".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("x\"a\\\"b\\\\c\\n\\t\\u0001/\"", out.toString());
    }

    @Test
    void aUtf8PayloadIsDecodedAndEscapedLikeAnyString() {
        var out = new StringBuilder();
        assertTrue(Json.appendUtf8(out, "héllo \u2028 ✓".getBytes(StandardCharsets.UTF_8)));
        assertEquals("\"héllo \\u2028 ✓\"", out.toString());
    }

    @Test
    void aPayloadThatIsNotUtf8AppendsNothing() {
        var out = new StringBuilder("x");
        assertFalse(Json.appendUtf8(out, new byte[] {'a', (byte) 0xC3, 'b'}));
        assertFalse(Json.appendUtf8(out, new byte[] {(byte) 0xFF}));
        assertEquals("x", out.toString());
    }
}
