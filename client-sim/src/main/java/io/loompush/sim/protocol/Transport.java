package io.loompush.sim.protocol;

/**
 * How a client gets its messages: a long-poll per answer, or one request
 * and then an endless answer, as Server-Sent Events or WebSocket messages.
 */
public enum Transport {
    POLL, SSE, WS;

    public String flagName() {
        return name().toLowerCase();
    }

    public boolean stream() {
        return this != POLL;
    }
}
