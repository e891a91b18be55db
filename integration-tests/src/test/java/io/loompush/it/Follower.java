package io.loompush.it;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client that follows its channels for as long as a test runs, the way a
 * real client does: it polls, sends each answer's cursor with the next poll,
 * and when its node goes away it polls the next node of its list with the
 * same cursor. On a stream ({@link Transport#SSE}, {@link Transport#WS}) it
 * keeps the last cursor it was given (an event's id, a frame's cursor) and
 * opens the stream again with it, as a browser's EventSource does. It records what a client would see, and nothing that
 * the server says about itself: every message per channel in arrival order,
 * every {@code gap:true}, every status other than 200, every connection lost
 * with a request unanswered.
 *
 * <pre>
 *   connect to node i ──refused or reset──> i = i + 1 (mod nodes), a short pause, connect again
 *        │
 *        └─> poll with cursor ──200──> record; Connection: close ──> connect again
 *              │        └──────other status──> record an error, connect again
 *              └─connection lost before the answer──> record a drop, connect again, same cursor
 * </pre>
 *
 * A lost connection re-sends the poll with the cursor it already had, so
 * nothing that was on its way is lost; that is exactly the client's part of
 * the protocol, and what HTTP clients do with an idempotent request whose
 * keep-alive connection closed under it. Each lost poll is recorded with the
 * moment it was sent, so a test can tell a held poll that was cut from a poll
 * sent as the server closed. {@link #run} returns when the test calls
 * {@link #stop}.
 */
final class Follower implements Runnable {
    /** A refused node is tried again after this; the next one of the list is tried first. */
    private static final Duration RECONNECT_PAUSE = Duration.ofMillis(50);
    /** What a read may wait beyond the hold: longer means the server stopped answering. */
    private static final Duration READ_MARGIN = Duration.ofSeconds(15);

    /** How the follower subscribes. */
    enum Transport { POLL, SSE, WS }

    /** One answer that said {@code gap:true} (or an SSE gap event): the cursor sent, and the answer. */
    record Gap(String since, PollAnswer answer) {}

    /** A poll whose connection was lost before its answer: the node's port, when it was sent, what was seen. */
    record Drop(int port, long sentAtNanos, String seen) {}

    private final String channels;
    private final Transport transport;
    private final List<Integer> ports;
    private final Duration hold;
    private final Map<String, List<String>> received = new HashMap<>();
    private final List<Gap> gaps = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicInteger answers = new AtomicInteger();
    private final List<Drop> drops = new ArrayList<>();
    /** Close codes of the WebSocket closes the server sent. */
    private final List<Integer> closes = new ArrayList<>();
    private long sentAtNanos;
    private int moves;
    private int node;
    private String cursor;
    private volatile boolean stopped;
    private volatile RawHttpClient connection;

    /**
     * @param channels the channels polled, joined by ','
     * @param ports    the nodes, tried in this order; the follower starts on the first
     * @param hold     the {@code timeout} of each poll
     */
    Follower(String channels, Transport transport, List<Integer> ports, Duration hold) {
        this.channels = channels;
        this.transport = transport;
        this.ports = List.copyOf(ports);
        this.hold = hold;
        for (String channel : channels.split(",")) {
            received.put(channel, new ArrayList<>());
        }
    }

    @Override
    public void run() {
        while (!stopped) {
            if (connection == null && !connect()) {
                continue;
            }
            try {
                switch (transport) {
                    case POLL -> poll(connection);
                    case SSE -> sse(connection);
                    case WS -> ws(connection);
                }
            } catch (IOException e) {
                if (!stopped) {
                    drop(e);
                }
                closeConnection();
            } catch (RuntimeException | AssertionError e) {
                if (!stopped) {
                    error(e.toString());
                }
                closeConnection();
                pause();
            }
        }
        closeConnection();
    }

    /** Connects to the current node; one that refuses (or resets the handshake) sends the follower on. */
    private boolean connect() {
        try {
            connection = RawHttpClient.connect(ports.get(node), hold.plus(READ_MARGIN));
            return true;
        } catch (IOException e) {
            node = (node + 1) % ports.size();
            moves++;
            pause();
            return false;
        }
    }

    private void poll(RawHttpClient client) throws IOException {
        String since = cursor;
        sentAtNanos = System.nanoTime();
        client.sendGet("/poll/" + channels + "?timeout=" + hold.toSeconds() + (since == null ? "" : "&since=" + since));
        var response = client.read();
        if (response.status() != 200) {
            error(response.toString());
            closeConnection();
            pause();
            return;
        }
        record(since, PollAnswer.of(response));
        if (response.closing()) {
            closeConnection();
        }
    }

    private void record(String since, PollAnswer answer) {
        synchronized (this) {
            for (var message : answer.messages()) {
                received.get(message.channel()).add(message.data());
            }
            if (answer.gap()) {
                gaps.add(new Gap(since, answer));
            }
            cursor = answer.cursor();
        }
        messages.addAndGet(answer.messages().size());
        answers.incrementAndGet();
    }

    /**
     * Follows an event stream until it ends: an end between events is the
     * server's (a drain), and the stream is opened again with the last id.
     */
    private void sse(RawHttpClient client) throws IOException {
        String since = cursor;
        sentAtNanos = System.nanoTime();
        if (since == null) {
            client.sendGet("/sse/" + channels);
        } else {
            client.sendGet("/sse/" + channels, "Last-Event-ID: " + since);
        }
        var head = client.readOpening();
        if (head.status() != 200) {
            error(head.toString());
            closeConnection();
            pause();
            return;
        }
        var events = new SseEvents(client.input());
        while (!stopped) {
            SseEvents.Event event;
            try {
                event = events.nextEvent();
            } catch (EOFException e) {
                closeConnection();
                return;
            }
            synchronized (this) {
                if (event.type().equals("gap")) {
                    gaps.add(new Gap(since, null));
                } else {
                    var json = event.json();
                    received.get((String) json.get("channel")).add((String) json.get("data"));
                    messages.incrementAndGet();
                }
                cursor = event.id();
            }
            answers.incrementAndGet();
        }
    }

    /** Follows a WebSocket until the server closes it (recording the code) or the connection ends. */
    private void ws(RawHttpClient client) throws IOException {
        String since = cursor;
        sentAtNanos = System.nanoTime();
        var ws = WsConnection.open(client, "/ws/" + channels + (since == null ? "" : "?since=" + since));
        while (!stopped) {
            var frame = ws.nextAnsweringPings();
            if (frame.opcode() == WsConnection.CLOSE) {
                synchronized (this) {
                    closes.add(frame.closeCode());
                }
                closeConnection();
                return;
            }
            record(since, PollAnswer.of(frame.text()));
            since = cursor;
        }
    }

    /** Stops following: a poll held now is cut, and {@link #run} returns. */
    void stop() {
        stopped = true;
        closeConnection();
    }

    /** Messages received so far, all channels together. */
    int messages() {
        return messages.get();
    }

    int answers() {
        return answers.get();
    }

    /** What arrived on each channel, in arrival order: a copy. */
    synchronized Map<String, List<String>> received() {
        var copy = new HashMap<String, List<String>>();
        received.forEach((channel, data) -> copy.put(channel, List.copyOf(data)));
        return copy;
    }

    synchronized List<Gap> gaps() {
        return List.copyOf(gaps);
    }

    /** Statuses other than 200, and answers that were not the protocol's. */
    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    /** Connections lost with a poll sent and not answered. */
    synchronized int drops() {
        return drops.size();
    }

    synchronized List<Drop> dropsSeen() {
        return List.copyOf(drops);
    }

    /** The close codes of the WebSocket closes the server sent, in order. */
    synchronized List<Integer> closes() {
        return List.copyOf(closes);
    }

    /** How often a refused node sent the follower on to the next one. */
    int moves() {
        return moves;
    }

    String channels() {
        return channels;
    }

    private synchronized void drop(IOException e) {
        drops.add(new Drop(ports.get(node), sentAtNanos, e.toString()));
    }

    private synchronized void error(String what) {
        errors.add(what);
    }

    private void closeConnection() {
        var current = connection;
        connection = null;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // closing a socket that is already gone
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RECONNECT_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
