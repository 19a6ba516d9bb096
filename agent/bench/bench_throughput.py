# SPDX-License-Identifier: GPL-3.0-or-later
"""What 100 Hz all-thread sampling costs a CPU-bound main thread, resolved
below 1 % on a noisy machine.

    python3 agent/bench/bench_throughput.py [--seconds S] [--rounds N] [--json]

Why not just time a block of work with and without the sampler: on the
project's VM the speed of a core wanders by +-20 % from one 100 ms to the
next (other tenants, frequency), so two blocks of the same work differ by more
than the 1 % asked about, whatever is running.

What this does instead: the main thread runs many tiny units of work
(~2 us each) and stamps the end of each with ``perf_counter_ns``.  Whatever
takes the thread away from its work (the kernel delivering the tick signal,
the tick itself, the caches refilling afterwards, waiting for the GIL while
the sampler thread holds it) shows up as longer units *right where it
happens*, and the sampler says when that is: every tick and every drain is
logged.  So for each such event the work lost is

    sum over the units in [event - BEFORE, event end + AFTER] of
        (unit duration - median unit duration within +-2 ms)

i.e. measured against the speed of the core at that very moment.  Jitter
that has nothing to do with sampling lands in these windows too; it is
measured with "placebo" windows of the same width halfway between events
(and at the same 100 Hz times with no sampler at all), and subtracted.

The lost work, added up and divided by the run's length, is the throughput
the sampler takes from the busy thread.  A third arm measures the floor of
any signal-driven Python sampler in the same way: the same 100 Hz timer and
signal, with a handler that only notes the time.  It is cross-checked against plain
units-per-second of the same rounds (the noisy figure above) and against the
sampler's own account of the CPU its ticks took on the main thread.
Four idle threads sleep beside the worker so "all threads" means something.
"""

import argparse
import bisect
import json
import os
import signal
import statistics
import sys
import threading
import time
from array import array

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

from spyglass import sampler  # noqa: E402
from bench_sampler import idle_threads  # noqa: E402

BEFORE_NS = 150_000        # a thread tick needs the GIL first: the stall starts before it
AFTER_NS = 300_000         # the busy thread getting the GIL back, caches refilling
BASELINE_NS = 2_000_000    # the core's speed: median unit within this of the event


def unit(n=40):
    t = 0
    for i in range(n):
        t += i * i % 7
    return t


def run_units(seconds):
    """Stamps (perf_counter_ns) of the end of every unit for `seconds`."""
    stamps = array("q")
    append = stamps.append
    clock = time.perf_counter_ns
    t = clock()
    end = t + int(seconds * 1e9)
    append(t)
    while t < end:
        unit()
        t = clock()
        append(t)
    return stamps


class LoggingSampler(sampler.Sampler):
    """The sampler, noting when each tick and each drain happened.

    Tick times are read from the queued ticks at the drain (a tick's first
    field is its monotonic time), so the ticks themselves run unchanged."""

    def __init__(self, signal_ticks):
        super().__init__(signal_ticks=signal_ticks)
        # (start ns, end ns, "tick" or "drain"); perf_counter is CLOCK_MONOTONIC
        self.events = []

    def _drain(self):
        t0 = time.perf_counter_ns()
        ticks = [tick[0] for tick in self._pending]
        super()._drain()
        self.events.append((t0, time.perf_counter_ns(), "drain"))
        self.events.extend((t, t, "tick") for t in ticks)


def lost_in(stamps, start, end):
    """Work lost in [start - BEFORE, end + AFTER], against the local median unit."""
    lo = bisect.bisect_left(stamps, start - BASELINE_NS)
    hi = bisect.bisect_right(stamps, end + BASELINE_NS)
    around = [stamps[i + 1] - stamps[i] for i in range(max(lo, 0), min(hi, len(stamps) - 1))]
    if len(around) < 50:
        return None
    median = statistics.median(around)
    a = bisect.bisect_left(stamps, start - BEFORE_NS)
    b = bisect.bisect_right(stamps, end + AFTER_NS)
    if a < 1 or b >= len(stamps):
        return None
    # Units that end inside the window, plus the one running as it opens.
    return sum(stamps[i] - stamps[i - 1] - median for i in range(a, b + 1)), b - a + 1


def merge(events):
    """Sorted events, overlapping ones joined (a drain right after a tick);
    a joined event is a "drain" if any of its parts is."""
    out = []
    for s, e, kind in sorted(events):
        if out and s - BEFORE_NS <= out[-1][1] + AFTER_NS:
            out[-1][1] = max(out[-1][1], e)
            if kind == "drain":
                out[-1][2] = kind
        else:
            out.append([s, e, kind])
    return out


def measure(stamps, events, period_ns=10_000_000):
    """{kind: (lost ns at those events, lost ns in as many placebo windows, events)}.

    Placebo windows are as wide as the events' median, every half period,
    wherever no event is near."""
    events = merge(events)
    t0, t1 = stamps[0] + BASELINE_NS, stamps[-1] - BASELINE_NS
    events = [ev for ev in events if t0 <= ev[0] and ev[1] <= t1]
    busy = [(s - BEFORE_NS - AFTER_NS, e + BEFORE_NS + AFTER_NS) for s, e, _ in events]
    starts = [b[0] for b in busy]
    out = {}
    for kind in ("tick", "drain"):
        mine = [ev for ev in events if ev[2] == kind]
        lost = n = 0
        for s, e, _ in mine:
            x = lost_in(stamps, s, e)
            if x is not None:
                lost += x[0]
                n += 1
        placebo = n_placebo = 0
        width = int(statistics.median(e - s for s, e, _ in mine)) if mine else 0
        t = t0
        while mine and t + width < t1:
            i = bisect.bisect_right(starts, t + width + BEFORE_NS + AFTER_NS) - 1
            if i < 0 or busy[i][1] < t - BEFORE_NS - AFTER_NS:
                x = lost_in(stamps, t, t + width)
                if x is not None:
                    placebo += x[0]
                    n_placebo += 1
            t += period_ns // 2
        out[kind] = (lost, placebo * n / n_placebo if n_placebo else 0, n)
    return out


def placebo_only(stamps, width_ns, period_ns=10_000_000):
    """Lost ns in windows every period where nothing samples: the estimator's floor."""
    t0, t1 = stamps[0] + BASELINE_NS, stamps[-1] - BASELINE_NS
    total = n = 0
    t = t0
    while t + width_ns < t1:
        x = lost_in(stamps, t, t + width_ns)
        if x is not None:
            total += x[0]
            n += 1
        t += period_ns
    return total, n


def _floor_round(seconds):
    """The floor of any Python sampler driven by a signal: the same timer and
    signal to this thread at 100 Hz, and a handler that only notes the time."""
    from spyglass import signal_ticks
    times = []
    note = times.append
    clock = time.perf_counter_ns
    old = signal.signal(signal_ticks.TICK_SIGNAL, lambda signum, frame: note(clock()))
    timer = signal_ticks.ThreadTimer(signal_ticks.TICK_SIGNAL, threading.get_native_id())
    try:
        timer.arm(10_000_000)
        stamps = run_units(seconds)
    finally:
        timer.close()
        signal.signal(signal_ticks.TICK_SIGNAL, old)
    events = [(t, t, "tick") for t in times if stamps[0] <= t <= stamps[-1]]
    return {"arm": "F", "units": len(stamps) - 1, "ns": stamps[-1] - stamps[0],
            "stamps": stamps, "events": events, "ticks": len(events)}


def one_round(arm, seconds):
    if arm == "F":
        return _floor_round(seconds)
    if arm == "A":
        stamps = run_units(seconds)
        return {"arm": arm, "units": len(stamps) - 1, "ns": stamps[-1] - stamps[0],
                "stamps": stamps}
    s = LoggingSampler(signal_ticks=(arm == "S"))
    rec = sampler.Recording("wall", 100)
    s.subscribe(rec)
    time.sleep(0.25)           # the watchdog has seen the thread busy (signal ticks armed)
    s.events.clear()
    handler0 = s.handler_cpu_ns
    stamps = run_units(seconds)
    s.unsubscribe(rec)
    s.stop()
    events = [e for e in s.events if stamps[0] <= e[0] <= stamps[-1]]
    ticks = sum(1 for e in events if e[2] == "tick")
    return {"arm": arm, "units": len(stamps) - 1, "ns": stamps[-1] - stamps[0],
            "stamps": stamps, "events": events, "rec": rec, "sampler": s,
            "handler_ns": s.handler_cpu_ns - handler0, "ticks": ticks,
            "signal_ticks": s.signal_ticks}


def summarise(rounds):
    out = {}
    a_rounds = [r for r in rounds if r["arm"] == "A"]
    # The estimator's floor with nothing sampling: windows as wide as a tick's.
    floor = [placebo_only(r["stamps"], 50_000) for r in a_rounds]
    out["A_floor_pct"] = [round(f[0] / r["ns"] * 100, 3) for f, r in zip(floor, a_rounds)]
    a_rate = statistics.median(r["units"] / r["ns"] for r in a_rounds)
    f_rounds = [r for r in rounds if r["arm"] == "F"]
    if f_rounds:
        lost = []
        for r in f_rounds:
            lost_ns, placebo, n = measure(r["stamps"], r["events"])["tick"]
            lost.append(((lost_ns - placebo) / r["ns"] * 100, (lost_ns - placebo) / max(n, 1) / 1e3))
        out["F"] = {"lost_pct_median": round(statistics.median(x[0] for x in lost), 3),
                    "lost_us_per_tick": round(statistics.median(x[1] for x in lost), 1)}
    for arm in ("S", "T"):
        rs = [r for r in rounds if r["arm"] == arm]
        if not rs:
            continue
        pct, per_tick, per_drain, drains, rate, handler = [], [], [], [], [], []
        for r in rs:
            m = measure(r["stamps"], r["events"])
            cost = {k: lost - placebo for k, (lost, placebo, n) in m.items()}
            pct.append(sum(cost.values()) / r["ns"] * 100)
            per_tick.append(cost["tick"] / max(m["tick"][2], 1) / 1e3)
            per_drain.append(cost["drain"] / max(m["drain"][2], 1) / 1e3)
            drains.append(m["drain"][2] / r["ns"] * 1e9)
            rate.append((r["units"] / r["ns"]) / a_rate - 1)
            handler.append(r["handler_ns"] / max(r["ticks"], 1) / 1e3)
        out[arm] = {
            "rounds": len(rs),
            "lost_pct_median": round(statistics.median(pct), 3),
            "lost_pct": [round(x, 3) for x in pct],
            "lost_us_per_tick": round(statistics.median(per_tick), 1),
            "lost_us_per_drain": round(statistics.median(per_drain), 1),
            "drains_per_s": round(statistics.median(drains), 1),
            "ticks_per_s": round(statistics.median(r["ticks"] / r["ns"] * 1e9 for r in rs), 1),
            "effective_hz": round(statistics.median(r["rec"].effective_hz() for r in rs), 1),
            "signal_ticks": sum(r["signal_ticks"] for r in rs),
            "handler_cpu_us_per_tick": round(statistics.median(handler), 1),
            "units_per_s_vs_A_pct": round(statistics.median(rate) * 100, 2),
            "units_per_s_vs_A_range_pct": [round(min(rate) * 100, 2), round(max(rate) * 100, 2)],
        }
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0, help="seconds of work per round")
    ap.add_argument("--rounds", type=int, default=4, help="rounds of each arm")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    py = "%d.%d.%d" % sys.version_info[:3]
    load0 = [round(x, 2) for x in os.getloadavg()]
    stop = threading.Event()
    idle_threads(4, stop)
    orders = [("A", "S", "F", "T"), ("T", "F", "S", "A"), ("S", "A", "T", "F"),
              ("F", "T", "A", "S")]
    rounds = []
    for i in range(args.rounds):
        for arm in orders[i % len(orders)]:
            rounds.append(one_round(arm, args.seconds))
    stop.set()
    out = summarise(rounds)
    out.update(python=py, load_before=load0, load_after=[round(x, 2) for x in os.getloadavg()],
               seconds=args.seconds)
    if args.json:
        print(json.dumps(out))
        return
    print(f"Python {py} (load {load0} -> {out['load_after']}), {args.rounds} rounds x "
          f"{args.seconds} s per arm; estimator floor with nothing sampling: "
          f"{out['A_floor_pct']} %")
    if "F" in out:
        print(f"  floor, a 100 Hz signal whose Python handler does nothing: work lost "
              f"{out['F']['lost_pct_median']:.3f} %, {out['F']['lost_us_per_tick']} us per signal")
    for arm, label in (("S", "signal ticks (default)"), ("T", "thread ticks")):
        if arm not in out:
            continue
        o = out[arm]
        print(f"  100 Hz, {label}: work lost {o['lost_pct_median']:.3f} % "
              f"(rounds {o['lost_pct']}): {o['lost_us_per_tick']} us per tick, "
              f"{o['lost_us_per_drain']} us per drain ({o['drains_per_s']}/s); "
              f"{o['ticks_per_s']} ticks/s, rate {o['effective_hz']} Hz; "
              f"handler CPU {o['handler_cpu_us_per_tick']} us/tick; "
              f"plain units/s vs no sampling {o['units_per_s_vs_A_pct']:+.2f} % "
              f"(range {o['units_per_s_vs_A_range_pct'][0]:+.2f} .. "
              f"{o['units_per_s_vs_A_range_pct'][1]:+.2f})")


if __name__ == "__main__":
    main()
