package io.loompush.server.http;

import java.util.List;

/** The header fields of a request in arrival order; names compare case-insensitively. */
public record Headers(List<Field> fields) {
    public record Field(String name, String value) {}

    public Headers {
        fields = List.copyOf(fields);
    }

    /** The value of the first field with this name, or null. */
    public String first(String name) {
        for (var field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                return field.value();
            }
        }
        return null;
    }

    public int count(String name) {
        int n = 0;
        for (var field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                n++;
            }
        }
        return n;
    }
}
