package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests whose framing cannot be trusted: each is a 400 with a JSON error,
 * and then the connection closes, so nothing after it is read as a request.
 */
class MalformedRequestsIT {
    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /healthz HTTP/1.1\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "POST /publish/x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
        "POST /publish/x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi",
        "POST /publish/x HTTP/1.1\r\nHost: a\r\nContent-Length: -2\r\n\r\nhi",
        "POST /publish/x HTTP/1.1\r\nHost: a\r\nContent-Length: 2x\r\n\r\nhi",
        "GET /healthz HTTP/1.1\nHost: a\n\n",
        "GET /healthz HTTP/1.1\r\nHost : a\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
        "GET  /healthz HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET healthz HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /healthz\r\nHost: a\r\n\r\n",
    })
    void untrustworthyFramingIs400AndCloses(String request) throws Exception {
        try (var client = server.connect()) {
            client.send(request + "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n");
            var response = client.read();

            assertEquals(400, response.status(), () -> request.replace("\r\n", "\\r\\n") + " -> " + response);
            Errors.assertErrorBody(response);
            assertTrue(response.closing(), response::toString);
            assertTrue(client.closedByServer(), "the request after the bad one must not be answered");
        }
    }
}
