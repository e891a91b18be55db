#!/usr/bin/env python3
"""Writes ops/bench's report.md and chart.svg from client-sim's JSON files (standard library only).

Usage: ops/peers/report.py DIR CLIENTS PEERS SCENARIOS
"""
import json
import os
import sys


def load(out, peer, scenario):
    path = os.path.join(out, "raw", f"{peer}-{scenario}.json")
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def get(d, *keys):
    for k in keys:
        if not isinstance(d, dict) or d.get(k) is None:
            return None
        d = d[k]
    return d


def num(v, digits=0, unit=""):
    if v is None:
        return "n/a"
    return f"{v:,.{digits}f}{unit}"


def status(d):
    if d is None:
        return "no result"
    problems = get(d, "verdict", "problems") or []
    m = d.get("messages", {})
    c = d.get("clients", {})
    s = f"{c.get('connected', 0):,}/{c.get('clients', 0):,} connected"
    if m.get("expectedDeliveries"):
        s += f", {m.get('received', 0):,}/{m['expectedDeliveries']:,} received, {m.get('lost', 0):,} lost"
    if not get(d, "verdict", "ok"):
        s += "; " + "; ".join(problems[:2])
    return s


def cpu_per_message(d):
    """Server CPU in the load phase over the messages received in that phase, in microseconds."""
    return get(d, "serverCpuMicrosPerMessage")


def held_again(d):
    return get(d, "reconnect", "heldAgainSeconds")


def overloaded(d):
    return None if d is None else get(d, "clients", "failures", "overloaded") or 0


def other_errors(d):
    return None if d is None else (get(d, "clients", "errors") or 0) - overloaded(d)


def per_conn(d, key):
    return get(d, "memory", "perConnectionBytes", key, "rssBytes")


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def bars(x, y, title, unit, values, width=300, target=None):
    """One horizontal bar group: values is [(label, number or None)]; target, a number or (number, what it is),
    draws a dashed line there."""
    target, what = target if isinstance(target, tuple) else (target, "loompush target")
    top = max([v for _, v in values if v] + ([target] if target else []) or [1])
    parts = [f'<text x="{x}" y="{y}" font-weight="bold">{title}</text>']
    if target:
        tx = x + 90 + target / top * width
        bottom = y + 12 + len(values) * 26
        parts.append(f'<line x1="{tx:.1f}" y1="{y + 6}" x2="{tx:.1f}" y2="{bottom}" stroke="#c0392b" stroke-dasharray="4,3"/>')
        # Near the right end of the bars the label runs leftwards, so it stays inside its column.
        anchor = f'x="{tx - 4:.1f}" text-anchor="end"' if target / top > 0.5 else f'x="{tx + 4:.1f}"'
        parts.append(f'<text {anchor} y="{bottom + 12}" font-size="11" fill="#c0392b">{what} {num(target)} {unit}</text>')
    for i, (label, v) in enumerate(values):
        yy = y + 12 + i * 26
        w = 0 if not v else max(1, v / top * width)
        parts.append(f'<text x="{x}" y="{yy + 15}">{label}</text>')
        parts.append(f'<rect x="{x + 90}" y="{yy}" width="{w:.1f}" height="20" fill="{COLORS.get(label, "#888")}"/>')
        parts.append(f'<text x="{x + 95 + w:.1f}" y="{yy + 15}">{num(v, 0 if v is None or isinstance(v, int) or v >= 100 else 2)} {unit if v is not None else ""}</text>')
    return parts


COLORS = {"loompush": "#2b7bb9", "seed-node": "#5fa55a", "nchan": "#d98c2b", "socketio": "#8e5ea2", "pushpin": "#c0607a"}


TRANSPORTS = {"sse": "Server-Sent Events", "ws": "WebSocket"}


def split(scenario):
    """idle -> (idle, None); idle-sse -> (idle, sse)."""
    base, _, transport = scenario.partition("-")
    return base, transport or None


def skipped(out, peer, scenario):
    """The reason ops/bench gave for not running this peer in this scenario, or None."""
    try:
        with open(os.path.join(out, "raw", f"{peer}-{scenario}.skipped")) as f:
            return f.read().strip()
    except OSError:
        return None


def section(scenario, r, peers, out):
    """One scenario's table: its rows per peer, a skipped peer with its reason."""
    base, transport = split(scenario)
    over = f" over {TRANSPORTS[transport]}" if transport else ""
    held = "open stream" if transport else "held connection"

    def result(p):
        why = skipped(out, p, scenario)
        return f"skipped: {why}" if why else status(r[p, scenario])

    def rows(cells):
        return [[p] + cells(r[p, scenario]) + [result(p)] for p in peers]

    if base == "idle":
        return [f"## idle{over}: memory per {held}", "",
                table(["peer", "RSS / conn, settled", "after GC", "kernel socket slabs / conn (both ends)", "result"],
                      rows(lambda d: [num(per_conn(d, "idle"), 0, " B"), num(per_conn(d, "idle+gc"), 0, " B"),
                                      num(get(d, "memory", "perConnectionBytes", "idle", "kernelSocketSlabBytes"), 0, " B")])), ""]
    if base == "active":
        after = "per stream after one message" if transport else "per connection after one message round trip"
        return [f"## active{over}: memory {after}", "",
                table(["peer", "RSS / conn, settled", "after GC", "latency p50 / p99", "CPU / message", "result"],
                      rows(lambda d: [num(per_conn(d, "after-load"), 0, " B"), num(per_conn(d, "after-load+gc"), 0, " B"),
                                      num(get(d, "latencyMs", "p50"), 2) + " / " + num(get(d, "latencyMs", "p99"), 2, " ms"),
                                      num(cpu_per_message(d), 1, " us")])), ""]
    if base == "fanout":
        return [f"## fan-out{over}: one message to all clients, publish to receipt", "",
                table(["peer", "p50", "p99", "max", "slowest round, all delivered", "server CPU", "CPU / message", "result"],
                      rows(lambda d: [num(get(d, "latencyMs", "p50"), 1, " ms"), num(get(d, "latencyMs", "p99"), 1, " ms"),
                                      num(get(d, "latencyMs", "max"), 1, " ms"),
                                      num(max([x.get("allDeliveredMs") or 0 for x in get(d, "rounds") or []] or [0]) or None, 1, " ms"),
                                      num(get(d, "serverCpuSeconds"), 2, " s"), num(cpu_per_message(d), 1, " us")])), ""]
    if base == "unicast":
        return [f"## unicast{over}: a steady rate to random clients", "",
                table(["peer", "delivered / s", "p50", "p99", "server CPU", "CPU / message", "result"],
                      rows(lambda d: [num(get(d, "deliveredPerSecond"), 0), num(get(d, "latencyMs", "p50"), 2, " ms"),
                                      num(get(d, "latencyMs", "p99"), 2, " ms"), num(get(d, "serverCpuSeconds"), 2, " s"),
                                      num(cpu_per_message(d), 1, " us")])), ""]
    if base == "connect":
        return ["## connect: establish and hold every connection", "",
                table(["peer", "all connected", "all held", "connect p50 / p99", "result"],
                      rows(lambda d: [num(get(d, "connect", "allConnectedSeconds"), 2, " s"),
                                      num(get(d, "connect", "allHeldSeconds"), 2, " s"),
                                      num(get(d, "connect", "connectTimeMs", "p50"), 2) + " / "
                                      + num(get(d, "connect", "connectTimeMs", "p99"), 2, " ms")])), ""]
    if base == "reconnect":
        return ["## reconnect: every connection cut at once while publishing goes on", "",
                "Every client closes its socket while its poll is held and at once connects and polls again with its "
                "last cursor; \"all held again\" is from the cut until every client holds a poll on a new connection "
                "(and, where the server has stats, its held count says so); \"server's held polls then\" counts the "
                "dead polls of cut connections it still holds beside the new ones; \"let go\" is when that count fell "
                "back to the clients. 503s are retried after Retry-After, other errors after a short capped backoff.", "",
                table(["peer", "cut", "all held again", "server's held polls then", "server let go of the cut", "503s",
                       "other errors", "delivered / s", "CPU / message", "result"],
                      rows(lambda d: [num(get(d, "clients", "cuts")), num(held_again(d), 2, " s"),
                                      num(get(d, "reconnect", "serverHeldWhenHeldAgain")),
                                      num(get(d, "reconnect", "serverReleasedSeconds"), 2, " s"),
                                      num(overloaded(d)), num(other_errors(d)), num(get(d, "deliveredPerSecond"), 0),
                                      num(cpu_per_message(d), 1, " us")])), ""]
    return []


def main():
    out, clients, peers, scenarios = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(","), sys.argv[4].split(",")
    r = {(p, s): load(out, p, s) for p in peers for s in scenarios}
    machine = dict(line.rstrip("\n").split("=", 1) for line in open(os.path.join(out, "machine.txt")) if "=" in line)
    date = next((d["startedAt"][:10] for d in r.values() if d), "unknown")
    md = [f"# loompush side by side: {date}", "",
          f"{clients:,} connections per run, the same client (client-sim) for every peer: long-poll, or in the "
          "scenarios over Server-Sent Events and WebSocket one stream per client (loompush's /sse and /ws, Nchan's "
          "own eventsource and websocket subscribers, Socket.IO's WebSocket transport, Pushpin's GRIP streams); "
          "Socket.IO long-polls over Engine.IO's polling transport, Pushpin in front of a GRIP origin; "
          "one process or worker per server, a fresh server per peer and scenario. "
          "Bytes per connection are the server's RSS (its whole process tree) after minus before, "
          "divided by the connections: \"settled\" after the settle time with no forced GC, "
          "\"after GC\" after `jcmd GC.run` (JVM only; n/a elsewhere). "
          "CPU / message is the server's CPU time (its whole process tree, from /proc) during the load phase "
          "divided by the messages the clients received during that phase, in microseconds: what one delivery "
          "costs the server, publish included. Ratios within one run hold; "
          "absolute times drift on shared machines.", ""]
    for scenario in scenarios:
        md += section(scenario, r, peers, out)
    md += ["![bytes per connection and latency per peer](chart.svg)", "", "## The machine and the versions", ""]
    md += [f"- {k}: `{v}`" for k, v in machine.items()]
    md += ["", "## The exact command lines", "", "```", open(os.path.join(out, "commands.txt")).read().rstrip(), "```", ""]
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write("\n".join(md))

    # The targets of issue 8 for loompush's memory (settled RSS per connection); the latency and CPU panels
    # compare with the peers of the same run. A panel shows only when its scenario ran.
    panels = [("idle", "idle RSS / connection, settled", "B", lambda d: per_conn(d, "idle"), 2000),
              ("active", "RSS / connection after one round trip, settled", "B", lambda d: per_conn(d, "after-load"), 2500),
              ("fanout", "fan-out p99, publish to receipt", "ms", lambda d: get(d, "latencyMs", "p99"), None),
              ("unicast", "unicast p99, publish to receipt", "ms", lambda d: get(d, "latencyMs", "p99"), None),
              ("active", "server CPU / message: active", "us", cpu_per_message, None),
              ("fanout", "server CPU / message: fan-out", "us", cpu_per_message, None),
              ("unicast", "server CPU / message: unicast", "us", cpu_per_message, None),
              ("reconnect", "server CPU / message: reconnect", "us", cpu_per_message, None),
              ("reconnect", "reconnect: all held again after the cut", "s", held_again, 5),
              ("reconnect", "reconnect: 503s and other errors", "", lambda d: None if d is None else get(d, "clients", "errors"),
               None)]
    # Over a stream: memory per open stream, whose target (BENCHMARKS.md) is within 1 KB of loompush's own
    # idle long-poll figure of the same run; fan-out p99 and CPU per message beside the peers'.
    idle_poll = per_conn(r.get(("loompush", "idle")), "idle")
    for transport, name in TRANSPORTS.items():
        panels += [(f"idle-{transport}", f"{name}: idle RSS / connection, settled", "B", lambda d: per_conn(d, "idle"),
                    (idle_poll + 1000, "loompush target: its long-poll figure + 1 KB,") if idle_poll else None),
                   (f"active-{transport}", f"{name}: RSS / connection after a message", "B",
                    lambda d: per_conn(d, "after-load"), None),
                   (f"fanout-{transport}", f"{name}: fan-out p99", "ms", lambda d: get(d, "latencyMs", "p99"), None),
                   (f"fanout-{transport}", f"{name}: server CPU / message, fan-out", "us", cpu_per_message, None),
                   (f"unicast-{transport}", f"{name}: server CPU / message, unicast", "us", cpu_per_message, None)]
    groups = [(title, unit, [(p, value(r.get((p, scenario)))) for p in peers], target)
              for scenario, title, unit, value, target in panels if scenario in scenarios]
    rows = (len(groups) + 1) // 2
    h = 40 + rows * (46 + 26 * len(peers)) + 44
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="960" height="{h}" font-family="sans-serif" font-size="13">',
           f'<rect width="960" height="{h}" fill="white"/>',
           f'<text x="10" y="22" font-size="15" font-weight="bold">loompush side by side, {date}, {clients:,} connections'
           ' (every panel: lower is better)</text>']
    for i, (title, unit, values, target) in enumerate(groups):
        svg += bars(10 + (i % 2) * 480, 50 + (i // 2) * (46 + 26 * len(peers)), title, unit, values, target=target)
    svg.append(f'<text x="10" y="{h - 24}" font-size="11" fill="#555">n/a: not measured, or skipped (the report says why). Memory: server RSS '
               '(whole process tree) after minus before, per connection. Source: report.md beside this chart.</text>')
    svg.append(f'<text x="10" y="{h - 10}" font-size="11" fill="#555">CPU / message: the server\'s CPU in the load '
               'phase divided by the messages the clients received in that phase (publish included).</text>')
    svg.append("</svg>")
    with open(os.path.join(out, "chart.svg"), "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
