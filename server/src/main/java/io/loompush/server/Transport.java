package io.loompush.server;

/** How a client subscribes: what differs between them is how answers are framed, never what they say. */
enum Transport {
    /** {@code GET /poll}: one answer per request. */
    POLL,
    /** {@code GET /sse}: Server-Sent Events. */
    SSE,
    /** {@code GET /ws}: WebSocket. */
    WS
}
