package io.loompush.server.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * The HTTP/1.1 request head parser: pure functions over bytes, with the limits
 * as arguments, so every rule is tested without a socket.
 *
 * <p>Strict by design (RFC 9112): lines end in CRLF and nothing else, no
 * whitespace before a field's colon, no obs-fold, no control characters, one
 * Host, and a body is framed by exactly one valid Content-Length or by
 * {@code Transfer-Encoding: chunked}, never both. Anything else is a 400 and
 * the connection closes, because a lenient parser in front of another server
 * is how request smuggling starts.
 */
public final class RequestParser {
    /** {@link #bodyLength} answer for a chunked body. */
    public static final long CHUNKED = -1;
    /** Empty lines tolerated before a request line (RFC 9112 section 2.2). */
    static final int MAX_LEADING_EMPTY_LINES = 4;

    private RequestParser() {}

    /**
     * Skips the empty lines some clients send between requests.
     *
     * @return where the request line starts (or where more input is needed)
     */
    public static int skipEmptyLines(byte[] b, int from, int to) throws HttpError {
        int lines = 0;
        while (from < to && (b[from] == '\r' || b[from] == '\n')) {
            if (b[from] == '\n' || from + 1 < to && b[from + 1] != '\n') {
                throw new HttpError(400, "bare CR or LF in request head");
            }
            if (from + 1 == to) {
                return from;
            }
            if (++lines > MAX_LEADING_EMPTY_LINES) {
                throw new HttpError(400, "too many empty lines before the request");
            }
            from += 2;
        }
        return from;
    }

    /**
     * Finds the end of the head that starts at {@code from}.
     *
     * @return the index just past the CRLF of the final empty line, or -1 when
     *         the head is not complete yet and is still within the limits
     * @throws HttpError 414 for a request line over the limit, 431 for a head
     *         over the limit, 400 for a bare CR or LF
     */
    public static int headEnd(byte[] b, int from, int to, Limits limits) throws HttpError {
        int lineStart = from;
        boolean firstLine = true;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '\r') {
                if (i + 1 < to && b[i + 1] != '\n') {
                    throw new HttpError(400, "bare CR in request head");
                }
                continue;
            }
            if (c != '\n') {
                continue;
            }
            if (i == from || b[i - 1] != '\r') {
                throw new HttpError(400, "bare LF in request head");
            }
            if (firstLine) {
                if (i - 1 - from > limits.maxRequestLine()) {
                    throw new HttpError(414, "request line too long");
                }
                // Refuse garbage (a TLS handshake, a wrong protocol) now rather than wait for a head that never ends.
                requestLine(b, from, i - 1);
                firstLine = false;
            }
            if (i + 1 - from > limits.maxHeadBytes()) {
                throw new HttpError(431, "request head too large");
            }
            if (i - 1 == lineStart) {
                return i + 1;
            }
            lineStart = i + 1;
        }
        if (firstLine && to - from > limits.maxRequestLine() + 1) {
            throw new HttpError(414, "request line too long");
        }
        if (to - from > limits.maxHeadBytes()) {
            throw new HttpError(431, "request head too large");
        }
        return -1;
    }

    /**
     * Parses a complete head, {@code b[from, end)} as found by {@link #headEnd}.
     * The request comes back with an empty body.
     */
    public static Request parseHead(byte[] b, int from, int end, Limits limits) throws HttpError {
        int lineEnd = indexOfCrlf(b, from, end);
        String[] line = requestLine(b, from, lineEnd);
        String version = line[2];

        var fields = new ArrayList<Headers.Field>();
        int lineStart = lineEnd + 2;
        while (lineStart < end - 2) {
            lineEnd = indexOfCrlf(b, lineStart, end);
            if (fields.size() == limits.maxHeaderFields()) {
                throw new HttpError(431, "too many header fields");
            }
            fields.add(field(b, lineStart, lineEnd));
            lineStart = lineEnd + 2;
        }
        var headers = new Headers(fields);
        int hosts = headers.count("Host");
        if (hosts > 1 || hosts == 0 && version.equals("HTTP/1.1")) {
            throw new HttpError(400, hosts == 0 ? "missing Host header" : "duplicate Host header");
        }
        return new Request(line[0], line[1], version, headers, new byte[0]);
    }

    /** Method, target and version of {@code b[from, to)}, the request line without its CRLF. */
    private static String[] requestLine(byte[] b, int from, int to) throws HttpError {
        int sp1 = indexOf(b, (byte) ' ', from, to);
        int sp2 = sp1 < 0 ? -1 : indexOf(b, (byte) ' ', sp1 + 1, to);
        String method = null;
        String target = null;
        String version = null;
        if (sp1 > from && sp2 > sp1 + 1 && sp2 < to - 1) {
            method = token(b, from, sp1);
            target = target(b, sp1 + 1, sp2);
            version = ascii(b, sp2 + 1, to);
        }
        if (method == null || target == null) {
            throw new HttpError(400, "malformed request line");
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            if (version.matches("HTTP/[0-9]\\.[0-9]")) {
                throw new HttpError(505, "HTTP version not supported");
            }
            throw new HttpError(400, "malformed request line");
        }
        return new String[] {method, target, version};
    }

    /**
     * How the body of this request is framed.
     *
     * @return the body's length in bytes (0 when there is none), or {@link #CHUNKED}
     * @throws HttpError 400 for ambiguous or invalid framing, 413 for a body over the limit
     */
    public static long bodyLength(Request head, Limits limits) throws HttpError {
        Headers headers = head.headers();
        int lengths = headers.count("Content-Length");
        int encodings = headers.count("Transfer-Encoding");
        if (lengths > 0 && encodings > 0) {
            throw new HttpError(400, "both Content-Length and Transfer-Encoding");
        }
        if (encodings > 0) {
            if (head.http10()) {
                // RFC 9112 section 6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
                throw new HttpError(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (encodings > 1 || !headers.first("Transfer-Encoding").equalsIgnoreCase("chunked")) {
                throw new HttpError(400, "unsupported Transfer-Encoding");
            }
            return CHUNKED;
        }
        if (lengths == 0) {
            return 0;
        }
        if (lengths > 1) {
            throw new HttpError(400, "duplicate Content-Length");
        }
        long length = decimal(headers.first("Content-Length"));
        if (length < 0) {
            throw new HttpError(400, "invalid Content-Length");
        }
        if (length > limits.maxBodyBytes()) {
            throw new HttpError(413, "body too large");
        }
        return length;
    }

    /**
     * Whether the client waits for {@code 100 Continue} before its body.
     *
     * @throws HttpError 417 for any other expectation
     */
    public static boolean expectsContinue(Request head) throws HttpError {
        String expect = head.headers().first("Expect");
        if (expect == null || head.http10()) {
            return false;
        }
        if (!expect.equalsIgnoreCase("100-continue")) {
            throw new HttpError(417, "unsupported expectation");
        }
        return true;
    }

    /** A non-negative decimal of at most 18 digits, or -1. */
    private static long decimal(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static Headers.Field field(byte[] b, int from, int to) throws HttpError {
        if (b[from] == ' ' || b[from] == '\t') {
            throw new HttpError(400, "obsolete line folding");
        }
        int colon = indexOf(b, (byte) ':', from, to);
        if (colon <= from) {
            throw new HttpError(400, "malformed header field");
        }
        String name = token(b, from, colon);
        if (name == null) {
            throw new HttpError(400, "malformed header field name");
        }
        int start = colon + 1;
        int end = to;
        while (start < end && (b[start] == ' ' || b[start] == '\t')) {
            start++;
        }
        while (end > start && (b[end - 1] == ' ' || b[end - 1] == '\t')) {
            end--;
        }
        for (int i = start; i < end; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                throw new HttpError(400, "control character in header value");
            }
        }
        return new Headers.Field(name, new String(b, start, end - start, StandardCharsets.ISO_8859_1));
    }

    /** An RFC 9110 token, or null when a byte is not a tchar. */
    private static String token(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!tchar(b[i])) {
                return null;
            }
        }
        return ascii(b, from, to);
    }

    /** An origin-form target ("/..."), visible ASCII only, or null. */
    /** The target in origin-form (path and query), or null when it is not a valid origin- or absolute-form. */
    private static String target(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0x21 || b[i] > 0x7E) {
                return null;
            }
        }
        String raw = ascii(b, from, to);
        return raw.charAt(0) == '/' ? raw : originFormOf(raw);
    }

    /**
     * An absolute-form target ({@code http://host:port/path?query}), which RFC
     * 9112 section 3.2.2 says a server must accept, as its origin-form: what
     * follows the authority, "/" when that is empty. The authority itself means
     * nothing here (a push server serves its own paths under any name); one
     * that is empty or carries userinfo, which RFC 9110 section 4.2.4 forbids
     * in an http URI, is refused.
     */
    static String originFormOf(String raw) {
        int authority = raw.regionMatches(true, 0, "http://", 0, 7) ? 7
                : raw.regionMatches(true, 0, "https://", 0, 8) ? 8 : -1;
        if (authority < 0) {
            return null;
        }
        int end = authority;
        while (end < raw.length() && raw.charAt(end) != '/' && raw.charAt(end) != '?') {
            if (raw.charAt(end) == '@' || raw.charAt(end) == '#') {
                return null;
            }
            end++;
        }
        if (end == authority) {
            return null;
        }
        String rest = raw.substring(end);
        return rest.isEmpty() || rest.charAt(0) == '?' ? "/" + rest : rest;
    }

    private static boolean tchar(byte c) {
        return tchar((char) c);
    }

    /** A tchar of RFC 9110's token rule. */
    static boolean tchar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c > 0 && c < 128 && "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.US_ASCII);
    }

    private static int indexOfCrlf(byte[] b, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return to;
    }

    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
