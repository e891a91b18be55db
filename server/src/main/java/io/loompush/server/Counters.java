package io.loompush.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The server's live counts, shown by /stats and /metrics. */
final class Counters {
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger held = new AtomicInteger();
    /** Connection threads alive: one per connection, two for a moment while a poll moves to its holding thread. */
    final AtomicInteger threads = new AtomicInteger();
    /** Open Server-Sent Events streams. */
    final AtomicInteger sse = new AtomicInteger();
    /** Open WebSockets. */
    final AtomicInteger ws = new AtomicInteger();
    /** Requests read and not yet answered (a stream until it ends): what a drain waits for. */
    final AtomicInteger inFlight = new AtomicInteger();
    final LongAdder published = new LongAdder();
    final LongAdder delivered = new LongAdder();
}
