package io.loompush.sim.protocol;

import static io.loompush.sim.protocol.Exchanges.ok;
import static io.loompush.sim.protocol.Exchanges.response;
import static io.loompush.sim.protocol.Exchanges.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.loompush.sim.http.MalformedResponseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SocketIoTest {
    private static final String TEXT = "text/plain; charset=UTF-8";
    private final SocketIo socketIo = new SocketIo();
    private final Poll poll = new Poll("c7", List.of("broadcast"), "127.0.0.1:8083", 30, null);

    @Test
    void theHandshakeNamesTheClientsChannels() {
        assertEquals("""
                GET /socket.io/?EIO=4&transport=polling&channels=c7,broadcast HTTP/1.1\r
                Host: 127.0.0.1:8083\r
                \r
                """, text(socketIo.pollRequest(poll, null)));
    }

    @Test
    void theHandshakeAnswerOpensTheSession() throws Exception {
        var open = socketIo.opened(ok(TEXT, """
                0{"sid":"S1","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"""));
        assertEquals("S1", open.sid());
        assertThrows(MalformedResponseException.class, () -> socketIo.opened(ok(TEXT, "40")));
    }

    @Test
    void theNamespaceConnectAndAPongArePostedToTheSession() {
        assertEquals("""
                POST /socket.io/?EIO=4&transport=polling&sid=S1 HTTP/1.1\r
                Host: 127.0.0.1:8083\r
                Content-Type: text/plain;charset=UTF-8\r
                Content-Length: 2\r
                \r
                40""", text(socketIo.sendRequest("127.0.0.1:8083", "S1", new EngineIo.Packet.Message("0"))));
        assertEquals("""
                POST /socket.io/?EIO=4&transport=polling&sid=S1 HTTP/1.1\r
                Host: 127.0.0.1:8083\r
                Content-Type: text/plain;charset=UTF-8\r
                Content-Length: 1\r
                \r
                3""", text(socketIo.sendRequest("127.0.0.1:8083", "S1", new EngineIo.Packet.Pong(""))));
    }

    @Test
    void aPollCarriesTheSession() {
        assertEquals("""
                GET /socket.io/?EIO=4&transport=polling&sid=S1 HTTP/1.1\r
                Host: 127.0.0.1:8083\r
                \r
                """, text(socketIo.pollRequest(poll, "S1")));
    }

    @Test
    void aPollAnswerOfSeveralPacketsGivesEveryEventAndThePing() throws Exception {
        var received = socketIo.received(EngineIo.payload(
                "40{\"sid\":\"x\"}\u001e42[\"m\",\"lp1 run=r ch=c7 seq=1 ts=5 \"]\u001e2\u001e"
                        + "42[\"m\",\"lp1 run=r ch=broadcast seq=1 ts=6 \\\"q\\\"\"]", SocketIo.MAX_PACKETS));
        assertEquals(List.of(new Answer.Delivery(null, "lp1 run=r ch=c7 seq=1 ts=5 "),
                new Answer.Delivery(null, "lp1 run=r ch=broadcast seq=1 ts=6 \"q\"")), received.deliveries());
        assertEquals("", received.pong());
        assertNull(received.ended());
    }

    @Test
    void anAnswerWithoutAPingAsksForNoPong() throws Exception {
        assertNull(socketIo.received(EngineIo.payload("42[\"m\",\"a\"]", 10)).pong());
    }

    @Test
    void aDisconnectACloseOrAConnectErrorEndsTheSession() throws Exception {
        assertNotNull(socketIo.received(EngineIo.payload("41", 10)).ended());
        assertNotNull(socketIo.received(EngineIo.payload("1", 10)).ended());
        var refused = socketIo.received(EngineIo.payload("42[\"m\",\"a\"]\u001e44{\"message\":\"no\"}", 10));
        assertEquals(1, refused.deliveries().size());
        assertNotNull(refused.ended());
        assertThrows(MalformedResponseException.class, () -> socketIo.answer(ok(TEXT, "41"), null));
    }

    @Test
    void eventsOtherThanOneTextOfTheMessageEventAreMalformed() {
        for (String payload : List.of("42[\"other\",\"a\"]", "42[\"m\",1]", "42[\"m\",\"a\",\"b\"]", "42{}",
                "42/admin,[\"m\",\"a\"]", "43[]", "4")) {
            assertThrows(MalformedResponseException.class,
                    () -> socketIo.received(EngineIo.payload(payload, 10)), payload);
        }
    }

    @Test
    void anEventWithAnAckIdIsStillAnEvent() throws Exception {
        assertEquals(List.of(new Answer.Delivery(null, "a")),
                socketIo.received(EngineIo.payload("4212[\"m\",\"a\"]", 10)).deliveries());
    }

    @Test
    void anUnknownSessionIsARefusal() throws Exception {
        assertEquals(new Answer.Refused(400, "status 400 {\"code\":1,\"message\":\"Session ID unknown\"}"),
                socketIo.answer(response("""
                        HTTP/1.1 400 Bad Request\r
                        Content-Type: application/json\r
                        Content-Length: 42\r
                        \r
                        {"code":1,"message":"Session ID unknown"}
                        """), null));
    }

    @Test
    void overWebSocketTheOpenIsAnsweredWithTheConnectAndAPingWithAPong() throws Exception {
        assertEquals("""
                GET /socket.io/?EIO=4&transport=websocket&channels=c7,broadcast HTTP/1.1\r
                Host: 127.0.0.1:8083\r
                Upgrade: websocket\r
                Connection: Upgrade\r
                Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
                Sec-WebSocket-Version: 13\r
                \r
                """, text(socketIo.wsRequest(poll, null, "dGhlIHNhbXBsZSBub25jZQ==")));
        String open = "0{\"sid\":\"S\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000}";
        assertEquals("40", socketIo.wsReply(open));
        assertEquals("3", socketIo.wsReply("2"));
        assertNull(socketIo.wsReply("42[\"m\",\"a\"]"));
        assertNull(socketIo.wsReply("40{\"sid\":\"x\"}"));
        assertEquals(new Answer.Messages(List.of(), "k", false), socketIo.wsMessage(open, "k"));
        assertEquals(new Answer.Messages(List.of(new Answer.Delivery(null, "a")), "k", false),
                socketIo.wsMessage("42[\"m\",\"a\"]", "k"));
    }

    @Test
    void publishPostsThePayloadToTheRoomsEndpoint() {
        assertEquals("""
                POST /publish/c7 HTTP/1.1\r
                Host: 127.0.0.1:8083\r
                Content-Length: 3\r
                \r
                abc""", text(socketIo.publishRequest("c7", "abc".getBytes(), "127.0.0.1:8083", null)));
        assertEquals(true, socketIo.publishAccepted(response("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")));
    }

    @Test
    void itHasNoServerSentEvents() {
        assertNotNull(socketIo.transportProblem(Transport.SSE));
        assertNull(socketIo.transportProblem(Transport.WS));
        assertNull(socketIo.transportProblem(Transport.POLL));
    }
}
