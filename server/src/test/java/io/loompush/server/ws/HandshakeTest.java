package io.loompush.server.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.loompush.server.http.Headers;
import io.loompush.server.http.HttpError;
import io.loompush.server.http.Request;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandshakeTest {
    /** The example of RFC 6455 section 1.3. */
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private static Request request(String method, String version, String... fields) {
        var headers = new ArrayList<Headers.Field>();
        headers.add(new Headers.Field("Host", "example.com"));
        for (int i = 0; i < fields.length; i += 2) {
            headers.add(new Headers.Field(fields[i], fields[i + 1]));
        }
        return new Request(method, "/ws/a", version, new Headers(headers), new byte[0]);
    }

    private static Request upgrade(String... more) {
        var fields = new ArrayList<>(List.of("Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Key", KEY, "Sec-WebSocket-Version", "13"));
        fields.addAll(List.of(more));
        return request("GET", "HTTP/1.1", fields.toArray(String[]::new));
    }

    private static int status(Request request) {
        return assertThrows(HttpError.class, () -> Handshake.accept(request)).status();
    }

    @Test
    void theAcceptValueIsTheOneOfTheRfcExample() throws HttpError {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Handshake.accept(upgrade()));
    }

    @Test
    void tokensAreFoundInListsWhateverTheirCase() throws HttpError {
        var request = request("GET", "HTTP/1.1", "Upgrade", "WebSocket", "Connection", "keep-alive, UPGRADE",
                "Sec-WebSocket-Key", KEY, "Sec-WebSocket-Version", "13");
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Handshake.accept(request));
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "HEAD", "PUT"})
    void onlyAGetUpgrades(String method) {
        assertEquals(400, status(request(method, "HTTP/1.1", "Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Key", KEY, "Sec-WebSocket-Version", "13")));
    }

    @Test
    void http10DoesNotUpgrade() {
        assertEquals(400, status(request("GET", "HTTP/1.0", "Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Key", KEY, "Sec-WebSocket-Version", "13")));
    }

    @Test
    void withoutUpgradeOrConnectionItIsNoUpgrade() {
        assertEquals(400, status(request("GET", "HTTP/1.1", "Connection", "Upgrade",
                "Sec-WebSocket-Key", KEY, "Sec-WebSocket-Version", "13")));
        assertEquals(400, status(request("GET", "HTTP/1.1", "Upgrade", "websocket", "Connection", "keep-alive",
                "Sec-WebSocket-Key", KEY, "Sec-WebSocket-Version", "13")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "short", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZXg=", "dGhlIHNhbXBsZSBub25j!Q=="})
    void aKeyThatIsNot16BytesInBase64IsRefused(String key) {
        assertEquals(400, status(request("GET", "HTTP/1.1", "Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Key", key, "Sec-WebSocket-Version", "13")));
    }

    @Test
    void twoKeysAreRefused() {
        assertEquals(400, status(upgrade("Sec-WebSocket-Key", KEY)));
    }

    @Test
    void anotherVersionOrNoneIsUpgradeRequired() {
        assertEquals(426, status(request("GET", "HTTP/1.1", "Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Key", KEY, "Sec-WebSocket-Version", "8")));
        assertEquals(426, status(request("GET", "HTTP/1.1", "Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Key", KEY)));
    }
}
