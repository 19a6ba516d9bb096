# SPDX-License-Identifier: GPL-3.0-or-later
"""The sampler's tick: the part of sampling that cannot wait.

A tick runs 100 times a second, usually inside the busy main thread (a signal
tick, signal_ticks.py), and it starts with every cache cold: between two
ticks the host's own code has evicted the sampler's code and data.  On the
project's VM each first touch of a cold object costs around a microsecond,
so what a tick costs the host is roughly the number of distinct objects it
touches, not the number of bytecodes it runs (agent/README.md, Benchmarks).
Hence the shape of this file:

- the tick is a closure built once per sampler (`make_tick`) over the state it
  needs (dicts and lists that are cleared, never replaced), with the module
  functions it calls bound as default arguments: locals, not attribute or
  global lookups;
- it reads the clocks and each thread's stack as raw (code object, f_lasti)
  pairs (`walk`) and queues them; lines, functions, stacks and the
  recordings' bookkeeping are left to `Sampler._drain`, which runs warm, in
  batches, on the sampler thread;
- a thread whose frame, instruction and CPU clock have not moved since its
  stack was last read has not run: the tick queues "same as before" for it,
  and reads its clock only every few ticks while it stays parked;
- no other thread can have run Python code while the main thread kept the GIL,
  and the main thread cannot give the GIL to another thread without blocking
  (a voluntary context switch, counted by the kernel).  So a signal tick that
  finds the main thread's count of voluntary switches unchanged since the
  last tick knows every other stack is as it was: it reads only the main
  thread (no ``sys._current_frames()``, no clock per thread), and queues "same
  as before" for the others.  Every FULL_EVERY ticks it reads them all anyway
  (a thread that took and gave back the GIL inside one short system call of
  the main thread would otherwise go unseen), and the CPU other threads used
  meanwhile outside the GIL is counted then, on the stack they were on.

No frame outlives the tick: the queue holds code objects and integers.
"""

import sys
import time

# A thread found idle at the same instruction has its CPU clock read only
# every (1 + this) ticks while it stays there.
PARKED_SKIP_READS = 4
# Thread names are read again every this many ticks (and when a thread appears).
NAMES_EVERY = 100
# A signal tick that finds the main thread has not blocked since the last
# tick reads only the main thread (see make_tick), but at least every this
# many ticks it reads them all.
FULL_EVERY = 5

_OWN_CODES = None


def own_codes():
    """ids of the code of every function of the sampler's modules: what a
    signal tick may interrupt on the main thread (a drain, a subscribe) or
    run itself, and so never shows in a stack."""
    global _OWN_CODES
    if _OWN_CODES is None:
        codes = set()
        for name in ("spyglass.sampler", "spyglass.signal_ticks", __name__):
            module = sys.modules.get(name)
            if module is None:
                continue
            for obj in vars(module).values():
                members = vars(obj).values() if isinstance(obj, type) else (obj,)
                for m in members:
                    for f in (getattr(m, "__func__", m), getattr(m, "fget", None)):
                        code = getattr(f, "__code__", None)
                        if code is not None and code.co_filename == module.__file__:
                            _add_code(codes, code)
        _OWN_CODES = frozenset(codes)
    return _OWN_CODES


def _add_code(codes, code):
    # With the functions defined inside it (the tick closure, comprehensions).
    codes.add(id(code))
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            _add_code(codes, const)


def walk(frame):
    """A frame's stack as a tick keeps it: [code, f_lasti, code, f_lasti, ...], leaf first."""
    raw = []
    append = raw.append
    while frame is not None:
        append(frame.f_code)
        append(frame.f_lasti)
        frame = frame.f_back
    return raw


def _std_task_get_names():
    names = set()
    mod = sys.modules.get("asyncio.tasks")
    for cls in (getattr(mod, "Task", None), getattr(mod, "_PyTask", None)):
        fn = getattr(cls, "get_name", None)
        if fn is not None:
            names.add(fn)
    return names


def asyncio_tasks():
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


def make_tick(sampler):
    """The tick function for `sampler`; the caller holds its tick lock.

        tick(recs, me, now, period, main_ident=None, main_frame=None, main_cpu=None)

    returns the tick's record for the queue, or None if no recording was due.
    The record is [monotonic ns, wall clock ns, recordings due, all
    recordings, entries, handler adjustment (set by a signal tick)], where
    entries holds four items per thread: ident, CPU ns, key, raw stack --
    None when the thread has not run since its last sample, whose stack the
    drain still has.

    `me` is the thread running the tick (never sampled).  A signal tick passes
    its own thread as main_ident: that thread's current frame is the
    handler's, so the interrupted frame stands in for it, and its CPU was read
    as the handler began, with main_switches, its count of voluntary context
    switches."""
    # ident -> [CPU ns when its stack was read, id(frame), f_lasti, reads left to skip]
    still = sampler._still
    names = sampler._names          # ident -> key (ident, native id, name, None)
    cpu_ns = sampler._clocks.cpu_ns
    refresh_names = sampler._refresh_names
    forget_clocks = sampler._clocks.forget_except
    # [main thread's voluntary switches at the last tick or None, fast ticks
    # left before a full one, entries for the other threads]
    fast = sampler._fast

    def tick(recs, me, now, period, main_ident=None, main_frame=None, main_cpu=None,
             main_switches=None,
             _time_ns=time.time_ns, _monotonic_ns=time.monotonic_ns,
             _current_frames=sys._current_frames, _id=id, _walk=walk, _modules=sys.modules, _tasks=asyncio_tasks,
             _own=own_codes()):
        slack = period // 2
        due = None
        for r in recs:
            if r.due(now, slack):
                if due is None:
                    due = [r]
                else:
                    due.append(r)
        if due is None:
            return None
        ticks = sampler.ticks = sampler.ticks + 1
        # Both clocks read side by side: a sample's timestamp (wall clock)
        # and its place in the recording (monotonic) must agree even when
        # this thread was preempted since `now` was read for the due check.
        wall_clock = _time_ns()
        now = _monotonic_ns()
        for r in due:
            r.advance(now)
        if main_switches is not None and main_switches == fast[0] and fast[1] > 0 \
                and main_frame is not None and ticks < sampler._names_due:
            # The main thread has kept the GIL since the last tick: only its
            # stack can have changed.
            fast[1] -= 1
            key = names.get(main_ident)
            if key is not None:
                if "asyncio.tasks" in _modules:
                    tasks = _tasks()
                    task = tasks.get(main_ident) if tasks else None
                    if task:
                        key = key[:3] + (task,)
                entries = [main_ident, main_cpu, key, _walk(main_frame)]
                entries += fast[2]
                return [now, wall_clock, due, recs, entries, None]
        fast[0] = main_switches
        fast[1] = FULL_EVERY - 1
        frames = _current_frames()
        frames.pop(me, None)
        if main_ident is not None:
            # Its stack is read at every signal tick: nothing to remember.
            still.pop(main_ident, None)
            if main_frame is not None:
                frames[main_ident] = main_frame
            else:
                frames.pop(main_ident, None)
        elif sampler._signal:
            # A thread tick while the main thread may be inside a signal tick
            # that found the tick lock taken (or inside a drain): its leaf
            # frames are the sampler's, not the program's.
            ident = sampler._main_ident
            frame = frames.get(ident)
            if frame is not None and _id(frame.f_code) in _own:
                while frame is not None and _id(frame.f_code) in _own:
                    frame = frame.f_back
                if frame is None:
                    del frames[ident]
                else:
                    frames[ident] = frame
        if ticks >= sampler._names_due:
            refresh_names(frames)
        tasks = _tasks() if "asyncio.tasks" in _modules else None
        entries = []
        push = entries.extend
        # What the next fast ticks say of the other threads: as now.
        others = [] if main_switches is not None else None
        for ident, frame in frames.items():
            lasti = frame.f_lasti
            if ident == main_ident:
                cpu = main_cpu
            else:
                prev = still.get(ident)
                if prev is not None and prev[1] == _id(frame) and prev[2] == lasti:
                    # At the same instruction as when its stack was read.
                    if prev[3] > 0:
                        # And idle at a recent read: skip reading its clock (a
                        # system call) for a few ticks.  If it did run
                        # meanwhile, that CPU is counted at the next read.
                        prev[3] -= 1
                        cpu = prev[0]
                    else:
                        cpu = cpu_ns(ident)
                        if cpu == prev[0]:
                            prev[3] = PARKED_SKIP_READS
                    if cpu == prev[0] and (not tasks or ident not in tasks):
                        # Its clock has not moved since its stack was read: it
                        # has not run, so that sample still holds.  (The stack
                        # and then the clock are read while this thread holds
                        # the GIL, so neither can move in between.)
                        same = (ident, cpu, None, None)
                        push(same)
                        if others is not None:
                            others += same
                        continue
                else:
                    cpu = cpu_ns(ident)
            key = names.get(ident)
            if key is None:
                # A thread not seen before: its name, and everyone's again.
                refresh_names(frames)
                key = names[ident]
            if tasks:
                task = tasks.get(ident)
                if task:
                    key = key[:3] + (task,)
            push((ident, cpu, key, _walk(frame)))
            if ident != main_ident:
                if cpu is not None:
                    still[ident] = [cpu, _id(frame), lasti, 0]
                if others is not None:
                    others += (ident, cpu, None, None)
        if len(still) > len(frames):
            for ident in [i for i in still if i not in frames]:
                del still[ident]
        if ticks % 512 == 0:
            forget_clocks(frames)
        if others is not None and main_frame is not None:
            fast[2] = others
        else:
            fast[0] = None
        return [now, wall_clock, due, recs, entries, None]

    return tick

