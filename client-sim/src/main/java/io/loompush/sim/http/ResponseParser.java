package io.loompush.sim.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses one HTTP/1.1 response from the bytes read so far: a function over
 * bytes, so it is tested without a socket. It answers null while the
 * response is incomplete; the reader reads more and asks again. Bodies come
 * by {@code Content-Length} or chunked; 1xx, 204 and 304 have none.
 */
public final class ResponseParser {
    /** The longest response head accepted; servers send a few hundred bytes. */
    public static final int MAX_HEAD_BYTES = 16 * 1024;
    /** The largest body accepted: a poll answer of 1000 messages of 8 KiB fits. */
    public static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    /** The longest chunk-size line accepted (hex digits and extensions). */
    private static final int MAX_CHUNK_LINE = 256;

    /** @param consumed how many of the given bytes the response took */
    public record Parsed(HttpResponse response, int consumed) {}

    private ResponseParser() {}

    /**
     * A response head: the status line and the fields, without the body.
     *
     * @param bodyStart where the body starts, just after the blank line
     */
    public record Head(int status, List<HttpResponse.Field> fields, boolean keepAlive, int bodyStart) {
        public Head {
            fields = List.copyOf(fields);
        }

        /** The head as a response with no body: a stream's, whose body is read apart. */
        public HttpResponse response() {
            return new HttpResponse(status, fields, new byte[0], keepAlive);
        }
    }

    /** @return the head, or null when {@code data[0..length)} does not hold all of it yet */
    public static Head head(byte[] data, int length) throws MalformedResponseException {
        int headEnd = indexOf(data, 0, length, "\r\n\r\n");
        if (headEnd < 0) {
            if (length > MAX_HEAD_BYTES) {
                throw new MalformedResponseException("response head over " + MAX_HEAD_BYTES + " bytes");
            }
            return null;
        }
        List<String> lines = lines(new String(data, 0, headEnd, StandardCharsets.ISO_8859_1));
        String first = lines.getFirst();
        String version = first.length() >= 12 ? first.substring(0, 8) : "";
        if (!(version.equals("HTTP/1.1") || version.equals("HTTP/1.0")) || first.charAt(8) != ' '
                || !statusDigits(first) || (first.length() > 12 && first.charAt(12) != ' ')) {
            throw new MalformedResponseException("not an HTTP/1.x status line: " + printable(first));
        }
        int status = Integer.parseInt(first, 9, 12, 10);
        var fields = new ArrayList<HttpResponse.Field>(lines.size());
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedResponseException("malformed header field: " + printable(line));
            }
            fields.add(new HttpResponse.Field(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
        }
        return new Head(status, fields, keepAlive(version, fields), headEnd + 4);
    }

    /** @return the response, or null when {@code data[0..length)} does not hold all of it yet */
    public static Parsed parse(byte[] data, int length) throws MalformedResponseException {
        Head head = head(data, length);
        if (head == null) {
            return null;
        }
        int status = head.status();
        List<HttpResponse.Field> fields = head.fields();
        boolean keepAlive = head.keepAlive();
        int bodyStart = head.bodyStart();
        if (status < 200 || status == 204 || status == 304) {
            return new Parsed(new HttpResponse(status, fields, new byte[0], keepAlive), bodyStart);
        }
        String encoding = first(fields, "Transfer-Encoding");
        if (encoding != null && encoding.toLowerCase().contains("chunked")) {
            return chunked(data, bodyStart, length, status, fields, keepAlive);
        }
        String contentLength = first(fields, "Content-Length");
        if (contentLength == null) {
            throw new MalformedResponseException("response " + status + " without Content-Length or chunked body");
        }
        long bodyLength;
        try {
            bodyLength = Long.parseLong(contentLength);
        } catch (NumberFormatException e) {
            throw new MalformedResponseException("bad Content-Length: " + printable(contentLength));
        }
        if (bodyLength < 0 || bodyLength > MAX_BODY_BYTES) {
            throw new MalformedResponseException("Content-Length " + bodyLength + " out of range 0 to " + MAX_BODY_BYTES);
        }
        if (length - bodyStart < bodyLength) {
            return null;
        }
        byte[] body = Arrays.copyOfRange(data, bodyStart, bodyStart + (int) bodyLength);
        return new Parsed(new HttpResponse(status, fields, body, keepAlive), bodyStart + (int) bodyLength);
    }

    private static Parsed chunked(byte[] data, int at, int length, int status, List<HttpResponse.Field> fields,
                                  boolean keepAlive) throws MalformedResponseException {
        var body = new ByteArrayOutputStream();
        while (true) {
            int lineEnd = indexOf(data, at, length, "\r\n");
            if (lineEnd < 0) {
                if (length - at > MAX_CHUNK_LINE) {
                    throw new MalformedResponseException("chunk size line over " + MAX_CHUNK_LINE + " bytes");
                }
                return null;
            }
            String line = new String(data, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int semicolon = line.indexOf(';');
            String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new MalformedResponseException("bad chunk size: " + printable(line));
            }
            if (size < 0 || body.size() + size > MAX_BODY_BYTES) {
                throw new MalformedResponseException("chunked body over " + MAX_BODY_BYTES + " bytes");
            }
            at = lineEnd + 2;
            if (size == 0) {
                int trailerEnd = at + 2 <= length && data[at] == '\r' && data[at + 1] == '\n'
                        ? at - 2
                        : indexOf(data, at, length, "\r\n\r\n");
                if (trailerEnd < 0) {
                    return null;
                }
                return new Parsed(new HttpResponse(status, fields, body.toByteArray(), keepAlive), trailerEnd + 4);
            }
            if (length - at < size + 2) {
                return null;
            }
            body.write(data, at, (int) size);
            at += (int) size;
            if (data[at] != '\r' || data[at + 1] != '\n') {
                throw new MalformedResponseException("chunk not followed by CRLF");
            }
            at += 2;
        }
    }

    /** The head's lines; split by hand, as this runs for every answer of every client. */
    private static List<String> lines(String head) {
        var lines = new ArrayList<String>(8);
        int start = 0;
        for (int end = head.indexOf("\r\n"); end >= 0; end = head.indexOf("\r\n", start)) {
            lines.add(head.substring(start, end));
            start = end + 2;
        }
        lines.add(head.substring(start));
        return lines;
    }

    private static boolean statusDigits(String statusLine) {
        return statusLine.charAt(9) >= '1' && statusLine.charAt(9) <= '5'
                && isDigit(statusLine.charAt(10)) && isDigit(statusLine.charAt(11));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean keepAlive(String version, List<HttpResponse.Field> fields) {
        String connection = first(fields, "Connection");
        String tokens = connection == null ? "" : connection.toLowerCase();
        return version.equals("HTTP/1.1") ? !tokens.contains("close") : tokens.contains("keep-alive");
    }

    /** The first field of that name, case-insensitive, or null. */
    public static String first(List<HttpResponse.Field> fields, String name) {
        for (var field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                return field.value();
            }
        }
        return null;
    }

    private static int indexOf(byte[] data, int from, int length, String pattern) {
        outer:
        for (int i = from; i + pattern.length() <= length; i++) {
            for (int j = 0; j < pattern.length(); j++) {
                if (data[i + j] != pattern.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
