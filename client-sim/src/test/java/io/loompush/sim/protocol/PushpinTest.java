package io.loompush.sim.protocol;

import static io.loompush.sim.protocol.Exchanges.ok;
import static io.loompush.sim.protocol.Exchanges.response;
import static io.loompush.sim.protocol.Exchanges.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.loompush.sim.json.Json;
import io.loompush.sim.stream.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushpinTest {
    private final Pushpin pushpin = new Pushpin();
    private final Poll poll = new Poll("c7", List.of("broadcast"), "127.0.0.1:7999", 30, null);

    @Test
    void aPollNamesEveryChannelInItsPath() {
        assertEquals("""
                GET /sub/c7/broadcast HTTP/1.1\r
                Host: 127.0.0.1:7999\r
                \r
                """, text(pushpin.pollRequest(poll, null)));
    }

    @Test
    void a200CarriesOneMessageAnd204EndsAHold() {
        assertEquals(new Answer.Messages(List.of(new Answer.Delivery(null, "lp1 run=r ch=c7 seq=1 ts=5 ")), null, false),
                pushpin.answer(ok("text/plain", "lp1 run=r ch=c7 seq=1 ts=5 "), null));
        assertEquals(new Answer.Messages(List.of(), null, false),
                pushpin.answer(response("HTTP/1.1 204 No Content\r\n\r\n"), null));
        assertEquals(new Answer.Refused(502, "status 502"),
                pushpin.answer(response("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"), null));
    }

    @Test
    void aStreamIsOpenedWithoutLastEventIdAndEachEventIsOneMessage() {
        assertEquals("""
                GET /sse/c7/broadcast HTTP/1.1\r
                Host: 127.0.0.1:7999\r
                Accept: text/event-stream\r
                \r
                """, text(pushpin.sseRequest(poll, "ignored")));
        assertEquals(new Answer.Messages(List.of(new Answer.Delivery(null, "a")), null, false),
                pushpin.sseEvent(new SseEvent(null, null, "a"), null));
        assertEquals(new Answer.Messages(List.of(), null, false), pushpin.sseEvent(new SseEvent(null, null, null), null));
    }

    @Test
    void publishIsOneGripItemInBothFormats() {
        String request = text(pushpin.publishRequest("c7", "lp1 \"x\"".getBytes(StandardCharsets.UTF_8),
                "127.0.0.1:5561", null));
        String body = request.substring(request.indexOf("\r\n\r\n") + 4);
        assertEquals("POST /publish/ HTTP/1.1\r\nHost: 127.0.0.1:5561\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body, request);
        assertEquals(Map.of("items", List.of(Map.of("channel", "c7", "formats", Map.of(
                        "http-response", Map.of("code", 200L, "body", "lp1 \"x\""),
                        "http-stream", Map.of("content", "data: lp1 \"x\"\n\n"))))),
                Json.parse(body));
    }

    @Test
    void itHasNoWebSocket() {
        assertNotNull(pushpin.transportProblem(Transport.WS));
        assertNull(pushpin.transportProblem(Transport.SSE));
    }
}
