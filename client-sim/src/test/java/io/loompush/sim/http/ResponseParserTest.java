package io.loompush.sim.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseParserTest {
    private static ResponseParser.Parsed parse(String text) throws MalformedResponseException {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return ResponseParser.parse(bytes, bytes.length);
    }

    @Test
    void readsAContentLengthBody() throws Exception {
        var parsed = parse("""
                HTTP/1.1 200 OK\r
                Content-Type: application/json\r
                Content-Length: 5\r
                \r
                hello""");
        assertEquals(200, parsed.response().status());
        assertEquals("hello", parsed.response().bodyText());
        assertEquals("application/json", parsed.response().header("content-type"));
        assertTrue(parsed.response().keepAlive());
    }

    @Test
    void answersNullUntilTheWholeBodyIsThere() throws Exception {
        assertNull(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel"));
        assertNull(parse("HTTP/1.1 200 OK\r\nContent-Len"));
    }

    @Test
    void saysHowManyBytesTheResponseTook() throws Exception {
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        assertEquals(response.length(), parse(response + "HTTP/1.1").consumed());
    }

    @Test
    void connectionCloseEndsKeepAlive() throws Exception {
        assertFalse(parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").response().keepAlive());
        assertFalse(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").response().keepAlive());
        assertTrue(parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").response().keepAlive());
    }

    @Test
    void notModifiedAndNoContentHaveNoBody() throws Exception {
        var notModified = parse("HTTP/1.1 304 Not Modified\r\nEtag: 0\r\n\r\n");
        assertEquals(304, notModified.response().status());
        assertArrayEquals(new byte[0], notModified.response().body());
        assertEquals(204, parse("HTTP/1.1 204 No Content\r\n\r\n").response().status());
    }

    @Test
    void decodesAChunkedBody() throws Exception {
        var parsed = parse("""
                HTTP/1.1 200 OK\r
                Transfer-Encoding: chunked\r
                \r
                5;ext=1\r
                hello\r
                7\r
                , world\r
                0\r
                \r
                """);
        assertEquals("hello, world", parsed.response().bodyText());
        assertNull(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n"));
    }

    @Test
    void refusesWhatIsNotAResponse() {
        assertThrows(MalformedResponseException.class, () -> parse("SSH-2.0-OpenSSH\r\n\r\n"));
        assertThrows(MalformedResponseException.class, () -> parse("HTTP/1.1 200 OK\r\nno colon\r\n\r\n"));
        assertThrows(MalformedResponseException.class, () -> parse("HTTP/1.1 200 OK\r\n\r\n"));
        assertThrows(MalformedResponseException.class, () -> parse("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"));
        assertThrows(MalformedResponseException.class,
                () -> parse("HTTP/1.1 200 OK\r\nContent-Length: " + (ResponseParser.MAX_BODY_BYTES + 1) + "\r\n\r\n"));
    }

    @Test
    void aHeadIsAcceptedUpToItsLimitAndRefusedBeyond() throws Exception {
        String atLimit = "X".repeat(ResponseParser.MAX_HEAD_BYTES);
        assertNull(parse(atLimit));
        assertThrows(MalformedResponseException.class, () -> parse(atLimit + "X"));
    }
}
