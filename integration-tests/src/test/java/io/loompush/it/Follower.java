package io.loompush.it;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One long-poll client that follows its channels for as long as a test runs,
 * the way a real mobile client does: it polls, sends each answer's cursor with
 * the next poll, and when its node goes away it polls the next node of its list
 * with the same cursor. It records what a client would see, and nothing that
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

    /** One answer that said {@code gap:true}: the cursor sent, and the answer. */
    record Gap(String since, PollAnswer answer) {}

    /** A poll whose connection was lost before its answer: the node's port, when it was sent, what was seen. */
    record Drop(int port, long sentAtNanos, String seen) {}

    private final String channels;
    private final List<Integer> ports;
    private final Duration hold;
    private final Map<String, List<String>> received = new HashMap<>();
    private final List<Gap> gaps = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicInteger answers = new AtomicInteger();
    private final List<Drop> drops = new ArrayList<>();
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
    Follower(String channels, List<Integer> ports, Duration hold) {
        this.channels = channels;
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
                poll(connection);
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
        var answer = PollAnswer.of(response);
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
        if (response.closing()) {
            closeConnection();
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
