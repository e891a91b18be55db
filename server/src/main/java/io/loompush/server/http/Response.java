package io.loompush.server.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One answer. Every response carries Content-Length and
 * {@code Cache-Control: no-store} (added by {@link ResponseWriter}, unless the
 * extra headers have a Cache-Control of their own: the browser assets); the
 * extra headers are the few that vary (Allow, Retry-After, CORS, ETag).
 *
 * @param headOnly the answer to a HEAD request: the head a GET would get, Content-Length included, and no body;
 *                 also a 304, whose Content-Length is the 200's (RFC 9110 section 8.6)
 */
public record Response(int status, String contentType, byte[] body, List<Headers.Field> extraHeaders, boolean close,
                       boolean headOnly) {
    public static final String JSON = "application/json";

    public Response {
        extraHeaders = List.copyOf(extraHeaders);
    }

    public static Response json(int status, String json) {
        return new Response(status, JSON, json.getBytes(StandardCharsets.UTF_8), List.of(), false, false);
    }

    public static Response error(int status, String reason) {
        return json(status, "{\"error\":" + Json.string(reason) + "}");
    }

    public Response withHeader(String name, String value) {
        var headers = new ArrayList<>(extraHeaders);
        headers.add(new Headers.Field(name, value));
        return new Response(status, contentType, body, headers, close, headOnly);
    }

    public Response closing() {
        return close ? this : new Response(status, contentType, body, extraHeaders, true, headOnly);
    }

    /** The answer to a HEAD request for what this answers (RFC 9110 section 9.3.2). */
    public Response forHead() {
        return headOnly ? this : new Response(status, contentType, body, extraHeaders, close, true);
    }
}
