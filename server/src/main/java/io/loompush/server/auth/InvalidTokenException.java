package io.loompush.server.auth;

/** A token that is not one the configured key signed, with well-formed claims: why, for a debug log line. */
final class InvalidTokenException extends Exception {
    InvalidTokenException(String why) {
        super(why, null, false, false);
    }
}
