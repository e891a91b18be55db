package io.loompush.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestReaderTest {
    private static final Limits LIMITS = Limits.withMaxBody(16);
    private int continues;

    private RequestReader reader(InputStream in) {
        return new RequestReader(in, millis -> {}, () -> continues++, LIMITS, Duration.ofSeconds(5));
    }

    private RequestReader reader(String text) {
        return reader(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void readsPipelinedRequestsInOrderAndThenEndOfStream() throws Exception {
        var reader = reader("""
                POST /publish/a HTTP/1.1\r
                Host: h\r
                Content-Length: 5\r
                \r
                helloGET /poll/a HTTP/1.1\r
                Host: h\r
                \r
                """);
        Request first = reader.read(true);
        assertEquals("POST", first.method());
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), first.body());
        assertEquals("/poll/a", reader.read(false).path());
        assertNull(reader.read(false));
    }

    @Test
    void decodesChunkedBodiesWithTrailers() throws Exception {
        Request r = reader("""
                POST /publish/a HTTP/1.1\r
                Host: h\r
                Transfer-Encoding: chunked\r
                \r
                5\r
                hello\r
                3;ext=1\r
                 yo\r
                0\r
                Trailer: x\r
                \r
                """).read(true);
        assertEquals("hello yo", new String(r.body(), StandardCharsets.US_ASCII));
    }

    @Test
    void chunkedBodyOverTheLimitIs413() {
        var reader = reader("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "10\r\n" + "x".repeat(16) + "\r\n1\r\ny\r\n0\r\n\r\n");
        assertEquals(413, assertThrows(HttpError.class, () -> reader.read(true)).status());
    }

    @Test
    void chunkDataLongerThanItsSizeIs400() {
        var reader = reader("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n");
        assertEquals(400, assertThrows(HttpError.class, () -> reader.read(true)).status());
    }

    @Test
    void answersExpectContinueBeforeReadingTheBodyAndRefusesOtherExpectations() throws Exception {
        Request r = reader("POST /p HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi").read(true);
        assertEquals("hi", new String(r.body(), StandardCharsets.US_ASCII));
        assertEquals(0, continues, "the body was already there: no need to ask for it");
        var waiting = reader(new Silent("POST /p HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"));
        assertEquals(408, assertThrows(HttpError.class, () -> waiting.read(true)).status());
        assertEquals(1, continues);
        var odd = reader("POST /p HTTP/1.1\r\nHost: h\r\nExpect: teapot\r\nContent-Length: 2\r\n\r\nhi");
        assertEquals(417, assertThrows(HttpError.class, () -> odd.read(true)).status());
    }

    @Test
    void peerClosingMidHeadIsEndOfStream() {
        var reader = reader("GET /poll/a HTTP/1.1\r\nHo");
        assertThrows(EOFException.class, () -> reader.read(true));
    }

    @Test
    void silenceOnAFreshConnectionIs408ButOnAnIdleKeepAliveConnectionACloseWithoutAnswer() throws Exception {
        var silent = reader(new Silent(""));
        assertEquals(408, assertThrows(HttpError.class, () -> silent.read(true)).status());
        assertNull(reader(new Silent("")).read(false));
    }

    @Test
    void aHeadThatStopsHalfwayIs408EvenBetweenRequests() {
        var reader = reader(new Silent("GET /poll/a HTTP/1.1\r\n"));
        assertEquals(408, assertThrows(HttpError.class, () -> reader.read(false)).status());
    }

    @Test
    void readsAHeadThatArrivesOneByteAtATime() throws Exception {
        byte[] text = ("GET /poll/a HTTP/1.1\r\nHost: h\r\nX-Long: " + "v".repeat(3000) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        var trickle = new InputStream() {
            int at;

            @Override
            public int read() {
                return at < text.length ? text[at++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }
        };
        assertEquals(3000, reader(trickle).read(true).headers().first("X-Long").length());
    }

    /** Gives its bytes, then times out like a socket whose peer went quiet. */
    private static final class Silent extends InputStream {
        private final byte[] bytes;
        private int at;

        Silent(String text) {
            bytes = text.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public int read() throws IOException {
            if (at < bytes.length) {
                return bytes[at++];
            }
            throw new SocketTimeoutException("quiet");
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (at == bytes.length) {
                throw new SocketTimeoutException("quiet");
            }
            int n = Math.min(len, bytes.length - at);
            System.arraycopy(bytes, at, b, off, n);
            at += n;
            return n;
        }
    }
}
