package io.loompush.server;

import io.loompush.server.net.Link;
import io.loompush.server.push.Batch;
import io.loompush.server.push.Cursor;
import io.loompush.server.push.Mailbox;
import io.loompush.server.push.Poller;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription that stays open, Server-Sent Events or WebSocket, served by
 * its connection's virtual thread from the handshake to the end:
 *
 * <pre>
 *   opening ─ hold (parked on the mailbox) ─ messages or a gap: write them ─┐
 *               ^      │ the heartbeat is due: beat                          │
 *               └──────┴─────────────────────────────────────────────────────┘
 *                      │ the client closed or broke the protocol: end
 *                      │ draining, or the token expired: say so, end
 * </pre>
 *
 * It is a poll that never answers for good: each hold starts where the last
 * write left the subscription, exactly as the client's next poll would with
 * the cursor it was given, so the same gap rule holds on every transport.
 * The hold's deadline is the next heartbeat, and while held the link watches
 * the socket, so a client that closes, or sends a control frame, is seen at
 * once. Publishers never touch the socket.
 */
abstract sealed class Stream implements Poller.Client permits SseStream, WsStream {
    private static final Logger log = LoggerFactory.getLogger(Stream.class);
    /** What a readable socket is read with: a WebSocket's control frames are at most 131 bytes. */
    private static final int READ_BYTES = 512;

    /** What every stream shares: one per server. */
    record Shared(Poller poller, Counters counters, BooleanSupplier draining, long heartbeatNanos) {}

    final Link link;
    final Shared shared;
    /** The subscription's channels, positions and epochs, moved on in place after each write. */
    private final PollSpec spec;
    /** When the subscription's token expires (System.nanoTime()), 0 when it has none. */
    private final long endsAt;

    Stream(PollSpec spec, Link link, Shared shared) {
        this.spec = spec;
        this.link = link;
        this.shared = shared;
        this.endsAt = spec.timeout() == null ? 0 : System.nanoTime() + Math.max(1, spec.timeout().toNanos());
    }

    /**
     * Runs until the client goes, breaks the protocol, or the server drains.
     *
     * @param opening the head that opens the stream: an SSE 200, a WebSocket 101
     * @param early   what the client sent after its request, read with it
     */
    final void run(byte[] opening, byte[] early) throws IOException {
        link.write(opening);
        if (!opened(early)) {
            return;
        }
        var box = new Mailbox();
        String[] names = spec.channels();
        String[] epochs = spec.epochs();
        long[] since = spec.since();
        boolean[] open = spec.open();
        while (true) {
            long beat = nextBeat();
            link.watch(box, endsAt != 0 && endsAt - beat < 0 ? endsAt : beat);
            Batch batch;
            try {
                batch = shared.poller().hold(names, epochs, since, open, spec.max(), true, box, this);
            } finally {
                link.unwatch();
            }
            if (batch == null) {
                return;
            }
            if (!batch.messages().isEmpty() || batch.gap()) {
                link.write(encode(batch, names, epochs, since));
                shared.counters().delivered.add(batch.messages().size());
                wrote(System.nanoTime());
            }
            System.arraycopy(batch.epochs(), 0, epochs, 0, epochs.length);
            System.arraycopy(batch.positions(), 0, since, 0, since.length);
            for (int i = 0; i < open.length; i++) {
                open[i] = epochs[i].equals(Cursor.NO_EPOCH);
            }
            if (shared.draining().getAsBoolean()) {
                goingAway();
                return;
            }
            long now = System.nanoTime();
            if (endsAt != 0 && now - endsAt >= 0) {
                expired();
                return;
            }
            if (!beat(now)) {
                return;
            }
        }
    }

    /**
     * The socket turned readable while held: the client closed, or sent
     * something, which {@link #received} takes.
     */
    @Override
    public final boolean gone() {
        var bytes = new byte[READ_BYTES];
        int n = link.readNow(bytes, 0, bytes.length);
        if (n < 0) {
            return true;
        }
        try {
            if (n > 0 && !received(bytes, n)) {
                return true;
            }
            link.rewatch();
            return false;
        } catch (IOException e) {
            log.debug("stream client went away: {}", e.toString());
            return true;
        }
    }

    /** Takes what the client sent; false when that ended the stream. */
    abstract boolean received(byte[] bytes, int n) throws IOException;

    /** Told that the opening is written, with what the client sent early; false when the stream ended there. */
    abstract boolean opened(byte[] early) throws IOException;

    /**
     * What the batch puts on the wire.
     *
     * @param epochs the epochs of {@code since}
     * @param since  where the subscription stood before this batch
     */
    abstract byte[] encode(Batch batch, String[] names, String[] epochs, long[] since);

    /** Told the time of every write of messages. */
    abstract void wrote(long now);

    /** When the next heartbeat is due (System.nanoTime()). */
    abstract long nextBeat();

    /** Beats if it is due; false when the stream ends (a WebSocket client that stopped answering). */
    abstract boolean beat(long now) throws IOException;

    /** The server is draining: tells the client so, where the transport can. */
    abstract void goingAway() throws IOException;

    /** The subscription's token expired: tells the client so, where the transport can. */
    abstract void expired() throws IOException;
}
