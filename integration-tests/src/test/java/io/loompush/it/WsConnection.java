package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written for tests over one {@link RawHttpClient}, so a
 * test controls every byte: it sends the frames it is given (masked, or not
 * when the test wants a broken one) and reads the server's frames one by one.
 * The JDK's own client ({@code java.net.http.WebSocket}) is the independent
 * implementation the well-behaved tests use besides this one.
 */
final class WsConnection implements AutoCloseable {
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** One server frame; {@code fin} and the reserved bits as sent. */
    record Frame(int opcode, boolean fin, int rsv, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** A close frame's status code, -1 when it has none. */
        int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xFF) << 8 | payload[1] & 0xFF : -1;
        }
    }

    private final RawHttpClient client;
    private final InputStream in;

    private WsConnection(RawHttpClient client) {
        this.client = client;
        this.in = client.input();
    }

    /** Opens a WebSocket on the path, failing the test unless the server switches protocols. */
    static WsConnection open(RawHttpClient client, String target, String... headers) throws IOException {
        String key = Base64.getEncoder().encodeToString(ThreadLocalRandom.current().ints(16)
                .collect(ByteArrayOutputStream::new, ByteArrayOutputStream::write, (a, b) -> {}).toByteArray());
        client.sendGet(target, handshake(key, headers));
        var answer = client.readOpening();
        assertEquals(101, answer.status(), () -> "handshake answer: " + answer);
        assertEquals(accept(key), answer.header("Sec-WebSocket-Accept"));
        return new WsConnection(client);
    }

    /** The WebSocket of a client whose handshake the test made itself and saw answered with 101. */
    static WsConnection attach(RawHttpClient client) {
        return new WsConnection(client);
    }

    /** The header fields of a valid handshake with this key, then the extra ones. */
    static String[] handshake(String key, String... extra) {
        var all = new String[4 + extra.length];
        all[0] = "Upgrade: websocket";
        all[1] = "Connection: Upgrade";
        all[2] = "Sec-WebSocket-Key: " + key;
        all[3] = "Sec-WebSocket-Version: 13";
        System.arraycopy(extra, 0, all, 4, extra.length);
        return all;
    }

    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(
                    (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next frame the server sends. */
    Frame next() throws IOException {
        int b0 = read();
        int b1 = read();
        if ((b1 & 0x80) != 0) {
            throw new IOException("a server frame must not be masked");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (long) read() << 8 | read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = length << 8 | read();
            }
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("the connection ended inside a frame");
        }
        return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, b0 >> 4 & 0x7, payload);
    }

    /** The next frame that is not a ping, answering pings on the way as a client must. */
    Frame nextAnsweringPings() throws IOException {
        while (true) {
            Frame frame = next();
            if (frame.opcode() != PING) {
                return frame;
            }
            send(PONG, frame.payload());
        }
    }

    /** Sends a masked, final frame. */
    void send(int opcode, byte[] payload) throws IOException {
        client.send(frame(true, opcode, true, payload));
    }

    void sendClose(int code, byte[] reason) throws IOException {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        send(CLOSE, payload);
    }

    /** Sends bytes as they are: frames a well-behaved client would not send. */
    void sendRaw(byte[] bytes) throws IOException {
        client.send(bytes);
    }

    /** Whether the server has closed the TCP connection (see {@link RawHttpClient#closedByServer}). */
    boolean closedByServer() throws IOException {
        return client.closedByServer();
    }

    /** A frame in the client's form: the length in its shortest encoding, masked unless told not to be. */
    static byte[] frame(boolean fin, int opcode, boolean masked, byte[] payload) {
        var out = new ByteArrayOutputStream(payload.length + 14);
        out.write((fin ? 0x80 : 0) | opcode);
        int mask = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(mask | payload.length);
        } else if (payload.length <= 0xFFFF) {
            out.write(mask | 126);
            out.write(payload.length >> 8);
            out.write(payload.length);
        } else {
            out.write(mask | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) payload.length >> (8 * i)));
            }
        }
        byte[] key = new byte[4];
        ThreadLocalRandom.current().nextBytes(key);
        if (masked) {
            out.write(key, 0, 4);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
        }
        return out.toByteArray();
    }

    @Override
    public void close() throws IOException {
        client.close();
    }

    private int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the connection ended");
        }
        return b;
    }
}
