package io.loompush.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loompush.sim.http.HttpConnection;
import io.loompush.sim.protocol.Answer;
import io.loompush.sim.protocol.Poll;
import io.loompush.sim.protocol.SocketIo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineIoLinkTest {
    private static final String OPEN = "0{\"sid\":\"S1\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,"
            + "\"pingTimeout\":20000,\"maxPayload\":1000000}";
    private final Poll poll = new Poll("c0", List.of("broadcast"), "127.0.0.1", 30, null);

    private static String text(String body) {
        return ScriptedServer.response("200 OK", body).replace("application/json", "text/plain; charset=UTF-8");
    }

    private static EngineIoLink link(ScriptedServer server) throws Exception {
        var address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
        return new EngineIoLink(new SocketIo(),
                HttpConnection.open(address, null, Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    @Test
    void aSessionIsOpenedConnectedPolledAndItsPingAnsweredOnOneConnection() throws Exception {
        try (var server = new ScriptedServer(List.of(text(OPEN), text("ok"),
                text("40{\"sid\":\"x\"}\u001e42[\"m\",\"a\"]\u001e2"), text("ok"), text("42[\"m\",\"b\"]")));
             var link = link(server)) {
            link.send(poll, null);
            assertTrue(link.subscribed());
            var first = link.read(null);
            assertEquals(new Answer.Messages(List.of(new Answer.Delivery(null, "a")), null, false), first.answer());
            assertTrue(first.keepAlive());
            link.send(poll, null);
            assertEquals(new Answer.Messages(List.of(new Answer.Delivery(null, "b")), null, false),
                    link.read(null).answer());
            assertEquals(List.of(
                    "GET /socket.io/?EIO=4&transport=polling&channels=c0,broadcast HTTP/1.1",
                    "POST /socket.io/?EIO=4&transport=polling&sid=S1 HTTP/1.1",
                    "GET /socket.io/?EIO=4&transport=polling&sid=S1 HTTP/1.1",
                    "POST /socket.io/?EIO=4&transport=polling&sid=S1 HTTP/1.1",
                    "GET /socket.io/?EIO=4&transport=polling&sid=S1 HTTP/1.1"), server.requestLines());
            assertEquals(List.of("", "40", "", "3", ""), server.requestBodies());
        }
    }

    @Test
    void aRefusedHandshakeIsTheNextReadsRefusalAndNoPollIsSent() throws Exception {
        try (var server = new ScriptedServer(List.of(ScriptedServer.response("503 Service Unavailable",
                "Retry-After: 1", "{}")));
             var link = link(server)) {
            link.send(poll, null);
            assertFalse(link.subscribed());
            var reply = link.read(null);
            assertInstanceOf(Answer.Refused.class, reply.answer());
            assertEquals("1", reply.retryAfter());
            assertFalse(reply.keepAlive());
            assertEquals(1, server.requestLines().size());
        }
    }

    @Test
    void anUnknownSessionIsARefusal() throws Exception {
        try (var server = new ScriptedServer(List.of(text(OPEN), text("ok"),
                ScriptedServer.response("400 Bad Request", "{\"code\":1,\"message\":\"Session ID unknown\"}")));
             var link = link(server)) {
            link.send(poll, null);
            assertEquals(new Answer.Refused(400, "status 400 {\"code\":1,\"message\":\"Session ID unknown\"}"),
                    link.read(null).answer());
        }
    }
}
