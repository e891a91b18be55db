package io.loompush.server.push;

/** The broker cannot take a message now (Redis is unreachable); publish answers 503. */
public final class BrokerUnavailableException extends RuntimeException {
    public BrokerUnavailableException(String message) {
        super(message, null, false, false);
    }
}
