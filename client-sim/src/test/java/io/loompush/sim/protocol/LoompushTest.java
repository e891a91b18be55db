package io.loompush.sim.protocol;

import static io.loompush.sim.protocol.Exchanges.ok;
import static io.loompush.sim.protocol.Exchanges.response;
import static io.loompush.sim.protocol.Exchanges.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loompush.sim.http.MalformedResponseException;
import io.loompush.sim.stream.SseEvent;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoompushTest {
    private final Protocol loompush = new Loompush();
    private final Poll poll = new Poll("c7", List.of("broadcast"), "127.0.0.1:8080", 30, null);

    @Test
    void theFirstPollNamesTheChannelsAndTheHoldWithoutACursor() {
        assertEquals("""
                GET /poll/c7,broadcast?timeout=30 HTTP/1.1\r
                Host: 127.0.0.1:8080\r
                \r
                """, text(loompush.pollRequest(poll, null)));
    }

    @Test
    void aTokenGoesInTheAuthorizationHeaderOfEveryPoll() {
        var withToken = new Poll("c7", List.of(), "127.0.0.1:8080", 30, "aaa.bbb.ccc");
        assertEquals("""
                GET /poll/c7?timeout=30&since=k1 HTTP/1.1\r
                Host: 127.0.0.1:8080\r
                Authorization: Bearer aaa.bbb.ccc\r
                \r
                """, text(loompush.pollRequest(withToken, "k1")));
    }

    @Test
    void theNextPollSendsTheCursorBack() {
        String request = text(loompush.pollRequest(poll, "69q919o7-eayt517fdq0w"));
        assertTrue(request.startsWith("GET /poll/c7,broadcast?timeout=30&since=69q919o7-eayt517fdq0w HTTP/1.1\r\n"),
                request);
    }

    @Test
    void anAnswerGivesItsMessagesCursorAndGap() throws Exception {
        var answer = loompush.answer(ok("application/json", """
                {"cursor":"k2","messages":[{"channel":"c7","id":"i1","data":"one"},\
                {"channel":"broadcast","id":"i2","data_b64":"dHdv"}],"gap":true}"""), "k1");
        assertEquals(new Answer.Messages(List.of(new Answer.Delivery("c7", "one"),
                new Answer.Delivery("broadcast", "two")), "k2", true), answer);
    }

    @Test
    void aTimedOutHoldIsAnEmptyAnswerWithTheCursor() throws Exception {
        var answer = loompush.answer(ok("application/json", "{\"cursor\":\"k1\",\"messages\":[],\"gap\":false}"), "k1");
        assertEquals(new Answer.Messages(List.of(), "k1", false), answer);
    }

    @Test
    void anErrorStatusIsARefusalWithTheServersReason() throws Exception {
        var answer = loompush.answer(response("""
                HTTP/1.1 503 Service Unavailable\r
                Retry-After: 1\r
                Content-Length: 27\r
                \r
                {"error":"max connections"}"""), "k1");
        assertEquals(new Answer.Refused(503, "max connections"), answer);
    }

    @Test
    void aBodyThatIsNotAPollAnswerIsMalformed() {
        assertThrows(MalformedResponseException.class, () -> loompush.answer(ok("application/json", "{\"x\":1}"), null));
        assertThrows(MalformedResponseException.class, () -> loompush.answer(ok("text/html", "<html>"), null));
        assertThrows(MalformedResponseException.class, () -> loompush.answer(ok("application/json",
                "{\"cursor\":\"k\",\"messages\":[{\"channel\":\"c7\"}],\"gap\":false}"), null));
    }

    @Test
    void publishPostsTheBodyWithTheTokenWhenThereIsOne() {
        assertEquals("""
                POST /publish/c7 HTTP/1.1\r
                Host: h:1\r
                Authorization: Bearer s3cret\r
                Content-Length: 5\r
                \r
                hello""", text(loompush.publishRequest("c7", "hello".getBytes(), "h:1", "s3cret")));
        assertTrue(loompush.publishAccepted(ok("application/json", "{\"channel\":\"c7\",\"id\":\"i\",\"receivers\":1}")));
    }

    @Test
    void sharedChannelsAreBoundByThePollLimit() {
        assertNull(loompush.sharedChannelsProblem(List.of("a", "b")));
        assertNull(loompush.sharedChannelsProblem(Collections.nCopies(Loompush.MAX_CHANNELS - 1, "s")));
        assertNotNull(loompush.sharedChannelsProblem(Collections.nCopies(Loompush.MAX_CHANNELS, "s")));
    }

    @Test
    void anSseStreamResumesWithLastEventIdAndAWebSocketWithSince() {
        assertEquals("""
                GET /sse/c7,broadcast HTTP/1.1\r
                Host: 127.0.0.1:8080\r
                Accept: text/event-stream\r
                \r
                """, text(loompush.sseRequest(poll, null)));
        assertTrue(text(loompush.sseRequest(poll, "k9")).contains("\r\nLast-Event-ID: k9\r\n"));
        String ws = text(loompush.wsRequest(poll, "k9", "dGhlIHNhbXBsZSBub25jZQ=="));
        assertTrue(ws.startsWith("GET /ws/c7,broadcast?since=k9 HTTP/1.1\r\n"), ws);
        assertTrue(ws.contains("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"), ws);
        assertNull(loompush.transportProblem(Transport.WS));
        var withToken = new Poll("c7", List.of(), "127.0.0.1:8080", 30, "aaa.bbb.ccc");
        assertTrue(text(loompush.sseRequest(withToken, null)).contains("\r\nAuthorization: Bearer aaa.bbb.ccc\r\n"));
        assertTrue(text(loompush.wsRequest(withToken, null, "k")).contains("\r\nAuthorization: Bearer aaa.bbb.ccc\r\n"));
    }

    @Test
    void anSseEventIsOneMessageWithItsCursorAndAGapEventSaysSo() throws Exception {
        assertEquals(new Answer.Messages(List.of(new Answer.Delivery("c7", "one")), "k2", false),
                loompush.sseEvent(new SseEvent("k2", null, "{\"channel\":\"c7\",\"id\":\"i1\",\"data\":\"one\"}"), "k1"));
        assertEquals(new Answer.Messages(List.of(), "k3", true),
                loompush.sseEvent(new SseEvent("k3", "gap", "{\"channels\":[\"c7\"]}"), "k2"));
        assertEquals(new Answer.Messages(List.of(), "k2", false), loompush.sseEvent(new SseEvent(null, null, null), "k2"),
                "a heartbeat keeps the cursor");
        assertThrows(MalformedResponseException.class, () -> loompush.sseEvent(new SseEvent(null, null, "{}"), "k2"));
        assertThrows(MalformedResponseException.class,
                () -> loompush.sseEvent(new SseEvent("k4", "other", "{}"), "k2"));
    }

    @Test
    void aWebSocketMessageIsAPollAnswer() throws Exception {
        assertEquals(new Answer.Messages(List.of(new Answer.Delivery("broadcast", "x")), "k5", true),
                loompush.wsMessage("""
                        {"cursor":"k5","messages":[{"channel":"broadcast","id":"i","data":"x"}],"gap":true}""", "k4"));
        assertThrows(MalformedResponseException.class, () -> loompush.wsMessage("{\"cursor\":\"k5\"}", "k4"));
    }
}
