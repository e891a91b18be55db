package io.loompush.server;

import io.loompush.server.http.Json;
import io.loompush.server.push.Batch;
import io.loompush.server.push.Cursor;
import io.loompush.server.push.Message;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** The JSON every transport carries: a poll answer, and the message object inside it. */
final class AnswerJson {
    private AnswerJson() {}

    /** {@code {"cursor":…,"messages":[…],"gap":…}}: a poll's body, a WebSocket's frame. */
    static String answer(Batch batch, String[] channels) {
        var json = new StringBuilder(64 + batch.messages().size() * 96);
        json.append("{\"cursor\":\"")
                .append(new Cursor(batch.epochs(), batch.positions()).format(Arrays.asList(channels)))
                .append("\",\"messages\":[");
        String separator = "";
        for (Message m : batch.messages()) {
            json.append(separator);
            appendMessage(json, m);
            separator = ",";
        }
        return json.append("],\"gap\":").append(batch.gap()).append('}').toString();
    }

    /** The answer whose only message is this one, on its only channel: its cursor is the message's id. */
    static String answer(Message m) {
        return answer(new Batch(List.of(m), 0, new String[] {m.epoch()}, new long[] {m.seq()}, new boolean[1]),
                new String[] {m.channel()});
    }

    /** {@code {"channel":…,"id":…,"data":…}}, or {@code data_b64} for a payload that is not UTF-8. */
    static void appendMessage(StringBuilder json, Message m) {
        json.append("{\"channel\":");
        Json.appendString(json, m.channel());
        json.append(",\"id\":\"").append(m.id()).append("\",\"data\":");
        int dataAt = json.length() - 8;
        if (!Json.appendUtf8(json, m.data())) {
            json.setLength(dataAt);
            json.append(",\"data_b64\":\"").append(Base64.getEncoder().encodeToString(m.data())).append('"');
        }
        json.append('}');
    }

    /**
     * The answer's one message when the answer depends on that message alone,
     * else null: exactly one message, on a one-channel subscription, without a
     * gap, and the cursor is that message's id. In a fan-out, every subscriber
     * of the channel then gets the same bytes, built once ({@link FanOut}).
     */
    static Message onlyMessage(Batch batch, String[] channels) {
        if (batch.messages().size() != 1 || channels.length != 1 || batch.gap()) {
            return null;
        }
        Message m = batch.messages().getFirst();
        return batch.positions()[0] == m.seq() && batch.epochs()[0].equals(m.epoch()) ? m : null;
    }
}
