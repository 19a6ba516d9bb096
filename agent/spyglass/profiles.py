# SPDX-License-Identifier: GPL-3.0-or-later
"""Profile recordings: on demand and continuous, kept in bounded rings.

Every recording subscribes to the one shared `Sampler`, so overlapping
recordings (a continuous one and two on-demand ones, say) cost one sampling
thread running at the highest rate asked for.  A finished recording is
encoded to gzipped pprof once, off the sampling thread, and only those bytes
and a little metadata are kept.
"""

import itertools
import os
import socket
import threading
import time
from collections import deque

from . import pprof
from .sampler import DEFAULT_MAX_SAMPLES, Recording, Sampler, clamp_hz

MAX_SECONDS = 3600
MAX_ACTIVE_ON_DEMAND = 4
KEEP_ON_DEMAND = 32
KEEP_CONTINUOUS = 60


class ProfileError(Exception):
    """A request that cannot be served; `status` and `code` map onto the HTTP error."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def rfc3339(t):
    whole = int(t)
    millis = min(999, int(round((t - whole) * 1000)))
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + ".%03dZ" % millis


def _number(body, name, default, low, high):
    v = body.get(name, default)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ProfileError(400, "bad_request", f"'{name}' must be a number")
    if not low <= v <= high:
        raise ProfileError(400, "bad_request", f"'{name}' must be between {low} and {high}")
    return v


class ProfileEntry:
    """One profile: metadata, and its gzipped pprof once ready."""

    def __init__(self, pid, kind, origin, seconds, hz, agent_info):
        self.id = pid
        self.kind = kind
        self.origin = origin
        self.seconds = seconds
        self.hz = hz
        self.info = agent_info
        self.state = "recording"
        self.requested_at = time.time()
        self.start = None
        self.duration = None
        self.samples = 0
        self.effective_hz = None
        self.capped = False
        self.error = None
        self.data = None
        self.extra = {}

    def meta(self):
        d = {
            "id": self.id,
            "type": self.kind,
            "origin": self.origin,
            "state": self.state,
            "service": self.info["service"],
            "version": self.info["version"],
            "host": self.info["host"],
            "pid": self.info["pid"],
            "hz": self.hz,
            "seconds": self.seconds,
            "requested": rfc3339(self.requested_at),
            "start": rfc3339(self.start) if self.start else None,
            "duration": self.duration,
            "samples": self.samples,
            "effective_hz": self.effective_hz,
            "capped": self.capped,
            "size": len(self.data) if self.data is not None else None,
            "content_type": pprof.CONTENT_TYPE,
        }
        if self.error:
            d["error"] = self.error
        d.update(self.extra)
        return d


class ProfileManager:
    def __init__(self, agent, sampler=None):
        self.agent = agent
        cfg = agent.config
        self.sampler = sampler or Sampler(signal_ticks=getattr(cfg, "profiling_signal", True))
        self.default_hz = clamp_hz(getattr(cfg, "profiling_hz", 100) or 100)
        self.max_samples = getattr(cfg, "profiling_max_samples", DEFAULT_MAX_SAMPLES)
        self.continuous_seconds = getattr(cfg, "profiling_continuous_seconds", 10)
        self.continuous_interval = getattr(cfg, "profiling_continuous_interval", 60)
        self.continuous_type = getattr(cfg, "profiling_continuous_type", "cpu")
        self._info = {
            "service": getattr(cfg, "service", ""),
            "version": getattr(cfg, "version", ""),
            "host": getattr(agent, "host", None) or socket.gethostname(),
            "pid": getattr(agent, "pid", None) or os.getpid(),
        }
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._prefix = "%x" % (int(time.time()) & 0xFFFFFF)
        self._by_id = {}
        self._on_demand = deque()
        self._continuous = deque()
        self.keep_on_demand = getattr(cfg, "profiling_keep_on_demand", KEEP_ON_DEMAND)
        self.keep_continuous = getattr(cfg, "profiling_keep_continuous", KEEP_CONTINUOUS)
        self._active = {}            # id -> (Recording, stop Event)
        self._closed = threading.Event()
        self._continuous_wake = threading.Event()
        self._continuous_enabled = bool(getattr(cfg, "profiling_continuous", True))
        self._continuous_thread = None
        if self._continuous_enabled:
            self._start_continuous_thread()

    # -- public API ------------------------------------------------------

    def start(self, body):
        """Starts an on-demand recording from a request body; returns its metadata."""
        if not isinstance(body, dict):
            raise ProfileError(400, "bad_request", "the body must be a JSON object")
        kind = body.get("type", "cpu")
        if kind not in ("cpu", "wall"):
            raise ProfileError(400, "bad_request", "'type' must be 'cpu' or 'wall'")
        seconds = _number(body, "seconds", 10, 0.01, MAX_SECONDS)
        hz = int(_number(body, "hz", self.default_hz, 1, 1000))
        with self._lock:
            busy = sum(1 for e in self._by_id.values()
                       if e.origin == "on_demand" and e.state == "recording")
            if busy >= MAX_ACTIVE_ON_DEMAND:
                raise ProfileError(409, "too_many_recordings",
                                   f"{busy} on-demand recordings are running already; "
                                   "wait for one to finish")
        return self._record(kind, seconds, hz, "on_demand").meta()

    def list(self):
        with self._lock:
            entries = list(self._by_id.values())
        entries.sort(key=lambda e: e.requested_at)
        return [e.meta() for e in entries]

    def get(self, pid):
        with self._lock:
            return self._by_id.get(pid)

    def add_entry(self, entry):
        """Files a profile made elsewhere (the heap profile of a memory recording)."""
        with self._lock:
            self._file(entry)

    def new_id(self, kind):
        return f"{kind}-{self._prefix}-{next(self._ids)}"

    def entry(self, kind, origin, seconds, hz):
        return ProfileEntry(self.new_id(kind), kind, origin, seconds, hz, self._info)

    @property
    def continuous_enabled(self):
        return self._continuous_enabled

    def set_continuous(self, enabled):
        enabled = bool(enabled)
        if enabled == self._continuous_enabled:
            return
        self._continuous_enabled = enabled
        self._continuous_wake.set()
        if enabled:
            self._start_continuous_thread()

    def continuous_status(self):
        return {
            "enabled": self._continuous_enabled,
            "seconds": self.continuous_seconds,
            "interval": self.continuous_interval,
            "type": self.continuous_type,
            "hz": self.default_hz,
            "keep": self.keep_continuous,
        }

    def close(self):
        self._closed.set()
        self._continuous_wake.set()
        with self._lock:
            active = list(self._active.values())
        for _, stop in active:
            stop.set()
        t = self._continuous_thread
        if t is not None:
            t.join(5)
        self.sampler.stop()

    # -- recording ---------------------------------------------------------

    def _file(self, entry):
        # Caller holds the lock.
        ring, keep = ((self._continuous, self.keep_continuous) if entry.origin == "continuous"
                      else (self._on_demand, self.keep_on_demand))
        ring.append(entry)
        self._by_id[entry.id] = entry
        while len(ring) > keep:
            # Never evict one still recording; such rings are tiny anyway.
            old = next((e for e in ring if e.state != "recording"), None)
            if old is None:
                break
            ring.remove(old)
            self._by_id.pop(old.id, None)

    def _record(self, kind, seconds, hz, origin, wait=False):
        entry = self.entry(kind, origin, seconds, hz)
        rec = Recording(kind, hz, self.max_samples)
        stop = threading.Event()
        with self._lock:
            self._file(entry)
            self._active[entry.id] = (rec, stop)
        self.sampler.subscribe(rec)
        if wait:
            self._finish(entry, rec, stop)
        else:
            threading.Thread(target=self._finish, args=(entry, rec, stop),
                             name="spyglass-profile", daemon=True).start()
        return entry

    def _finish(self, entry, rec, stop):
        try:
            stop.wait(entry.seconds)
            self.sampler.unsubscribe(rec)
            entry.start = (rec.start_time_ns or time.time_ns()) / 1e9
            entry.duration = round(rec.duration_ns / 1e9, 6)
            entry.samples = rec.sample_count
            entry.effective_hz = round(rec.effective_hz(), 2)
            entry.capped = rec.capped
            if rec.ticks < 2:
                raise RuntimeError("the recording was stopped before two ticks were taken")
            entry.extra = {
                "cpu_ns": rec.cpu_total_ns,
                "wall_ns": rec.wall_total_ns,
                # The sampler's own CPU (its thread, its ticks on the main
                # thread) is in no sample; it is said here.
                "sampler_cpu_ns": rec.sampler_cpu_ns,
                "threads": len({t[0] for t in rec.thread_list}),
            }
            comments = [f"spyglass {entry.kind} profile of {self._info['service']} "
                        f"{self._info['version']} on {self._info['host']} pid {self._info['pid']}"]
            comments.append(f"sampler's own CPU, not in the samples: "
                            f"{rec.sampler_cpu_ns} ns")
            if rec.capped:
                comments.append(f"capped: samples past {rec.max_samples} were aggregated "
                                "without timestamps")
            entry.data = pprof.encode_recording(rec, comments)
            entry.state = "ready"
        except Exception as exc:     # noqa: BLE001 - report, never raise into the host
            entry.state = "failed"
            entry.error = str(exc)
            self._log("profile %s failed: %s", entry.id, exc)
        finally:
            with self._lock:
                self._active.pop(entry.id, None)
        self._publish(entry)

    def _publish(self, entry):
        events = getattr(self.agent, "events", None)
        if events is None:
            return
        data = {"id": entry.id, "type": entry.kind, "origin": entry.origin,
                "state": entry.state,
                "start": rfc3339(entry.start) if entry.start else None,
                "duration": entry.duration, "samples": entry.samples}
        if entry.error:
            data["error"] = entry.error
        try:
            events.publish("profile_ready", data)
        except Exception:            # noqa: BLE001
            pass

    def _log(self, fmt, *args):
        log = getattr(self.agent, "log", None)
        if log is not None:
            try:
                log.warning(fmt, *args)
            except Exception:        # noqa: BLE001
                pass

    # -- continuous mode ---------------------------------------------------

    def _start_continuous_thread(self):
        t = self._continuous_thread
        if t is not None and t.is_alive():
            return
        self._continuous_thread = threading.Thread(target=self._continuous_loop,
                                                   name="spyglass-continuous", daemon=True)
        self._continuous_thread.start()

    def _continuous_loop(self):
        next_start = time.monotonic()
        while not self._closed.is_set():
            if not self._continuous_enabled:
                self._continuous_wake.wait()
                self._continuous_wake.clear()
                next_start = time.monotonic()
                continue
            delay = next_start - time.monotonic()
            if delay > 0:
                if self._continuous_wake.wait(delay):
                    self._continuous_wake.clear()
                    continue
            if self._closed.is_set() or not self._continuous_enabled:
                continue
            next_start += self.continuous_interval
            if next_start < time.monotonic():
                next_start = time.monotonic() + self.continuous_interval
            try:
                entry = self.entry(self.continuous_type, "continuous",
                                   self.continuous_seconds, self.default_hz)
                rec = Recording(self.continuous_type, self.default_hz, self.max_samples)
                stop = threading.Event()
                with self._lock:
                    self._file(entry)
                    self._active[entry.id] = (rec, stop)
                self.sampler.subscribe(rec)
                self._finish(entry, rec, stop)
            except Exception as exc:   # noqa: BLE001
                self._log("continuous profiling failed: %s", exc)
