# SPDX-License-Identifier: GPL-3.0-or-later
"""Cost of a memory recording against no recording and against memory_profiler.

    python3 agent/bench/bench_memory.py [--rounds N] [--n N] [--json]
    /usr/bin/python3 agent/bench/bench_memory.py      # Debian's, with memory_profiler

The same allocation-heavy function runs, interleaved round by round, plain
(the baseline), inside a Spyglass memory recording (tracemalloc with the
default 16 frames, the recorder's watcher thread running), and, when the
`memory_profiler` module is importable, under its line-by-line mode
(`LineProfiler`: a trace function that reads the RSS at every line).
Prints the median time of each and the slowdowns, then the seed case
(`[x**2 for x in range(1_000_000)]`) as both tools report it.
"""

import argparse
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from spyglass import memory  # noqa: E402

try:
    import memory_profiler
except ImportError:
    memory_profiler = None


def workload(n):
    """Allocation-heavy: strings, small dicts and lists, most of them short-lived."""
    out = []
    for i in range(n):
        s = str(i) * 3
        d = {"key": s, "values": [i, i + 1, i + 2]}
        out.append(d)
        if len(out) >= 1000:
            out = []
    return len(out)


def seed():
    squares = [x**2 for x in range(1_000_000)]
    return squares


def run_plain(n):
    t = time.perf_counter()
    workload(n)
    return time.perf_counter() - t


def run_spyglass(n, frames):
    rec = memory.MemoryRecorder()
    t = time.perf_counter()
    rec.start({"frames": frames})
    workload(n)
    dt = time.perf_counter() - t
    t = time.perf_counter()
    rec.stop()
    return dt, time.perf_counter() - t


def run_memory_profiler(n):
    prof = memory_profiler.LineProfiler()
    wrapped = prof(workload)
    t = time.perf_counter()
    wrapped(n)
    return time.perf_counter() - t


def seed_compare():
    out = {}
    rec = memory.MemoryRecorder()
    rec.start({})
    kept = seed()
    summary = rec.stop()
    row = rec.get(summary["id"]).result["lines"][0]
    out["spyglass_seed_increment_mib"] = round(row["increment_bytes"] / 2**20, 1)
    out["spyglass_seed_line"] = f"{os.path.basename(row['file'])}:{row['line']} {row['text']}"
    del kept
    if memory_profiler is not None:
        prof = memory_profiler.LineProfiler()
        kept = prof(seed)()
        line = seed.__code__.co_firstlineno + 1
        for code, lines in prof.code_map.items():
            for lineno, entry in lines:
                if lineno == line and entry:
                    out["memory_profiler_seed_increment_mib"] = round(entry[0], 1)
        del kept
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--frames", type=int, default=memory.DEFAULT_FRAMES)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    plain, spy, spy_stop, mp = [], [], [], []
    run_plain(args.n)                      # warm up
    for r in range(args.rounds):
        plain.append(run_plain(args.n))
        dt, stop = run_spyglass(args.n, args.frames)
        spy.append(dt)
        spy_stop.append(stop)
        if memory_profiler is not None:
            mp.append(run_memory_profiler(args.n))
        plain.append(run_plain(args.n))    # A B C A: the baseline on both sides
    base = statistics.median(plain)
    out = {
        "python": "%d.%d.%d" % sys.version_info[:3],
        "load": [round(x, 2) for x in os.getloadavg()],
        "n": args.n,
        "rounds": args.rounds,
        "frames": args.frames,
        "plain_s": round(base, 4),
        "spyglass_s": round(statistics.median(spy), 4),
        "spyglass_stop_s": round(statistics.median(spy_stop), 4),
        "spyglass_slowdown": round(statistics.median(spy) / base, 2),
        "baseline_spread_pct": round((max(plain) - min(plain)) / base * 100, 1),
    }
    if mp:
        out["memory_profiler_s"] = round(statistics.median(mp), 4)
        out["memory_profiler_slowdown"] = round(statistics.median(mp) / base, 2)
        out["memory_profiler_vs_spyglass"] = round(statistics.median(mp) /
                                                   statistics.median(spy), 2)
    out.update(seed_compare())
    if args.json:
        print(json.dumps(out))
        return
    print(f"Python {out['python']} (load {out['load']}); workload n={args.n}, "
          f"{args.rounds} rounds, medians")
    print(f"  plain                 {out['plain_s']:.4f} s  (baseline spread "
          f"{out['baseline_spread_pct']} %)")
    print(f"  spyglass memory rec.  {out['spyglass_s']:.4f} s  = {out['spyglass_slowdown']}x "
          f"(frames={args.frames}; stop+tables {out['spyglass_stop_s']:.4f} s)")
    if mp:
        print(f"  memory_profiler line  {out['memory_profiler_s']:.4f} s  = "
              f"{out['memory_profiler_slowdown']}x  ({out['memory_profiler_vs_spyglass']}x "
              f"slower than spyglass)")
    else:
        print("  memory_profiler       not importable here (Debian's python3-memory-profiler "
              "is for /usr/bin/python3)")
    print(f"  seed case: spyglass {out['spyglass_seed_increment_mib']} MiB at "
          f"{out['spyglass_seed_line']}", end="")
    if "memory_profiler_seed_increment_mib" in out:
        print(f"; memory_profiler {out['memory_profiler_seed_increment_mib']} MiB", end="")
    print()


if __name__ == "__main__":
    main()
