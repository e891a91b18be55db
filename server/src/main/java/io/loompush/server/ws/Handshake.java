package io.loompush.server.ws;

import io.loompush.server.http.HttpError;
import io.loompush.server.http.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The server's side of the opening handshake (RFC 6455 section 4.2). */
public final class Handshake {
    /** The only version of the protocol there is (section 4.4). */
    public static final String VERSION = "13";
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int KEY_BYTES = 16;

    private Handshake() {}

    /**
     * Checks that the request is an upgrade to WebSocket version 13.
     *
     * @return the {@code Sec-WebSocket-Accept} value the answer carries
     * @throws HttpError 400 for what is no valid upgrade, 426 for another version
     *                   (the answer then names 13 in {@code Sec-WebSocket-Version})
     */
    public static String accept(Request request) throws HttpError {
        if (!request.method().equals("GET") || request.http10()) {
            throw new HttpError(400, "a WebSocket handshake is a GET in HTTP/1.1");
        }
        if (!hasToken(request.headers().first("Upgrade"), "websocket")) {
            throw new HttpError(400, "not a WebSocket upgrade: Upgrade: websocket expected");
        }
        if (!hasToken(request.headers().first("Connection"), "upgrade")) {
            throw new HttpError(400, "not a WebSocket upgrade: Connection: upgrade expected");
        }
        String key = request.headers().first("Sec-WebSocket-Key");
        if (key == null || request.headers().count("Sec-WebSocket-Key") > 1 || !validKey(key)) {
            throw new HttpError(400, "missing or malformed Sec-WebSocket-Key");
        }
        if (!VERSION.equals(request.headers().first("Sec-WebSocket-Version"))
                || request.headers().count("Sec-WebSocket-Version") > 1) {
            throw new HttpError(426, "WebSocket version 13 required");
        }
        return acceptValue(key);
    }

    /** The head of the answer that completes the handshake. */
    public static byte[] switching(String accept) {
        return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static String acceptValue(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** A key is 16 bytes in base64: 24 characters with their padding (section 4.1). */
    private static boolean validKey(String key) {
        if (key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == KEY_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean hasToken(String value, String token) {
        if (value == null) {
            return false;
        }
        for (String part : value.split(",")) {
            if (part.strip().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }
}
