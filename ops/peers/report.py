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
    """One horizontal bar group: values is [(label, number or None)]; target draws a dashed line there."""
    top = max([v for _, v in values if v] + ([target] if target else []) or [1])
    parts = [f'<text x="{x}" y="{y}" font-weight="bold">{title}</text>']
    if target:
        tx = x + 90 + target / top * width
        bottom = y + 12 + len(values) * 26
        parts.append(f'<line x1="{tx:.1f}" y1="{y + 6}" x2="{tx:.1f}" y2="{bottom}" stroke="#c0392b" stroke-dasharray="4,3"/>')
        parts.append(f'<text x="{tx + 4:.1f}" y="{bottom + 12}" font-size="11" fill="#c0392b">loompush target {num(target)} {unit}</text>')
    for i, (label, v) in enumerate(values):
        yy = y + 12 + i * 26
        w = 0 if not v else max(1, v / top * width)
        parts.append(f'<text x="{x}" y="{yy + 15}">{label}</text>')
        parts.append(f'<rect x="{x + 90}" y="{yy}" width="{w:.1f}" height="20" fill="{COLORS.get(label, "#888")}"/>')
        parts.append(f'<text x="{x + 95 + w:.1f}" y="{yy + 15}">{num(v, 0 if v is None or isinstance(v, int) or v >= 100 else 2)} {unit if v is not None else ""}</text>')
    return parts


COLORS = {"loompush": "#2b7bb9", "seed-node": "#5fa55a", "nchan": "#d98c2b"}


def main():
    out, clients, peers, scenarios = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(","), sys.argv[4].split(",")
    r = {(p, s): load(out, p, s) for p in peers for s in scenarios}
    machine = dict(line.rstrip("\n").split("=", 1) for line in open(os.path.join(out, "machine.txt")) if "=" in line)
    date = next((d["startedAt"][:10] for d in r.values() if d), "unknown")
    md = [f"# loompush side by side: {date}", "",
          f"{clients:,} long-poll connections per run, the same client (client-sim) for every peer, "
          "one process or worker per server, a fresh server per peer and scenario. "
          "Bytes per connection are the server's RSS (its whole process tree) after minus before, "
          "divided by the connections: \"settled\" after the settle time with no forced GC, "
          "\"after GC\" after `jcmd GC.run` (JVM only; n/a elsewhere). "
          "CPU / message is the server's CPU time (its whole process tree, from /proc) during the load phase "
          "divided by the messages the clients received during that phase, in microseconds: what one delivery "
          "costs the server, publish included. Ratios within one run hold; "
          "absolute times drift on shared machines.", ""]
    if "idle" in scenarios:
        md += ["## idle: memory per held connection", "",
               table(["peer", "RSS / conn, settled", "after GC", "kernel socket slabs / conn (both ends)", "result"],
                     [[p, num(per_conn(r[p, "idle"], "idle"), 0, " B"), num(per_conn(r[p, "idle"], "idle+gc"), 0, " B"),
                       num(get(r[p, "idle"], "memory", "perConnectionBytes", "idle", "kernelSocketSlabBytes"), 0, " B"),
                       status(r[p, "idle"])] for p in peers]), ""]
    if "active" in scenarios:
        md += ["## active: memory per connection after one message round trip", "",
               table(["peer", "RSS / conn, settled", "after GC", "latency p50 / p99", "CPU / message", "result"],
                     [[p, num(per_conn(r[p, "active"], "after-load"), 0, " B"), num(per_conn(r[p, "active"], "after-load+gc"), 0, " B"),
                       num(get(r[p, "active"], "latencyMs", "p50"), 2) + " / " + num(get(r[p, "active"], "latencyMs", "p99"), 2, " ms"),
                       num(cpu_per_message(r[p, "active"]), 1, " us"), status(r[p, "active"])] for p in peers]), ""]
    if "fanout" in scenarios:
        md += ["## fan-out: one message to all clients, publish to receipt", "",
               table(["peer", "p50", "p99", "max", "slowest round, all delivered", "server CPU", "CPU / message", "result"],
                     [[p, num(get(r[p, "fanout"], "latencyMs", "p50"), 1, " ms"), num(get(r[p, "fanout"], "latencyMs", "p99"), 1, " ms"),
                       num(get(r[p, "fanout"], "latencyMs", "max"), 1, " ms"),
                       num(max([x.get("allDeliveredMs") or 0 for x in get(r[p, "fanout"], "rounds") or []] or [0]) or None, 1, " ms"),
                       num(get(r[p, "fanout"], "serverCpuSeconds"), 2, " s"), num(cpu_per_message(r[p, "fanout"]), 1, " us"),
                       status(r[p, "fanout"])] for p in peers]), ""]
    if "unicast" in scenarios:
        md += ["## unicast: a steady rate to random clients", "",
               table(["peer", "delivered / s", "p50", "p99", "server CPU", "CPU / message", "result"],
                     [[p, num(get(r[p, "unicast"], "deliveredPerSecond"), 0), num(get(r[p, "unicast"], "latencyMs", "p50"), 2, " ms"),
                       num(get(r[p, "unicast"], "latencyMs", "p99"), 2, " ms"), num(get(r[p, "unicast"], "serverCpuSeconds"), 2, " s"),
                       num(cpu_per_message(r[p, "unicast"]), 1, " us"), status(r[p, "unicast"])] for p in peers]), ""]
    if "connect" in scenarios:
        md += ["## connect: establish and hold every connection", "",
               table(["peer", "all connected", "all held", "connect p50 / p99", "result"],
                     [[p, num(get(r[p, "connect"], "connect", "allConnectedSeconds"), 2, " s"),
                       num(get(r[p, "connect"], "connect", "allHeldSeconds"), 2, " s"),
                       num(get(r[p, "connect"], "connect", "connectTimeMs", "p50"), 2) + " / "
                       + num(get(r[p, "connect"], "connect", "connectTimeMs", "p99"), 2, " ms"),
                       status(r[p, "connect"])] for p in peers]), ""]
    if "reconnect" in scenarios:
        md += ["## reconnect: every connection cut at once while publishing goes on", "",
               "Every client closes its socket while its poll is held and at once connects and polls again with its "
               "last cursor; \"all held again\" is from the cut until every client holds a poll on a new connection "
               "(and, where the server has stats, its held count says so); \"server's held polls then\" counts the "
               "dead polls of cut connections it still holds beside the new ones; \"let go\" is when that count fell "
               "back to the clients. 503s are retried after Retry-After, other errors after a short capped backoff.", "",
               table(["peer", "cut", "all held again", "server's held polls then", "server let go of the cut", "503s",
                      "other errors", "delivered / s", "CPU / message", "result"],
                     [[p, num(get(r[p, "reconnect"], "clients", "cuts")),
                       num(held_again(r[p, "reconnect"]), 2, " s"),
                       num(get(r[p, "reconnect"], "reconnect", "serverHeldWhenHeldAgain")),
                       num(get(r[p, "reconnect"], "reconnect", "serverReleasedSeconds"), 2, " s"),
                       num(overloaded(r[p, "reconnect"])), num(other_errors(r[p, "reconnect"])),
                       num(get(r[p, "reconnect"], "deliveredPerSecond"), 0),
                       num(cpu_per_message(r[p, "reconnect"]), 1, " us"), status(r[p, "reconnect"])] for p in peers]), ""]
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
    svg.append(f'<text x="10" y="{h - 24}" font-size="11" fill="#555">n/a: not measured. Memory: server RSS '
               '(whole process tree) after minus before, per connection. Source: report.md beside this chart.</text>')
    svg.append(f'<text x="10" y="{h - 10}" font-size="11" fill="#555">CPU / message: the server\'s CPU in the load '
               'phase divided by the messages the clients received in that phase (publish included).</text>')
    svg.append("</svg>")
    with open(os.path.join(out, "chart.svg"), "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
