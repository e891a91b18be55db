package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every request limit over a real socket, at exactly N and at N+1. The
 * request at N is sent twice on one connection, which stays open; the one at
 * N+1 is sent twice, on a connection each, and each gets its status, a JSON
 * error and then the connection closed.
 */
class LimitsIT {
    private static final int REQUEST_LINE = 8192;
    private static final int HEAD_BYTES = 16384;
    private static final int HEADER_FIELDS = 100;
    private static final int MAX_MESSAGE_BYTES = 1024;

    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start("--max-message-bytes", String.valueOf(MAX_MESSAGE_BYTES));
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Test
    void requestLineOfExactlyTheLimitIsServed() throws Exception {
        assertServedTwiceOnOneConnection(requestWithLineOf(REQUEST_LINE));
    }

    @Test
    void requestLineOverTheLimitIs414AndCloses() throws Exception {
        assertRefusedAndClosedTwice(414, requestWithLineOf(REQUEST_LINE + 1));
    }

    @Test
    void requestHeadOfExactlyTheLimitIsServed() throws Exception {
        assertServedTwiceOnOneConnection(requestWithHeadOf(HEAD_BYTES));
    }

    @Test
    void requestHeadOverTheLimitIs431AndCloses() throws Exception {
        assertRefusedAndClosedTwice(431, requestWithHeadOf(HEAD_BYTES + 1));
    }

    @Test
    void exactlyTheLimitOfHeaderFieldsIsServed() throws Exception {
        assertServedTwiceOnOneConnection(requestWithFields(HEADER_FIELDS));
    }

    @Test
    void oneHeaderFieldOverTheLimitIs431AndCloses() throws Exception {
        assertRefusedAndClosedTwice(431, requestWithFields(HEADER_FIELDS + 1));
    }

    @Test
    void publishBodyOfExactlyMaxMessageBytesIsAccepted() throws Exception {
        assertServedTwiceOnOneConnection(publishWithBodyOf(MAX_MESSAGE_BYTES));
    }

    @Test
    void publishBodyOverMaxMessageBytesIs413AndCloses() throws Exception {
        assertRefusedAndClosedTwice(413, publishWithBodyOf(MAX_MESSAGE_BYTES + 1));
    }

    @Test
    void chunkedPublishBodyOfExactlyMaxMessageBytesIsAccepted() throws Exception {
        assertServedTwiceOnOneConnection(chunkedPublishWithBodyOf(MAX_MESSAGE_BYTES));
    }

    @Test
    void chunkedPublishBodyOverMaxMessageBytesIs413AndCloses() throws Exception {
        assertRefusedAndClosedTwice(413, chunkedPublishWithBodyOf(MAX_MESSAGE_BYTES + 1));
    }

    @Test
    void publishedBodyOfExactlyMaxMessageBytesIsDeliveredWhole() throws Exception {
        String body = "x".repeat(MAX_MESSAGE_BYTES - 2) + "\u00e9";
        try (var client = server.connect()) {
            String cursor = PollAnswer.of(client.get("/poll/whole?timeout=0")).cursor();
            PublishAnswer.of(client.post("/publish/whole", body));

            assertEquals(body, PollAnswer.of(client.get("/poll/whole?timeout=5&since=" + cursor)).data().getFirst());
        }
    }

    private static void assertServedTwiceOnOneConnection(byte[] request) throws IOException {
        try (var client = server.connect()) {
            for (int attempt = 1; attempt <= 2; attempt++) {
                client.send(request);
                var response = client.read();
                assertEquals(200, response.status(), "attempt " + attempt + ": " + response);
                assertFalse(response.closing(), response::toString);
            }
        }
    }

    private static void assertRefusedAndClosedTwice(int status, byte[] request) throws IOException {
        for (int attempt = 1; attempt <= 2; attempt++) {
            try (var client = server.connect()) {
                client.send(request);
                var response = client.read();
                assertEquals(status, response.status(), "attempt " + attempt + ": " + response);
                Errors.assertErrorBody(response);
                assertTrue(response.closing(), response::toString);
                assertTrue(client.closedByServer());
            }
        }
    }

    /** A poll that answers at once, its request line (CRLF excluded) padded to {@code length} bytes. */
    private static byte[] requestWithLineOf(int length) {
        String prefix = "GET /poll/limits?timeout=0&pad=";
        String suffix = " HTTP/1.1";
        String line = prefix + "p".repeat(length - prefix.length() - suffix.length()) + suffix;
        assertEquals(length, line.length());
        return ascii(line + "\r\nHost: 127.0.0.1\r\n\r\n");
    }

    /** A /healthz request whose head, final empty line included, is {@code length} bytes. */
    private static byte[] requestWithHeadOf(int length) {
        String start = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ";
        String end = "\r\n\r\n";
        String head = start + "p".repeat(length - start.length() - end.length()) + end;
        assertEquals(length, head.length());
        return ascii(head);
    }

    /** A /healthz request with {@code count} header fields, Host included. */
    private static byte[] requestWithFields(int count) {
        var head = new StringBuilder("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (int i = 2; i <= count; i++) {
            head.append("X-Field-").append(i).append(": ").append(i).append("\r\n");
        }
        return ascii(head.append("\r\n").toString());
    }

    private static byte[] publishWithBodyOf(int length) {
        byte[] body = new byte[length];
        Arrays.fill(body, (byte) 'b');
        byte[] head = ascii("POST /publish/limits HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + length
                + "\r\n\r\n");
        byte[] request = Arrays.copyOf(head, head.length + length);
        System.arraycopy(body, 0, request, head.length, length);
        return request;
    }

    /** The body in two chunks, so only their sum is over the limit. */
    private static byte[] chunkedPublishWithBodyOf(int length) {
        int first = length / 2;
        int second = length - first;
        return ascii("POST /publish/limits HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(first) + "\r\n" + "c".repeat(first) + "\r\n"
                + Integer.toHexString(second) + "\r\n" + "c".repeat(second) + "\r\n"
                + "0\r\n\r\n");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
