package io.loompush.sim.stream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The client's side of the RFC 6455 opening handshake (section 4.1): its key, and the answer that proves it was read. */
public final class WsHandshake {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private WsHandshake() {}

    /**
     * The header fields of an opening handshake with {@code key}, then {@code more}.
     *
     * @param subprotocol the {@code Sec-WebSocket-Protocol} to ask for, or null
     */
    public static List<String> fields(String key, String subprotocol, List<String> more) {
        var fields = new ArrayList<String>(5 + more.size());
        fields.add("Upgrade: websocket");
        fields.add("Connection: Upgrade");
        fields.add("Sec-WebSocket-Key: " + key);
        fields.add("Sec-WebSocket-Version: 13");
        if (subprotocol != null) {
            fields.add("Sec-WebSocket-Protocol: " + subprotocol);
        }
        fields.addAll(more);
        return fields;
    }

    /** A fresh {@code Sec-WebSocket-Key}: 16 random bytes in base64. */
    public static String key() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** The {@code Sec-WebSocket-Accept} a server must answer {@code key} with. */
    public static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** A fresh 4-byte masking key for one client frame. */
    public static byte[] mask() {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        return mask;
    }
}
