package io.loompush.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestParserTest {
    private static final Limits LIMITS = Limits.withMaxBody(1024);

    private static Request parse(String head) throws HttpError {
        byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
        int from = RequestParser.skipEmptyLines(b, 0, b.length);
        int end = RequestParser.headEnd(b, from, b.length, LIMITS);
        assertEquals(b.length, end, "the whole text is one head");
        return RequestParser.parseHead(b, from, end, LIMITS);
    }

    private static int status(String head) {
        return assertThrows(HttpError.class, () -> {
            Request request = parse(head);
            RequestParser.bodyLength(request, LIMITS);
        }).status();
    }

    @Test
    void parsesRequestLineAndHeaders() throws HttpError {
        Request r = parse("""
                GET /poll/alice?since=x HTTP/1.1\r
                Host: example.com\r
                Last-Event-ID:   abc \t\r
                \r
                """);
        assertEquals("GET", r.method());
        assertEquals("/poll/alice", r.path());
        assertEquals("since=x", r.query());
        assertEquals("abc", r.headers().first("last-event-id"));
        assertEquals(true, r.keepAlive());
    }

    @Test
    void headIsIncompleteUntilTheEmptyLine() throws HttpError {
        byte[] b = "GET / HTTP/1.1\r\nHost: a\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(-1, RequestParser.headEnd(b, 0, b.length, LIMITS));
    }

    @Test
    void garbageIsRefusedAsSoonAsItsFirstLineEnds() {
        byte[] b = "\u0016\u0003\u0001 hello\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(400, assertThrows(HttpError.class, () -> RequestParser.headEnd(b, 0, b.length, LIMITS)).status());
    }

    @Test
    void toleratesAFewEmptyLinesBeforeTheRequest() throws HttpError {
        assertEquals("GET", parse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n").method());
        assertEquals(400, status("\r\n".repeat(5) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
    }

    @Test
    void connectionCloseAndHttp10EndTheConnection() throws HttpError {
        assertEquals(false, parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\n\r\n").keepAlive());
        assertEquals(false, parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n",              // bare CR
        "GET / HTTP/1.1\nHost: a\r\n\r\n",                      // bare LF
        "GET / HTTP/1.1\r\nHost : a\r\n\r\n",                   // whitespace before the colon
        "GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",          // obs-fold
        "GET / HTTP/1.1\r\nHost: a\u0001b\r\n\r\n",             // control character
        "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n",
        "GET /  HTTP/1.1\r\nHost: a\r\n\r\n",                   // two spaces
        "GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n",             // neither origin- nor absolute-form
        "GET http://u@a/ HTTP/1.1\r\nHost: a\r\n\r\n",          // userinfo in an http URI
        "GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n",            // no authority
        "GET * HTTP/1.1\r\nHost: a\r\n\r\n",                    // asterisk-form
        "G(T / HTTP/1.1\r\nHost: a\r\n\r\n",                    // method not a token
        "GET / HTTP/1.1\r\n\r\n",                               // missing Host
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",          // duplicate Host
        "GET / HTTQ/1.1\r\nHost: a\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +16\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1,2\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",     // RFC 9112 6.1: faulty framing in 1.0
    })
    void refusesMalformedHeadsWith400(String head) {
        assertEquals(400, status(head));
    }

    @Test
    void anAbsoluteFormTargetIsTakenInItsOriginForm() throws HttpError {
        assertEquals("/poll/x?timeout=0", parse("GET http://a:8080/poll/x?timeout=0 HTTP/1.1\r\nHost: b\r\n\r\n").target());
        assertEquals("/", parse("GET HTTPS://a HTTP/1.1\r\nHost: a\r\n\r\n").target());
        assertEquals("/?q", parse("GET http://a?q HTTP/1.1\r\nHost: a\r\n\r\n").target());
    }

    @Test
    void otherHttpVersionsAre505() {
        assertEquals(505, status("GET / HTTP/2.0\r\nHost: a\r\n\r\n"));
    }

    @Test
    void requestLineOfExactlyTheLimitIsAcceptedAndOneMoreIs414() throws HttpError {
        String prefix = "GET /";
        String suffix = " HTTP/1.1";
        int pad = Limits.REQUEST_LINE - prefix.length() - suffix.length();
        String atLimit = prefix + "a".repeat(pad) + suffix;
        assertEquals(Limits.REQUEST_LINE, atLimit.length());
        assertEquals("GET", parse(atLimit + "\r\nHost: a\r\n\r\n").method());
        String over = prefix + "a".repeat(pad + 1) + suffix;
        assertEquals(414, status(over + "\r\nHost: a\r\n\r\n"));
    }

    @Test
    void overlongRequestLineIs414BeforeItEnds() {
        byte[] partial = ("GET /" + "a".repeat(Limits.REQUEST_LINE)).getBytes(StandardCharsets.US_ASCII);
        assertEquals(414, assertThrows(HttpError.class,
                () -> RequestParser.headEnd(partial, 0, partial.length, LIMITS)).status());
    }

    @Test
    void headOfExactlyTheLimitIsAcceptedAndOneMoreIs431() throws HttpError {
        String start = "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: ";
        int pad = Limits.HEAD_BYTES - start.length() - 4;
        String atLimit = start + "p".repeat(pad) + "\r\n\r\n";
        assertEquals(Limits.HEAD_BYTES, atLimit.length());
        assertEquals("GET", parse(atLimit).method());
        assertEquals(431, status(start + "p".repeat(pad + 1) + "\r\n\r\n"));
    }

    @Test
    void oversizedHeadIs431BeforeItEnds() {
        byte[] partial = ("GET / HTTP/1.1\r\nX: " + "p".repeat(Limits.HEAD_BYTES)).getBytes(StandardCharsets.US_ASCII);
        assertEquals(431, assertThrows(HttpError.class,
                () -> RequestParser.headEnd(partial, 0, partial.length, LIMITS)).status());
    }

    @Test
    void hundredFieldsAreAcceptedAndOneMoreIs431() throws HttpError {
        String fields99 = "X-F: v\r\n".repeat(Limits.HEADER_FIELDS - 1);
        assertEquals(Limits.HEADER_FIELDS,
                parse("GET / HTTP/1.1\r\nHost: a\r\n" + fields99 + "\r\n").headers().fields().size());
        assertEquals(431, status("GET / HTTP/1.1\r\nHost: a\r\n" + fields99 + "X-F: v\r\n\r\n"));
    }

    @Test
    void bodyOfExactlyTheLimitIsFramedAndOneMoreIs413() throws HttpError {
        Request atLimit = parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1024\r\n\r\n");
        assertEquals(1024, RequestParser.bodyLength(atLimit, LIMITS));
        assertEquals(413, status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1025\r\n\r\n"));
    }

    @Test
    void chunkedIsFramedAsChunked() throws HttpError {
        Request r = parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n");
        assertEquals(RequestParser.CHUNKED, RequestParser.bodyLength(r, LIMITS));
    }
}
