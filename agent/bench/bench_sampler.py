# SPDX-License-Identifier: GPL-3.0-or-later
"""Sampler overhead and fidelity, against baselines measured in the same run.

    python3 agent/bench/bench_sampler.py [--rounds N] [--service] [--json]

Prints, for the interpreter running it:
1. CPU-bound throughput with and without 100 Hz all-thread sampling: the
   same fixed work, timed in interleaved A/B blocks (A B B A ...), median of
   the per-pair ratios and its spread.  Four idle threads sleep beside the
   worker so "all threads" means something.  A third arm in the same rounds
   runs a thread that only wakes at 100 Hz: every wake-up has to take the GIL
   from the busy thread, which is the floor of any Python sampling thread.
2. Requests per second to the example service (--service): two copies of the
   service run side by side, one plain, one with the agent recording a 100 Hz
   profile the whole time; batches of requests alternate between them.
3. Effective sample rate while the main thread is CPU-bound (target >= 95 %).
4. CPU in the profile against the process's CPU clock over the same window
   (target within 5 %).  Where the sampler thread's CPU per tick goes: the
   tick's own work (timed in a tight loop) against what a thread that only
   wakes at 100 Hz uses per wake-up beside the busy thread.
5. --hold-only: how long a live tick holds the GIL beside a busy thread (the
   busy thread cannot run meanwhile), timed inside the sampler thread.
The machine is shared: the load average is printed with the figures, and the
spread says how far a single ratio can be trusted.
"""

import argparse
import json
import os
import statistics
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from spyglass import sampler  # noqa: E402


def work(n):
    """Pure-Python CPU work: calls, attribute access, arithmetic, dicts."""
    class P:
        __slots__ = ("x", "y")

        def __init__(self, x, y):
            self.x, self.y = x, y

    total = 0
    d = {}
    for i in range(n):
        p = P(i, i * 2)
        total += (p.x * 3 + p.y) % 7
        d[i & 1023] = total
    return total + len(d)


def _pcpu():
    return time.clock_gettime(time.CLOCK_PROCESS_CPUTIME_ID)


def timed(n):
    """(wall seconds, process CPU seconds) for n units of work."""
    c0, t0 = _pcpu(), time.perf_counter()
    work(n)
    return time.perf_counter() - t0, _pcpu() - c0


def idle_threads(k, stop):
    ts = []
    for i in range(k):
        t = threading.Thread(target=lambda: stop.wait(), name=f"idle-{i}", daemon=True)
        t.start()
        ts.append(t)
    return ts


def spread(ratios):
    q = statistics.quantiles(ratios, n=4) if len(ratios) >= 4 else [min(ratios), 0, max(ratios)]
    return q[0], q[2]


def _wake_only(halt, hz):
    # What any Python-level sampling thread pays at least: wake up hz times a
    # second, which needs the GIL back from the busy thread, and sleep again.
    period = 1.0 / hz
    while not halt.is_set():
        time.sleep(period)


def bench_cpu_bound(rounds, block_s):
    n = 20000
    while timed(n)[0] < block_s:
        n *= 2
    stop = threading.Event()
    idle_threads(4, stop)
    s = sampler.Sampler()
    ratios, cpu_ratios, base, samp, wake_ratios = [], [], [], [], []
    for r in range(rounds):
        # A: nothing; B: the sampler at 100 Hz; C: a thread that only wakes
        # at 100 Hz (the GIL hand-off floor).  Order rotates every round.
        order = ("A", "B", "C", "C", "B", "A")[(r % 2) * 3:(r % 2) * 3 + 3]
        times = {}
        for mode in order:
            if mode == "B":
                rec = sampler.Recording("wall", 100)
                s.subscribe(rec)
                time.sleep(0.02)        # the first tick is in
                times[mode] = timed(n)
                s.unsubscribe(rec)
            elif mode == "C":
                halt = threading.Event()
                w = threading.Thread(target=_wake_only, args=(halt, 100), daemon=True)
                w.start()
                time.sleep(0.02)
                times[mode] = timed(n)
                halt.set()
                w.join()
            else:
                times[mode] = timed(n)
        base.append(times["A"][0])
        samp.append(times["B"][0])
        ratios.append(times["B"][0] / times["A"][0])
        cpu_ratios.append(times["B"][1] / times["A"][1])
        wake_ratios.append(times["C"][0] / times["A"][0])
    s.stop()
    stop.set()
    lo, hi = spread(ratios)
    clo, chi = spread(cpu_ratios)
    wlo, whi = spread(wake_ratios)
    return {
        "median_wake_only_overhead_pct": round((statistics.median(wake_ratios) - 1) * 100, 2),
        "wake_only_iqr_pct": [round((wlo - 1) * 100, 2), round((whi - 1) * 100, 2)],
        "median_cpu_overhead_pct": round((statistics.median(cpu_ratios) - 1) * 100, 2),
        "cpu_overhead_iqr_pct": [round((clo - 1) * 100, 2), round((chi - 1) * 100, 2)],
        "block_seconds": round(statistics.median(base), 3),
        "rounds": rounds,
        "median_overhead_pct": round((statistics.median(ratios) - 1) * 100, 2),
        "overhead_iqr_pct": [round((lo - 1) * 100, 2), round((hi - 1) * 100, 2)],
        "overhead_of_medians_pct": round((statistics.median(samp) / statistics.median(base) - 1)
                                         * 100, 2),
    }


def _wake_only_cpu_per_tick(seconds):
    """CPU of a thread that only wakes at 100 Hz while this thread is busy, per wake-up."""
    out = []

    def run(halt):
        clk = time.pthread_getcpuclockid(threading.get_ident())
        c0, k = time.clock_gettime_ns(clk), 0
        while not halt.is_set():
            time.sleep(0.01)
            k += 1
        out.append((time.clock_gettime_ns(clk) - c0) / max(k, 1) / 1e3)

    halt = threading.Event()
    t = threading.Thread(target=run, args=(halt,), daemon=True)
    t.start()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        work(2000)
    halt.set()
    t.join()
    return out[0]


def _tick_work_us(s, n):
    """The sampler's work for one 100 Hz wall tick (every thread), in a tight loop."""
    rec = sampler.Recording("wall", 100, max_samples=n * 16)
    s._symbols = sampler.Symbols()
    me = threading.get_ident()
    now = time.monotonic_ns()
    t0 = time.perf_counter_ns()
    for _ in range(n):
        now += 10_000_000
        s._tick((rec,), me, now, 10_000_000)
    us = (time.perf_counter_ns() - t0) / n / 1e3
    s._symbols = None
    return us


class _HoldTimer(sampler.Sampler):
    """The sampler, timing (wall and own CPU) each tick, i.e. while it holds the GIL."""

    def __init__(self):
        super().__init__()
        self.held_ns = []
        self.cpu_ns = []

    def _tick(self, recs, me, now, period):
        clk = time.pthread_getcpuclockid(me)
        c0, t0 = time.clock_gettime_ns(clk), time.perf_counter_ns()
        super()._tick(recs, me, now, period)
        self.held_ns.append(time.perf_counter_ns() - t0)
        self.cpu_ns.append(time.clock_gettime_ns(clk) - c0)


def bench_hold(seconds):
    """Per live tick beside a busy thread: wall time the tick holds the GIL, and its CPU.

    The busy thread cannot run while the sampler holds the GIL, so 100 times
    the held time per tick is a floor of its throughput cost (the hand-offs
    come on top)."""
    stop = threading.Event()
    idle_threads(4, stop)
    s = _HoldTimer()
    rec = sampler.Recording("wall", 100)
    s.subscribe(rec)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        work(2000)
    s.unsubscribe(rec)
    s.stop()
    stop.set()
    held = statistics.median(s.held_ns[1:]) / 1e3
    return {"held_us_per_tick": round(held, 1),
            "tick_cpu_us": round(statistics.median(s.cpu_ns[1:]) / 1e3, 1),
            "held_pct_at_100hz": round(held * 100 / 1e4, 2)}


def bench_rate_and_cpu(seconds):
    stop = threading.Event()
    idle_threads(4, stop)
    s = sampler.Sampler()
    rec = sampler.Recording("cpu", 100)
    s.subscribe(rec)
    # The process clock is read right after the recording's first and last
    # ticks, so both measure the same window.
    while rec.ticks < 1:
        pass
    cpu0 = time.clock_gettime_ns(time.CLOCK_PROCESS_CPUTIME_ID)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        work(2000)
    last = rec.ticks
    while rec.ticks == last:
        pass
    cpu1 = time.clock_gettime_ns(time.CLOCK_PROCESS_CPUTIME_ID)
    s.unsubscribe(rec)
    s.stop()
    wake_us = _wake_only_cpu_per_tick(2.0)
    work_us = _tick_work_us(s, 2000)
    stop.set()
    process = cpu1 - cpu0
    own = rec.sampler_cpu_ns
    return {
        "wake_only_us_per_tick": round(wake_us, 1),
        "tick_work_us": round(work_us, 1),
        "requested_hz": 100,
        "effective_hz": round(rec.effective_hz(), 2),
        "rate_pct": round(rec.effective_hz(), 2),
        "profile_cpu_s": round(rec.cpu_total_ns / 1e9, 4),
        "process_cpu_s": round(process / 1e9, 4),
        "sampler_cpu_s": round(own / 1e9, 4),
        "profile_vs_process_pct": round(rec.cpu_total_ns / process * 100, 2),
        "sampler_us_per_tick": round(own / max(rec.ticks - 1, 1) / 1e3, 1),
        "sampler_core_pct": round(own / max(rec.duration_ns, 1) * 100, 2),
        "profile_vs_process_minus_sampler_pct":
            round(rec.cpu_total_ns / (process - own) * 100, 2),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--block", type=float, default=0.25, help="seconds of work per block")
    ap.add_argument("--service", action="store_true", help="also benchmark the example service")
    ap.add_argument("--requests", type=int, default=400, help="requests per service batch")
    ap.add_argument("--fidelity-only", action="store_true",
                    help="only the rate and CPU accounting figures")
    ap.add_argument("--hold-only", action="store_true",
                    help="only how long a live tick holds the GIL beside a busy thread")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.hold_only:
        h = bench_hold(4.0)
        print(f"Python {'%d.%d.%d' % sys.version_info[:3]} (load "
              f"{[round(x, 2) for x in os.getloadavg()]}): a live 100 Hz wall tick holds the "
              f"GIL {h['held_us_per_tick']} us (median; {h['held_pct_at_100hz']} % of the "
              f"time at 100 Hz) and uses {h['tick_cpu_us']} us of CPU")
        return
    if args.fidelity_only:
        f = bench_rate_and_cpu(5.0)
        print(f"Python {'%d.%d.%d' % sys.version_info[:3]} (load "
              f"{[round(x, 2) for x in os.getloadavg()]}): rate {f['effective_hz']} Hz of 100; "
              f"profile CPU {f['profile_cpu_s']} s vs process {f['process_cpu_s']} s "
              f"({f['profile_vs_process_pct']} %), minus sampler "
              f"{f['profile_vs_process_minus_sampler_pct']} %; sampler {f['sampler_cpu_s']} s, "
              f"{f['sampler_us_per_tick']} us/tick, {f['sampler_core_pct']} % of a core "
              f"(tick work {f['tick_work_us']} us, bare wake-up {f['wake_only_us_per_tick']} us)")
        return
    out = {
        "python": "%d.%d.%d" % sys.version_info[:3],
        "cpus": os.cpu_count(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "cpu_bound": bench_cpu_bound(args.rounds, args.block),
        "fidelity": bench_rate_and_cpu(5.0),
    }
    if args.service:
        sys.path.insert(0, HERE)
        import bench_service
        out["service"] = bench_service.run(args.rounds, args.requests)
    out["load_after"] = [round(x, 2) for x in os.getloadavg()]
    if args.json:
        print(json.dumps(out))
        return
    c, f = out["cpu_bound"], out["fidelity"]
    print(f"Python {out['python']}  ({out['cpus']} CPUs, load {out['load_before']} -> "
          f"{out['load_after']})")
    print(f"CPU-bound throughput, 100 Hz all-thread sampling vs none: "
          f"{c['median_overhead_pct']:+.2f} % time (median of {c['rounds']} A/B pairs, "
          f"IQR {c['overhead_iqr_pct'][0]:+.2f} .. {c['overhead_iqr_pct'][1]:+.2f} %; "
          f"ratio of medians {c['overhead_of_medians_pct']:+.2f} %; "
          f"block {c['block_seconds']} s)")
    print(f"  a thread that only wakes at 100 Hz (the GIL hand-off floor of any Python "
          f"sampling thread), same rounds: {c['median_wake_only_overhead_pct']:+.2f} % time "
          f"(IQR {c['wake_only_iqr_pct'][0]:+.2f} .. {c['wake_only_iqr_pct'][1]:+.2f} %)")
    print(f"  same, in process CPU time (sampler thread included, immune to time the OS "
          f"gives to others): {c['median_cpu_overhead_pct']:+.2f} % (IQR "
          f"{c['cpu_overhead_iqr_pct'][0]:+.2f} .. {c['cpu_overhead_iqr_pct'][1]:+.2f} %)")
    print(f"Effective rate while CPU-bound: {f['effective_hz']} Hz of 100 "
          f"({f['rate_pct']} %)")
    print(f"CPU in profile {f['profile_cpu_s']} s vs process {f['process_cpu_s']} s "
          f"({f['profile_vs_process_pct']} %); sampler's own {f['sampler_cpu_s']} s; "
          f"profile vs process minus sampler {f['profile_vs_process_minus_sampler_pct']} %")
    print(f"Sampler thread: {f['sampler_us_per_tick']} us of CPU per tick, "
          f"{f['sampler_core_pct']} % of one core over the window")
    print(f"  of which: the tick's own work {f['tick_work_us']} us (tight loop, same threads); "
          f"a thread that only wakes at 100 Hz beside the busy one uses "
          f"{f['wake_only_us_per_tick']} us per wake-up")
    if "service" in out:
        sv = out["service"]
        print(f"Example service: {sv['plain_rps']} req/s plain vs {sv['agent_rps']} req/s with "
              f"the agent recording at 100 Hz: {sv['median_overhead_pct']:+.2f} % time per "
              f"request (median of {sv['rounds']} A/B batches, IQR "
              f"{sv['overhead_iqr_pct'][0]:+.2f} .. {sv['overhead_iqr_pct'][1]:+.2f} %)")
        if sv["server_cpu_overhead_pct"] is not None:
            print(f"  server CPU time per batch: {sv['server_cpu_overhead_pct']:+.2f} % (IQR "
                  f"{sv['server_cpu_iqr_pct'][0]:+.2f} .. {sv['server_cpu_iqr_pct'][1]:+.2f} %; "
                  "includes the sampler thread)")


if __name__ == "__main__":
    main()
