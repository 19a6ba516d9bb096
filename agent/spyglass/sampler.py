# SPDX-License-Identifier: GPL-3.0-or-later
"""All-thread stack sampler: one daemon thread serves every recording.

Every tick reads ``sys._current_frames()`` (every Python thread but the
sampler's own), the CPU clock of each thread and, for each recording that is
due, adds one sample per thread weighted by the wall time elapsed since that
recording's previous tick and by the CPU time the thread used in the same
interval.  The first tick a recording sees only sets its CPU baselines, so the
CPU in a finished recording is exactly what its threads used between its first
and last tick.

Why it is cheap enough to run at 100 Hz beside a busy service: a tick does
only what cannot wait.  It reads the clocks and every thread's stack as raw
(code object, ``f_lasti``) pairs, reuses the previous sample of a thread that
has not run since, and queues the result; everything else (turning
instructions into lines, interning functions, locations and stacks, the
recordings' bookkeeping) is done later in batches by `Sampler._drain`, on the
sampler thread every DRAIN_NS or when a recording ends.  A tick therefore runs
about a third of the bytecodes it used to, and the batch work runs warm, ten
ticks at a time, instead of cold once per tick (agent/README.md, Benchmarks).
Further:
- code objects are looked up by ``id()`` (their ``__hash__`` walks the whole
  code), each kept alive by the cache (or by the queued tick) so the id cannot
  be reused;
- stacks are interned per recording (a tuple of location ids -> stack id) and
  a sample is five integers in a flat ``array``;
- no frame outlives its tick: a queued stack holds code objects and integers,
  never a frame, which would keep a finished call's locals alive.

Per-thread CPU comes from ``time.pthread_getcpuclockid(ident)``, resolved once
per thread and cached; on Linux the clock id also encodes the kernel thread id,
which names threads not started by ``threading``.  When a thread exits, its
clock read fails and the cached entry is dropped, so a reused ident resolves
again.  None of this calls into user code.
"""

import bisect
import os
import sys
import threading
import time
import weakref
from array import array

from . import signal_ticks as _signal_ticks
from .tick import NAMES_EVERY, make_tick, own_codes, walk  # noqa: F401 - walk is API

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

# Signal ticks: every WATCHDOG_NS the sampler thread looks at the main
# thread's CPU clock and sends it signal ticks only while it used at least
# MAIN_BUSY_SHARE of that time (low, as a busy thread on a loaded machine gets
# a fraction of a core; a waiting one uses next to nothing); it takes the ticks itself otherwise, and after
# SIGNAL_STALE_PERIODS periods (at least SIGNAL_STALE_MIN_NS) without one.
WATCHDOG_NS = 100_000_000
# While the main thread takes the ticks, the sampler thread wakes only this
# often: each wake-up takes the GIL from the busy thread (a hand-off each way,
# ~0.2 ms on the project's VM, agent/README.md), so ten a second would cost
# it about 0.2 %.  The price: signal ticks that stop (the main thread blocked
# in C code) are replaced by thread ticks within this time, not within 100 ms.
LIVE_WATCHDOG_NS = 500_000_000
MAIN_BUSY_SHARE = 0.1
SIGNAL_STALE_PERIODS = 3
SIGNAL_STALE_MIN_NS = 30_000_000
# Queued ticks are turned into samples at least this often (on the sampler
# thread), and by whichever tick finds more than MAX_PENDING queued.
DRAIN_NS = 100_000_000
MAX_PENDING = 256

_HAS_QUALNAME = sys.version_info >= (3, 11)
_NS = 1_000_000_000
# A signal tick starts with every cache cold (tick.py): one global lookup is
# cheaper than a global and an attribute lookup.
_monotonic_ns = time.monotonic_ns
_clock_gettime_ns = time.clock_gettime_ns
try:
    import resource
    _getrusage = resource.getrusage
    _RUSAGE_THREAD = resource.RUSAGE_THREAD      # Linux, where signal ticks run
except (ImportError, AttributeError):
    _getrusage = _RUSAGE_THREAD = None


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


def _line_table(code):
    """(starts, lines): the line of the instruction at byte offset o is
    lines[i] for the last starts[i] <= o, exactly as frame.f_lineno reads it."""
    starts, lines = [], []
    if hasattr(code, "co_lines"):              # 3.10+
        for start, _end, line in code.co_lines():
            starts.append(start)
            lines.append(line)
    else:                                      # 3.9: the lnotab
        import dis
        for start, line in dis.findlinestarts(code):
            starts.append(start)
            lines.append(line)
    return starts, lines


class Symbols:
    """Functions and locations seen by one run of the sampler (append-only).

    functions[i] = (name, system_name, filename, first_line)
    locations[i] = (function index, line)
    """

    def __init__(self):
        self.functions = []
        self.locations = []
        # id(code) -> [code, function index, {line: location}, {f_lasti: location},
        #              line table or None]
        self._codes = {}

    def _entry(self, code):
        entry = self._codes.get(id(code))
        if entry is None:
            name = code.co_qualname if _HAS_QUALNAME else code.co_name
            self.functions.append((name, code.co_name, code.co_filename, code.co_firstlineno))
            entry = [code, len(self.functions) - 1, {}, {}, None]
            self._codes[id(code)] = entry
        return entry

    def location(self, code, line):
        entry = self._entry(code)
        lines = entry[2]
        loc = lines.get(line)
        if loc is None:
            self.locations.append((entry[1], line or 0))
            loc = len(self.locations) - 1
            lines[line] = loc
        return loc

    @staticmethod
    def line_at(entry, lasti):
        code = entry[0]
        if lasti < 0:                          # not started yet
            return code.co_firstlineno
        table = entry[4]
        if table is None:
            table = entry[4] = _line_table(code)
        i = bisect.bisect_right(table[0], lasti) - 1
        if i < 0:
            return code.co_firstlineno
        line = table[1][i]
        return line if line is not None and line >= 0 else 0

    def stack(self, raw):
        """Tuple of location indexes, leaf first, for a raw stack: code objects
        and f_lasti values, alternating, as a tick reads them (`walk`).

        f_lasti is a field; f_lineno on 3.10+ decodes the code's line table at
        every read, so lines are found here, once per (code, f_lasti)."""
        out = []
        codes = self._codes
        for i in range(0, len(raw), 2):
            code = raw[i]
            entry = codes.get(id(code))
            if entry is None:
                entry = self._entry(code)
            lasti = raw[i + 1]
            loc = entry[3].get(lasti)
            if loc is None:
                loc = entry[3][lasti] = self.location(code, self.line_at(entry, lasti))
            out.append(loc)
        return tuple(out)


class ThreadSample:
    """What one tick knows about one thread, once its stack is interned."""

    __slots__ = ("ident", "cpu", "key", "_stack")

    def __init__(self, ident, cpu, key, stack):
        self.ident = ident
        # (ident, native id, name, task): how a recording tells threads apart.
        self.key = key
        self.cpu = cpu
        self._stack = stack


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
        self.ticks = 0                 # ticks in the samples, baseline included
        self.ticks_taken = 0           # ticks taken so far; the latest may not be drained yet
        self.first_ns = None           # monotonic ns of the baseline tick
        self.last_ns = None
        self.start_time_ns = None      # wall clock of the baseline tick
        self.end_time_ns = None
        self.cpu_total_ns = 0
        self.wall_total_ns = 0
        self.sampler_cpu_ns = 0        # the sampler's own CPU over this recording
        self.closed = False            # set once unsubscribed and drained: no more ticks
        self._next_due = None          # the schedule, kept by the ticks themselves
        self._cpu_base = {}            # ident -> CPU clock at the previous tick
        self._last = {}                # ident -> (ThreadSample, stack id, thread index) of the last sample
        self._sampler_base = 0

    # The schedule: called by the tick (any thread, under the tick lock).
    def due(self, now, slack):
        return self._next_due is None or now >= self._next_due - slack

    def advance(self, now):
        """Moves the schedule past a tick taken at `now`."""
        self.ticks_taken += 1
        if self._next_due is None:
            self._next_due = now + self.period_ns
            return
        self._next_due += self.period_ns
        if self._next_due <= now:
            self._next_due = now + self.period_ns

    # The samples: called by the drain only, in tick order.
    def tick(self, now, wall_clock_ns, threads, symbols):
        if self.first_ns is None:
            self.first_ns = self.last_ns = now
            self.start_time_ns = wall_clock_ns
            self.symbols = symbols
            self._cpu_base = {t.ident: t.cpu for t in threads if t.cpu is not None}
            self.ticks = 1
            return
        wall = now - self.last_ns
        self.last_ns = now
        self.end_time_ns = wall_clock_ns
        self.ticks += 1
        base = self._cpu_base
        if len(base) > len(threads):
            # Threads have gone: forget them (their idents may be reused).
            alive = {t.ident for t in threads}
            self._cpu_base = base = {i: c for i, c in base.items() if i in alive}
            self._last = {i: v for i, v in self._last.items() if i in alive}
        last = self._last
        cpu_only = self.kind == "cpu"
        room = len(self.samples) < self.max_samples * 5
        batch = []                     # this tick's samples, flat: one extend per tick
        cpu_sum = count = 0
        ts = wall_clock_ns
        for t in threads:
            hit = last.get(t.ident)
            if hit is not None and hit[0] is t:
                # The very sample object of the previous tick: the thread has
                # not run since (see Sampler._tick), so no CPU and same ids.
                if cpu_only:
                    continue
                count += 1
                if room:
                    batch += (hit[1], hit[2], ts, 0, wall)
                else:
                    self._aggregate(hit[1], hit[2], 0, wall)
                continue
            cpu = 0
            tc = t.cpu
            if tc is not None:
                prev = base.get(t.ident)
                base[t.ident] = tc
                if prev is None:
                    # A thread first seen now: it cannot have run longer than
                    # the interval inside this recording.
                    cpu = min(tc, wall)
                elif tc > prev:
                    cpu = tc - prev
            if cpu_only and cpu == 0:
                continue
            stack = t._stack
            if hit is not None and hit[0]._stack is stack and hit[0].key is t.key:
                sid = hit[1]
                tid = hit[2]
            else:
                sid = self.stacks.get(stack)
                if sid is None:
                    sid = self.stacks[stack] = len(self.stack_list)
                    self.stack_list.append(stack)
                tid = self.threads.get(t.key)
                if tid is None:
                    tid = self.threads[t.key] = len(self.thread_list)
                    self.thread_list.append(t.key)
            last[t.ident] = (t, sid, tid)
            count += 1
            cpu_sum += cpu
            if room:
                batch += (sid, tid, ts, cpu, wall)
            else:
                self._aggregate(sid, tid, cpu, wall)
        if batch:
            self.samples.extend(batch)
        self.sample_count += count
        self.cpu_total_ns += cpu_sum
        self.wall_total_ns += wall * count

    def _aggregate(self, sid, tid, cpu, wall):
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


def _after_fork(ref):
    sampler = ref()
    if sampler is not None:
        sampler._after_fork()


class Sampler:
    """The one sampler.  `subscribe()` a Recording, `unsubscribe()` it when done.

    Runs only while at least one recording is subscribed, at the highest rate
    any of them asked for; a recording at a lower rate takes every n-th tick.
    Ticks are taken by the main thread on a timer signal when that is possible
    (see signal_ticks.py), otherwise by the sampler's own thread, which also
    stands in whenever the signal ticks stop coming.
    """

    def __init__(self, clocks=None, signal_ticks=True):
        self._period_ns = _NS // DEFAULT_HZ
        self._thread_ident = None
        self._symbols = None
        self._drained_ns = 0
        self._thread_cpu_ns = 0    # the sampler thread's own CPU
        self.handler_cpu_ns = 0    # CPU the signal ticks took from the main thread
        self.drain_cpu_ns = 0      # CPU of drains run on other threads (a recording's end)
        self.ticks = 0
        self.signal_ticks = 0      # ticks taken on the main thread
        self.errors = 0
        self.last_error = None
        self._own = own_codes()
        self._last_signal_ns = 0
        self._watch_prev = None    # (monotonic ns, main thread's CPU ns) at the last watch
        self._idle_probe = (0, 0)  # the same, as the signal ticks last looked
        self._new_state(clocks or ThreadClocks())
        self._signal = bool(signal_ticks) and _signal_ticks.install()
        if self._signal:
            _signal_ticks.register(self)
        if hasattr(os, "register_at_fork"):
            # A weak reference: fork hooks cannot be unregistered, and a hook
            # must not keep every sampler ever made alive.
            ref = weakref.ref(self)
            os.register_at_fork(after_in_child=lambda: _after_fork(ref))

    def _new_state(self, clocks):
        """Locks, threads, timer and per-thread state, as a new sampler (or a
        forked child, where neither the sampling thread nor the timer exists)
        starts with them."""
        self._lock = threading.Lock()
        self._tick_lock = threading.Lock()     # one tick at a time, never waited for
        self._drain_lock = threading.Lock()    # one drain at a time, in tick order
        # Held while the sampler thread sleeps between watches; a signal tick
        # that finds the main thread idle releases it (never waits) to wake it.
        self._wake = threading.Lock()
        self._wake.acquire()
        self._thread = None
        self._recordings = ()
        self._timer = None
        self._clocks = clocks
        self._main_ident = threading.main_thread().ident
        self._main_clock = None    # (ident, CPU clock id) of the thread signal ticks run on
        self._names = {}           # ident -> key (ident, native id, name, None), refreshed every NAMES_EVERY ticks
        self._names_due = 0
        # ident -> [CPU ns when its stack was read, id(frame), f_lasti, reads left to skip]
        self._still = {}
        self._fast = [None, 0, ()]  # the signal ticks' shortcut (tick.py), changed in place
        self._pending = []         # ticks not drained yet (see tick.py)
        self._last_samples = {}    # ident -> the ThreadSample of its last drained tick
        # Holds the dicts and lists above: made again whenever they are.
        self._tick_fn = make_tick(self)

    def _after_fork(self):
        self._new_state(ThreadClocks())

    @property
    def running(self):
        t = self._thread
        return t is not None and t.is_alive()

    @property
    def self_cpu_ns(self):
        """CPU the sampler used: its thread's, its signal ticks' on the main
        thread, and its drains' on the threads that ended recordings."""
        return self._thread_cpu_ns + self.handler_cpu_ns + self.drain_cpu_ns

    @property
    def uses_signal_ticks(self):
        return self._signal

    def subscribe(self, rec):
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                # A new run: fresh symbols and per-thread state.  Whatever is
                # still queued belongs to recordings that have ended.
                with self._tick_lock, self._drain_lock:
                    # Cleared, not replaced: the tick function holds them.
                    del self._pending[:]
                    self._symbols = Symbols()
                    self._still.clear()
                    self._fast[0] = None
                    self._last_samples = {}
                self._thread = threading.Thread(target=self._run, name="spyglass-sampler",
                                                daemon=True)
                start = True
            else:
                start = False
            rec._sampler_base = self.self_cpu_ns
            self._recordings = self._recordings + (rec,)
            self._period_ns = _NS // max(r.hz for r in self._recordings)
            self._rearm_timer()
            if start:
                self._thread.start()

    def unsubscribe(self, rec):
        """Stops feeding `rec`; once this returns, rec holds every tick it took."""
        with self._lock:
            self._recordings = tuple(r for r in self._recordings if r is not rec)
            if self._recordings:
                self._period_ns = _NS // max(r.hz for r in self._recordings)
                self._rearm_timer()
            else:
                self._disarm_timer()
        self._finish((rec,))

    def stop(self, timeout=2.0):
        with self._lock:
            recs, self._recordings = self._recordings, ()
            self._disarm_timer()
            t = self._thread
        self._finish(recs)
        if t is not None and t is not threading.current_thread():
            t.join(timeout)

    def _finish(self, recs):
        # A tick that read the old list of recordings may still be running:
        # wait for it (ticks never wait, so this is short), then turn every
        # queued tick into samples.  Later ticks can still name `recs` (they
        # read the list before it changed); the drain skips closed ones.
        with self._tick_lock:
            pass
        with self._drain_lock:
            self._drain()
            for r in recs:
                r.closed = True

    # -- the signal timer (caller holds self._lock) --------------------------

    def _arm_timer(self):
        if not self._signal:
            return
        if _signal_ticks.closing() or not _signal_ticks.installed():
            self._give_up_signal("the tick signal is no longer ours")
            return
        try:
            if self._timer is None:
                self._timer = _signal_ticks.ThreadTimer(_signal_ticks.TICK_SIGNAL,
                                                        _signal_ticks.main_thread_tid())
            if not self._timer.period_ns:
                # Grace for the first signal; the watchdog judges from here,
                # and the ticks' own idle check from their first look.
                self._last_signal_ns = time.monotonic_ns()
                self._idle_probe = (0, 0)
            self._timer.arm(self._period_ns)
        except OSError as exc:
            self._give_up_signal(f"signal ticks unavailable: {exc}")

    def _rearm_timer(self):
        # A new rate for a timer that is running; the watchdog starts it.
        if self._timer is not None and self._timer.period_ns:
            self._arm_timer()

    @property
    def _armed(self):
        return self._timer is not None and self._timer.period_ns != 0

    def _disarm_timer(self):
        timer = self._timer
        if timer is not None:
            try:
                timer.disarm()
            except OSError as exc:
                self._give_up_signal(f"cannot stop the tick timer: {exc}")

    def _give_up_signal(self, why):
        # From now on the sampler thread takes every tick.
        self._signal = False
        self.last_error = why
        timer, self._timer = self._timer, None
        if timer is not None:
            try:
                timer.close()
            except OSError:
                pass
        _signal_ticks.unregister(self)

    def _close_timer(self):
        # At exit (signal_ticks._at_exit), on the main thread.
        with self._lock:
            self._give_up_signal("the process is exiting")

    def _watch(self, now):
        """Every WATCHDOG_NS, on the sampler thread: signal ticks while the main
        thread is busy, thread ticks while it is not.

        A main thread that waits (in select, accept, a lock, a sleep) is left
        alone: the signal would only interrupt its wait, and a tick taken
        there would need the GIL as the sampler thread's does."""
        if not _signal_ticks.installed():
            with self._lock:
                self._give_up_signal("another handler took over the tick signal")
            return
        main = threading.main_thread().ident
        cpu = self._clocks.cpu_ns(main) if main is not None else None
        prev, self._watch_prev = self._watch_prev, (now, cpu)
        if prev is None or cpu is None or prev[1] is None or now <= prev[0]:
            return
        busy = cpu - prev[1] >= (now - prev[0]) * MAIN_BUSY_SHARE
        with self._lock:
            if not self._recordings or not self._signal:
                return
            if busy and not self._armed:
                self._arm_timer()
            elif not busy and self._armed:
                self._disarm_timer()

    def _signal_live(self, now, period):
        """True while the main thread takes the ticks (called by the sampler thread)."""
        if not self._signal or not self._armed:
            return False
        return now - self._last_signal_ns <= max(SIGNAL_STALE_PERIODS * period,
                                                 SIGNAL_STALE_MIN_NS)

    # -- ticks -----------------------------------------------------------------

    def _signal_tick(self, frame):
        # On the main thread, between two of its bytecodes: never raise into
        # it, never wait for anything.
        try:
            now = _monotonic_ns()
            self._last_signal_ns = now
            recs = self._recordings
            if not recs or not self._tick_lock.acquire(False):
                return
            try:
                main = self._main_clock
                if main is None:
                    ident = threading.get_ident()
                    main = self._main_clock = (ident, self._clocks.clock(ident))
                ident, clk = main
                c0 = _clock_gettime_ns(clk) if clk is not None else None
                t0 = _monotonic_ns()
                # Its count of voluntary context switches (see tick.py).
                ru = _getrusage(_RUSAGE_THREAD)
                own = self._own
                while frame is not None and id(frame.f_code) in own:
                    frame = frame.f_back
                # This thread's CPU for the interval ends where the tick began.
                tick = self._tick_fn(recs, self._thread_ident, now, self._period_ns,
                                     ident, frame, c0, ru.ru_nvcsw)
                if tick is None:
                    return
                self.signal_ticks += 1
                if c0 is not None and now - self._idle_probe[0] >= WATCHDOG_NS:
                    self._check_idle(now, c0)
                if c0 is not None:
                    # The tick's own CPU belongs to the sampler, not to the
                    # code it interrupted: the drain moves this thread's
                    # baselines past it.  It is taken to be the tick's wall
                    # time (it never waits; a read of the thread's clock is a
                    # system call, more than a microsecond here): if the OS
                    # preempted it, the thread's next interval is short by as
                    # much as the sampler's is long, and the totals still add up.
                    used = _monotonic_ns() - t0
                    self.handler_cpu_ns += used
                    tick[5] = (ident, c0 + used, used)
                self._queue(tick)
            finally:
                self._tick_lock.release()
        except Exception as exc:     # noqa: BLE001 - never into the host's main thread
            self.errors += 1
            self.last_error = repr(exc)

    def _check_idle(self, now, cpu):
        # Every WATCHDOG_NS, in a signal tick: a main thread that used less
        # than MAIN_BUSY_SHARE of the time since the last look is waiting
        # (its sleep or select was interrupted to run this tick).  Its ticks
        # stop here rather than at the watchdog's next wake-up, up to 500 ms
        # away, and the sampler thread is woken to take them.
        t, c = self._idle_probe
        self._idle_probe = (now, cpu)
        if not t or cpu - c >= (now - t) * MAIN_BUSY_SHARE:
            return
        if self._lock.acquire(False):
            try:
                self._disarm_timer()
            finally:
                self._lock.release()
            try:
                self._wake.release()
            except RuntimeError:        # already woken
                pass

    def _queue(self, tick):
        # Caller holds the tick lock.  A drain that cannot run (the sampler
        # thread starved for seconds) is done here rather than queue for ever;
        # never waited for, as this may be the signal handler.
        pending = self._pending
        pending.append(tick)
        if len(pending) > MAX_PENDING and self._drain_lock.acquire(False):
            try:
                self._drain()
            finally:
                self._drain_lock.release()

    def _run(self):
        me = self._thread_ident = threading.get_ident()
        self_clock = self._clocks.clock(me)
        next_ns = watch_ns = time.monotonic_ns()
        self._watch_prev = None
        while True:
            with self._lock:
                recs = self._recordings
                if not recs:
                    self._thread = None
                    self._disarm_timer()
                    return
                period = self._period_ns
            now = time.monotonic_ns()
            if now - self._drained_ns >= DRAIN_NS:
                with self._drain_lock:
                    self._drain()
                self._drained_ns = now
            if self._signal and now >= watch_ns:
                self._watch(now)
                watch_ns = now + (LIVE_WATCHDOG_NS if self._signal_live(now, period)
                                  else WATCHDOG_NS)
            if self._signal_live(now, period):
                # The main thread is taking the ticks: only watch it.
                if self._wake.acquire(timeout=max(watch_ns - now, 0) / _NS):
                    # A signal tick found the main thread idle and stopped
                    # the timer: take the ticks, watch every 100 ms again.
                    watch_ns = time.monotonic_ns() + WATCHDOG_NS
                    self._watch_prev = None
                next_ns = time.monotonic_ns()
            elif now < next_ns:
                # time.sleep is one clock_nanosleep; Event.wait would build a lock
                # and a condition per tick.  Stopping waits at most one period.
                time.sleep((min(next_ns, watch_ns) - now) / _NS if self._signal
                           else (next_ns - now) / _NS)
                continue
            else:
                if self._tick_lock.acquire(False):
                    try:
                        tick = self._tick(recs, me, now, period)
                        if tick is not None:
                            self._queue(tick)
                    except Exception as exc:     # noqa: BLE001 - must never stop sampling
                        self.errors += 1
                        self.last_error = repr(exc)
                    finally:
                        self._tick_lock.release()
                next_ns += period
                after = time.monotonic_ns()
                if after > next_ns + MAX_CATCHUP_PERIODS * period:
                    next_ns = after + period
            if self_clock is not None:
                try:
                    self._thread_cpu_ns = time.clock_gettime_ns(self_clock)
                except OSError:
                    pass

    def _refresh_names(self, frames):
        # Updated in place: the tick function holds the dict.
        names = self._names
        names.clear()
        names.update(self._thread_names(frames))
        self._names_due = self.ticks + NAMES_EVERY
        self._still.clear()             # a renamed thread needs a new sample

    def _thread_names(self, frames):
        active = getattr(threading, "_active", {})   # ident -> Thread; read-only use
        clocks = self._clocks
        names = {}
        for ident in frames:
            t = active.get(ident)
            if t is not None:
                name = t._name
                native = getattr(t, "_native_id", None)
            else:
                name = native = None
            if native is None:
                native = clocks.native_id(ident)
            if name is None:
                name = f"native-{native}" if native is not None else f"thread-{ident}"
            names[ident] = (ident, native, name, None)
        return names

    def _tick(self, recs, me, now, period, main=None):
        """One tick (tick.py); `main` is (ident, frame, CPU ns) for a signal tick."""
        if main is None:
            return self._tick_fn(recs, me, now, period)
        return self._tick_fn(recs, me, now, period, *main)

    def _drain(self):
        """Turns the queued ticks into samples, in order.  Caller holds the drain lock.

        Runs on the sampler thread every DRAIN_NS, and on whichever thread
        ends a recording (its CPU is then counted as the sampler's)."""
        queue = self._pending
        if not queue:
            return
        # Two atomic steps (a signal tick may append in between, to the end).
        pending = queue[:]
        del queue[:len(pending)]
        me = threading.get_ident()
        clk = None if me == self._thread_ident else self._clocks.clock(me)
        c0 = time.clock_gettime_ns(clk) if clk is not None else None
        symbols = self._symbols
        last = self._last_samples
        try:
            for now, wall_clock, due, recs, entries, adjust in pending:
                threads = []
                for i in range(0, len(entries), 4):
                    ident = entries[i]
                    raw = entries[i + 3]
                    if raw is None:
                        t = last.get(ident)
                        if t is None:
                            continue
                    else:
                        t = last[ident] = ThreadSample(ident, entries[i + 1], entries[i + 2],
                                                       symbols.stack(raw))
                    threads.append(t)
                if len(last) > len(threads):
                    alive = {t.ident for t in threads}
                    for ident in [i for i in last if i not in alive]:
                        del last[ident]
                for r in due:
                    if not r.closed:
                        r.tick(now, wall_clock, threads, symbols)
                if adjust is not None:
                    ident, end, used = adjust
                    for r in recs:
                        # A recording that took this tick starts its next
                        # interval at `end`; another one skips `used`.
                        base = r._cpu_base
                        if ident in base and not r.closed:
                            base[ident] = end if r in due else base[ident] + used
        except Exception as exc:     # noqa: BLE001 - must never stop sampling
            self.errors += 1
            self.last_error = repr(exc)
        if c0 is not None:
            try:
                self.drain_cpu_ns += time.clock_gettime_ns(clk) - c0
            except OSError:
                pass
        own = self.self_cpu_ns
        for r in {r for tick in pending for r in tick[2]}:
            if not r.closed:
                r.sampler_cpu_ns = own - r._sampler_base
