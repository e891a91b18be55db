package io.loompush.sim.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loompush.sim.http.MalformedResponseException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkedDecoderTest {
    private static final String BODY = "7\r\n: ping\n\r\n18;ext=1\r\nid: k1\ndata: {\"a\":\"b\"}\n\n\r\n0\r\nX-Trailer: t\r\n\r\n";

    @Test
    void theBodyIsTheSameWhereverTheReadsCutIt() throws Exception {
        byte[] wire = BODY.getBytes(StandardCharsets.US_ASCII);
        for (int cut = 0; cut <= wire.length; cut++) {
            var decoder = new ChunkedDecoder();
            var body = new ByteArrayOutputStream();
            body.write(decoder.decode(wire, 0, cut));
            body.write(decoder.decode(wire, cut, wire.length));
            assertEquals(": ping\nid: k1\ndata: {\"a\":\"b\"}\n\n", body.toString(StandardCharsets.US_ASCII), "cut at " + cut);
            assertTrue(decoder.ended());
        }
    }

    @Test
    void aBodyIsNotOverBeforeItsLastChunk() throws Exception {
        var decoder = new ChunkedDecoder();
        byte[] wire = "3\r\nabc\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("abc", new String(decoder.decode(wire, 0, wire.length), StandardCharsets.US_ASCII));
        assertFalse(decoder.ended());
    }

    @Test
    void badFramingIsRefused() {
        for (String wire : new String[] {"x\r\n", "\r\n", "3\r\nabcX", "3\nabc", "1000000000000000\r\n"}) {
            byte[] bytes = wire.getBytes(StandardCharsets.US_ASCII);
            assertThrows(MalformedResponseException.class, () -> new ChunkedDecoder().decode(bytes, 0, bytes.length), wire);
        }
    }
}
