package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code GET /ws/{channels}}: RFC 6455 with the poll's answers as text
 * frames; the handshake's refusals, every limit on what a client may send
 * at N and N+1, pings both ways, and the close codes of the protocol.
 */
class WebSocketIT {
    private static final String ORIGIN = "https://app.example.com";
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private static TestServer server;
    private static HttpClient http;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start("--heartbeat", "1s", "--allow-origin", ORIGIN);
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() throws IOException {
        http.close();
        server.close();
    }

    private static WsConnection open(String target) throws IOException {
        return WsConnection.open(server.connect(), target);
    }

    private static PollAnswer answer(WsConnection.Frame frame) {
        assertEquals(WsConnection.TEXT, frame.opcode(), () -> "a text frame, not " + frame);
        assertTrue(frame.fin());
        return PollAnswer.of(frame.text());
    }

    /** What the JDK's client saw, in order. */
    private record Seen(BlockingQueue<String> events) implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            events.add("text " + data);
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            events.add("ping");
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            events.add("pong " + StandardCharsets.UTF_8.decode(message));
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            events.add("close " + code);
            return null;
        }

        String next(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String event;
            do {
                event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (event == null) {
                    throw new AssertionError("no '" + prefix + "' within 10 s");
                }
            } while (!event.startsWith(prefix));
            return event.substring(prefix.length()).strip();
        }
    }

    @Test
    void theJdkClientGetsRetainedMessagesThenNewOnesAsPollAnswers() throws Exception {
        String first = server.publish("w1", "one").id();
        String second = server.publish("w1", "two").id();
        var seen = new Seen(new LinkedBlockingQueue<>());
        WebSocket ws = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/w1?since=" + first), seen).join();
        try {
            var retained = PollAnswer.of(seen.next("text "));
            assertEquals(second, retained.cursor());
            assertEquals(List.of("two"), retained.data());
            assertFalse(retained.gap());
            String third = server.publish("w1", "three").id();
            var live = PollAnswer.of(seen.next("text "));
            assertEquals(third, live.cursor());
            assertEquals(List.of("three"), live.data());

            ws.sendPing(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8))).join();
            assertEquals("hi", seen.next("pong "));
            seen.next("ping");
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
        assertEquals("1000", seen.next("close "));
    }

    @Test
    void aCursorOlderThanTheHistoryIsOneFrameWithGapThenNone() throws Exception {
        try (var own = TestServer.start("--history", "2")) {
            String first = own.publish("wg", "0").id();
            for (int i = 1; i <= 5; i++) {
                own.publish("wg", String.valueOf(i));
            }
            try (var ws = WsConnection.open(own.connect(), "/ws/wg?since=" + first)) {
                var gap = answer(ws.nextAnsweringPings());
                assertTrue(gap.gap());
                assertEquals(List.of("4", "5"), gap.data());
                own.publish("wg", "6");
                var next = answer(ws.nextAnsweringPings());
                assertFalse(next.gap());
                assertEquals(List.of("6"), next.data());
            }
        }
    }

    @Test
    void aPingOf125BytesGetsItsPongAndOneOf126IsAProtocolError() throws Exception {
        byte[] longest = new byte[125];
        Arrays.fill(longest, (byte) 'p');
        try (var ws = open("/ws/pings")) {
            ws.send(WsConnection.PING, longest);
            var pong = ws.nextAnsweringPings();
            assertEquals(WsConnection.PONG, pong.opcode());
            assertEquals(125, pong.payload().length);

            ws.sendRaw(WsConnection.frame(true, WsConnection.PING, true, Arrays.copyOf(longest, 126)));
            assertClosedWith(ws, 1002);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "text frame, 1003",
            "binary frame, 1003",
            "unmasked ping, 1002",
            "fragmented ping, 1002",
            "reserved bit, 1002",
            "reserved opcode, 1002",
            "text frame of 65536 bytes, 1003",
            "text frame of 65537 bytes, 1009",
            "close with one byte, 1002",
            "close with code 1005, 1002",
            "close reason not UTF-8, 1007"})
    void whatAClientMayNotSendClosesWithItsCode(String what, int code) throws Exception {
        try (var ws = open("/ws/rules")) {
            ws.sendRaw(switch (what) {
                case "text frame" -> WsConnection.frame(true, WsConnection.TEXT, true, "hi".getBytes());
                case "binary frame" -> WsConnection.frame(true, WsConnection.BINARY, true, new byte[] {1});
                case "unmasked ping" -> WsConnection.frame(true, WsConnection.PING, false, new byte[] {1});
                case "fragmented ping" -> WsConnection.frame(false, WsConnection.PING, true, new byte[] {1});
                case "reserved bit" -> withFirstByte(WsConnection.frame(true, WsConnection.PING, true, new byte[0]), 0xC9);
                case "reserved opcode" -> WsConnection.frame(true, 0xB, true, new byte[0]);
                case "text frame of 65536 bytes" -> WsConnection.frame(true, WsConnection.TEXT, true, new byte[65_536]);
                case "text frame of 65537 bytes" -> WsConnection.frame(true, WsConnection.TEXT, true, new byte[65_537]);
                case "close with one byte" -> WsConnection.frame(true, WsConnection.CLOSE, true, new byte[] {3});
                case "close with code 1005" -> WsConnection.frame(true, WsConnection.CLOSE, true, new byte[] {3, (byte) 0xED});
                case "close reason not UTF-8" ->
                        WsConnection.frame(true, WsConnection.CLOSE, true, new byte[] {3, (byte) 0xE8, (byte) 0xC3, 0x28});
                default -> throw new IllegalArgumentException(what);
            });
            assertClosedWith(ws, code);
        }
    }

    @Test
    void aPingSentRightBehindTheHandshakeIsAnsweredAfterThe101() throws Exception {
        try (var client = server.connect()) {
            var handshake = new StringBuilder("GET /ws/eager HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            for (String field : WsConnection.handshake(KEY)) {
                handshake.append(field).append("\r\n");
            }
            byte[] head = handshake.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
            byte[] ping = WsConnection.frame(true, WsConnection.PING, true, "early".getBytes(StandardCharsets.US_ASCII));
            byte[] both = Arrays.copyOf(head, head.length + ping.length);
            System.arraycopy(ping, 0, both, head.length, ping.length);
            client.send(both);
            assertEquals(101, client.readOpening().status());
            var pong = WsConnection.attach(client).next();
            assertEquals(WsConnection.PONG, pong.opcode());
            assertEquals("early", pong.text());
        }
    }

    @Test
    void aCloseIsAnsweredWithItsCodeThenTheConnectionEnds() throws Exception {
        try (var ws = open("/ws/bye")) {
            ws.sendClose(4001, "bye".getBytes(StandardCharsets.UTF_8));
            assertClosedWith(ws, 4001);
        }
        server.stats().awaitUntil("the socket let go", s -> Stats.streams(s, "ws") == 0, Duration.ofSeconds(1));
    }

    @Test
    void aClientSilentForTwoHeartbeatsIsClosed() throws Exception {
        try (var ws = open("/ws/silent")) {
            long start = System.nanoTime();
            assertEquals(WsConnection.PING, ws.next().opcode(), "the first heartbeat pings");
            var close = ws.next();
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertEquals(WsConnection.CLOSE, close.opcode());
            assertEquals(1001, close.closeCode());
            assertTrue(waited >= 1_500 && waited < 3_500, "closed after two heartbeats of 1 s, not " + waited + " ms");
        }
    }

    @Test
    void aClientThatAnswersPingsStaysOpen() throws Exception {
        try (var ws = open("/ws/lively")) {
            for (int i = 0; i < 4; i++) {
                var ping = ws.next();
                assertEquals(WsConnection.PING, ping.opcode());
                ws.send(WsConnection.PONG, ping.payload());
            }
            String id = server.publish("lively", "still here").id();
            assertEquals(id, answer(ws.nextAnsweringPings()).cursor());
        }
    }

    @Test
    void aDrainClosesWithGoingAway() throws Exception {
        try (var own = TestServer.start(); var ws = WsConnection.open(own.connect(), "/ws/draining")) {
            own.stats().awaitUntil("the socket open", s -> Stats.streams(s, "ws") == 1, Duration.ofSeconds(5));
            own.drain();
            assertClosedWith(ws, 1001);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "no Upgrade, 400",
            "no upgrade token in Connection, 400",
            "malformed key, 400",
            "no key, 400",
            "POST, 400",
            "version 8, 426",
            "another origin, 403"})
    void aHandshakeThatIsNoValidUpgradeIsRefused(String what, int status) throws Exception {
        try (var client = server.connect()) {
            String[] headers = switch (what) {
                case "no Upgrade" -> new String[] {"Connection: Upgrade", "Sec-WebSocket-Key: " + KEY,
                        "Sec-WebSocket-Version: 13"};
                case "no upgrade token in Connection" -> new String[] {"Upgrade: websocket", "Connection: keep-alive",
                        "Sec-WebSocket-Key: " + KEY, "Sec-WebSocket-Version: 13"};
                case "malformed key" -> WsConnection.handshake("not-base64-at-all");
                case "no key" -> new String[] {"Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13"};
                case "version 8" -> new String[] {"Upgrade: websocket", "Connection: Upgrade",
                        "Sec-WebSocket-Key: " + KEY, "Sec-WebSocket-Version: 8"};
                case "another origin" -> WsConnection.handshake(KEY, "Origin: https://evil.example.com");
                default -> WsConnection.handshake(KEY);
            };
            if (what.equals("POST")) {
                client.send("POST /ws/h HTTP/1.1\r\nHost: 127.0.0.1\r\n" + String.join("\r\n", headers)
                        + "\r\nContent-Length: 0\r\n\r\n");
            } else {
                client.sendGet("/ws/h", headers);
            }
            var answer = client.readOpening();
            assertEquals(status, answer.status(), answer::toString);
            if (status == 426) {
                assertEquals("13", answer.header("Sec-WebSocket-Version"));
            }
        }
    }

    @Test
    void anAllowedOriginOpens() throws Exception {
        try (var ws = WsConnection.open(server.connect(), "/ws/web", "Origin: " + ORIGIN)) {
            String id = server.publish("web", "hello").id();
            assertEquals(id, answer(ws.nextAnsweringPings()).cursor());
        }
    }

    /** The next frame that is not a ping is a close with this code, and then the server ends the connection. */
    private static void assertClosedWith(WsConnection ws, int code) throws IOException {
        var close = ws.nextAnsweringPings();
        assertEquals(WsConnection.CLOSE, close.opcode(), () -> "a close, not " + close);
        assertEquals(code, close.closeCode());
        assertTrue(ws.closedByServer(), "the server ends the connection after its close");
    }

    private static byte[] withFirstByte(byte[] frame, int first) {
        frame[0] = (byte) first;
        return frame;
    }
}
