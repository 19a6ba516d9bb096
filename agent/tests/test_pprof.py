# SPDX-License-Identifier: GPL-3.0-or-later
"""pprof encoding: exact fields through an independent decoder, and `go tool pprof`."""

import gzip
import threading
import time
import unittest

from spyglass import pprof, sampler
from tests import pprof_decode


def _spin(seconds):
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def _record(kind, work):
    s = sampler.Sampler()
    rec = sampler.Recording(kind, 100)
    s.subscribe(rec)
    work()
    s.unsubscribe(rec)
    s.stop()
    return rec


class BuilderTest(unittest.TestCase):
    def test_fields_round_trip_exactly(self):
        b = pprof.ProfileBuilder([("samples", "count"), ("cpu", "nanoseconds")],
                                 period_type=("cpu", "nanoseconds"), period=10_000_000,
                                 time_nanos=1_700_000_000_123_456_789, duration_nanos=2 ** 40,
                                 default_sample_type="cpu")
        b.comment("héllo ☃")
        f1 = b.function("Outer.inner", "inner", "/srv/app/ü.py", 10)
        f2 = b.function("<module>", "<module>", "/srv/app/main.py", 1)
        self.assertEqual(b.function("Outer.inner", "inner", "/srv/app/ü.py", 10), f1)
        l1, l2 = b.location(f1, 12), b.location(f2, 300)
        self.assertEqual(b.location(f1, 12), l1)
        b.sample([l1, l2], [1, 2 ** 62], [("thread", "MainThread")],
                 [("thread_id", 4242, None), ("timestamp_ns", 1_700_000_000_223_456_789,
                                               "nanoseconds")])
        b.sample([l2], [3, 0])
        data = b.encode_gzip()
        self.assertEqual(data, b.encode_gzip())        # deterministic (mtime 0)
        self.assertEqual(gzip.decompress(data), b.encode())
        p = pprof_decode.decode(data)
        self.assertEqual(p["sample_types"], [("samples", "count"), ("cpu", "nanoseconds")])
        self.assertEqual(p["period_type"], ("cpu", "nanoseconds"))
        self.assertEqual(p["period"], 10_000_000)
        self.assertEqual(p["time_nanos"], 1_700_000_000_123_456_789)
        self.assertEqual(p["duration_nanos"], 2 ** 40)
        self.assertEqual(p["default_sample_type"], "cpu")
        self.assertEqual(p["comments"], ["héllo ☃"])
        self.assertEqual(p["strings"][0], "")
        self.assertEqual(len(p["samples"]), 2)
        s0 = p["samples"][0]
        self.assertEqual(s0["values"], [1, 2 ** 62])
        self.assertEqual(s0["labels"], {"thread": "MainThread", "thread_id": (4242, ""),
                                        "timestamp_ns": (1_700_000_000_223_456_789,
                                                         "nanoseconds")})
        self.assertEqual(pprof_decode.stack(p, s0),
                         [("Outer.inner", "/srv/app/ü.py", 12), ("<module>", "/srv/app/main.py",
                                                                 300)])
        self.assertEqual(p["functions"][f1], {"name": "Outer.inner", "system_name": "inner",
                                              "filename": "/srv/app/ü.py", "start_line": 10})
        self.assertEqual(p["samples"][1]["values"], [3, 0])
        self.assertEqual({loc["mapping_id"] for loc in p["locations"].values()}, {1})
        self.assertEqual(len(p["mappings"]), 1)


@unittest.skipUnless(pprof_decode.go_pprof(), "go is not installed (Debian: golang-go)")
class GoPprofTest(unittest.TestCase):
    def test_cpu_profile_reads_in_go_pprof(self):
        def work():
            t = threading.Thread(target=_spin, args=(0.3,), name="worker")
            t.start()
            _spin(0.3)
            t.join()

        rec = _record("cpu", work)
        data = pprof.encode_recording(rec)
        mine = pprof_decode.totals(pprof_decode.decode(data))
        text = pprof_decode.go_raw(data)
        go, count = pprof_decode.go_raw_totals(text)
        self.assertEqual(count, rec.sample_count)
        self.assertEqual(go, mine)
        self.assertEqual(go["cpu"], rec.cpu_total_ns)
        # Both threads burn 0.3 s of their own CPU; the worker's CPU before the
        # sampler first sees it is capped at one interval (README, "Profiles"),
        # so under GIL contention the total can fall short of 0.6 s. More than
        # one thread's worth shows both were accounted.
        self.assertGreater(go["cpu"], 400_000_000)
        self.assertIn("thread:[worker]", text)
        self.assertIn("PeriodType: cpu nanoseconds", text)
        self.assertIn("_spin", text)

    def test_wall_profile_reads_in_go_pprof(self):
        rec = _record("wall", lambda: time.sleep(0.3))
        data = pprof.encode_recording(rec)
        go, count = pprof_decode.go_raw_totals(pprof_decode.go_raw(data))
        self.assertEqual(count, rec.sample_count)
        self.assertEqual(go["wall"], rec.wall_total_ns)
        self.assertEqual(go["samples"], rec.sample_count)


if __name__ == "__main__":
    unittest.main()
