# SPDX-License-Identifier: GPL-3.0-or-later
"""Per-line memory recordings: the seed case, transient peaks, heap pprof, lifecycle."""

import threading
import time
import tracemalloc
import types
import unittest

from spyglass import memory, profiles
from tests import pprof_decode

MiB = 1 << 20


class Events:
    def __init__(self):
        self.items = []
        self.cond = threading.Condition()

    def publish(self, kind, data):
        with self.cond:
            self.items.append((kind, data))
            self.cond.notify_all()
        return len(self.items)

    def wait_for(self, kind, timeout=30):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                hits = [d for k, d in self.items if k == kind]
                if hits:
                    return hits[-1]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {kind} event")
                self.cond.wait(left)


def make_agent():
    config = types.SimpleNamespace(service="shop", version="1.2", profiling_continuous=False,
                                   profiling_hz=100)
    return types.SimpleNamespace(config=config, events=Events(), host="testhost", pid=1,
                                 log=None)


def seed():
    squares = [x**2 for x in range(1_000_000)]
    return squares


def transient(until_seen):
    junk = [str(x) * 3 for x in range(200_000)]
    until_seen()             # hold the peak until the recorder has looked at it
    return len(junk)


class MemoryTest(unittest.TestCase):
    def setUp(self):
        self.agent = make_agent()
        self.profiles = profiles.ProfileManager(self.agent)
        self.rec = memory.MemoryRecorder(self.agent, self.profiles)
        self.addCleanup(self.profiles.close)
        self.addCleanup(self.rec.close)

    def line_of(self, result, func, text):
        rows = [r for r in result["lines"] if r["function"].startswith(func) and text in r["text"]]
        self.assertTrue(rows, [(r["function"], r["text"]) for r in result["lines"][:10]])
        return rows[0]

    def test_seed_line_shows_tens_of_mib(self):
        self.assertFalse(tracemalloc.is_tracing())
        started = self.rec.start({"frames": 8})
        self.assertEqual(started["state"], "recording")
        self.assertIn("slowdown", started["expected_cost"])
        self.assertTrue(tracemalloc.is_tracing())
        kept = seed()
        summary = self.rec.stop()
        self.assertFalse(tracemalloc.is_tracing())     # zero cost once stopped
        self.assertEqual(summary["state"], "ready")
        result = self.rec.get(summary["id"]).result
        row = self.line_of(result, "seed", "x**2 for x in range(1_000_000)")
        self.assertEqual(row["line"], seed.__code__.co_firstlineno + 1)
        self.assertEqual(result["lines"][0], row)      # the biggest increment
        self.assertGreater(row["increment_bytes"], 20 * MiB)
        self.assertLess(row["increment_bytes"], 100 * MiB)
        self.assertAlmostEqual(row["alive_bytes"], row["increment_bytes"], delta=64 << 10)
        self.assertGreaterEqual(row["allocations"], 990_000)
        self.assertGreater(result["traced_peak_bytes"], 20 * MiB)
        del kept
        # The heap profile: the whole stack, inuse and alloc values.
        entry = self.profiles.get(result["profile_id"])
        self.assertEqual(entry.kind, "heap")
        p = pprof_decode.decode(entry.data)
        self.assertEqual([t for t, _ in p["sample_types"]],
                         ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"])
        self.assertEqual(p["default_sample_type"], "inuse_space")
        big = max(p["samples"], key=lambda s: s["values"][3])
        frames = pprof_decode.stack(p, big)
        self.assertEqual(frames[0][2], row["line"])
        self.assertIn("test_seed_line_shows_tens_of_mib", [f[0].split(".")[-1] for f in frames])
        # A line can allocate from several stacks (on 3.9-3.11 the comprehension's
        # own frame and the function's share the line): they add up to the row.
        at_line = [s for s in p["samples"]
                   if pprof_decode.stack(p, s)[0][1:] == (row["file"], row["line"])]
        self.assertEqual(sum(s["values"][3] for s in at_line), row["alive_bytes"])
        if pprof_decode.go_pprof():
            go, _ = pprof_decode.go_raw_totals(pprof_decode.go_raw(entry.data))
            self.assertEqual(go, pprof_decode.totals(p))

    def test_transient_peak_is_seen(self):
        self.rec.start({"frames": 8})

        def until_seen(limit=20.0):
            # The recorder spends at most a tenth of the recording's time on
            # snapshots, so on a loaded machine the snapshot at the peak may
            # come seconds late; a fixed sleep made this test fail by chance.
            deadline = time.monotonic() + limit
            while time.monotonic() < deadline:
                rec = self.rec._current
                if rec is not None and rec.peak_raw_bytes >= 8 * MiB:
                    return
                time.sleep(0.05)

        transient(until_seen)
        summary = self.rec.stop()
        result = self.rec.get(summary["id"]).result
        row = self.line_of(result, "transient", "str(x) * 3")
        self.assertGreater(row["increment_bytes"], 8 * MiB)
        self.assertEqual(row["peak_bytes"], row["increment_bytes"])
        self.assertLess(row["alive_bytes"], MiB)
        self.assertGreaterEqual(result["peak_snapshots"], 1)

    def test_timed_recording_ends_by_itself(self):
        started = self.rec.start({"seconds": 0.3, "frames": 8})
        self.assertEqual(started["frames"], 8)
        data = self.agent.events.wait_for("memory_ready")
        self.assertEqual(data["id"], started["id"])
        self.assertEqual(data["state"], "ready")
        self.assertIsNotNone(self.profiles.get(data["profile_id"]))
        self.assertFalse(tracemalloc.is_tracing())
        self.assertEqual(self.rec.status()["state"], "idle")

    def test_refusals(self):
        for body in ({"seconds": 0}, {"seconds": "5"}, {"frames": 0}, {"frames": 1000}, []):
            with self.assertRaises(memory.MemoryError_) as cm:
                self.rec.start(body)
            self.assertEqual(cm.exception.status, 400)
        with self.assertRaises(memory.MemoryError_) as cm:
            self.rec.stop()
        self.assertEqual(cm.exception.status, 409)
        self.rec.start({"frames": 8})
        with self.assertRaises(memory.MemoryError_) as cm:
            self.rec.start({"frames": 8})
        self.assertEqual(cm.exception.status, 409)
        self.rec.stop()

    def test_host_tracing_is_left_alone(self):
        tracemalloc.start(4)
        try:
            before = [bytearray(1000) for _ in range(100)]
            self.rec.start({"frames": 8})
            during = [bytearray(5000) for _ in range(200)]
            summary = self.rec.stop()
            self.assertTrue(tracemalloc.is_tracing())
            result = self.rec.get(summary["id"]).result
            rows = [r for r in result["lines"] if "bytearray(" in r["text"]]
            self.assertEqual(len(rows), 1, rows)     # what was alive before is not counted
            self.assertGreaterEqual(rows[0]["alive_bytes"], 200 * 5000)
            self.assertLess(rows[0]["alive_bytes"], 200 * 5200)
            del before, during
        finally:
            tracemalloc.stop()


class FunctionNamesTest(unittest.TestCase):
    def test_innermost_function(self):
        names = memory.FunctionNames()
        code = seed.__code__
        self.assertEqual(names.name(code.co_filename, code.co_firstlineno + 1).split(".")[0],
                         "seed")
        self.assertEqual(names.name(code.co_filename, 1), "<module>")
        self.assertEqual(names.name("/nonexistent/x.py", 3), "<module>")


if __name__ == "__main__":
    unittest.main()
