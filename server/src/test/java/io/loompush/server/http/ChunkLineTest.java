package io.loompush.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ChunkLineTest {
    @Test
    void chunkSizesAreHexWithOptionalExtensions() throws HttpError {
        assertEquals(0x1f, ChunkLine.size("1F"));
        assertEquals(5, ChunkLine.size("5;name=value"));
        assertEquals(5, ChunkLine.size("5 ; a ; b = \"q \\\" d\"\t;c=tok"));
        for (String bad : new String[] {"", "x", "-1", "1 2", "1000000000000000", "5\u0001", "5 ", "5\t",
                "5;", "5;=v", "5;a=", "5;a=\"open", "5;a\u0001", "5;a=b c", "5;a=\"\u0001\"", ";a"}) {
            assertEquals(400, assertThrows(HttpError.class, () -> ChunkLine.size(bad)).status(), bad);
        }
    }
}
