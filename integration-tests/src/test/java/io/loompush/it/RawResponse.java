package io.loompush.it;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One response as it came off the wire: status, header fields in arrival
 * order, and the body that Content-Length framed.
 */
record RawResponse(int status, List<Field> headers, byte[] body) {
    record Field(String name, String value) {}

    RawResponse {
        headers = List.copyOf(headers);
    }

    /** The value of the first field with this name (case-insensitive), or null. */
    String header(String name) {
        for (var field : headers) {
            if (field.name().equalsIgnoreCase(name)) {
                return field.value();
            }
        }
        return null;
    }

    /** Whether the server announced that it closes the connection after this response. */
    boolean closing() {
        return "close".equalsIgnoreCase(header("Connection"));
    }

    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as a JSON object. */
    Map<String, Object> json() {
        return Json.object(text());
    }

    @Override
    public String toString() {
        return status + " " + headers + " " + text();
    }
}
