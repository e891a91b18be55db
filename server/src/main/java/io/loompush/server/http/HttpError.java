package io.loompush.server.http;

/**
 * A request the server refuses, with the status and the short reason that go
 * into the JSON error body. Thrown by the parser (the framing can no longer be
 * trusted, so the connection closes after the answer) and by the handlers (the
 * framing is fine, so the connection stays open).
 */
public final class HttpError extends Exception {
    private final int status;

    public HttpError(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return getMessage();
    }
}
