package io.loompush.server;

import io.loompush.server.http.HttpError;
import io.loompush.server.http.Request;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may do what only a backend or an operator does: publish, and read the
 * server's figures ({@code /stats}, {@code /metrics}, the dashboard's data).
 * With a publish token configured, the request needs
 * {@code Authorization: Bearer <token>}; without one, only loopback, and not
 * through a proxy: a reverse proxy on the same host connects from loopback on
 * behalf of every outside client, and says so with {@code Forwarded} or
 * {@code X-Forwarded-For}.
 */
final class OperatorRule {
    private final byte[] expectedAuthorization;

    OperatorRule(String publishToken) {
        this.expectedAuthorization = publishToken == null
                ? null
                : ("Bearer " + publishToken).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** @param what what is asked for, as the refusal names it: "publish", "/stats" */
    void check(Request request, InetAddress remote, String what) throws HttpError {
        if (expectedAuthorization == null) {
            if (!remote.isLoopbackAddress()) {
                throw new HttpError(403, what + " is allowed from loopback only");
            }
            if (request.headers().first("Forwarded") != null || request.headers().first("X-Forwarded-For") != null) {
                throw new HttpError(403, what + " through a proxy needs --publish-token");
            }
            return;
        }
        String given = request.headers().first("Authorization");
        // A constant-time comparison, so the token cannot be guessed byte by byte from response times.
        if (given == null
                || !MessageDigest.isEqual(expectedAuthorization, given.getBytes(StandardCharsets.ISO_8859_1))) {
            throw new HttpError(401, "missing or wrong publish token");
        }
    }
}
