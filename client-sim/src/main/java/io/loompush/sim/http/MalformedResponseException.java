package io.loompush.sim.http;

import java.io.IOException;

/** The server sent something that is not an HTTP/1.1 response this client can read. */
public final class MalformedResponseException extends IOException {
    private static final long serialVersionUID = 1L;

    public MalformedResponseException(String message) {
        super(message);
    }
}
