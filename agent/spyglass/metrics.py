# SPDX-License-Identifier: GPL-3.0-or-later
"""Process metrics for the console's CPU timeline: a 1 Hz ring of the last hour.

Each point: process CPU % (100 = one core busy), per-thread CPU %, resident
set size, thread count and garbage collections per generation since the
previous point.  A point costs a handful of syscalls (one CPU clock read per
thread, one small /proc read); the thread sleeps in between.
"""

import gc
import os
import sys
import threading
import time
from collections import deque

from .sampler import ThreadClocks

KEEP_POINTS = 3600

try:
    _PAGE = os.sysconf("SC_PAGE_SIZE")
except (AttributeError, ValueError, OSError):
    _PAGE = 4096


def rss_bytes():
    """Current resident set size; /proc/self/statm, else resource's peak (documented)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        # ru_maxrss is KiB on Linux, bytes on macOS; it is the peak, not the current size.
        return peak if sys.platform == "darwin" else peak * 1024
    except (ImportError, OSError, ValueError):
        return None


def _os_thread_count():
    """Threads of the process as the OS sees them (C threads included)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def _process_cpu_ns():
    try:
        return time.clock_gettime_ns(time.CLOCK_PROCESS_CPUTIME_ID)
    except (AttributeError, OSError):
        return time.process_time_ns()


class MetricsCollector:
    def __init__(self, interval=1.0, keep=KEEP_POINTS, clocks=None):
        self.interval = interval
        self._points = deque(maxlen=keep)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._clocks = clocks or ThreadClocks()
        self._thread = None
        self._prev = None
        self._thread_prev = {}
        self._gc_prev = None
        self.errors = 0

    def start(self):
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="spyglass-metrics", daemon=True)
        self._thread.start()

    def close(self):
        self._stop.set()
        t = self._thread
        if t is not None and t is not threading.current_thread():
            t.join(2)

    def points(self, since=None):
        with self._lock:
            pts = list(self._points)
        if since is not None:
            pts = [p for p in pts if p["t"] > since]
        return pts

    def _run(self):
        self.sample()                     # baseline; no point yet
        deadline = time.monotonic()
        while True:
            deadline += self.interval
            now = time.monotonic()
            if deadline < now:            # we were suspended: skip, do not burst
                deadline = now + self.interval
            if self._stop.wait(deadline - now):
                return
            try:
                self.sample()
            except Exception:             # noqa: BLE001 - never raise into the host
                self.errors += 1

    def sample(self):
        """Takes one reading; appends a point when there is a previous one to diff against."""
        mono = time.monotonic_ns()
        cpu = _process_cpu_ns()
        gc_counts = [s.get("collections", 0) for s in gc.get_stats()]
        frames_idents = set(sys._current_frames())
        me = threading.get_ident()
        by_ident = dict(getattr(threading, "_active", {}))
        idents = frames_idents | set(by_ident)
        idents.discard(me)
        thread_cpu = {}
        for ident in idents:
            v = self._clocks.cpu_ns(ident)
            if v is not None:
                thread_cpu[ident] = v
        self._clocks.forget_except(idents | {me})
        prev = self._prev
        self._prev = (mono, cpu)
        gc_prev, self._gc_prev = self._gc_prev, gc_counts
        tprev, self._thread_prev = self._thread_prev, thread_cpu
        if prev is None:
            return None
        dt = mono - prev[0]
        if dt <= 0:
            return None
        threads = []
        for ident, v in thread_cpu.items():
            t = by_ident.get(ident)
            before = tprev.get(ident)
            pct = None if before is None else round(max(0, v - before) * 100.0 / dt, 2)
            threads.append({
                "id": ident,
                "native_id": getattr(t, "_native_id", None) if t is not None
                else self._clocks.native_id(ident),
                "name": t._name if t is not None else f"thread-{ident}",
                "cpu_percent": pct,
            })
        point = {
            "t": round(time.time(), 3),
            "cpu_percent": round((cpu - prev[1]) * 100.0 / dt, 2),
            "rss_bytes": rss_bytes(),
            "thread_count": _os_thread_count(),
            "python_threads": len(frames_idents),
            "threads": threads,
            "gc_collections": [c - p for c, p in zip(gc_counts, gc_prev)],
            "gc_totals": gc_counts,
        }
        with self._lock:
            self._points.append(point)
        return point
