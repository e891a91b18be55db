package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Set;

/** What every error answer of the protocol looks like. */
final class Errors {
    private Errors() {}

    /** A JSON body {@code {"error":"<short reason>"}}, and the headers every response carries. */
    static void assertErrorBody(RawResponse response) {
        assertEquals("application/json", response.header("Content-Type"), response::toString);
        assertEquals("no-store", response.header("Cache-Control"), response::toString);
        var json = response.json();
        assertEquals(Set.of("error"), json.keySet(), response::toString);
        var reason = assertInstanceOf(String.class, json.get("error"), response::toString);
        assertFalse(reason.isBlank(), response::toString);
    }
}
