package io.loompush.sim.protocol;

import static io.loompush.sim.protocol.Exchanges.ok;
import static io.loompush.sim.protocol.Exchanges.response;
import static io.loompush.sim.protocol.Exchanges.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeedNodeTest {
    private final SeedNode seed = new SeedNode();

    @Test
    void pollsItsClientIdWithTheHoldAndNoCursor() {
        assertEquals("""
                GET /poll/c7?timeout=30 HTTP/1.1\r
                Host: 127.0.0.1:8082\r
                \r
                """, text(seed.pollRequest(new Poll("c7", List.of("broadcast"), "127.0.0.1:8082", 30, null), null)));
    }

    @Test
    void aMessageIsTheRawBodyAndATimeoutIsNoContent() {
        assertEquals(new Answer.Messages(List.of(new Answer.Delivery(null, "lp1 run=x ch=c7 seq=1 ts=5")), null, false),
                seed.answer(ok("text/plain", "lp1 run=x ch=c7 seq=1 ts=5"), null));
        assertEquals(new Answer.Messages(List.of(), null, false),
                seed.answer(response("HTTP/1.1 204 No Content\r\n\r\n"), null));
    }

    @Test
    void isPublishedThroughRedisOnly() {
        assertFalse(seed.httpPublish());
        assertTrue(seed.redisPublish());
        assertThrows(UnsupportedOperationException.class, () -> seed.publishRequest("c7", new byte[0], "h", null));
    }

    @Test
    void itsOneSharedChannelIsBroadcast() {
        assertNull(seed.sharedChannelsProblem(List.of()));
        assertNull(seed.sharedChannelsProblem(List.of("broadcast")));
        assertNotNull(seed.sharedChannelsProblem(List.of("news")));
    }

    @Test
    void hasNoStreams() {
        assertNull(seed.transportProblem(Transport.POLL));
        assertEquals("seed-node has no sse: the seed's design long-polls only", seed.transportProblem(Transport.SSE));
        assertNotNull(seed.transportProblem(Transport.WS));
    }
}
