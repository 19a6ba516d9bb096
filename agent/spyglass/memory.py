# SPDX-License-Identifier: GPL-3.0-or-later
"""Per-line memory recordings built on tracemalloc.

tracemalloc runs only while a recording is on (zero cost otherwise) and keeps,
for every live block, the stack that allocated it.  A recording takes raw
trace lists (``_tracemalloc._get_traces()``: one tuple per live block, the
traceback tuples shared between blocks) at its start, at the way up to its
peak and at its end, and turns them into
- a per-line table, keyed by the innermost frame of each block: bytes and
  blocks alive at the end, the line's increment (the most it held above its
  starting size at any snapshot), and its size at the heap's peak;
- a heap profile in pprof with whole stacks (``inuse_*`` = alive at the end,
  ``alloc_*`` = the most each stack held at any snapshot).

Peak snapshots are taken on the way up, each time traced memory has grown by a quarter
since the last one, and only while they have cost less than a tenth
of the recording's time: a snapshot holds the GIL for about a microsecond
per live block.  The raw list is grouped only after tracing stops (grouping
under tracing is several times slower), and only the largest one is kept.
tracemalloc's own peak (``get_traced_memory()``) is reported beside it, so a
reader sees how close the peak snapshot came.

Tracebacks the agent itself made (its threads, the snapshots) are left out.
"""

import dis
import itertools
import linecache
import os
import sys
import threading
import time
import tracemalloc
from collections import deque

from . import pprof

try:
    import _tracemalloc
except ImportError:      # pragma: no cover - CPython always has it
    _tracemalloc = None

DEFAULT_FRAMES = 16
MAX_FRAMES = 128
MAX_SECONDS = 3600
KEEP_RESULTS = 8
POLL_S = 0.05
PEAK_GROWTH = 1.25
PEAK_MIN_BYTES = 1 << 20
PEAK_BUDGET = 0.10

# Measured with agent/bench/bench_memory.py (agent/README.md, "Benchmarks"):
# process CPU time of an allocation-heavy loop while recording (16 frames)
# over the same loop not recording, per interpreter, on a shared 2-core machine.
MEASURED_SLOWDOWN = {
    (3, 9): 10.0, (3, 10): 12.6, (3, 11): 70.4, (3, 12): 32.4, (3, 13): 32.9,
}
# memory_profiler's line mode on the same loop, same run (Debian's 3.11 only).
MEMORY_PROFILER_SLOWDOWN = {(3, 11): 524.0}

_CO_NEWLOCALS = 0x2            # inspect.CO_NEWLOCALS, without importing inspect
_AGENT_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_TRACEMALLOC_FILE = tracemalloc.__file__


def expected_cost():
    """What a recording costs, said before it starts (numbers measured, not guessed)."""
    v = sys.version_info[:2]
    known = MEASURED_SLOWDOWN.get(v)
    x = known or max(MEASURED_SLOWDOWN.values())
    d = {
        "slowdown": x,
        "summary": (f"while recording, allocation-heavy code runs up to about {x:g}x slower "
                    "(tracemalloc records a stack for every allocation; more frames cost "
                    "more); code that allocates little slows down far less; nothing is "
                    "traced when no recording is running"),
        "measured_by": "agent/bench/bench_memory.py",
        "python": "%d.%d" % v,
        "measured_on_this_version": known is not None,
    }
    mp = MEMORY_PROFILER_SLOWDOWN.get(v)
    if mp:
        d["memory_profiler_line_mode_slowdown"] = mp
    return d


class MemoryError_(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _is_agent_tb(tb, cache):
    r = cache.get(id(tb))
    if r is None:
        r = any(f.startswith(_AGENT_DIR) or f == _TRACEMALLOC_FILE for f, _ in tb)
        cache[id(tb)] = (tb, r)
        return r
    return r[1]


def _group(raw, skip_cache):
    """{id(tb): [tb, size, blocks]} for one raw trace list, agent stacks left out."""
    g = {}
    for trace in raw:
        tb = trace[2]
        e = g.get(id(tb))
        if e is None:
            g[id(tb)] = [tb, trace[1], 1]
        else:
            e[1] += trace[1]
            e[2] += 1
    for k in [k for k, e in g.items() if _is_agent_tb(e[0], skip_cache)]:
        del g[k]
    return g


def _by_line(groups):
    out = {}
    for tb, size, count in groups.values():
        if not tb:
            continue
        key = tb[0]
        e = out.get(key)
        if e is None:
            out[key] = [size, count]
        else:
            e[0] += size
            e[1] += count
    return out


def _by_stack(groups):
    out = {}
    for tb, size, count in groups.values():
        e = out.get(tb)
        if e is None:
            out[tb] = [size, count]
        else:
            e[0] += size
            e[1] += count
    return out


class FunctionNames:
    """(file, line) -> qualified function name, by compiling the file's source.

    tracemalloc frames carry only a file and a line.  Compiling (not running)
    the source and finding the innermost code object that covers the line
    gives the name a reader expects.  Bounded: at most `max_files` files.
    """

    def __init__(self, max_files=300):
        self._files = {}
        self.max_files = max_files

    def _spans(self, filename):
        spans = self._files.get(filename)
        if spans is not None:
            return spans
        spans = []
        if len(self._files) < self.max_files:
            lines = linecache.getlines(filename)
            if lines and sum(map(len, lines)) < 4 << 20:
                try:
                    code = compile("".join(lines), filename, "exec", dont_inherit=True)
                except (SyntaxError, ValueError, MemoryError, RecursionError):
                    code = None
                if code is not None:
                    self._collect(code, spans)
        self._files[filename] = spans
        return spans

    def _collect(self, code, spans, prefix=""):
        line_nos = [ln for _, ln in dis.findlinestarts(code) if ln]
        if code.co_name == "<module>":
            qual, child_prefix = "<module>", ""
        else:
            # co_qualname exists from 3.11; before, build it the way the
            # compiler does: functions nest as f.<locals>.g, classes as C.m.
            qual = getattr(code, "co_qualname", prefix + code.co_name)
            is_function = bool(code.co_flags & _CO_NEWLOCALS)
            child_prefix = qual + (".<locals>." if is_function else ".")
            lo = min([code.co_firstlineno] + line_nos)
            hi = max([code.co_firstlineno] + line_nos)
            spans.append((hi - lo, lo, hi, qual))
        for c in code.co_consts:
            if hasattr(c, "co_code"):
                self._collect(c, spans, child_prefix)
        if code.co_name == "<module>":
            spans.sort()

    def name(self, filename, line):
        for _, lo, hi, name in self._spans(filename):
            if lo <= line <= hi:
                return name
        return "<module>"


class MemoryRecording:
    def __init__(self, rid, seconds, frames):
        self.id = rid
        self.seconds = seconds
        self.frames = frames
        self.started = time.time()
        self.started_mono = time.monotonic()
        self.ended = None
        self.state = "recording"
        self.we_started = False
        self.start_raw = None
        self.peak_raw = None
        self.peak_raw_bytes = 0
        self.peak_snapshots = 0
        self.snapshot_seconds = 0.0
        self.traced_peak = 0
        self.result = None
        self.profile_id = None
        self.error = None

    def status(self):
        d = {"id": self.id, "state": self.state, "seconds": self.seconds,
             "frames": self.frames, "start": _rfc3339(self.started),
             "elapsed": round((self.ended or time.time()) - self.started, 3)}
        if self.result is not None:
            d.update({k: v for k, v in self.result.items() if k != "lines"})
        if self.error:
            d["error"] = self.error
        return d


def _rfc3339(t):
    from .profiles import rfc3339
    return rfc3339(t)


class MemoryRecorder:
    """One memory recording at a time; keeps the last few results."""

    def __init__(self, agent=None, profiles=None):
        self.agent = agent
        self.profiles = profiles
        self._lock = threading.Lock()
        self._current = None
        self._results = deque(maxlen=KEEP_RESULTS)
        self._ids = itertools.count(1)
        self._prefix = "%x" % (int(time.time()) & 0xFFFFFF)
        self._stop = threading.Event()
        self._watcher = None
        self._names = None

    # -- public API ------------------------------------------------------

    def status(self):
        with self._lock:
            cur = self._current
            results = list(self._results)
        return {
            "state": "recording" if cur is not None else "idle",
            "current": cur.status() if cur is not None else None,
            "results": [r.status() for r in reversed(results)],
            "expected_cost": expected_cost(),
            "tracing_by_host": tracemalloc.is_tracing() and cur is None,
        }

    def start(self, body):
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise MemoryError_(400, "bad_request", "the body must be a JSON object")
        seconds = body.get("seconds")
        if seconds is not None:
            if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) \
                    or not 0.01 <= seconds <= MAX_SECONDS:
                raise MemoryError_(400, "bad_request",
                                   f"'seconds' must be a number between 0.01 and {MAX_SECONDS}")
        frames = body.get("frames", DEFAULT_FRAMES)
        if isinstance(frames, bool) or not isinstance(frames, int) or not 1 <= frames <= MAX_FRAMES:
            raise MemoryError_(400, "bad_request", f"'frames' must be an integer 1-{MAX_FRAMES}")
        if _tracemalloc is None:
            raise MemoryError_(501, "unsupported", "this interpreter has no tracemalloc")
        with self._lock:
            if self._current is not None:
                raise MemoryError_(409, "already_recording",
                                   f"memory recording {self._current.id} is running; stop it first")
            rec = MemoryRecording(f"mem-{self._prefix}-{next(self._ids)}", seconds, frames)
            if tracemalloc.is_tracing():
                # The host traces already: share it, leave it running at the end,
                # and diff against what was alive at the start.
                rec.frames = tracemalloc.get_traceback_limit()
                rec.start_raw = _tracemalloc._get_traces()
            else:
                tracemalloc.start(frames)
                rec.we_started = True
            tracemalloc.reset_peak()
            self._current = rec
            self._stop.clear()
            self._watcher = threading.Thread(target=self._watch, args=(rec,),
                                             name="spyglass-memory", daemon=True)
            self._watcher.start()
        d = rec.status()
        d["expected_cost"] = expected_cost()
        return d

    def stop(self):
        """Stops the running recording; returns its result summary (or raises 409)."""
        with self._lock:
            rec = self._current
        if rec is None:
            raise MemoryError_(409, "not_recording", "no memory recording is running")
        self._stop.set()
        w = self._watcher
        if w is not None and w is not threading.current_thread():
            w.join()
        return rec.status()

    def get(self, rid):
        with self._lock:
            for r in self._results:
                if r.id == rid:
                    return r
            if self._current is not None and self._current.id == rid:
                return self._current
        return None

    def close(self):
        if self._current is not None:
            try:
                self.stop()
            except MemoryError_:
                pass

    # -- the recording thread ----------------------------------------------

    def _watch(self, rec):
        try:
            deadline = rec.started_mono + rec.seconds if rec.seconds else None
            last_snap = 0
            held = 0          # bytes of our own snapshot lists, traced too
            while True:
                timeout = POLL_S
                if deadline is not None:
                    timeout = max(0.0, min(POLL_S, deadline - time.monotonic()))
                if self._stop.wait(timeout):
                    break
                if deadline is not None and time.monotonic() >= deadline:
                    break
                current, traced_peak = tracemalloc.get_traced_memory()
                # Our own raw list is traced too: subtract what we hold.
                rec.traced_peak = max(rec.traced_peak, traced_peak - held)
                current -= held
                elapsed = time.monotonic() - rec.started_mono
                if current >= PEAK_MIN_BYTES and current > last_snap * PEAK_GROWTH \
                        and rec.snapshot_seconds <= PEAK_BUDGET * elapsed:
                    t0 = time.monotonic()
                    before = tracemalloc.get_traced_memory()[0]
                    raw = _tracemalloc._get_traces()
                    rec.snapshot_seconds += time.monotonic() - t0
                    rec.peak_snapshots += 1
                    last_snap = current
                    if current > rec.peak_raw_bytes:
                        rec.peak_raw, rec.peak_raw_bytes = raw, current
                    del raw
                    held = max(0, held + tracemalloc.get_traced_memory()[0] - before)
                    tracemalloc.reset_peak()
            self._finish(rec, held)
        except Exception as exc:     # noqa: BLE001 - never raise into the host
            rec.state = "failed"
            rec.error = str(exc)
            self._stop_tracing(rec)
        finally:
            rec.ended = rec.ended or time.time()
            with self._lock:
                if self._current is rec:
                    self._current = None
                self._results.append(rec)
            self._publish(rec)

    def _stop_tracing(self, rec):
        if rec.we_started and tracemalloc.is_tracing():
            tracemalloc.stop()

    def _finish(self, rec, held):
        end_current, traced_peak = tracemalloc.get_traced_memory()
        traced_peak = max(rec.traced_peak, traced_peak - held)
        end_current -= held
        end_raw = _tracemalloc._get_traces()
        rec.ended = time.time()
        self._stop_tracing(rec)
        skip = {}
        end = _group(end_raw, skip)
        del end_raw
        start = _group(rec.start_raw, skip) if rec.start_raw is not None else {}
        rec.start_raw = None
        peak = _group(rec.peak_raw, skip) if rec.peak_raw is not None else {}
        rec.peak_raw = None
        # The peak snapshot is whichever of the two held more.
        end_total = sum(e[1] for e in end.values())
        peak_total = sum(e[1] for e in peak.values())
        if peak_total < end_total:
            peak, peak_total = end, end_total

        names = FunctionNames()
        start_l, end_l, peak_l = _by_line(start), _by_line(end), _by_line(peak)
        lines = []
        for key in set(end_l) | set(peak_l):
            s_size, s_count = start_l.get(key, (0, 0))
            e_size, e_count = end_l.get(key, (0, 0))
            p_size, p_count = peak_l.get(key, (0, 0))
            increment = max(e_size, p_size) - s_size
            allocs = max(e_count, p_count) - s_count
            if increment <= 0 and e_size - s_size <= 0:
                continue
            filename, line = key
            text = linecache.getline(filename, line).strip()
            lines.append({
                "file": filename,
                "line": line,
                "function": names.name(filename, line),
                "text": text[:200],
                "increment_bytes": max(0, increment),
                "allocations": max(0, allocs),
                "alive_bytes": max(0, e_size - s_size),
                "alive_count": max(0, e_count - s_count),
                "peak_bytes": p_size,
            })
        lines.sort(key=lambda r: (-r["increment_bytes"], r["file"], r["line"]))
        rec.traced_peak = traced_peak
        rec.result = {
            "duration": round(rec.ended - rec.started, 3),
            "alive_bytes": max(0, end_total - sum(e[1] for e in start.values())),
            "traced_peak_bytes": traced_peak,
            "traced_end_bytes": end_current,
            "peak_snapshot_bytes": peak_total,
            "peak_snapshots": rec.peak_snapshots,
            "snapshot_seconds": round(rec.snapshot_seconds, 3),
            "line_count": len(lines),
            "lines": lines,
        }
        if self.profiles is not None:
            data = self._heap_pprof(rec, start, end, peak, names)
            entry = self.profiles.entry("heap", "memory", rec.seconds, None)
            entry.start = rec.started
            entry.duration = rec.result["duration"]
            entry.samples = len(_by_stack(end) | _by_stack(peak))
            entry.data = data
            entry.state = "ready"
            entry.extra = {"memory_id": rec.id}
            self.profiles.add_entry(entry)
            rec.profile_id = entry.id
            rec.result["profile_id"] = entry.id
        rec.state = "ready"

    def _heap_pprof(self, rec, start, end, peak, names):
        b = pprof.ProfileBuilder(
            [("alloc_objects", "count"), ("alloc_space", "bytes"),
             ("inuse_objects", "count"), ("inuse_space", "bytes")],
            period_type=("space", "bytes"), period=1,
            time_nanos=int(rec.started * 1e9),
            duration_nanos=int((rec.ended - rec.started) * 1e9),
            default_sample_type="inuse_space")
        b.comment("spyglass heap profile from tracemalloc: inuse_* = alive at the end, "
                  "alloc_* = the most each stack held at any snapshot")
        start_s, end_s, peak_s = _by_stack(start), _by_stack(end), _by_stack(peak)
        locs = {}

        def location(frame):
            lid = locs.get(frame)
            if lid is None:
                filename, line = frame
                fn = names.name(filename, line)
                lid = locs[frame] = b.location(b.function(fn, fn, filename, 0), line)
            return lid

        for tb in set(end_s) | set(peak_s):
            s_size, s_count = start_s.get(tb, (0, 0))
            e_size, e_count = end_s.get(tb, (0, 0))
            p_size, p_count = peak_s.get(tb, (0, 0))
            inuse = max(0, e_size - s_size)
            inuse_n = max(0, e_count - s_count)
            alloc = max(inuse, p_size - s_size)
            alloc_n = max(inuse_n, p_count - s_count)
            if alloc <= 0 and inuse <= 0:
                continue
            b.sample([location(f) for f in tb], (alloc_n, alloc, inuse_n, inuse))
        return b.encode_gzip()

    def _publish(self, rec):
        events = getattr(self.agent, "events", None)
        if events is None:
            return
        data = {"id": rec.id, "state": rec.state, "start": _rfc3339(rec.started),
                "duration": round((rec.ended or time.time()) - rec.started, 3),
                "profile_id": rec.profile_id}
        if rec.result:
            data.update({"lines": rec.result["line_count"],
                         "traced_peak_bytes": rec.result["traced_peak_bytes"],
                         "alive_bytes": rec.result["alive_bytes"]})
        if rec.error:
            data["error"] = rec.error
        try:
            events.publish("memory_ready", data)
        except Exception:           # noqa: BLE001
            pass
