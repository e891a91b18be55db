package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

/** The body of a poll's 200: {@code {"cursor":...,"messages":[...],"gap":...}}. */
record PollAnswer(String cursor, List<Message> messages, boolean gap) {
    /** One delivered message; {@code data} is null when the payload came as {@code data_b64}. */
    record Message(String channel, String id, String data, String dataBase64) {}

    PollAnswer {
        messages = List.copyOf(messages);
    }

    /** Reads a poll response, failing the test unless it is a 200 JSON answer. */
    static PollAnswer of(RawResponse response) {
        assertEquals(200, response.status(), () -> "poll answer: " + response);
        assertEquals("application/json", response.header("Content-Type"));
        return of(response.json());
    }

    /** The same answer as a WebSocket frame's text carries it. */
    static PollAnswer of(String json) {
        return of(Json.object(json));
    }

    private static PollAnswer of(Map<String, Object> json) {
        var messages = ((List<?>) json.get("messages")).stream()
                .map(m -> (Map<?, ?>) m)
                .map(m -> new Message((String) m.get("channel"), (String) m.get("id"), (String) m.get("data"),
                        (String) m.get("data_b64")))
                .toList();
        return new PollAnswer((String) json.get("cursor"), messages, (Boolean) json.get("gap"));
    }

    List<String> data() {
        return messages.stream().map(Message::data).toList();
    }

    List<String> ids() {
        return messages.stream().map(Message::id).toList();
    }
}
