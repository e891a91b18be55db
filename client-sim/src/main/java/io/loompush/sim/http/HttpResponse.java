package io.loompush.sim.http;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One HTTP/1.1 response as it came off the wire.
 *
 * @param keepAlive whether the connection may carry the next request: HTTP/1.1
 *                  without {@code Connection: close}, or HTTP/1.0 with {@code Connection: keep-alive}
 */
public record HttpResponse(int status, List<Field> fields, byte[] body, boolean keepAlive) {
    public record Field(String name, String value) {}

    public HttpResponse {
        fields = List.copyOf(fields);
    }

    /** The first field of that name, case-insensitive, or null. */
    public String header(String name) {
        for (Field field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                return field.value();
            }
        }
        return null;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
