package io.loompush.sim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadTest {
    @Test
    void isPaddedToTheSizeAskedAndReadBack() {
        var payload = new Payload("ab12cd", "c17", 42, 1_764_043_200_123_456L);
        byte[] bytes = payload.encode(100);
        assertEquals(100, bytes.length);
        assertEquals(payload, Payload.parse(new String(bytes, StandardCharsets.US_ASCII)));
    }

    @Test
    void isNeverShorterThanItsFields() {
        var payload = new Payload("ab12cd", "broadcast", 1, 5);
        String text = new String(payload.encode(1), StandardCharsets.US_ASCII);
        assertEquals("lp1 run=ab12cd ch=broadcast seq=1 ts=5 ", text);
        assertEquals(payload, Payload.parse(text));
    }

    @Test
    void anythingElseIsNotAPayload() {
        assertNull(Payload.parse("hello"));
        assertNull(Payload.parse("lp1 run=x ch=c1 seq=one ts=5"));
        assertNull(Payload.parse("lp1 run=x ch=c1 seq=0 ts=5"));
        assertNull(Payload.parse("lp1 run=x ch=c1"));
    }
}
