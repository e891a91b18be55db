package io.loompush.server;

import io.loompush.server.net.Link;
import io.loompush.server.push.Batch;
import io.loompush.server.push.Message;
import io.loompush.server.ws.CloseCodes;
import io.loompush.server.ws.FrameReader;
import io.loompush.server.ws.Frames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /ws/{channels}}: a WebSocket (RFC 6455) that carries one text
 * frame per answer, the JSON of a poll answer. The client sends control
 * frames only; they are read while the stream is held, when the socket turns
 * readable, on the stream's own thread: a ping is answered at once, a close
 * or a broken rule ends the stream. No thread reads in the background.
 */
final class WsStream extends Stream {
    private static final Logger log = LoggerFactory.getLogger(WsStream.class);
    /** A client silent for this many heartbeats (not even a pong) is closed. */
    private static final int SILENT_BEATS = 2;
    /** How long a closing stream waits for the client to close its side after the close frame. */
    private static final long CLOSING_NANOS = 1_000_000_000L;

    private final FanOut<byte[]> fanOut;
    private final FrameReader frames = new FrameReader();
    private long lastPing;
    private long lastHeard;

    /** @param fanOut the frame a fan-out's streams share */
    WsStream(PollSpec spec, Link link, Shared shared, FanOut<byte[]> fanOut) {
        super(spec, link, shared);
        this.fanOut = fanOut;
    }

    /** One message as the frame of a one-channel subscription's answer. */
    static byte[] frame(Message m) {
        return Frames.text(AnswerJson.answer(m).getBytes(StandardCharsets.UTF_8));
    }

    /** Frames a client sent right behind its handshake are read like any others. */
    @Override
    boolean opened(byte[] early) throws IOException {
        lastPing = lastHeard = System.nanoTime();
        return early.length == 0 || received(early, early.length);
    }

    @Override
    byte[] encode(Batch batch, String[] names, String[] epochs, long[] since) {
        Message only = AnswerJson.onlyMessage(batch, names);
        return only != null
                ? fanOut.answer(only)
                : Frames.text(AnswerJson.answer(batch, names).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    void wrote(long now) {}

    @Override
    long nextBeat() {
        return lastPing + shared.heartbeatNanos();
    }

    /** A ping every heartbeat; a client that answered nothing for two is closed. */
    @Override
    boolean beat(long now) throws IOException {
        if (now - nextBeat() < 0) {
            return true;
        }
        if (now - lastHeard >= SILENT_BEATS * shared.heartbeatNanos()) {
            log.debug("closing a WebSocket silent for {} heartbeats", SILENT_BEATS);
            close(CloseCodes.GOING_AWAY, "no pong");
            return false;
        }
        link.write(Frames.ping());
        lastPing = now;
        return true;
    }

    @Override
    void goingAway() throws IOException {
        close(CloseCodes.GOING_AWAY, "server shutting down");
    }

    @Override
    void expired() throws IOException {
        close(CloseCodes.POLICY, "token expired");
    }

    /** The client's control frames: a ping answered, a close or a broken rule the end. */
    @Override
    boolean received(byte[] bytes, int n) throws IOException {
        lastHeard = System.nanoTime();
        FrameReader.Ending ending = frames.feed(bytes, 0, n, link::write);
        if (ending == null) {
            return true;
        }
        if (!ending.byClient()) {
            log.debug("closing a WebSocket: {} {}", ending.code(), ending.reason());
        }
        close(ending.code(), ending.reason());
        return false;
    }

    /** The close frame, then the end of the connection once the client has read it (see {@link Link#finish}). */
    private void close(int code, String reason) throws IOException {
        link.write(Frames.close(code, reason));
        link.finish(System.nanoTime() + CLOSING_NANOS);
    }
}
