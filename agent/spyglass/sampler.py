# SPDX-License-Identifier: GPL-3.0-or-later
"""All-thread stack sampler: one daemon thread serves every recording.

Every tick reads ``sys._current_frames()`` (every Python thread but the
sampler's own), the CPU clock of each thread and, for each recording that is
due, adds one sample per thread weighted by the wall time elapsed since that
recording's previous tick and by the CPU time the thread used in the same
interval.  The first tick a recording sees only sets its CPU baselines, so the
CPU in a finished recording is exactly what its threads used between its first
and last tick.

Why it is cheap enough to run at 100 Hz beside a busy service:
- code objects are looked up by ``id()`` (their ``__hash__`` walks the whole
  code), each kept alive by the cache so the id cannot be reused;
- stacks are interned per recording (a tuple of location ids -> stack id) and
  a sample is five integers in a flat ``array``;
- a stack is walked only when a recording needs it, once per tick.

Per-thread CPU comes from ``time.pthread_getcpuclockid(ident)``, resolved once
per thread and cached; on Linux the clock id also encodes the kernel thread id,
which names threads not started by ``threading``.  When a thread exits, its
clock read fails and the cached entry is dropped, so a reused ident resolves
again.  None of this calls into user code.
"""

import os
import sys
import threading
import time
import weakref
from array import array

MIN_HZ = 1
MAX_HZ = 1000
DEFAULT_HZ = 100
# Per recording: samples past this are still counted and weighed (aggregated
# per stack and thread) but lose their own timestamp label.
DEFAULT_MAX_SAMPLES = 200_000
# Catch-up is bounded: when the sampler falls more than this many periods
# behind (a long GC pause, a suspended VM) it skips ahead instead of firing a
# burst of ticks.  Wall weights are the time actually elapsed either way.
MAX_CATCHUP_PERIODS = 2

_HAS_QUALNAME = sys.version_info >= (3, 11)
_NS = 1_000_000_000


def clamp_hz(hz):
    """Returns hz as an int within [MIN_HZ, MAX_HZ]; raises ValueError otherwise."""
    if isinstance(hz, bool) or not isinstance(hz, (int, float)):
        raise ValueError("hz must be a number")
    if not MIN_HZ <= hz <= MAX_HZ:
        raise ValueError(f"hz must be between {MIN_HZ} and {MAX_HZ}")
    return int(hz)


def _native_id_from_clock(clk):
    # glibc and musl build a thread's CPU clock id as ((~tid) << 3) | 6
    # (CPUCLOCK_PERTHREAD | CPUCLOCK_SCHED); invert that for threads that
    # `threading` does not know.
    if sys.platform.startswith("linux") and clk < 0 and (clk & 7) == 6:
        return ~(clk >> 3)
    return None


class ThreadClocks:
    """Per-thread CPU clocks keyed by thread ident (thread-safe enough under the GIL)."""

    def __init__(self):
        self._clocks = {}          # ident -> clock id, or None if unavailable

    def clock(self, ident):
        clk = self._clocks.get(ident, -1)
        if clk == -1:
            try:
                clk = time.pthread_getcpuclockid(ident)
            except (AttributeError, OSError, OverflowError, ValueError):
                clk = None
            self._clocks[ident] = clk
        return clk

    def cpu_ns(self, ident):
        """CPU nanoseconds used by the thread so far, or None (exited / unsupported)."""
        clk = self.clock(ident)
        if clk is None:
            return None
        try:
            return time.clock_gettime_ns(clk)
        except OSError:
            # The thread is gone: forget it, its ident may be reused.
            self._clocks.pop(ident, None)
            return None

    def native_id(self, ident):
        clk = self.clock(ident)
        return None if clk is None else _native_id_from_clock(clk)

    def forget_except(self, idents):
        for ident in [i for i in self._clocks if i not in idents]:
            del self._clocks[ident]


class Symbols:
    """Functions and locations seen by one run of the sampler (append-only).

    functions[i] = (name, system_name, filename, first_line)
    locations[i] = (function index, line)
    """

    def __init__(self):
        self.functions = []
        self.locations = []
        self._codes = {}   # id(code) -> (code, function index, {line: location index})

    def location(self, code, line):
        entry = self._codes.get(id(code))
        if entry is None:
            name = code.co_qualname if _HAS_QUALNAME else code.co_name
            self.functions.append((name, code.co_name, code.co_filename, code.co_firstlineno))
            entry = (code, len(self.functions) - 1, {})
            self._codes[id(code)] = entry
        lines = entry[2]
        loc = lines.get(line)
        if loc is None:
            self.locations.append((entry[1], line or 0))
            loc = len(self.locations) - 1
            lines[line] = loc
        return loc

    def stack(self, frame):
        """Tuple of location indexes, leaf first."""
        out = []
        location = self.location
        while frame is not None:
            out.append(location(frame.f_code, frame.f_lineno))
            frame = frame.f_back
        return tuple(out)


class ThreadSample:
    """What one tick knows about one thread."""

    __slots__ = ("ident", "native_id", "name", "cpu", "frame", "task", "_stack")

    def __init__(self, ident, native_id, name, cpu, frame, task):
        self.ident = ident
        self.native_id = native_id
        self.name = name
        self.cpu = cpu
        self.frame = frame
        self.task = task
        self._stack = None


class Recording:
    """Samples for one profile.  Fed by the sampler thread, read after `finish()`."""

    def __init__(self, kind, hz, max_samples=DEFAULT_MAX_SAMPLES):
        if kind not in ("cpu", "wall"):
            raise ValueError("type must be 'cpu' or 'wall'")
        self.kind = kind
        self.hz = clamp_hz(hz)
        self.period_ns = _NS // self.hz
        self.max_samples = max_samples
        self.symbols = None            # set by the sampler at the first tick
        self.stacks = {}               # tuple of locations -> stack id
        self.stack_list = []
        self.threads = {}              # (ident, native id, name, task) -> thread index
        self.thread_list = []
        # Flat: stack id, thread index, timestamp ns, cpu ns, wall ns.
        self.samples = array("q")
        self.sample_count = 0          # including aggregated ones
        self.overflow = {}             # (stack id, thread index) -> [count, cpu, wall]
        self.capped = False
        self.ticks = 0                 # ticks taken, baseline included
        self.first_ns = None           # monotonic ns of the baseline tick
        self.last_ns = None
        self.start_time_ns = None      # wall clock of the baseline tick
        self.end_time_ns = None
        self.cpu_total_ns = 0
        self.wall_total_ns = 0
        self.sampler_cpu_ns = 0        # the sampler thread's own CPU over this recording
        self._next_due = None
        self._cpu_base = {}
        self._sampler_base = 0
        self.done = threading.Event()

    # Called on the sampler thread only.
    def due(self, now, slack):
        return self._next_due is None or now >= self._next_due - slack

    def tick(self, now, wall_clock_ns, threads, symbols):
        if self._next_due is None:
            self._next_due = now + self.period_ns
            self.first_ns = self.last_ns = now
            self.start_time_ns = wall_clock_ns
            self.symbols = symbols
            self._cpu_base = {t.ident: t.cpu for t in threads if t.cpu is not None}
            self.ticks = 1
            return
        self._next_due += self.period_ns
        if self._next_due <= now:
            self._next_due = now + self.period_ns
        wall = now - self.last_ns
        self.last_ns = now
        self.end_time_ns = wall_clock_ns
        self.ticks += 1
        base = self._cpu_base
        new_base = {}
        cpu_only = self.kind == "cpu"
        for t in threads:
            cpu = 0
            if t.cpu is not None:
                new_base[t.ident] = t.cpu
                prev = base.get(t.ident)
                if prev is None:
                    # A thread first seen now: it cannot have run longer than
                    # the interval inside this recording.
                    cpu = min(t.cpu, wall)
                elif t.cpu > prev:
                    cpu = t.cpu - prev
            if cpu_only and cpu == 0:
                continue
            stack = t._stack
            if stack is None:
                stack = t._stack = symbols.stack(t.frame)
            self._add(stack, t, wall_clock_ns, cpu, wall)
        self._cpu_base = new_base

    def _add(self, stack, t, ts, cpu, wall):
        sid = self.stacks.get(stack)
        if sid is None:
            sid = self.stacks[stack] = len(self.stack_list)
            self.stack_list.append(stack)
        tkey = (t.ident, t.native_id, t.name, t.task)
        tid = self.threads.get(tkey)
        if tid is None:
            tid = self.threads[tkey] = len(self.thread_list)
            self.thread_list.append(tkey)
        self.sample_count += 1
        self.cpu_total_ns += cpu
        self.wall_total_ns += wall
        if len(self.samples) < self.max_samples * 5:
            self.samples.extend((sid, tid, ts, cpu, wall))
        else:
            self.capped = True
            agg = self.overflow.get((sid, tid))
            if agg is None:
                self.overflow[(sid, tid)] = [1, cpu, wall]
            else:
                agg[0] += 1
                agg[1] += cpu
                agg[2] += wall

    @property
    def duration_ns(self):
        if self.first_ns is None:
            return 0
        return self.last_ns - self.first_ns

    def effective_hz(self):
        d = self.duration_ns
        return (self.ticks - 1) * _NS / d if d > 0 else 0.0


def _std_task_get_names():
    names = set()
    mod = sys.modules.get("asyncio.tasks")
    for cls in (getattr(mod, "Task", None), getattr(mod, "_PyTask", None)):
        fn = getattr(cls, "get_name", None)
        if fn is not None:
            names.add(fn)
    return names


def _asyncio_tasks():
    """{thread ident: task label} for event loops running a task right now.

    Reads asyncio's own bookkeeping (the dict of current tasks per loop and the
    loop's thread id) and only calls methods of the standard Task class, never
    user code.  Loops that are idle have no current task.
    """
    mod = sys.modules.get("asyncio.tasks")
    current = getattr(mod, "_current_tasks", None)
    if not isinstance(current, dict) or not current:
        return None
    std = _std_task_get_names()
    out = {}
    try:
        items = list(current.items())
    except RuntimeError:
        return None
    for loop, task in items:
        try:
            ident = vars(loop).get("_thread_id")
        except TypeError:
            continue
        if ident is None:
            continue
        get_name = getattr(type(task), "get_name", None)
        label = get_name(task) if get_name in std else type(task).__name__
        coro = getattr(task, "_coro", None)
        if coro is None and get_name in std:
            try:
                coro = task.get_coro()
            except Exception:       # noqa: BLE001 - never raise into the sampler
                coro = None
        qual = getattr(type(coro), "__name__", "")
        if qual == "coroutine":
            label = f"{label} ({coro.__qualname__})"
        out[ident] = label
    return out


def _after_fork(ref):
    sampler = ref()
    if sampler is not None:
        sampler._after_fork()


class Sampler:
    """The one sampling thread.  `subscribe()` a Recording, `unsubscribe()` it when done.

    Runs only while at least one recording is subscribed, at the highest rate
    any of them asked for; a recording at a lower rate takes every n-th tick.
    """

    def __init__(self, clocks=None):
        self._lock = threading.Lock()
        self._recordings = ()
        self._thread = None
        self._clocks = clocks or ThreadClocks()
        self._symbols = None
        self._period_ns = _NS // DEFAULT_HZ
        self._first_seen = {}
        self._still = {}           # ident -> (CPU ns, id(leaf frame), stack) at its last walk
        self.self_cpu_ns = 0       # the sampler thread's own CPU, for honesty
        self.ticks = 0
        self.errors = 0
        self.last_error = None
        if hasattr(os, "register_at_fork"):
            # A weak reference: fork hooks cannot be unregistered, and a hook
            # must not keep every sampler ever made alive.
            ref = weakref.ref(self)
            os.register_at_fork(after_in_child=lambda: _after_fork(ref))

    def _after_fork(self):
        # The sampling thread does not exist in a forked child.
        self._lock = threading.Lock()
        self._thread = None
        self._recordings = ()
        self._clocks = ThreadClocks()
        self._still = {}

    @property
    def running(self):
        t = self._thread
        return t is not None and t.is_alive()

    def subscribe(self, rec):
        with self._lock:
            self._recordings = self._recordings + (rec,)
            self._period_ns = _NS // max(r.hz for r in self._recordings)
            if self._thread is None or not self._thread.is_alive():
                self._symbols = Symbols()
                self._thread = threading.Thread(target=self._run, name="spyglass-sampler",
                                                daemon=True)
                self._thread.start()

    def unsubscribe(self, rec):
        with self._lock:
            self._recordings = tuple(r for r in self._recordings if r is not rec)
            if self._recordings:
                self._period_ns = _NS // max(r.hz for r in self._recordings)

    def stop(self, timeout=2.0):
        with self._lock:
            self._recordings = ()
            t = self._thread
        if t is not None and t is not threading.current_thread():
            t.join(timeout)

    def _run(self):
        me = threading.get_ident()
        self_clock = self._clocks.clock(me)
        next_ns = time.monotonic_ns()
        while True:
            with self._lock:
                recs = self._recordings
                if not recs:
                    self._thread = None
                    self._symbols = None
                    self._still = {}
                    return
                period = self._period_ns
            now = time.monotonic_ns()
            if now < next_ns:
                # time.sleep is one clock_nanosleep; Event.wait would build a lock
                # and a condition per tick.  Stopping waits at most one period.
                time.sleep((next_ns - now) / _NS)
                continue
            try:
                self._tick(recs, me, now, period)
            except Exception as exc:     # noqa: BLE001 - must never stop sampling
                self.errors += 1
                self.last_error = repr(exc)
            next_ns += period
            after = time.monotonic_ns()
            if after > next_ns + MAX_CATCHUP_PERIODS * period:
                next_ns = after + period
            if self_clock is not None:
                try:
                    self.self_cpu_ns = time.clock_gettime_ns(self_clock)
                except OSError:
                    pass

    def _tick(self, recs, me, now, period):
        slack = period // 2
        due = [r for r in recs if r.due(now, slack)]
        if not due:
            return
        self.ticks += 1
        wall_clock = time.time_ns()
        frames = sys._current_frames()
        frames.pop(me, None)
        active = getattr(threading, "_active", {})   # ident -> Thread; read-only use
        tasks = _asyncio_tasks() if "asyncio.tasks" in sys.modules else None
        clocks = self._clocks
        threads = []
        for ident, frame in frames.items():
            t = active.get(ident)
            if t is not None:
                name = t._name
                native = getattr(t, "_native_id", None)
            else:
                name = None
                native = None
            if native is None:
                native = clocks.native_id(ident)
            if name is None:
                name = f"native-{native}" if native is not None else f"thread-{ident}"
            threads.append(ThreadSample(ident, native, name, clocks.cpu_ns(ident), frame,
                                        tasks.get(ident) if tasks else None))
        # A thread whose CPU clock has not moved since the last tick has not
        # run, so its stack is the one walked then: reuse it (the stack is
        # read and the clock after it while this thread holds the GIL, so
        # neither can move in between).  Only integers are kept, no frames.
        still = self._still
        for t in threads:
            prev = still.get(t.ident)
            if prev is not None and prev[0] == t.cpu and prev[1] == id(t.frame):
                t._stack = prev[2]
        symbols = self._symbols
        own = self.self_cpu_ns
        for r in due:
            if r._next_due is None:
                r._sampler_base = own
            else:
                r.sampler_cpu_ns = own - r._sampler_base
            r.tick(now, wall_clock, threads, symbols)
        for t in threads:
            if t._stack is not None and t.cpu is not None:
                still[t.ident] = (t.cpu, id(t.frame), t._stack)
        if len(still) > len(frames):
            for ident in [i for i in still if i not in frames]:
                del still[ident]
        if self.ticks % 512 == 0:
            clocks.forget_except(frames)
