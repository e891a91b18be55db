package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What attackers and broken clients send, each with the status the server
 * must answer, and then proof that the server still serves a normal poll.
 * Requests whose framing cannot be trusted must also close the connection.
 */
class HostileRequestsIT {
    /** No answer at all: the client gave up mid-request and closed. */
    private static final int NO_ANSWER = 0;
    private static final int MAX_MESSAGE_BYTES = 1024;

    private static TestServer server;

    /**
     * @param closes whether the server must close the connection after answering
     */
    record Case(String name, int status, boolean closes, byte[] request, boolean halfClose) {
        @Override
        public String toString() {
            return name + " -> " + (status == NO_ANSWER ? "no answer" : status);
        }
    }

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start("--max-message-bytes", String.valueOf(MAX_MESSAGE_BYTES), "--header-timeout", "1s");
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    private static Case refused(String name, int status, String request) {
        return new Case(name, status, true, request.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    private static Case answered(String name, int status, String request) {
        return new Case(name, status, false, request.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    private static String pad(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    static List<Case> corpus() {
        String host = "Host: 127.0.0.1\r\n";
        String post = "POST /publish/c HTTP/1.1\r\n" + host;
        var cases = new ArrayList<>(List.of(
                // Smuggling: two ways to frame one body.
                refused("CL and TE", 400, post + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                refused("TE and CL", 400, post + "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n"),
                refused("TE list", 400, post + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"),
                refused("TE identity then chunked", 400, post + "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n\r\n"),
                refused("TE xchunked", 400, post + "Transfer-Encoding: xchunked\r\n\r\n"),
                refused("TE gzip", 400, post + "Transfer-Encoding: gzip\r\n\r\n"),
                refused("TE space before colon", 400, post + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n"),
                refused("TE with vertical tab", 400, post + "Transfer-Encoding:\u000bchunked\r\n\r\n0\r\n\r\n"),
                refused("duplicate equal CL", 400, post + "Content-Length: 2\r\nContent-Length: 2\r\n\r\nhi"),
                refused("duplicate differing CL", 400, post + "Content-Length: 2\r\nContent-Length: 3\r\n\r\nhi!"),
                refused("signed CL (Jetty CVE-2023-40167)", 400, post + "Content-Length: +2\r\n\r\nhi"),
                refused("negative CL", 400, post + "Content-Length: -1\r\n\r\n"),
                refused("CL list", 400, post + "Content-Length: 1,2\r\n\r\nhi"),
                refused("hex CL", 400, post + "Content-Length: 0x2\r\n\r\nhi"),
                refused("CL with underscore", 400, post + "Content-Length: 1_0\r\n\r\n"),
                refused("CL of 20 digits", 400, post + "Content-Length: 99999999999999999999\r\n\r\n"),
                refused("empty CL", 400, post + "Content-Length: \r\n\r\n"),
                refused("CL over the body limit", 413, post + "Content-Length: " + (MAX_MESSAGE_BYTES + 1) + "\r\n\r\n"),
                // Chunked bodies.
                refused("chunk size overflowing a long", 400, post + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n"),
                refused("negative chunk size", 400, post + "Transfer-Encoding: chunked\r\n\r\n-1\r\n"),
                refused("chunk size not hex", 400, post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n"),
                refused("empty chunk size", 400, post + "Transfer-Encoding: chunked\r\n\r\n\r\n"),
                refused("chunk longer than its size", 400, post + "Transfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n"),
                refused("chunk size line with bare LF", 400, post + "Transfer-Encoding: chunked\r\n\r\n2\nab\r\n0\r\n\r\n"),
                refused("chunks over the body limit", 413, post + "Transfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(MAX_MESSAGE_BYTES) + "\r\n" + pad('x', MAX_MESSAGE_BYTES) + "\r\n1\r\ny\r\n0\r\n\r\n"),
                refused("trailer section too large", 431, post + "Transfer-Encoding: chunked\r\n\r\n0\r\n"
                        + ("X-T: " + pad('t', 1000) + "\r\n").repeat(17) + "\r\n"),
                answered("valid chunked publish", 200, post + "Transfer-Encoding: chunked\r\n\r\n2;x=y\r\nhi\r\n0\r\nX-T: 1\r\n\r\n"),
                answered("CL with surrounding spaces", 200, post + "Content-Length:  2 \r\n\r\nhi"),
                // Netty CVE-2021-43797: control characters around header names.
                refused("control character in a header name", 400, "GET /poll/c?timeout=0 HTTP/1.1\r\nHost\u0001: x\r\n\r\n"),
                refused("vertical tab before the colon", 400, "GET /poll/c?timeout=0 HTTP/1.1\r\nHost\u000b: x\r\n\r\n"),
                refused("NUL in a header value", 400, "GET /poll/c?timeout=0 HTTP/1.1\r\nHost: a\u0000b\r\n\r\n"),
                refused("DEL in a header value", 400, "GET /poll/c?timeout=0 HTTP/1.1\r\nHost: a\u007fb\r\n\r\n"),
                // Request lines.
                refused("bare LF line ends", 400, "GET /poll/c?timeout=0 HTTP/1.1\nHost: x\n\n"),
                refused("bare CR", 400, "GET /poll/c?timeout=0 HTTP/1.1\rHost: x\r\n\r\n"),
                refused("two spaces", 400, "GET  /poll/c HTTP/1.1\r\n" + host + "\r\n"),
                refused("three parts and more", 400, "GET /poll/c HTTP/1.1 extra\r\n" + host + "\r\n"),
                refused("HTTP/0.9", 400, "GET /poll/c\r\n\r\n"),
                refused("HTTP/2 request line", 505, "GET /poll/c HTTP/2.0\r\n" + host + "\r\n"),
                refused("HTTP/2 preface", 400, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
                refused("lowercase protocol", 400, "GET /poll/c http/1.1\r\n" + host + "\r\n"),
                refused("target without slash", 400, "GET poll/c HTTP/1.1\r\n" + host + "\r\n"),
                answered("absolute-form target, taken in its origin-form", 200,
                        "GET http://127.0.0.1/poll/c?timeout=0 HTTP/1.1\r\n" + host + "\r\n"),
                refused("absolute-form target with userinfo", 400, "GET http://u@127.0.0.1/poll/c HTTP/1.1\r\n" + host + "\r\n"),
                refused("asterisk target", 400, "OPTIONS * HTTP/1.1\r\n" + host + "\r\n"),
                refused("NUL in the target", 400, "GET /poll/c\u0000 HTTP/1.1\r\n" + host + "\r\n"),
                refused("non-ASCII target", 400, "GET /poll/\u00e9 HTTP/1.1\r\n" + host + "\r\n"),
                refused("method not a token", 400, "G(T /poll/c HTTP/1.1\r\n" + host + "\r\n"),
                refused("request line over 8192 bytes", 414, "GET /poll/c?x=" + pad('a', 8192) + " HTTP/1.1\r\n" + host + "\r\n"),
                refused("head over 16384 bytes", 431, "GET /poll/c HTTP/1.1\r\n" + host + "X: " + pad('a', 16384) + "\r\n\r\n"),
                refused("101 header fields", 431, "GET /poll/c HTTP/1.1\r\n" + host + "X: 1\r\n".repeat(100) + "\r\n"),
                refused("header flood", 431, "GET /poll/c HTTP/1.1\r\n" + host + "X: 1\r\n".repeat(3000) + "\r\n"),
                // Header fields.
                refused("missing Host", 400, "GET /poll/c?timeout=0 HTTP/1.1\r\n\r\n"),
                refused("two Host fields", 400, "GET /poll/c?timeout=0 HTTP/1.1\r\n" + host + host + "\r\n"),
                refused("obs-fold", 400, "GET /poll/c?timeout=0 HTTP/1.1\r\n" + host + "X: a\r\n b\r\n\r\n"),
                refused("space before a colon", 400, "GET /poll/c?timeout=0 HTTP/1.1\r\n" + host + "X : a\r\n\r\n"),
                refused("empty field name", 400, "GET /poll/c?timeout=0 HTTP/1.1\r\n" + host + ": a\r\n\r\n"),
                refused("field without colon", 400, "GET /poll/c?timeout=0 HTTP/1.1\r\n" + host + "Garbage\r\n\r\n"),
                refused("non-token field name", 400, "GET /poll/c?timeout=0 HTTP/1.1\r\n" + host + "X(y): a\r\n\r\n"),
                refused("five empty lines first", 400, "\r\n".repeat(5) + "GET /poll/c?timeout=0 HTTP/1.1\r\n" + host + "\r\n"),
                refused("unsupported expectation", 417, post + "Expect: teapot\r\nContent-Length: 2\r\n\r\nhi"),
                answered("two empty lines first", 200, "\r\n\r\nGET /poll/c?timeout=0 HTTP/1.1\r\n" + host + "\r\n"),
                refused("HTTP/1.0 without Host, answered then closed", 200, "GET /poll/c?timeout=0 HTTP/1.0\r\n\r\n"),
                // Methods and parameters: the framing is fine, the connection stays.
                answered("unknown method", 501, "FOO /poll/c HTTP/1.1\r\n" + host + "\r\n"),
                answered("lowercase method", 501, "get /poll/c HTTP/1.1\r\n" + host + "\r\n"),
                answered("known method, wrong path", 405, "PUT /poll/c HTTP/1.1\r\n" + host + "Content-Length: 0\r\n\r\n"),
                answered("bad percent-encoding", 400, "GET /poll/%zz HTTP/1.1\r\n" + host + "\r\n"),
                answered("channel with a space", 400, "GET /poll/a%20b HTTP/1.1\r\n" + host + "\r\n"),
                answered("65 channels", 400, "GET /poll/" + String.join(",", Stream.iterate("c", c -> c + "c").limit(65).toList())
                        + " HTTP/1.1\r\n" + host + "\r\n"),
                answered("garbage cursor", 400, "GET /poll/c?since=%00%ff HTTP/1.1\r\n" + host + "\r\n"),
                answered("negative timeout", 400, "GET /poll/c?timeout=-1 HTTP/1.1\r\n" + host + "\r\n"),
                answered("max 0", 400, "GET /poll/c?max=0 HTTP/1.1\r\n" + host + "\r\n"),
                answered("path traversal", 404, "GET /../../etc/passwd HTTP/1.1\r\n" + host + "\r\n"),
                // WebSocket handshakes that are no valid upgrade: refused, the connection stays HTTP.
                answered("upgrade without a key", 400, "GET /ws/c HTTP/1.1\r\n" + host
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n"),
                answered("upgrade with a key of 17 bytes", 400, "GET /ws/c HTTP/1.1\r\n" + host + "Upgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAA=\r\nSec-WebSocket-Version: 13\r\n\r\n"),
                answered("upgrade with two keys", 400, "GET /ws/c HTTP/1.1\r\n" + host + "Upgrade: websocket\r\n"
                        + "Connection: Upgrade\r\n" + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n".repeat(2)
                        + "Sec-WebSocket-Version: 13\r\n\r\n"),
                answered("upgrade to version 99", 426, "GET /ws/c HTTP/1.1\r\n" + host + "Upgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n\r\n"),
                answered("upgrade to h2c on the WebSocket path", 400, "GET /ws/c HTTP/1.1\r\n" + host
                        + "Upgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n"),
                answered("upgrade by POST", 400, "POST /ws/c HTTP/1.1\r\n" + host + "Upgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                        + "Content-Length: 0\r\n\r\n"),
                answered("upgrade with a bad cursor", 400, "GET /ws/c?since=%00 HTTP/1.1\r\n" + host + "Upgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"),
                answered("event stream with 65 channels", 400, "GET /sse/" + String.join(",",
                        Stream.iterate("c", c -> c + "c").limit(65).toList()) + " HTTP/1.1\r\n" + host + "\r\n"),
                // Slow, truncated and foreign traffic.
                refused("head that stops halfway", 408, "GET /poll/c HTTP/1.1\r\nHo"),
                refused("body that stops halfway", 408, post + "Content-Length: 10\r\n\r\nhalf"),
                new Case("head cut by the client", NO_ANSWER, true,
                        "GET /poll/c HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII), true)));
        cases.add(new Case("TLS ClientHello", 400, true,
                new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03, '\r', '\n'},
                false));
        var random = new Random(43797);
        for (int i = 0; i < 3; i++) {
            byte[] garbage = new byte[512];
            random.nextBytes(garbage);
            garbage[0] = (byte) 0x80;
            garbage[510] = '\r';
            garbage[511] = '\n';
            cases.add(new Case("binary garbage " + i, 400, true, garbage, false));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void answersEachHostileRequestAndKeepsServing(Case hostile) throws IOException {
        try (var client = RawHttpClient.connect(server.port(), Duration.ofSeconds(5))) {
            client.send(hostile.request());
            if (hostile.halfClose()) {
                client.abort();
            } else if (hostile.status() != NO_ANSWER) {
                RawResponse response = client.read();
                assertEquals(hostile.status(), response.status(), response::toString);
                if (hostile.status() >= 400) {
                    Errors.assertErrorBody(response);
                }
                if (hostile.closes()) {
                    assertTrue(client.closedByServer(), "the connection must be closed after " + hostile.name());
                } else {
                    assertEquals(200, client.get("/poll/after?timeout=0").status(),
                            "the connection must go on serving after " + hostile.name());
                }
            }
        } catch (EOFException | SocketException e) {
            if (hostile.status() != NO_ANSWER) {
                throw e;
            }
        }
        try (var client = server.connect()) {
            assertEquals(200, client.get("/poll/after?timeout=0").status(), "the server serves a normal poll");
        }
    }
}
