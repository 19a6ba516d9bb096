# SPDX-License-Identifier: GPL-3.0-or-later
"""The sampler against programs whose hot spots are known."""

import _thread
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from tests import pprof_decode
from spyglass import pprof, sampler

HERE = os.path.dirname(os.path.abspath(__file__))


def run_hot(kind, seconds=2.0, hz=100, ticks="auto"):
    env = dict(os.environ, HOT_TICKS=ticks)
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "p.pb.gz")
        r = subprocess.run([sys.executable, os.path.join(HERE, "hot_program.py"), kind,
                            str(seconds), str(hz), out],
                           capture_output=True, text=True, timeout=60, env=env)
        if r.returncode != 0:
            raise AssertionError(r.stderr)
        with open(out, "rb") as f:
            data = f.read()
    return data, json.loads(r.stdout)


def share(profile, index, predicate):
    """Share of value `index` in samples whose stack satisfies predicate(stack, labels)."""
    total = part = 0
    for s in profile["samples"]:
        v = s["values"][index]
        total += v
        if predicate(pprof_decode.stack(profile, s), s["labels"]):
            part += v
    return part / total if total else 0.0


def tolerance(p, n):
    """Three standard errors of a share p estimated from n samples, at least 8 points.

    Each sample gives its whole interval to the stack seen at the tick, so the
    share is a proportion estimated from n draws; a loaded machine gives fewer
    ticks and a wider band."""
    return max(0.08, 3 * (p * (1 - p) / max(n, 1)) ** 0.5)


def effective_n(weights):
    """Kish's effective sample size: samples of unequal weight (a starved
    sampler's long intervals) carry less information than as many equal ones."""
    total = sum(weights)
    squares = sum(w * w for w in weights)
    return total * total / squares if squares else 0


def in_func(name):
    return lambda stack, labels: any(f[0] == name for f in stack)


class HotProgramTest(unittest.TestCase):
    def test_cpu_profile_shares_and_totals(self):
        info = self.check_cpu_profile("auto")
        if sys.platform.startswith("linux"):
            # The busy main thread took the ticks itself (signal_ticks.py),
            # once the sampler had seen it busy (100-200 ms).
            self.assertGreater(info["signal_ticks"], info["sampler_ticks"] * 0.5)

    def test_cpu_profile_shares_and_totals_with_thread_ticks(self):
        info = self.check_cpu_profile("thread")
        self.assertEqual(info["signal_ticks"], 0)

    def check_cpu_profile(self, ticks):
        data, info = run_hot("cpu", ticks=ticks)
        self.assertEqual(info["errors"], 0, info["last_error"])
        p = pprof_decode.decode(data)
        self.assertEqual(p["sample_types"], [("samples", "count"), ("cpu", "nanoseconds"),
                                             ("wall", "nanoseconds")])
        self.assertEqual(p["default_sample_type"], "cpu")
        self.assertEqual(p["period_type"], ("cpu", "nanoseconds"))
        self.assertEqual(p["period"], 10_000_000)
        hot = share(p, 1, in_func("hot"))
        warm = share(p, 1, in_func("warm"))
        nap = share(p, 1, in_func("nap"))
        n = effective_n([x["values"][1] for x in p["samples"]
                         if x["labels"]["thread"] == "MainThread"])
        self.assertAlmostEqual(hot, 0.70, delta=tolerance(0.7, n))
        self.assertAlmostEqual(warm, 0.30, delta=tolerance(0.3, n))
        self.assertLess(nap, 0.02)      # a sleeping thread costs nothing in CPU
        # Every nanosecond of CPU the threads used in the window is in the
        # profile; what is left is the sampler's own time.
        cpu = pprof_decode.totals(p)["cpu"]
        expected = info["process_cpu_ns"] - info["sampler_cpu_ns"]
        self.assertAlmostEqual(cpu / expected, 1.0, delta=0.05)
        self.assertAlmostEqual(p["duration_nanos"], info["duration_ns"], delta=1)
        # The sampler itself (a tick running inside the main thread) is never
        # in a stack.
        own = [pprof_decode.stack(p, s) for s in p["samples"]
               if any(f[1].endswith(("sampler.py", "signal_ticks.py"))
                      for f in pprof_decode.stack(p, s))]
        self.assertEqual(own, [])
        return info

    def test_wall_profile_sees_every_thread(self):
        data, info = run_hot("wall")
        p = pprof_decode.decode(data)
        self.assertEqual(p["default_sample_type"], "wall")
        by_thread = {}
        for s in p["samples"]:
            by_thread[s["labels"]["thread"]] = by_thread.get(s["labels"]["thread"], 0) \
                + s["values"][2]
        self.assertEqual(set(by_thread), {"MainThread", "sleeper"})
        for name, wall in by_thread.items():
            self.assertAlmostEqual(wall / info["duration_ns"], 1.0, delta=0.05, msg=name)
        main_only = [s for s in p["samples"] if s["labels"]["thread"] == "MainThread"]
        q = dict(p, samples=main_only)
        n = effective_n([s["values"][2] for s in main_only])
        self.assertAlmostEqual(share(q, 2, in_func("hot")), 0.70, delta=tolerance(0.7, n))
        self.assertAlmostEqual(share(q, 2, in_func("warm")), 0.30, delta=tolerance(0.3, n))
        sleeper = [s for s in p["samples"] if s["labels"]["thread"] == "sleeper"]
        # Sampled at every tick, like the busy thread (how many ticks there were
        # depends on the machine's load).
        self.assertGreater(len(sleeper), 20)
        self.assertAlmostEqual(len(sleeper), len(main_only), delta=2)
        leaves = {pprof_decode.stack(p, s)[0][0] for s in sleeper}
        self.assertEqual(leaves, {"nap"}, [pprof_decode.stack(p, s) for s in sleeper
                                           if pprof_decode.stack(p, s)[0][0] != "nap"][:3])
        # An idle thread costs nothing in the CPU profile: after its first
        # sample, which by design carries the CPU the thread used before the
        # sampler first saw it (its start-up, at most one interval), every
        # sample of the sleeper is near zero CPU.
        sleeper.sort(key=lambda s: s["labels"]["timestamp_ns"][0])
        heavy = [(i, s["values"], s["labels"]["timestamp_ns"][0] - p["time_nanos"])
                 for i, s in enumerate(sleeper) if i and s["values"][1] >= 2_000_000]
        self.assertEqual(heavy, [], f"of {len(sleeper)} sleeper samples")
        # Per-sample labels: a native thread id and a timestamp inside the window.
        start, end = p["time_nanos"], p["time_nanos"] + p["duration_nanos"]
        for s in p["samples"]:
            ts, unit = s["labels"]["timestamp_ns"]
            self.assertEqual(unit, "nanoseconds")
            self.assertTrue(start < ts <= end + 1_000_000, (start, ts, end))
            self.assertGreater(s["labels"]["thread_id"][0], 0)

    @unittest.skipIf(os.getloadavg()[0] > (os.cpu_count() or 1) - 0.5,
                     "the machine is overloaded: the OS, not the sampler, sets the rate "
                     "(agent/bench/bench_sampler.py measures it)")
    def test_effective_rate_while_main_thread_is_busy(self):
        _, info = run_hot("cpu", seconds=2.0, hz=100)
        self.assertGreaterEqual(info["effective_hz"], 95.0)


def _busy(seconds):
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


class InProcessTest(unittest.TestCase):
    def record(self, kind, seconds, hz=100, during=None):
        s = sampler.Sampler()
        rec = sampler.Recording(kind, hz)
        s.subscribe(rec)
        if during:
            during()
        else:
            time.sleep(seconds)
        s.unsubscribe(rec)
        s.stop()
        self.assertFalse(s.running)
        self.assertEqual(s.errors, 0, s.last_error)
        return rec

    def test_qualified_names_files_and_lines(self):
        class Worker:
            def method(self):
                _busy(0.3)

        rec = self.record("cpu", 0, during=Worker().method)
        p = pprof_decode.decode(pprof.encode_recording(rec))
        stacks = [pprof_decode.stack(p, s) for s in p["samples"]]
        frames = {f for st in stacks for f in st}
        want = ("InProcessTest.test_qualified_names_files_and_lines.<locals>.Worker.method"
                if sys.version_info >= (3, 11) else "method")
        hit = [f for f in frames if f[0] == want]
        self.assertTrue(hit, frames)
        self.assertEqual(hit[0][1], os.path.abspath(__file__))
        self.assertEqual(hit[0][2], Worker.method.__code__.co_firstlineno + 1)

    def test_thread_not_started_by_threading(self):
        done = threading.Event()
        seen = {}

        def raw_thread():
            seen["native"] = threading.get_native_id()
            _busy(0.4)
            done.set()

        def during():
            _thread.start_new_thread(raw_thread, ())
            done.wait(10)

        rec = self.record("cpu", 0, during=during)
        names = {t[2]: t for t in rec.thread_list}
        label = f"native-{seen['native']}"
        self.assertIn(label, names, names)
        self.assertEqual(names[label][1], seen["native"])
        p = pprof_decode.decode(pprof.encode_recording(rec))
        cpu = sum(s["values"][1] for s in p["samples"] if s["labels"]["thread"] == label)
        self.assertGreater(cpu, 300_000_000)

    def test_parked_thread_that_moves_is_seen_where_it_went(self):
        # A parked thread's stack is reused while its CPU clock stands still;
        # once it runs and parks elsewhere, samples must show the new place.
        first, second = threading.Event(), threading.Event()

        def parked_first():
            first.wait()

        def parked_second():
            second.wait()

        def body():
            parked_first()
            parked_second()

        t = threading.Thread(target=body, name="mover", daemon=True)
        t.start()

        def during():
            time.sleep(0.5)
            first.set()
            time.sleep(0.5)
            second.set()
            t.join()

        rec = self.record("wall", 0, during=during)
        names = set()
        for stack_id in set(rec.samples[0::5]):
            for loc in rec.stack_list[stack_id]:
                names.add(rec.symbols.functions[rec.symbols.locations[loc][0]][1])
        self.assertIn("parked_first", names)
        self.assertIn("parked_second", names)

    def test_raw_stacks_give_the_lines_frames_report(self):
        # A tick keeps (code, f_lasti) pairs and the drain finds the lines
        # later from the code's line table; they must be what f_lineno says,
        # in every shape of code: loops, comprehensions, generators, a call
        # spread over lines, a frame that has not started.
        symbols = sampler.Symbols()
        seen = []

        def look():
            f = sys._getframe(1)
            stack = symbols.stack(sampler.walk(f))
            want = []
            while f is not None:
                want.append((f.f_code.co_name, f.f_lineno))
                f = f.f_back
            got = [(symbols.functions[symbols.locations[loc][0]][1],
                    symbols.locations[loc][1]) for loc in stack]
            seen.append((got, want))
            return 1

        def loop():
            total = 0
            for i in range(3):
                if i % 2:
                    total += look()
                else:
                    total += (
                        look()
                    )
            return total

        def comprehension():
            return sum([look() for _ in range(2)])

        def generator():
            yield look()
            yield look()

        loop()
        comprehension()
        list(generator())
        # A generator that has not started: its frame's f_lasti is -1 (3.9,
        # 3.10) or at its first instruction; either way the line is right.
        g = generator()
        stack = symbols.stack(sampler.walk(g.gi_frame))
        loc = symbols.locations[stack[0]]
        self.assertEqual(loc[1], g.gi_frame.f_lineno)
        self.assertGreater(len(seen), 6)
        for got, want in seen:
            self.assertEqual(got, [(n, line if line is not None else 0) for n, line in want])

    def test_no_frame_outlives_its_tick(self):
        # Ticks are queued and drained later: what they keep must never hold
        # a frame, which would keep a finished call's locals alive.
        import weakref

        class Payload:
            pass

        def call():
            x = Payload()
            ref = weakref.ref(x)
            _busy(0.05)            # several ticks while x is a local
            return ref

        s = sampler.Sampler()
        rec = sampler.Recording("wall", 1000)
        s.subscribe(rec)
        refs = [call() for _ in range(10)]
        alive = [r for r in refs if r() is not None]
        s.unsubscribe(rec)
        s.stop()
        self.assertGreater(rec.ticks, 20)
        self.assertEqual(alive, [])

    def test_unsubscribe_returns_every_tick(self):
        # Samples are made in batches; once unsubscribe() returns, the
        # recording has every tick it took, and no later one.
        s = sampler.Sampler()
        rec = sampler.Recording("wall", 200)
        s.subscribe(rec)
        _busy(0.3)
        s.unsubscribe(rec)
        taken, ticks, count = rec.ticks_taken, rec.ticks, rec.sample_count
        self.assertGreater(ticks, 20)
        self.assertLessEqual(taken - ticks, 1)      # one may have read the old list
        time.sleep(0.3)
        self.assertEqual((rec.ticks, rec.sample_count), (ticks, count))
        s.stop()
        self.assertEqual(s.errors, 0, s.last_error)

    def test_overlapping_recordings_share_one_thread(self):
        s = sampler.Sampler()
        fast, slow = sampler.Recording("wall", 100), sampler.Recording("wall", 25)
        s.subscribe(fast)
        s.subscribe(slow)
        names = [t.name for t in threading.enumerate()]
        self.assertEqual(names.count("spyglass-sampler"), 1)
        time.sleep(1.0)
        s.unsubscribe(fast)
        s.unsubscribe(slow)
        s.stop()
        # The slow one takes every fourth tick, never more; how close the fast
        # one gets to 100 Hz depends on the machine's load (bench_sampler.py).
        self.assertLessEqual(slow.effective_hz(), 26)
        self.assertGreaterEqual(slow.effective_hz(), 18)
        self.assertGreater(fast.effective_hz(), 2 * slow.effective_hz())
        self.assertEqual(s.errors, 0, s.last_error)

    def test_slower_recording_takes_every_nth_tick(self):
        # The decimation rule, with synthetic tick times: a 25 Hz recording on a
        # 100 Hz sampler takes one tick in four, and a late tick moves it on.
        rec = sampler.Recording("wall", 25)
        symbols = sampler.Symbols()
        period, slack = 10_000_000, 5_000_000
        taken = []
        for i in range(41):
            now = i * period + (2_000_000 if i % 3 == 0 else 0)    # some ticks late
            if rec.due(now, slack):
                rec.advance(now)
                rec.tick(now, now, [], symbols)
                taken.append(i)
        self.assertEqual(taken, list(range(0, 41, 4)))
        self.assertEqual(rec.ticks, 11)
        self.assertEqual(rec.duration_ns, 40 * period - 2_000_000)   # tick 0 was late

    def test_sample_cap_keeps_totals(self):
        s = sampler.Sampler()
        rec = sampler.Recording("wall", 200, max_samples=20)
        s.subscribe(rec)
        time.sleep(0.5)
        s.unsubscribe(rec)
        s.stop()
        self.assertTrue(rec.capped)
        p = pprof_decode.decode(pprof.encode_recording(rec))
        stamped = [x for x in p["samples"] if "timestamp_ns" in x["labels"]]
        self.assertEqual(len(stamped), 20)
        t = pprof_decode.totals(p)
        self.assertEqual(t["samples"], rec.sample_count)
        self.assertEqual(t["wall"], rec.wall_total_ns)

    def test_asyncio_task_label(self):
        async def handler():
            _busy(0.4)

        async def main():
            await asyncio.create_task(handler(), name="request-7")

        def during():
            asyncio.run(main())

        rec = self.record("cpu", 0, during=during)
        tasks = {t[3] for t in rec.thread_list if t[3]}
        self.assertIn("request-7 (InProcessTest.test_asyncio_task_label.<locals>.handler)", tasks)
        p = pprof_decode.decode(pprof.encode_recording(rec))
        in_handler = [x for x in p["samples"]
                      if any(f[0].endswith("handler") for f in pprof_decode.stack(p, x))]
        self.assertTrue(in_handler)
        self.assertTrue(all("task" in x["labels"] for x in in_handler))

    def test_bad_rates(self):
        for hz in (0, 1001, "100", True, None):
            with self.assertRaises(ValueError):
                sampler.Recording("cpu", hz)
        with self.assertRaises(ValueError):
            sampler.Recording("heap", 100)


if __name__ == "__main__":
    unittest.main()
