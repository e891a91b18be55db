package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

/** The body of a publish's 200: {@code {"channel":...,"id":...,"receivers":...}}. */
record PublishAnswer(String channel, String id, long receivers) {

    /** Reads a publish response, failing the test unless it is a 200 JSON answer. */
    static PublishAnswer of(RawResponse response) {
        assertEquals(200, response.status(), () -> "publish answer: " + response);
        Map<String, Object> json = response.json();
        return new PublishAnswer((String) json.get("channel"), (String) json.get("id"), (Long) json.get("receivers"));
    }
}
