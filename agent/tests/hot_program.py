# SPDX-License-Identifier: GPL-3.0-or-later
"""A program with known hot spots, profiled by the sampler (run by test_sampler.py).

The main thread spends ~70 % of its CPU in `hot()` and ~30 % in `warm()`,
busy all the time; a second thread, "sleeper", only sleeps in `nap()`.
Usage: hot_program.py TYPE SECONDS HZ OUT.pb.gz; prints JSON with the
process CPU time measured over the recording's window.  HOT_TICKS=thread
keeps every tick on the sampler thread.
"""

import json
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from spyglass import pprof, sampler  # noqa: E402


def spin(seconds):
    end = time.thread_time() + seconds
    n = 0
    while time.thread_time() < end:
        n += 1
    return n


# Random lengths keep the work from beating in phase with the sampling
# period (a fixed 7 + 3 ms cycle would alias with 100 Hz).
_rng = random.Random(4)


def hot():
    return spin(0.007 * _rng.uniform(0.3, 1.7))


def warm():
    return spin(0.003 * _rng.uniform(0.3, 1.7))


def nap(stop):
    while not stop.is_set():
        time.sleep(0.05)


def main():
    kind, seconds, hz, out = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    stop = threading.Event()
    sleeper = threading.Thread(target=nap, args=(stop,), name="sleeper")
    sleeper.start()
    # HOT_TICKS=thread: every tick on the sampler thread (no signal ticks).
    s = sampler.Sampler(signal_ticks=os.environ.get("HOT_TICKS") != "thread")
    rec = sampler.Recording(kind, hz)
    s.subscribe(rec)
    # Read the process clock right after the recording's first and last
    # ticks, so both cover the same window whatever the machine's load.
    while rec.ticks_taken < 1:
        pass
    cpu0 = time.clock_gettime_ns(time.CLOCK_PROCESS_CPUTIME_ID)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        hot()
        warm()
    last = rec.ticks_taken
    while rec.ticks_taken == last:
        pass
    cpu1 = time.clock_gettime_ns(time.CLOCK_PROCESS_CPUTIME_ID)
    s.unsubscribe(rec)
    s.stop()
    stop.set()
    sleeper.join()
    with open(out, "wb") as f:
        f.write(pprof.encode_recording(rec))
    json.dump({"process_cpu_ns": cpu1 - cpu0, "sampler_cpu_ns": rec.sampler_cpu_ns,
               "ticks": rec.ticks, "effective_hz": rec.effective_hz(),
               "duration_ns": rec.duration_ns, "errors": s.errors,
               "signal_ticks": s.signal_ticks, "sampler_ticks": s.ticks,
               "last_error": s.last_error}, sys.stdout)


if __name__ == "__main__":
    main()
