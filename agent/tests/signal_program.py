# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenarios for the sampler's signal ticks, each in a process of its own
(run by test_signal_ticks.py): the tick signal goes to the main thread, so
what it does to that thread is only seen from outside.

Usage: signal_program.py SCENARIO; prints one JSON object.
"""

import json
import os
import queue
import select
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from spyglass import sampler, signal_ticks  # noqa: E402


def spin(seconds):
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def busy_until_signal_ticks(s, n=3, limit=10.0):
    """Keeps the main thread busy until the sampler has sent it n signal ticks
    (the timer only runs while the main thread is busy)."""
    start = s.signal_ticks
    end = time.monotonic() + limit
    while s.signal_ticks < start + n and time.monotonic() < end:
        spin(0.01)


def recording(kind="wall", hz=100):
    s = sampler.Sampler()
    rec = sampler.Recording(kind, hz)
    s.subscribe(rec)
    while rec.ticks_taken < 1:
        time.sleep(0.001)
    return s, rec


def stats(s, rec):
    return {"uses_signal_ticks": s.uses_signal_ticks, "ticks": s.ticks,
            "signal_ticks": s.signal_ticks, "errors": s.errors, "last_error": s.last_error,
            "effective_hz": rec.effective_hz(), "samples": rec.sample_count}


def blocking_calls():
    """Blocking calls on the main thread behave as without signals."""
    s, rec = recording()
    out = {}
    # Each call starts right after the main thread was busy, i.e. while the
    # timer still runs (it stops within 100 ms of the main thread going idle).
    busy_until_signal_ticks(s)
    t0 = time.monotonic()
    time.sleep(0.3)
    out["sleep"] = time.monotonic() - t0

    r, w = os.pipe()
    busy_until_signal_ticks(s)
    t0 = time.monotonic()
    select.select([r], [], [], 0.3)
    out["select"] = time.monotonic() - t0

    # A restartable call (read on a pipe): the kernel restarts it after each
    # signal, so the Python handler cannot run until it returns; the sampler
    # thread must stand in meanwhile, for the busy thread.
    def feed():
        spin(0.4)
        os.write(w, b"x")
    busy = threading.Thread(target=feed, name="feeder")
    ticks0, sig0 = s.ticks, s.signal_ticks
    t0 = time.monotonic()
    busy.start()
    out["read_data"] = os.read(r, 1).decode()
    out["read"] = time.monotonic() - t0
    out["read_thread_ticks"] = (s.ticks - ticks0) - (s.signal_ticks - sig0)
    busy.join()

    q = queue.Queue()
    busy_until_signal_ticks(s)
    t0 = time.monotonic()
    try:
        q.get(timeout=0.3)
    except queue.Empty:
        out["queue_empty"] = True
    out["queue"] = time.monotonic() - t0

    a, b = socket.socketpair()
    a.settimeout(0.3)
    busy_until_signal_ticks(s)
    t0 = time.monotonic()
    try:
        a.recv(1)
    except socket.timeout:
        out["recv_timeout"] = True
    out["recv"] = time.monotonic() - t0
    a.close()
    b.close()
    os.close(r)
    os.close(w)

    busy_until_signal_ticks(s)
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-c", "import time; time.sleep(0.2); print('ok')"],
                       capture_output=True, text=True)
    out["subprocess"] = p.stdout.strip()
    out["subprocess_rc"] = p.returncode

    # signal.pause() ends with the host's signal, not with a tick.
    signal.signal(signal.SIGUSR1, lambda n, f: None)
    busy_until_signal_ticks(s)
    threading.Timer(0.3, signal.pthread_kill, (threading.get_ident(), signal.SIGUSR1)).start()
    t0 = time.monotonic()
    signal.pause()
    out["pause"] = time.monotonic() - t0

    # An idle main thread gets no signal at all.
    sig0 = s.signal_ticks
    time.sleep(0.6)
    out["idle_signal_ticks"] = s.signal_ticks - sig0

    s.unsubscribe(rec)
    s.stop()
    out.update(stats(s, rec))
    return out


def exit_while_recording():
    """The process exits while the timer is armed (and a daemon thread keeps
    starting recordings): it must exit with its own status, not a signal."""
    s, rec = recording()

    def again():
        while True:
            r = sampler.Recording("wall", 100)
            s.subscribe(r)
            time.sleep(0.001)
            s.unsubscribe(r)

    threading.Thread(target=again, daemon=True).start()
    busy_until_signal_ticks(s)
    print(json.dumps(stats(s, rec)), flush=True)
    sys.exit(3)


def takeover():
    """The host installs its own handler for the tick signal: the sampler
    stops sending it and goes on with its thread."""
    s, rec = recording()
    busy_until_signal_ticks(s)
    calls = []
    signal.signal(signal_ticks.TICK_SIGNAL, lambda n, f: calls.append(time.monotonic()))
    t0 = time.monotonic()
    spin(0.5)
    settled = len(calls)
    ticks = s.ticks
    busy_until_signal_ticks(s)
    out = stats(s, rec)
    out["host_handler_calls"] = settled
    out["host_handler_calls_after"] = len(calls) - settled
    out["last_call_after_s"] = (calls[-1] - t0) if calls else None
    out["ticks_after_takeover"] = s.ticks - ticks
    s.unsubscribe(rec)
    s.stop()
    return out


def tick_raises():
    """A failing tick is counted, never raised into the main thread."""
    s = sampler.Sampler()

    def broken(*args, **kwargs):
        raise ValueError("broken tick")

    # Both kinds of ticks go through the tick function (tick.py).
    s._tick_fn = broken
    rec = sampler.Recording("wall", 100)
    s.subscribe(rec)
    n = 0
    end = time.monotonic() + 0.5
    while time.monotonic() < end:
        n += 1
    s.unsubscribe(rec)
    s.stop()
    return {"loops": n, "errors": s.errors, "last_error": s.last_error}


def fork_child():
    """A forked child has no timer of its parent's and makes its own."""
    s, rec = recording()
    busy_until_signal_ticks(s, 10)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            inherited = s.signal_ticks
            rec2 = sampler.Recording("wall", 100)
            s.subscribe(rec2)
            busy_until_signal_ticks(s, 10)
            s.unsubscribe(rec2)
            os.write(w, json.dumps({"child_signal_ticks": s.signal_ticks - inherited,
                                    "child_hz": rec2.effective_hz()}).encode())
        finally:
            os._exit(0)
    os.close(w)
    data = b""
    while True:
        chunk = os.read(r, 4096)
        if not chunk:
            break
        data += chunk
    _, status = os.waitpid(pid, 0)
    spin(0.2)
    out = stats(s, rec)
    out.update(json.loads(data.decode()))
    out["child_status"] = status
    s.unsubscribe(rec)
    s.stop()
    return out


def thread_only():
    """signal_ticks=False: the sampler thread takes every tick."""
    s = sampler.Sampler(signal_ticks=False)
    rec = sampler.Recording("wall", 100)
    s.subscribe(rec)
    spin(0.5)
    s.unsubscribe(rec)
    s.stop()
    return stats(s, rec)


SCENARIOS = {f.__name__: f for f in (blocking_calls, exit_while_recording, takeover,
                                     tick_raises, fork_child, thread_only)}

if __name__ == "__main__":
    print(json.dumps(SCENARIOS[sys.argv[1]]()))
