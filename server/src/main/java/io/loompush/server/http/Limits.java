package io.loompush.server.http;

/**
 * The bounds on a request, each mapped to one status by the parser.
 *
 * @param maxRequestLine  bytes of the request line, CRLF excluded (414 beyond)
 * @param maxHeadBytes    bytes of the whole head, final empty line included (431 beyond)
 * @param maxHeaderFields header fields in the head (431 beyond)
 * @param maxBodyBytes    bytes of a body, after chunked decoding (413 beyond)
 */
public record Limits(int maxRequestLine, int maxHeadBytes, int maxHeaderFields, int maxBodyBytes) {
    public static final int REQUEST_LINE = 8192;
    public static final int HEAD_BYTES = 16384;
    public static final int HEADER_FIELDS = 100;

    public static Limits withMaxBody(int maxBodyBytes) {
        return new Limits(REQUEST_LINE, HEAD_BYTES, HEADER_FIELDS, maxBodyBytes);
    }
}
