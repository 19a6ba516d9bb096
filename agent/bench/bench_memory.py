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
(`[x**2 for x in range(1_000_000)]`) as Spyglass reports it (memory_profiler
traces the comprehension's million line events and takes minutes on it).
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


# Process CPU time, not wall time: on a shared machine the OS hands the CPU to
# others at random, and CPU time is what the recording really costs (the
# recorder's watcher thread included).
_clock = time.process_time


def run_plain(n):
    t = _clock()
    workload(n)
    return _clock() - t


def run_spyglass(n, frames):
    """(seconds of work while recording, seconds to stop and build the tables)."""
    rec = memory.MemoryRecorder()
    rec.start({"frames": frames})
    t = _clock()
    workload(n)
    dt = _clock() - t
    t = _clock()
    rec.stop()
    return dt, _clock() - t


def run_memory_profiler(n):
    prof = memory_profiler.LineProfiler()
    wrapped = prof(workload)
    t = _clock()
    wrapped(n)
    return _clock() - t


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
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--n", type=int, default=5_000)
    ap.add_argument("--frames", type=int, default=memory.DEFAULT_FRAMES)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    plain, spy, spy_stop, mp = [], [], [], []
    run_plain(args.n)                      # warm up
    for r in range(args.rounds):
        plain += [run_plain(args.n) for _ in range(3)]
        dt, stop = run_spyglass(args.n, args.frames)
        spy.append(dt)
        spy_stop.append(stop)
        if memory_profiler is not None:
            mp.append(run_memory_profiler(args.n))
        plain += [run_plain(args.n) for _ in range(3)]   # the baseline on both sides
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
        "baseline_spread_pct": round((statistics.quantiles(plain, n=4)[2]
                                      - statistics.quantiles(plain, n=4)[0]) / base * 100, 1),
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
          f"{args.rounds} rounds, medians of process CPU time")
    print(f"  plain                 {out['plain_s']:.4f} s  (baseline IQR "
          f"{out['baseline_spread_pct']} % of the median)")
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
          f"{out['spyglass_seed_line']}")


if __name__ == "__main__":
    main()
