package io.loompush.sim;

/** The text of --help: usage, modes, options, the protocols' wire formats, the kernel settings, the output. */
final class Help {
    private Help() {}

    static String text(Kernel kernel) {
        var out = new StringBuilder("""
                client-sim: the long-connection load simulator of loompush.

                Opens --clients long-poll connections at --ramp per second, holds them, and polls
                again with the cursor after every answer; runs the mode's load for a bounded
                time, then closes everything by itself and prints a summary. Every message a
                client gets is checked against the publisher's sequence numbers: per channel in
                order, no duplicate, no loss; latency is publish to receipt (HdrHistogram).
                Targets loopback only (127.0.0.0/8, ::1).

                Usage: ops/sim [options]
                       java -jar client-sim/target/loompush-client-sim.jar [options]

                Examples:
                  ops/sim --mode idle --clients 19000 --server-pid PID
                  ops/sim --mode fanout --clients 19000 --rounds 5 --server-pid PID --json fanout.json
                  ops/sim --mode unicast --clients 5000 --rate 2000 --duration 60s
                  ops/sim --mode fanout --protocol nchan --target 127.0.0.1:8081
                  ops/sim --mode unicast --protocol seed-node --target 127.0.0.1:8082
                  ops/sim --mode reconnect --clients 1000 --rate 500 --duration 20s --cut-at 5s --server-pid PID
                  ops/sim --mode fanout --transport sse --clients 19000 --server-pid PID
                  ops/sim --mode idle --transport ws --protocol nchan --target 127.0.0.1:8081

                MODES (each connects every client first; BENCHMARKS.md's scenarios)
                """);
        for (Mode mode : Mode.values()) {
            out.append(wrap("  " + String.format("%-9s", mode.flagName()), mode.help));
        }
        out.append("\nOPTIONS (--flag VALUE or --flag=VALUE; durations take ms, s, m, h, d)\n");
        for (ConfigParser.Option option : ConfigParser.OPTIONS) {
            if (option.hidden()) {
                continue;
            }
            String flag = option.value() == null ? option.flag() : option.flag() + " " + option.value();
            out.append(wrap(String.format("  %-28s", flag), option.help() + "; default " + option.defaultHelp()));
        }
        out.append(String.format("  %-28s %s%n", "--help", "this text"));
        out.append("""

                PROTOCOLS (--protocol; client i's id, and its own channel, is c<i>)
                  loompush   GET /poll/c<i>[,<shared>...]?timeout=<s>[&since=<cursor>]
                             200 {"cursor":..,"messages":[{"channel","id","data"}],"gap":..}; gap:true is reported.
                             Publish: POST /publish/<channel>, or Redis PUBLISH push:<channel>.
                  nchan      GET /sub/c<i>[/<shared>...] with If-Modified-Since and If-None-Match from the
                             last answer's Last-Modified and Etag; 200 carries one message, 304 or 408 ends a
                             hold. Publish: POST /pub/<channel> (201 or 202). The nginx config maps each path
                             segment to one channel id (nchan_channel_id $1 $2 ...), at most 4 in all; its
                             nchan_subscriber_timeout should equal --poll-timeout.
                  seed-node  The seed's Node.js design, as its rebuilt peer must speak it:
                             GET /poll/c<i>?timeout=<s> (keep-alive), held in pendingClients[c<i>] until
                               a Redis message on push:c<i>, or on push:broadcast (every pending client):
                                 200, Content-Type: text/plain, Content-Length, body = the payload as published
                               or the timeout passes: 204 No Content.
                             Publish: Redis PUBLISH push:<channel> only; the one shared channel is broadcast.
                             No cursor: a message that comes while its client is between two polls is lost,
                             as in the seed, and counted as lost.
                  socketio   Socket.IO 4 over Engine.IO 4 long-polling, a session per connection:
                             GET /socket.io/?EIO=4&transport=polling&channels=c<i>[,<shared>...] -> 0{"sid":S,..};
                             POST ..&sid=S body 40 (namespace connect) -> ok; then GET ..&sid=S, answered by
                             packets separated by \\x1e: 40{..} connected, 42["m","<payload>"] a message, 2 a
                             ping (answered POST body 3). The server pings every 25 s: --poll-timeout at
                             least 15s. Publish: POST /publish/<channel> (200). No cursor: a new connection
                             is a new session, and what came meanwhile is counted as lost.
                  pushpin    Pushpin with a GRIP origin (ops/peers/pushpin): GET /sub/c<i>[/<shared>...],
                             200 carries one message, 204 ends a hold (Grip-Timeout). Publish: POST /publish/
                             on Pushpin's publish port (--publish-target) with {"items":[{"channel":..,
                             "formats":{"http-response":{"code":200,"body":..},"http-stream":{..}}}]}.
                             No cursor: what comes between two polls is lost, and counted.

                TRANSPORTS (--transport; not with --mode reconnect)
                  poll       a long-poll per answer, as above.
                  sse        one GET per connection, then one answer per event; a comment, or an event
                             without data (Nchan's event: ping), is a heartbeat. Chunked or close-delimited.
                               loompush  GET /sse/c<i>[,<shared>...], Accept: text/event-stream, and
                                         Last-Event-ID: <cursor> on a resume; each event id: <cursor> and
                                         data: {"channel","id","data"}; event: gap is reported as gap:true.
                               nchan     GET /sse/c<i>[/<shared>...] (nchan_subscriber eventsource), the same
                                         headers; each event id: <message id> and the payload as its data.
                               pushpin   GET /sse/c<i>[/<shared>...] (Grip-Hold: stream); each event is
                                         data: <payload>, no id, so a stream opened again misses what
                                         came meanwhile; a ":" comment every 15 s.
                  ws         an RFC 6455 opening handshake (the 101's Sec-WebSocket-Accept is checked),
                             then one answer per message; pings get a masked pong at once, a close gets
                             a close; a masked, reserved or oversized server frame is an error.
                               loompush  GET /ws/c<i>[,<shared>...][?since=<cursor>]; each text message is
                                         a poll answer's JSON.
                               nchan     GET /ws/c<i>[/<shared>...] (nchan_subscriber websocket) with
                                         Sec-WebSocket-Protocol: ws+meta.nchan and Last-Event-ID on a resume;
                                         each message is id: <message id>, maybe content-type: <type>, a
                                         blank line, then the payload.
                               socketio  GET /socket.io/?EIO=4&transport=websocket&channels=c<i>[,<shared>...];
                                         each message one Engine.IO packet: 0{..} answered 40, 2 answered
                                         3, 42["m","<payload>"] a message.
                  socketio has no sse, pushpin no ws (its origin would need WebSocket-over-HTTP).
                  A stream that ends or fails is counted as an error and opened again, after the
                  usual backoff, from its last cursor. --poll-timeout (plus 10 s) is the longest
                  silence accepted between two events or heartbeats. The server's stats confirm a
                  stream as held with streams.sse or streams.ws (loompush /stats).

                MESSAGES
                  Each payload reads "lp1 run=<run> ch=<channel> seq=<n> ts=<microseconds since the epoch>"
                  padded with x to --message-bytes. seq counts per channel from 1. Reported as violations:
                  lost (published, never received), duplicate, late (after a later one), gap:true answers,
                  foreign (unreadable, or for a channel the client does not poll). Messages of another
                  run (a server's history) are ignored. The first 20 violations and errors are printed
                  as they happen; the summary counts them all.

                KERNEL SETTINGS (checked at start; a run that cannot fit stops with what to change)
                  Each connection takes a descriptor in this process and in the server, and a local
                  port of its source address.
                  open files   ulimit -n: a process holds at most the limit minus %d connections;
                               above that, client-sim starts worker processes (same JVM, same flags) and
                               merges their results. Raise it with ulimit -n 1048576 (up to the hard limit)
                               or LimitNOFILE= in a systemd unit; the server needs clients + 50 as well.
                  ports        net.ipv4.ip_local_port_range bounds connections from one source address to
                               one server address. --source-addrs auto spreads over 127.0.0.2, .3, ...
                               (every 127.0.0.0/8 address is local on Linux: no setup). Widen the range with
                               sysctl -w net.ipv4.ip_local_port_range="1024 65535".
                  TIME_WAIT    the simulator closes first, so its ports wait 60 s after a run; spreading
                               over several addresses keeps the next run clear of them.
                  somaxconn    net.core.somaxconn caps the server's accept queue; keep it at or above
                               --ramp (sysctl -w net.core.somaxconn=4096).
                """.formatted(ConfigParser.RESERVED_DESCRIPTORS));
        out.append("  here now     ").append(kernel.describe()).append("\n");
        out.append("""

                OUTPUT
                  A live line each second on stderr: phase, connections open, polls held, messages
                  received and published per second, latency p50/p99 of that second, errors, violations.
                  Then a summary table on stdout; --json FILE writes every figure.
                  Server memory is read before connecting ("before"), once all are held and --settle
                  passed ("held": idle), after the load and --settle ("after-load"), and after closing
                  ("closed"): RSS and PSS of its whole process tree (--server-pid), RSS and heap from its
                  stats, the kernel's TCP buffers and socket slabs. Bytes per connection are
                  (reading - before) / clients; with --force-gc each is read again after a full GC.

                EXIT CODES
                  0  a clean run
                  1  the run found errors or violations, or not every client connected
                  2  bad input, a failed check at start, or an unreachable server
                """);
        return out.toString();
    }

    /** Wraps a help entry at 100 columns, continuing under its text. */
    private static String wrap(String head, String text) {
        var out = new StringBuilder(head);
        int column = head.length();
        String indent = " ".repeat(head.length() + 1);
        for (String word : text.split(" ")) {
            if (column + 1 + word.length() > 100 && column > head.length()) {
                out.append('\n').append(indent, 0, indent.length() - 1);
                column = indent.length() - 1;
            }
            out.append(' ').append(word);
            column += 1 + word.length();
        }
        return out.append('\n').toString();
    }
}
