package io.loompush.sim.protocol;

import io.loompush.sim.http.HttpResponse;
import io.loompush.sim.http.MalformedResponseException;
import io.loompush.sim.http.ResponseParser;
import java.nio.charset.StandardCharsets;

/** Hand-written responses, as they would come off the wire, for the adapters' tests. */
final class Exchanges {
    private Exchanges() {}

    static HttpResponse response(String raw) {
        byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        try {
            var parsed = ResponseParser.parse(bytes, bytes.length);
            if (parsed == null || parsed.consumed() != bytes.length) {
                throw new IllegalArgumentException("not one whole response: " + raw);
            }
            return parsed.response();
        } catch (MalformedResponseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A 200 with this body and a correct Content-Length. */
    static HttpResponse ok(String contentType, String body, String... fields) {
        var raw = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: ").append(contentType).append("\r\n");
        for (String field : fields) {
            raw.append(field).append("\r\n");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        raw.append("Content-Length: ").append(bytes.length).append("\r\n\r\n")
                .append(new String(bytes, StandardCharsets.ISO_8859_1));
        return response(raw.toString());
    }

    static String text(byte[] request) {
        return new String(request, StandardCharsets.ISO_8859_1);
    }
}
