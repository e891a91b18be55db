package io.loompush.sim;

/** The scenarios of BENCHMARKS.md. Every mode connects first, then runs its load phase. */
enum Mode {
    IDLE("hold every connection for --duration, re-polling with the cursor after each timeout; "
            + "reports server memory per idle connection"),
    ACTIVE("send one message to every client's own channel (at --rate, 0: as fast as the publishers go); "
            + "each client polls again; reports memory per connection after that round trip"),
    FANOUT("--rounds times, one message to each shared channel that every client polls (default 'broadcast'); "
            + "latency from publish to receipt until all clients have it"),
    UNICAST("--rate messages per second to random clients' own channels for --duration; "
            + "delivered per second, latency p50/p99, server CPU seconds"),
    CONNECT("time to establish and hold --clients connections, then stop"),
    RECONNECT("--rate messages per second to random clients' own channels for --duration; at --cut-at every "
            + "client closes its socket while its poll is held and at once connects again and polls with its last "
            + "cursor (a 503 is retried after its Retry-After, a refused or reset connect after a short capped "
            + "backoff, each counted); reports the time from the cut until every client is held again, the "
            + "503s and other errors, and messages lost over the whole run");

    final String help;

    Mode(String help) {
        this.help = help;
    }

    String flagName() {
        return name().toLowerCase();
    }

    /** Whether the mode sends messages, and so has an after-load memory reading and a drain. */
    boolean publishes() {
        return this == ACTIVE || this == FANOUT || this == UNICAST || this == RECONNECT;
    }
}
