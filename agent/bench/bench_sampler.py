# SPDX-License-Identifier: GPL-3.0-or-later
"""Sampler overhead and fidelity, against baselines measured in the same run.

    python3 agent/bench/bench_sampler.py [--rounds N] [--service] [--json]

Prints, for the interpreter running it:
1. CPU-bound throughput with and without 100 Hz all-thread sampling: the
   same fixed work, timed in interleaved blocks (none; sampling with signal
   ticks, the default; sampling with thread ticks; a thread that only wakes
   at 100 Hz, the GIL hand-off floor of any Python sampling thread), in an
   order that rotates every round; median of the per-round ratios and their
   spread.  Four idle threads sleep beside the worker so "all threads" means
   something.
2. Requests per second to the example service (--service): two copies of the
   service run side by side, one plain, one with the agent recording a 100 Hz
   profile the whole time; batches of requests alternate between them.
3. Effective sample rate while the main thread is CPU-bound (target >= 95 %).
4. CPU in the profile against the process's CPU clock over the same window
   (target within 5 %).  Where the sampler thread's CPU per tick goes: the
   tick's own work (timed in a tight loop) against what a thread that only
   wakes at 100 Hz uses per wake-up beside the busy thread.
5. --hold-only: a live tick's own time beside a busy main thread: with signal
   ticks the CPU the tick takes on that thread, with thread ticks how long
   the sampler thread holds the GIL, plus the drains.  This leaves out the
   signal's delivery and the busy code's caches refilling afterwards;
   bench_throughput.py measures the whole cost.
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


ARMS = ("A", "S", "T", "C")
ARM_ORDERS = [("A", "S", "T", "C"), ("C", "T", "S", "A"), ("S", "A", "C", "T"),
              ("T", "C", "A", "S")]


def bench_cpu_bound(rounds, block_s):
    n = 20000
    while timed(n)[0] < block_s:
        n *= 2
    stop = threading.Event()
    idle_threads(4, stop)
    samplers = {"S": sampler.Sampler(), "T": sampler.Sampler(signal_ticks=False)}
    times = {arm: [] for arm in ARMS}
    for r in range(rounds):
        # A: nothing; S: the sampler at 100 Hz with its ticks on this (the
        # main) thread by a timer signal, the default; T: the same sampler
        # with every tick on its own thread; C: a thread that only wakes at
        # 100 Hz (the GIL hand-off floor of any sampling thread).  The order
        # rotates every round.
        for arm in ARM_ORDERS[r % len(ARM_ORDERS)]:
            if arm in samplers:
                s = samplers[arm]
                rec = sampler.Recording("wall", 100)
                s.subscribe(rec)
                time.sleep(0.02)        # the first tick is in
                times[arm].append(timed(n))
                s.unsubscribe(rec)
            elif arm == "C":
                halt = threading.Event()
                w = threading.Thread(target=_wake_only, args=(halt, 100), daemon=True)
                w.start()
                time.sleep(0.02)
                times[arm].append(timed(n))
                halt.set()
                w.join()
            else:
                times[arm].append(timed(n))
    for s in samplers.values():
        s.stop()
    stop.set()
    out = {"block_seconds": round(statistics.median(t[0] for t in times["A"]), 3),
           "rounds": rounds}
    for arm in ("S", "T", "C"):
        for what, i in (("wall", 0), ("cpu", 1)):
            ratios = [x[i] / a[i] for x, a in zip(times[arm], times["A"])]
            lo, hi = spread(ratios)
            out[f"{arm}_{what}_pct"] = round((statistics.median(ratios) - 1) * 100, 2)
            out[f"{arm}_{what}_iqr_pct"] = [round((lo - 1) * 100, 2), round((hi - 1) * 100, 2)]
    return out


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
    """The sampler's work for one 100 Hz wall tick (every thread): the tick and
    its share of the drains, in a tight loop."""
    rec = sampler.Recording("wall", 100, max_samples=n * 16)
    s._symbols = sampler.Symbols()
    me = threading.get_ident()
    now = time.monotonic_ns()
    t0 = time.perf_counter_ns()
    for i in range(n):
        now += 10_000_000
        tick = s._tick((rec,), me, now, 10_000_000)
        if tick is not None:
            s._pending.append(tick)
        if i % 10 == 9:
            s._drain()
    us = (time.perf_counter_ns() - t0) / n / 1e3
    s._symbols = None
    return us


class _HoldTimer(sampler.Sampler):
    """The sampler, timing what it takes from a busy main thread: per tick on
    its own thread, the wall time it holds the GIL (and its CPU); per signal
    tick on the main thread, the CPU it takes there; and per drain on the
    sampler thread, the wall time it holds the GIL."""

    def __init__(self, signal_ticks):
        super().__init__(signal_ticks=signal_ticks)
        self.held_ns = []
        self.cpu_ns = []
        self.drain_ns = []

    def _tick(self, recs, me, now, period, main=None):
        if main is not None:
            return super()._tick(recs, me, now, period, main)
        clk = time.pthread_getcpuclockid(me)
        c0, t0 = time.clock_gettime_ns(clk), time.perf_counter_ns()
        tick = super()._tick(recs, me, now, period)
        self.held_ns.append(time.perf_counter_ns() - t0)
        self.cpu_ns.append(time.clock_gettime_ns(clk) - c0)
        return tick

    def _signal_tick(self, frame):
        c0 = time.thread_time_ns()
        super()._signal_tick(frame)
        self.cpu_ns.append(time.thread_time_ns() - c0)

    def _drain(self):
        if not self._pending:
            return
        t0 = time.perf_counter_ns()
        super()._drain()
        self.drain_ns.append(time.perf_counter_ns() - t0)


def bench_hold(seconds, signal_ticks):
    """Per live tick beside a busy main thread, what the busy thread loses.

    Thread ticks: the busy thread cannot run while the sampler thread holds
    the GIL, so the held time per tick is a floor of its cost (the hand-offs
    come on top).  Signal ticks: the main thread runs the tick itself, so the
    CPU the handler takes there is its cost (the kernel's signal delivery, a
    few microseconds, comes on top).  Either way the drains, every 100 ms on
    the sampler thread, hold the GIL too: their total over the recording, per
    tick, is added."""
    stop = threading.Event()
    idle_threads(4, stop)
    s = _HoldTimer(signal_ticks)
    rec = sampler.Recording("wall", 100)
    s.subscribe(rec)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        work(2000)
    s.unsubscribe(rec)
    s.stop()
    stop.set()
    ticks = max(rec.ticks, 1)
    drain = sum(s.drain_ns) / ticks / 1e3
    if signal_ticks:
        cost = statistics.median(s.cpu_ns[1:]) / 1e3
        return {"ticks": "signal", "tick_us": round(cost, 1), "drain_us_per_tick": round(drain, 1),
                "cost_us_per_tick": round(cost + drain, 1),
                "cost_pct_at_100hz": round((cost + drain) * 100 / 1e4, 2),
                "signal_ticks": s.signal_ticks, "all_ticks": s.ticks,
                "effective_hz": round(rec.effective_hz(), 1)}
    held = statistics.median(s.held_ns[1:]) / 1e3
    return {"ticks": "thread", "tick_us": round(held, 1), "drain_us_per_tick": round(drain, 1),
            "cost_us_per_tick": round(held + drain, 1),
            "tick_cpu_us": round(statistics.median(s.cpu_ns[1:]) / 1e3, 1),
            "cost_pct_at_100hz": round((held + drain) * 100 / 1e4, 2),
            "effective_hz": round(rec.effective_hz(), 1)}


def bench_rate_and_cpu(seconds, signal_ticks=True):
    stop = threading.Event()
    idle_threads(4, stop)
    s = sampler.Sampler(signal_ticks=signal_ticks)
    rec = sampler.Recording("cpu", 100)
    s.subscribe(rec)
    # The process clock is read right after the recording's first and last
    # ticks, so both measure the same window.
    while rec.ticks_taken < 1:
        pass
    cpu0 = time.clock_gettime_ns(time.CLOCK_PROCESS_CPUTIME_ID)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        work(2000)
    last = rec.ticks_taken
    while rec.ticks_taken == last:
        pass
    cpu1 = time.clock_gettime_ns(time.CLOCK_PROCESS_CPUTIME_ID)
    s.unsubscribe(rec)
    s.stop()
    wake_us = _wake_only_cpu_per_tick(2.0)
    work_us = _tick_work_us(sampler.Sampler(signal_ticks=False), 2000)
    stop.set()
    process = cpu1 - cpu0
    own = rec.sampler_cpu_ns
    return {
        "ticks": "signal" if s.signal_ticks else "thread",
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
    py = "%d.%d.%d" % sys.version_info[:3]
    if args.hold_only:
        for signal_ticks in (True, False):
            h = bench_hold(4.0, signal_ticks)
            where = ("signal ticks: the main thread's CPU per tick" if signal_ticks else
                     "thread ticks: GIL held per tick")
            print(f"Python {py} (load {[round(x, 2) for x in os.getloadavg()]}): {where} "
                  f"{h['tick_us']} us (median) + drains {h['drain_us_per_tick']} us per tick "
                  f"= {h['cost_us_per_tick']} us ({h['cost_pct_at_100hz']} % of a busy "
                  f"thread at 100 Hz); rate {h['effective_hz']} Hz")
        return
    if args.fidelity_only:
        for signal_ticks in (True, False):
            f = bench_rate_and_cpu(5.0, signal_ticks)
            print(f"Python {py} (load {[round(x, 2) for x in os.getloadavg()]}), "
                  f"{f['ticks']} ticks: rate {f['effective_hz']} Hz of 100; "
                  f"profile CPU {f['profile_cpu_s']} s vs process {f['process_cpu_s']} s "
                  f"({f['profile_vs_process_pct']} %), minus sampler "
                  f"{f['profile_vs_process_minus_sampler_pct']} %; sampler {f['sampler_cpu_s']} s, "
                  f"{f['sampler_us_per_tick']} us/tick")
        return
    out = {
        "python": py,
        "cpus": os.cpu_count(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "cpu_bound": bench_cpu_bound(args.rounds, args.block),
        "fidelity": bench_rate_and_cpu(5.0),
        "fidelity_thread": bench_rate_and_cpu(5.0, signal_ticks=False),
    }
    if args.service:
        sys.path.insert(0, HERE)
        import bench_service
        out["service"] = bench_service.run(args.rounds, args.requests)
    out["load_after"] = [round(x, 2) for x in os.getloadavg()]
    if args.json:
        print(json.dumps(out))
        return
    c = out["cpu_bound"]
    print(f"Python {out['python']}  ({out['cpus']} CPUs, load {out['load_before']} -> "
          f"{out['load_after']})")
    print(f"CPU-bound throughput against no sampling ({c['rounds']} rounds of A/S/T/C in "
          f"rotating order, block {c['block_seconds']} s; median of per-round ratios, IQR):")
    for arm, label in (("S", "100 Hz sampling, signal ticks (default)"),
                       ("T", "100 Hz sampling, thread ticks"),
                       ("C", "a thread that only wakes at 100 Hz")):
        print(f"  {label}: wall {c[arm + '_wall_pct']:+.2f} % "
              f"({c[arm + '_wall_iqr_pct'][0]:+.2f} .. {c[arm + '_wall_iqr_pct'][1]:+.2f}), "
              f"process CPU {c[arm + '_cpu_pct']:+.2f} % "
              f"({c[arm + '_cpu_iqr_pct'][0]:+.2f} .. {c[arm + '_cpu_iqr_pct'][1]:+.2f})")
    for f in (out["fidelity"], out["fidelity_thread"]):
        print(f"{f['ticks'].capitalize()} ticks: effective rate while CPU-bound "
              f"{f['effective_hz']} Hz of 100; CPU in profile {f['profile_cpu_s']} s vs process "
              f"{f['process_cpu_s']} s ({f['profile_vs_process_pct']} %), minus the sampler's "
              f"own {f['sampler_cpu_s']} s: {f['profile_vs_process_minus_sampler_pct']} %")
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
