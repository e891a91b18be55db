package io.loompush.sim.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The bytes of the few requests the simulator sends. */
public final class Requests {
    private Requests() {}

    /** @param fields extra header fields as {@code "Name: value"} */
    public static byte[] get(String target, String host, List<String> fields) {
        return head("GET", target, host, fields).append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A Server-Sent Events request: {@code Accept: text/event-stream}, then {@code Last-Event-ID} when
     * resuming, then {@code more}.
     *
     * @param lastEventId the id of the last event received, or null for none
     */
    public static byte[] eventStream(String target, String host, String lastEventId, List<String> more) {
        var fields = new ArrayList<String>(2 + more.size());
        fields.add("Accept: text/event-stream");
        if (lastEventId != null) {
            fields.add("Last-Event-ID: " + lastEventId);
        }
        fields.addAll(more);
        return get(target, host, fields);
    }

    public static byte[] post(String target, String host, List<String> fields, byte[] body) {
        byte[] head = head("POST", target, host, fields)
                .append("Content-Length: ").append(body.length).append("\r\n\r\n")
                .toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static StringBuilder head(String method, String target, String host, List<String> fields) {
        var head = new StringBuilder(96).append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ")
                .append(host).append("\r\n");
        for (String field : fields) {
            head.append(field).append("\r\n");
        }
        return head;
    }
}
