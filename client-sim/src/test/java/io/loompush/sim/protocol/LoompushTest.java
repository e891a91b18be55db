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
}
