package io.loompush.server;

import io.loompush.server.http.Json;
import io.loompush.server.net.Link;
import io.loompush.server.push.Batch;
import io.loompush.server.push.Cursor;
import io.loompush.server.push.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * {@code GET /sse/{channels}}: Server-Sent Events, one event per message whose
 * id is the cursor just after it, an event {@code gap} before the first
 * message after a gap, a comment as heartbeat. The body is close-delimited:
 * the stream ends when the connection does.
 */
final class SseStream extends Stream {
    private static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.US_ASCII);

    private final FanOut<byte[]> fanOut;
    private long lastWrite;

    /** @param fanOut the event a fan-out's streams share (see {@link #event}) */
    SseStream(PollSpec spec, Link link, Shared shared, FanOut<byte[]> fanOut) {
        super(spec, link, shared);
        this.fanOut = fanOut;
    }

    /** The response head: 200, {@code text/event-stream}, no length, closed at the end. */
    static byte[] head(String allowOrigin) {
        var head = new StringBuilder(200).append("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                + "Cache-Control: no-store\r\nX-Accel-Buffering: no\r\nConnection: close\r\n");
        if (allowOrigin != null) {
            head.append("Access-Control-Allow-Origin: ").append(allowOrigin).append("\r\nVary: Origin\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One message as an event on a one-channel stream, where its id is the cursor. */
    static byte[] event(Message m) {
        var out = new StringBuilder(96 + m.data().length);
        appendEvent(out, m.id(), m);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What a client sends after its request is no concern of a stream's: it is dropped. */
    @Override
    boolean opened(byte[] early) {
        lastWrite = System.nanoTime();
        return true;
    }

    @Override
    byte[] encode(Batch batch, String[] names, String[] epochs, long[] since) {
        Message only = AnswerJson.onlyMessage(batch, names);
        if (only != null) {
            return fanOut.answer(only);
        }
        String[] atEpochs = epochs.clone();
        long[] at = since.clone();
        List<String> channels = Arrays.asList(names);
        var out = new StringBuilder(128 * (batch.messages().size() + 1));
        if (batch.gap()) {
            appendGap(out, batch, names, atEpochs, at);
        }
        List<Message> messages = batch.messages();
        for (int k = 0; k < messages.size(); k++) {
            Message m = messages.get(k);
            if (k >= batch.carried()) {
                int i = channels.indexOf(m.channel());
                atEpochs[i] = m.epoch();
                at[i] = m.seq();
            }
            appendEvent(out, new Cursor(atEpochs, at).format(channels), m);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The gap event, before the first message after the gap: its id moves the
     * gapped channels to just before their first message here (or, without
     * one, to where the answer leaves them), so a client that reconnects with
     * it is not told of the same gap again.
     */
    private static void appendGap(StringBuilder out, Batch batch, String[] names, String[] atEpochs, long[] at) {
        var gapped = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if (!batch.gaps()[i]) {
                continue;
            }
            Message first = firstOf(batch, names[i]);
            atEpochs[i] = first != null ? first.epoch() : batch.epochs()[i];
            at[i] = first != null ? first.seq() - 1 : batch.positions()[i];
            gapped.append(gapped.isEmpty() ? "" : ",");
            Json.appendString(gapped, names[i]);
        }
        out.append("event: gap\nid: ").append(new Cursor(atEpochs, at).format(Arrays.asList(names)))
                .append("\ndata: {\"channels\":[").append(gapped).append("]}\n\n");
    }

    private static Message firstOf(Batch batch, String channel) {
        List<Message> messages = batch.messages();
        for (int k = batch.carried(); k < messages.size(); k++) {
            if (messages.get(k).channel().equals(channel)) {
                return messages.get(k);
            }
        }
        return null;
    }

    /** The message object's JSON has no line break in it (they are escaped), so it is one data line. */
    private static void appendEvent(StringBuilder out, String id, Message m) {
        out.append("id: ").append(id).append("\ndata: ");
        AnswerJson.appendMessage(out, m);
        out.append("\n\n");
    }

    @Override
    void wrote(long now) {
        lastWrite = now;
    }

    @Override
    long nextBeat() {
        return lastWrite + shared.heartbeatNanos();
    }

    /** A comment, only when nothing else was written for a whole heartbeat. */
    @Override
    boolean beat(long now) throws IOException {
        if (now - nextBeat() >= 0) {
            link.write(HEARTBEAT);
            lastWrite = now;
        }
        return true;
    }

    /** The stream ends: the connection closes, and the client reconnects with its last event id. */
    @Override
    void goingAway() {}

    /** The stream ends; the client's reconnect with the same token gets 401 and it fetches a fresh one. */
    @Override
    void expired() {}

    /** The client sends nothing on a stream: what it sends anyway is dropped, until it closes. */
    @Override
    boolean received(byte[] bytes, int n) {
        return true;
    }
}
