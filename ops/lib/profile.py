#!/usr/bin/env python3
"""Writes ops/profile's report.md (and, from perf, cpu.collapsed and flamegraph.html); standard library only.

Usage: ops/lib/profile.py --out DIR --peer P --scenario S --clients N --window-ms START END
                          (--collapsed FILE | --perf-script FILE) [--jfr JFR_JSON]

The stacks come as async-profiler's collapsed output (root first, frames joined by ';', then the
sample count) or as `perf script -F comm,tid,ip,sym,dso`, which is folded into the same form.
"""
import argparse
import collections
import datetime
import html
import json
import os
import re
import zlib

# Each sample is attributed to the first bucket one of its frames matches, in this order, else "other":
# the attributed column sums to 100%. The inclusive column counts every sample with a matching frame
# anywhere in its stack, so the buckets overlap there (a socket read inside loompush code is in both).
BUCKETS = [
    ("GC and safepoints: VMThread, GC workers", r"VMThread::|WorkerThread::|GCTaskThread|ConcurrentGCThread"),
    ("JIT compilers: CompileBroker", r"CompileBroker::"),
    ("timer: DelayScheduler", r"java/util/concurrent/DelayScheduler"),
    ("socket poller: MasterPoller, SubPoller, epoll", r"sun/nio/ch/(Poller|EPoll)|epoll_wait|epoll_ctl|ep_poll"),
    ("socket reads", r"NioSocketImpl\.(implRead|read)|tcp_recvmsg|sys_recvfrom|ksys_read|^(__GI_)?_*(libc_)?(read|recv|recvmsg)$"),
    ("socket writes", r"NioSocketImpl\.(implWrite|write)|tcp_sendmsg|sys_sendto|ksys_write|do_writev|"
                      r"^(__GI_)?_*(libc_)?(write|writev|send|sendmsg)$"),
    ("accept", r"NioSocketImpl\.accept|\baccept4?\b|inet_csk_accept"),
    ("virtual threads: park, unpark, yield, idle carriers",
     r"VirtualThread\.(park|parkNanos|unpark|yield|tryYield|afterYield|submitRunContinuation|lazySubmit|externalSubmit)|"
     r"Continuation\.(yield|doYield)|ForkJoinPool\.(awaitWork|scan|signalWork|tryCompensate|externalPush|poll)|"
     r"Unsafe\.(park|unpark)|futex"),
    ("loompush code", r"io/loompush/"),
    ("nginx and nchan", r"^ngx_|^nchan_"),
    ("node and V8", r"^(uv_|uv__|node::|v8::|Builtins_)|^[A-Za-z]*:?[^ ]* (/|node:)"),
    ("kernel, other", r"_\[k\]$"),
]
TOP = 15
# Frames every thread or virtual thread starts from: in nearly every stack, so left out of the inclusive top list.
ROOTS = re.compile(r"^(process:.*|clone3?|start_thread|thread_native_entry|Thread::call_run|JavaThread::thread_main_inner|"
                   r"thread_entry|JavaMain|_start|__libc_start_main|main|java/lang/Thread\.run(With)?|"
                   r"java/util/concurrent/(ForkJoinWorkerThread\.run|ForkJoinPool\.runWorker|"
                   r"ForkJoinPool\$WorkQueue\.topLevelExec|ForkJoinTask\.doExec|ForkJoinTask\$\w+\.(exec|compute))|"
                   r"java/lang/VirtualThread(\$\$Lambda(\.0x[0-9a-f]+)?)?\.(run|runContinuation)|"
                   r"jdk/internal/vm/Continuation\.(run|enter|enterSpecial|enter0))$")


def read_collapsed(path):
    stacks = collections.Counter()
    with open(path, errors="replace") as f:
        for line in f:
            head, _, count = line.rstrip("\n").rpartition(" ")
            if head and count.isdigit():
                stacks[tuple(head.split(";"))] += int(count)
    return stacks


def fold_perf(path):
    """perf script output: a header line per sample, then its frames leaf first, then a blank line.
    The process name becomes the root frame (process:nginx); kernel frames end in _[k], as async-profiler's do."""
    stacks = collections.Counter()
    comm, frames = None, []
    with open(path, errors="replace") as f:
        for line in list(f) + ["\n"]:
            if not line.strip():
                if comm is not None:
                    stacks[tuple(["process:" + comm] + frames[::-1])] += 1
                comm, frames = None, []
            elif not line[0].isspace():
                comm = line.split()[0]
            else:
                parts = line.split(None, 1)
                rest = parts[1] if len(parts) > 1 else "[unknown]"
                dso = re.search(r"\(([^()]*)\)\s*$", rest)
                sym = re.sub(r"\+0x[0-9a-f]+", "", rest[:dso.start()] if dso else rest).strip() or "[unknown]"
                if sym == "[unknown]" and dso and dso.group(1) != "[unknown]":
                    sym = "[" + os.path.basename(dso.group(1)) + "]"
                kernel = dso and "kernel" in dso.group(1)
                frames.append(sym + ("_[k]" if kernel else ""))
    return stacks


def write_collapsed(stacks, path):
    with open(path, "w") as f:
        for stack, n in stacks.most_common():
            f.write(";".join(stack) + " " + str(n) + "\n")


def flamegraph(stacks, title, path):
    """A self-contained icicle graph (root on top), one SVG rectangle per frame, its share in the tooltip."""
    root = {"n": 0, "kids": {}}
    for stack, n in stacks.items():
        node = root
        node["n"] += n
        for frame in stack:
            node = node["kids"].setdefault(frame, {"n": 0, "kids": {}})
            node["n"] += n
    total, width, row = max(1, root["n"]), 1200.0, 17
    rects, depth = [], [0]

    def draw(node, name, x, d):
        w = node["n"] / total * width
        if w < 0.3:
            return
        depth[0] = max(depth[0], d)
        hue = 25 if name.endswith("_[k]") else zlib.crc32(name.encode()) % 40
        label = html.escape(name)
        text = html.escape(name[: int(w / 7)]) if w > 30 else ""
        rects.append(f'<g><title>{label} ({node["n"]:,} samples, {node["n"] / total:.2%})</title>'
                     f'<rect x="{x:.1f}" y="{d * row}" width="{w:.1f}" height="{row - 1}" fill="hsl({hue},85%,60%)"/>'
                     f'<text x="{x + 3:.1f}" y="{d * row + 12}">{text}</text></g>')
        for kid_name, kid in sorted(node["kids"].items()):
            draw(kid, kid_name, x, d + 1)
            x += kid["n"] / total * width

    x = 0.0
    for name, kid in sorted(root["kids"].items()):
        draw(kid, name, x, 0)
        x += kid["n"] / total * width
    height = (depth[0] + 1) * row
    with open(path, "w") as f:
        f.write(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
                f"<body style='font-family:sans-serif'><h3>{html.escape(title)}: {total:,} samples</h3>"
                f"<p>Hover a frame for its samples. Root on top; width is the share of samples.</p>"
                f"<svg xmlns='http://www.w3.org/2000/svg' width='{width:.0f}' height='{height}' font-size='11'>"
                + "".join(rects) + "</svg></body></html>\n")


def table(header, rows):
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows]


def pct(n, total):
    return f"{n / total:.1%}" if total else "n/a"


def cpu_tables(stacks):
    total = sum(stacks.values())
    patterns = [(name, re.compile(rx)) for name, rx in BUCKETS]
    inclusive, attributed = collections.Counter(), collections.Counter()
    self_time, incl_frames = collections.Counter(), collections.Counter()
    for stack, n in stacks.items():
        self_time[stack[-1]] += n
        for frame in set(stack):
            incl_frames[frame] += n
        first = None
        for name, rx in patterns:
            if any(rx.search(frame) for frame in stack):
                inclusive[name] += n
                first = first or name
        attributed[first or "other"] += n
    md = [f"{total:,} samples.", "", "### By bucket", "",
          "Attributed: each sample to the first bucket, in this order, that one of its frames matches "
          "(sums to 100%). Inclusive: every sample with a matching frame anywhere in its stack (buckets overlap).", ""]
    md += table(["bucket", "attributed", "inclusive"],
                [[name, pct(attributed[name], total), pct(inclusive[name], total)] for name, _ in BUCKETS]
                + [["other", pct(attributed["other"], total), ""]])
    md += ["", "### Top frames by self time", ""]
    md += table(["frame", "self"], [[f"`{f}`", pct(n, total)] for f, n in self_time.most_common(TOP)])
    md += ["", "### Top frames by inclusive time (less the threads' own roots)", ""]
    md += table(["frame", "inclusive"], [[f"`{f}`", pct(n, total)] for f, n in incl_frames.most_common()
                                         if not ROOTS.match(f)][:TOP])
    return md


def seconds(iso):
    """An ISO-8601 duration as JFR prints it (PT0.000512S, PT1M2.5S) in seconds."""
    m = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", iso or "")
    return 0.0 if not m else int(m.group(1) or 0) * 3600 + int(m.group(2) or 0) * 60 + float(m.group(3) or 0)


def epoch_ms(timestamp):
    date, _, frac = timestamp.rstrip("Z").partition(".")
    whole = datetime.datetime.fromisoformat(date).replace(tzinfo=datetime.timezone.utc)
    return whole.timestamp() * 1000 + float("0." + (frac or "0")) * 1000


def jfr_tables(path, start, end):
    with open(path) as f:
        events = [e for e in json.load(f)["recording"]["events"] if start <= epoch_ms(e["values"]["startTime"]) <= end]
    gcs = collections.defaultdict(lambda: [0, 0.0, 0.0])
    deopts = collections.Counter()
    for e in events:
        v = e["values"]
        if e["type"] == "jdk.GarbageCollection":
            g = gcs[v["name"]]
            pause = seconds(v.get("sumOfPauses"))
            g[0], g[1], g[2] = g[0] + 1, g[1] + pause, max(g[2], seconds(v.get("longestPause")))
        elif e["type"] == "jdk.Deoptimization":
            method = v.get("method") or {}
            name = (method.get("type") or {}).get("name", "?").replace("/", ".") + "." + method.get("name", "?")
            deopts[(name, v.get("reason", "?"))] += 1
    md = ["### GC pauses (JFR jdk.GarbageCollection, in the window)", ""]
    md += table(["collector", "collections", "pauses in all", "longest"],
                [[name, f"{g[0]:,}", f"{g[1] * 1000:,.1f} ms", f"{g[2] * 1000:,.1f} ms"] for name, g in sorted(gcs.items())]
                or [["none", "0", "0 ms", ""]])
    md += ["", f"### Deoptimizations (JFR jdk.Deoptimization, in the window): {sum(deopts.values()):,}", ""]
    md += table(["method", "reason", "count"],
                [[f"`{m}`", r, f"{n:,}"] for (m, r), n in deopts.most_common(TOP)] or [["none", "", "0"]])
    return md


def bench_line(out, peer, scenario):
    try:
        with open(os.path.join(out, "bench", "raw", f"{peer}-{scenario}.json")) as f:
            d = json.load(f)
    except (OSError, ValueError):
        return "ops/bench left no client-sim figures (see bench.log)."
    m, cpu = d.get("messages", {}), d.get("serverCpuMicrosPerMessage")
    return (f"client-sim: {d['clients']['connected']:,}/{d['clients']['clients']:,} connected, "
            f"{m.get('received', 0):,}/{m.get('expectedDeliveries', 0):,} received, {m.get('lost', 0):,} lost, "
            f"load phase {d.get('loadSeconds', 0):.1f} s, server CPU {d.get('serverCpuSeconds') or 0:.2f} s"
            + (f", {cpu:,.1f} us per delivered message" if cpu else "")
            + f" (under the profiler); verdict: {'OK' if d['verdict']['ok'] else '; '.join(d['verdict']['problems'])}.")


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--out", required=True)
    a.add_argument("--peer", required=True)
    a.add_argument("--scenario", required=True)
    a.add_argument("--clients", type=int, required=True)
    a.add_argument("--window-ms", type=int, nargs=2, required=True)
    a.add_argument("--collapsed")
    a.add_argument("--perf-script")
    a.add_argument("--jfr")
    args = a.parse_args()
    start, end = args.window_ms
    title = f"{args.peer} {args.scenario}, {args.clients:,} clients"
    if args.perf_script:
        stacks = fold_perf(args.perf_script)
        write_collapsed(stacks, os.path.join(args.out, "cpu.collapsed"))
        flamegraph(stacks, title, os.path.join(args.out, "flamegraph.html"))
        how = "perf record -g at 999 Hz on the server's processes"
    else:
        stacks = read_collapsed(args.collapsed)
        how = "async-profiler 4.2, event cpu, 1 ms interval (its own flame graph)"
    md = [f"# ops/profile: {title}", "",
          f"The server's CPU from the moment client-sim entered its `{args.scenario}` phase until the next "
          f"phase began ({(end - start) / 1000:.1f} s), sampled by {how}. Only the server is profiled; the "
          "simulator shares the machine's cores.", "", bench_line(args.out, args.peer, args.scenario), "",
          "## CPU", ""]
    md += cpu_tables(stacks) if stacks else ["No samples."]
    if args.jfr:
        md += ["", "## JFR", ""] + jfr_tables(args.jfr, start, end)
    md += ["", "## Files", "", "- `flamegraph.html`: the flame graph of the window",
           "- `cpu.collapsed`: its stacks, one line each with its sample count"]
    if args.jfr:
        md += ["- `recording.jfr`: the JFR recording of the whole run (`jfr print`, JDK Mission Control)"]
    if args.perf_script:
        md += ["- `perf.data`: perf's samples (`perf report -i perf.data`)"]
    md += ["- `bench/`: ops/bench's report, the client-sim log and JSON", ""]
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write("\n".join(md))


if __name__ == "__main__":
    main()
