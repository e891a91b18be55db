package io.loompush.sim.protocol;

import static io.loompush.sim.protocol.Exchanges.ok;
import static io.loompush.sim.protocol.Exchanges.response;
import static io.loompush.sim.protocol.Exchanges.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loompush.sim.http.MalformedResponseException;
import io.loompush.sim.stream.SseEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class NchanTest {
    private final Nchan nchan = new Nchan();
    private final Poll poll = new Poll("c7", List.of("broadcast"), "127.0.0.1:8081", 30, null);

    @Test
    void theFirstPollHasNoConditions() {
        assertEquals("""
                GET /sub/c7/broadcast HTTP/1.1\r
                Host: 127.0.0.1:8081\r
                \r
                """, text(nchan.pollRequest(poll, null)));
    }

    @Test
    void aMessageAnswerLeadsToAConditionalPollFromItsLastModifiedAndEtag() {
        var answer = (Answer.Messages) nchan.answer(ok("text/plain", "lp1 run=x ch=c7 seq=1 ts=5 ",
                "Last-Modified: Tue, 25 Nov 2026 04:00:00 GMT", "Etag: 3"), null);
        assertEquals(List.of(new Answer.Delivery(null, "lp1 run=x ch=c7 seq=1 ts=5 ")), answer.deliveries());
        assertEquals("""
                GET /sub/c7/broadcast HTTP/1.1\r
                Host: 127.0.0.1:8081\r
                If-Modified-Since: Tue, 25 Nov 2026 04:00:00 GMT\r
                If-None-Match: 3\r
                \r
                """, text(nchan.pollRequest(poll, answer.cursor())));
    }

    @Test
    void aHoldThatTimesOutKeepsTheCursor() {
        String cursor = "Tue, 25 Nov 2026 04:00:00 GMT\n3";
        assertEquals(new Answer.Messages(List.of(), cursor, false),
                nchan.answer(response("HTTP/1.1 304 Not Modified\r\n\r\n"), cursor));
        assertEquals(new Answer.Messages(List.of(), cursor, false),
                nchan.answer(response("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n"), cursor));
    }

    @Test
    void otherStatusesAreRefusals() {
        assertEquals(new Answer.Refused(403, "status 403"),
                nchan.answer(response("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"), null));
    }

    @Test
    void publishPostsToPubAndTakesCreatedOrAccepted() {
        assertTrue(text(nchan.publishRequest("c7", "hi".getBytes(), "h", null)).startsWith("POST /pub/c7 HTTP/1.1\r\n"));
        assertTrue(nchan.publishAccepted(response("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")));
        assertTrue(nchan.publishAccepted(response("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n")));
        assertFalse(nchan.publishAccepted(response("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n")));
        assertFalse(nchan.redisPublish());
    }

    @Test
    void oneLocationMultiplexesAtMostFourChannels() {
        assertEquals(null, nchan.sharedChannelsProblem(List.of("a", "b", "c")));
        assertNotNull(nchan.sharedChannelsProblem(List.of("a", "b", "c", "d")));
    }

    @Test
    void itsStreamsAskForItsOwnFormatsAndResumeWithLastEventId() {
        String sse = text(nchan.sseRequest(poll, "1796028294:[0],-"));
        assertTrue(sse.startsWith("GET /sse/c7/broadcast HTTP/1.1\r\n"), sse);
        assertTrue(sse.contains("\r\nAccept: text/event-stream\r\nLast-Event-ID: 1796028294:[0],-\r\n"), sse);
        String ws = text(nchan.wsRequest(poll, null, "k"));
        assertTrue(ws.startsWith("GET /ws/c7/broadcast HTTP/1.1\r\n"), ws);
        assertTrue(ws.contains("\r\nSec-WebSocket-Protocol: ws+meta.nchan\r\n"), ws);
        assertFalse(ws.contains("Last-Event-ID"));
    }

    @Test
    void anEventSourceEventIsTheMessageWithItsIdAndAPingIsAHeartbeat() {
        assertEquals(new Answer.Messages(List.of(new Answer.Delivery(null, "two\nlines")), "5:0", false),
                nchan.sseEvent(new SseEvent("5:0", null, "two\nlines"), "4:0"));
        assertEquals(new Answer.Messages(List.of(), "4:0", false), nchan.sseEvent(new SseEvent(null, "ping", null), "4:0"));
    }

    @Test
    void aWsMetaMessageGivesItsIdThenThePayload() throws Exception {
        assertEquals(new Answer.Messages(List.of(new Answer.Delivery(null, "hello\n\nworld")), "7:1", false),
                nchan.wsMessage("id: 7:1\ncontent-type: text/plain\n\nhello\n\nworld", "7:0"));
        assertEquals(new Answer.Messages(List.of(new Answer.Delivery(null, "x")), "7:2", false),
                nchan.wsMessage("id: 7:2\n\nx", "7:1"));
        assertThrows(MalformedResponseException.class, () -> nchan.wsMessage("hello", "7:1"));
        assertThrows(MalformedResponseException.class, () -> nchan.wsMessage("id: 7:3\nhello", "7:1"));
    }
}
