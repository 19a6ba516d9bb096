# SPDX-License-Identifier: GPL-3.0-or-later
"""Sampler ticks delivered as a signal to the main thread.

Why: a sampling *thread* has to take the GIL from the busy thread at every
tick.  On this project's 2-core VM the wake-up and the two GIL hand-offs cost
80-110 us per tick before any work is done, i.e. about 1 % of a busy thread
at 100 Hz on their own (agent/README.md, "Benchmarks").  When the tick runs
*on* the thread that holds the GIL, there is nothing to hand off: the main
thread, between two bytecodes, reads every thread's stack and goes on.

How: a POSIX timer (``timer_create`` with ``SIGEV_THREAD_ID``, through
ctypes; Linux only) sends a real-time signal, ``SIGRTMAX - 5``, to the main
thread every period.  CPython runs the Python-level handler on the main thread
at its next bytecode boundary (or, when the main thread waits in a system
call, right after the call is interrupted: PEP 475 retries the call).  The
sampler thread stays as a watchdog, waking every 500 ms while the signal ticks
come (each wake-up takes the GIL from the busy thread) and every 100 ms
otherwise: while the main thread does not run Python (blocked in C code that
holds on to its system call, or waiting for the GIL for long), the signal
ticks stop and the sampler thread takes the ticks itself until they come
back.  It also takes them while the main thread is idle: a tick there would
need the GIL like its own.  The ticks notice that themselves (the main thread
used under a tenth of the last 100 ms), stop the timer and wake the watchdog.

Safety, since the handler runs inside the host's main thread:
- the handler is installed only from the main thread, only if nobody else
  handles that signal, and system calls are restarted (``SA_RESTART``) where
  the kernel can restart them;
- it never raises (``Exception`` is caught and counted; ``KeyboardInterrupt``
  and ``SystemExit`` raised by other handlers pass through untouched) and never
  blocks: a tick already running elsewhere makes it return at once;
- the timer runs only while the main thread is busy (it used a tenth of
  the last 100 ms or more), so a main thread that waits in select, accept, a lock
  or a sleep is interrupted for at most about 100 ms, and ``signal.pause()`` blocks the tick
  signal while it waits (it would otherwise return at the first tick);
- the timer is disarmed whenever nothing records, at exit (``atexit`` runs
  before CPython puts the default handlers back, which would kill the process
  on a late signal) and when someone else has taken the signal over; a forked
  child has no timer (POSIX timers are not inherited) and makes its own;
- ``SPYGLASS_PROFILING_SIGNAL=0`` (or ``profiling_signal=False``) keeps every
  tick on the sampler thread.
"""

import atexit
import ctypes
import os
import signal
import sys
import threading
import weakref

_SIGEV_THREAD_ID = 4
_CLOCK_MONOTONIC = 1
TICK_SIGNAL = (signal.SIGRTMAX - 5) if hasattr(signal, "SIGRTMAX") else None


class _Sigevent(ctypes.Structure):
    # struct sigevent on Linux (64 bytes): sigev_value, sigev_signo,
    # sigev_notify, then a union whose first member is the target's tid.
    _fields_ = [("value", ctypes.c_void_p), ("signo", ctypes.c_int),
                ("notify", ctypes.c_int), ("tid", ctypes.c_int),
                ("_pad", ctypes.c_int * 11)]


class _Timespec(ctypes.Structure):
    _fields_ = [("sec", ctypes.c_long), ("nsec", ctypes.c_long)]


class _Itimerspec(ctypes.Structure):
    _fields_ = [("interval", _Timespec), ("value", _Timespec)]


_lib = None


def _timer_lib():
    global _lib
    if _lib is None:
        _lib = False
        for name in (None, "librt.so.1"):      # glibc >= 2.34 has them in libc
            try:
                lib = ctypes.CDLL(name, use_errno=True)
                create, settime, delete = lib.timer_create, lib.timer_settime, lib.timer_delete
            except (OSError, AttributeError):
                continue
            create.argtypes = [ctypes.c_int, ctypes.POINTER(_Sigevent),
                               ctypes.POINTER(ctypes.c_void_p)]
            settime.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(_Itimerspec),
                                ctypes.c_void_p]
            delete.argtypes = [ctypes.c_void_p]
            _lib = (create, settime, delete)
            break
    return _lib or None


class ThreadTimer:
    """A timer that sends `signo` to one kernel thread every period once armed."""

    def __init__(self, signo, tid):
        lib = _timer_lib()
        if lib is None:
            raise OSError("timer_create is not available")
        self._create, self._settime, self._delete = lib
        ev = _Sigevent()
        ev.signo = signo
        ev.notify = _SIGEV_THREAD_ID
        ev.tid = tid
        timer = ctypes.c_void_p()
        if self._create(_CLOCK_MONOTONIC, ctypes.byref(ev), ctypes.byref(timer)) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err))
        self._timer = timer
        self._pid = os.getpid()
        self.period_ns = 0

    def _set(self, period_ns):
        if self._timer is None or os.getpid() != self._pid:
            return
        spec = _Itimerspec()
        spec.interval.sec, spec.interval.nsec = divmod(period_ns, 1_000_000_000)
        spec.value.sec, spec.value.nsec = spec.interval.sec, spec.interval.nsec
        if self._settime(self._timer, 0, ctypes.byref(spec), None) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err))
        self.period_ns = period_ns

    def arm(self, period_ns):
        if period_ns != self.period_ns:
            self._set(period_ns)

    def disarm(self):
        if self.period_ns:
            self._set(0)

    def close(self):
        if self._timer is not None and os.getpid() == self._pid:
            try:
                self.disarm()
            finally:
                self._delete(self._timer)
        self._timer = None


# Samplers that asked for signal ticks; the one handler calls each of them.
_targets = weakref.WeakSet()
_target_refs = ()
_installed = False
_closing = False
_main_tid = None        # (pid, kernel thread id of the main thread) at install time


def _dispatch(signum, frame):
    # A tick that outlasts the period is interrupted by the next signal at one
    # of its own bytecodes: that one finds the tick lock taken and returns
    # (the timer does not queue).  A plain tuple of weak references:
    # iterating a WeakSet builds a generator and a guard object, at every tick.
    for ref in _target_refs:
        target = ref()
        if target is not None:
            target._signal_tick(frame)


def installed():
    """True while our handler is the one the tick signal runs."""
    return _installed and TICK_SIGNAL is not None and signal.getsignal(TICK_SIGNAL) is _dispatch


def install():
    """Installs the handler if it can be done safely here; True if it is in place.

    Only the main thread may install a signal handler.  A signal somebody else
    handles or ignores is left alone."""
    global _installed
    if installed():
        return True
    if (_closing or TICK_SIGNAL is None or not sys.platform.startswith("linux")
            or threading.current_thread() is not threading.main_thread()
            or _timer_lib() is None):
        return False
    try:
        if signal.getsignal(TICK_SIGNAL) not in (signal.SIG_DFL, None):
            return False
        signal.signal(TICK_SIGNAL, _dispatch)
        signal.siginterrupt(TICK_SIGNAL, False)
    except (OSError, ValueError, RuntimeError):
        return False
    if not _installed:
        atexit.register(_at_exit)
        _wrap_pause()
    _installed = True
    global _main_tid
    _main_tid = (os.getpid(), threading.get_native_id())
    return True


def _wrap_pause():
    # signal.pause() returns once any handler has run: a program that ends
    # with it to wait for SIGTERM would end at the first tick.  While the
    # main thread pauses, the tick signal is blocked (it stays pending, the
    # sampler thread takes the ticks meanwhile) so only the host's signals
    # end the pause.
    real = getattr(signal, "pause", None)
    if real is None or getattr(real, "__spyglass_wrapped__", False):
        return

    def pause():
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {TICK_SIGNAL})
        try:
            return real()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)

    pause.__doc__ = real.__doc__
    pause.__spyglass_wrapped__ = True
    signal.pause = pause


def main_thread_tid():
    """Kernel id of the thread that runs Python signal handlers."""
    pid = os.getpid()
    if _main_tid is not None and _main_tid[0] == pid:
        return _main_tid[1]
    # A forked child: its only thread, the one that forked, became its main
    # thread, and the first thread of a process has the process's id.
    return pid


def register(target):
    global _target_refs
    _targets.add(target)
    _target_refs = tuple(weakref.ref(t) for t in _targets)


def unregister(target):
    global _target_refs
    _targets.discard(target)
    _target_refs = tuple(weakref.ref(t) for t in _targets)


def closing():
    return _closing


def _at_exit():
    # Before CPython restores default handlers (under which a late tick would
    # terminate the process), every timer goes quiet and none is armed again.
    global _closing
    _closing = True
    for target in list(_targets):
        try:
            target._close_timer()
        except Exception:      # noqa: BLE001 - exiting; nothing to report to
            pass
