# SPDX-License-Identifier: GPL-3.0-or-later
"""Snapshot breakpoints and logpoints: the engine behind /v1/breakpoints.

Two hooks, chosen by interpreter (see "How breakpoints work" in README.md):

* CPython 3.12+: ``sys.monitoring`` with a tool id of our own.  LINE events
  are enabled with ``set_local_events`` on exactly the code objects that hold
  a breakpoint line (found through the live functions of the file and the
  frames running it); the callback returns ``DISABLE`` for every other line,
  so the rest of the program runs at full speed.
* CPython 3.9-3.11: no tracing at all.  The file is recompiled from its
  source with a call to the hook in front of each breakpoint statement, the
  result is checked against the loaded code (code objects compare by value,
  so a file changed on disk is detected), and the ``__code__`` of the live
  functions that contain the lines is swapped for the instrumented one.
  Removing the breakpoint swaps the original code back.  Only the functions
  holding breakpoints pay anything; a call of the hook per hit.

Either way the hook runs in the thread that hit the line (any thread, any
asyncio task), never raises, and never re-enters itself.  Slow work --
installing and removing hooks, expiry, formatting and publishing a snapshot
(the hit only copies what it needs, see capture.py) -- runs on one daemon
worker thread.
"""

import itertools
import logging
import os
import sys
import threading
import time
import types
import weakref

from . import locations
from .capture import Capturer, Limits, code_name, current_task_info, relative_path, \
    thread_info
from .logpoints import LEVELS, QUIET_PERIOD_S, LogFormat, RateLimiter, Throttle, emit
from .redact import Redactor
from .safe_eval import ExpressionError, SafeExpression, instance_dict

MAX_ACTIVE = 100           # breakpoints waiting to hit
MAX_FINAL = 100            # completed snapshots kept until deleted
MAX_EXPRESSIONS = 20
CONDITION_BUDGET = 0.01    # share of wall time a condition may use ...
CONDITION_WINDOW_S = 1.0   # ... measured over this window
_cpu_time = getattr(time, "thread_time", time.perf_counter)
HAVE_MONITORING = sys.version_info >= (3, 12) and hasattr(sys, "monitoring")


class BreakpointError(Exception):
    """A breakpoint that cannot be set; the text is for the user (HTTP 400)."""


def rfc3339(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%06dZ" % int((t % 1) * 1e6)


def parse_rfc3339(text):
    import datetime
    try:
        value = text.strip().replace("Z", "+00:00").replace("z", "+00:00")
        dt = datetime.datetime.fromisoformat(value)
    except (AttributeError, ValueError):
        raise BreakpointError("expires_at %r is not an RFC 3339 time such as "
                              "2026-01-31T12:00:00Z" % (text,)) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return dt.timestamp()


def _status(message, is_error, refers_to="unspecified"):
    return {"is_error": is_error, "refers_to": refers_to, "message": message}


class _Breakpoint:
    """One breakpoint's state.  ``final`` is claimed under ``lock``."""

    def __init__(self, bp_id):
        self.id = bp_id
        self.lock = threading.Lock()
        self.final = False
        self.status = None
        self.snapshot = None
        self.pending = None       # (Capturer, thread, task, hit time) until formatted
        self.final_time = None
        self.cost_window = 0.0
        self.cost_spent = 0.0
        self.hits = 0
        self.throttle = Throttle()
        self.field_error = None

    def to_dict(self):
        d = {"id": self.id, "action": self.action,
             "location": {"path": self.path, "line": self.line},
             "condition": self.condition.source if self.condition else "",
             "expressions": [e.source for e in self.expressions],
             "log_message_format": self.log_format.text if self.log_format else "",
             "log_level": self.log_level,
             "create_time": rfc3339(self.create_time),
             "final_time": rfc3339(self.final_time) if self.final_time else None,
             "expires_at": rfc3339(self.expires_at),
             "is_final_state": self.final,
             "status": self.status,
             "stack_frames": [], "evaluated_expressions": [], "variable_table": []}
        if self.requested_line != self.line or self.requested_path != self.path:
            d["requested_location"] = {"path": self.requested_path, "line": self.requested_line}
        if self.snapshot:
            d.update(self.snapshot)
        return d


class _MonitoringHook:
    """CPython 3.12+: LINE events on the code objects holding breakpoints."""

    def __init__(self, on_line):
        self._on_line = on_line
        self._tool = None
        self._codes = {}          # id(code) -> (code, filename, lines)
        self._lock = threading.Lock()

    @property
    def installed(self):
        return self._tool is not None

    def _acquire(self):
        mon = sys.monitoring
        for tool in (4, 3, 5, 1, 0, 2):
            try:
                mon.use_tool_id(tool, "spyglass")
            except ValueError:
                continue
            self._tool = tool
            mon.register_callback(tool, mon.events.LINE, self._callback)
            return
        raise BreakpointError("every sys.monitoring tool id is taken by other tools "
                              "(debuggers, coverage, profilers); breakpoints are unavailable")

    def _release(self):
        if self._tool is None:
            return
        mon = sys.monitoring
        for code, _, _ in self._codes.values():
            try:
                mon.set_local_events(self._tool, code, 0)
            except Exception:
                pass
        self._codes = {}
        mon.register_callback(self._tool, mon.events.LINE, None)
        mon.free_tool_id(self._tool)
        self._tool = None

    def _callback(self, code, line):
        entry = self._codes.get(id(code))
        if entry is None or entry[0] is not code or line not in entry[2]:
            return sys.monitoring.DISABLE
        self._on_line(entry[1], sys._getframe(1))
        return None

    @staticmethod
    def _collect(functions, codes, filename, lines, seen, targets):
        roots = [f.__code__ for f in functions] + list(codes)
        for root in roots:
            for code in locations.all_codes(root):
                if id(code) in seen:
                    continue
                seen.add(id(code))
                hit = locations.code_lines(code) & lines
                if hit:
                    targets[id(code)] = (code, filename, frozenset(hit))

    def update(self, filename, lines, index):
        """Instrument ``filename`` for ``lines``; returns the lines installed."""
        with self._lock:
            targets = {}
            if lines:
                seen = set()
                roots = locations.module_functions(filename)
                self._collect(roots, locations.running_codes(filename), filename, lines,
                              seen, targets)
                if _missing_function_lines(lines, targets, index):
                    # Functions the module walk cannot reach: scan the heap once.
                    self._collect(locations.live_functions(filename), (), filename, lines,
                                  seen, targets)
            if targets and self._tool is None:
                self._acquire()
            if self._tool is None:
                return set()
            mon = sys.monitoring
            codes = dict(self._codes)
            for key, (code, fname, _) in list(codes.items()):
                if fname == filename and key not in targets:
                    mon.set_local_events(self._tool, code, 0)
                    del codes[key]
            codes.update(targets)
            self._codes = codes       # readers see the old or the new dict, never a mix
            for code, _, _ in targets.values():
                mon.set_local_events(self._tool, code, mon.events.LINE)
            if targets:
                mon.restart_events()  # lines DISABLEd earlier may now hold a breakpoint
            if not codes:
                self._release()
            installed = set()
            for _, _, hit in targets.values():
                installed |= hit
            return installed

    def close(self):
        with self._lock:
            self._release()


class _SwapHook:
    """CPython 3.9-3.11: swap in recompiled code that calls the hook."""

    MARKER = "\x00spyglass breakpoint hook\x00"

    def __init__(self, on_line):
        self._on_line = on_line
        self._files = {}          # filename -> {id(new code): (new code, original code)}
        self._tracked = {}        # filename -> {id(function): weakref} of swapped functions
        self._lines_of = {}
        self._lock = threading.Lock()

    @property
    def installed(self):
        return bool(self._files)

    def _hook_for(self, filename):
        on_line = self._on_line
        getframe = sys._getframe

        def spyglass_breakpoint():
            on_line(filename, getframe(1))
        return spyglass_breakpoint

    def _lines_in(self, code):
        lines = self._lines_of.get(id(code))
        if lines is None or lines[0] is not code:
            found = set()
            for c in locations.all_codes(code):
                found |= locations.code_lines(c)
            lines = (code, found)
            self._lines_of[id(code)] = lines
        return lines[1]

    def update(self, filename, lines, index):
        with self._lock:
            swapped = self._files.get(filename, {})
            tracked = self._tracked.setdefault(filename, {})
            mapping = {}
            if lines:
                new_module = index.instrument(lines, self.MARKER)
                new_module = locations.replace_const(new_module, self.MARKER,
                                                     self._hook_for(filename))
                locations.pair_codes(index.code, new_module, mapping)
            funcs = locations.module_functions(filename)
            funcs += [f for f in (ref() for ref in tracked.values()) if f is not None]
            installed, now = self._apply(funcs, lines, mapping, swapped, tracked)
            if lines and _missing_function_lines(lines, installed, index):
                more, more_now = self._apply(locations.live_functions(filename), lines,
                                             mapping, swapped, tracked)
                installed |= more
                now.update(more_now)
            if lines:
                # Keep earlier generations: closures made from them may still exist.
                swapped.update(now)
                self._files[filename] = swapped
            else:
                self._files.pop(filename, None)
                self._tracked.pop(filename, None)
                self._lines_of.clear()
            return installed

    def _apply(self, funcs, lines, mapping, swapped, tracked):
        installed = set()
        now = {}
        done = set()
        for func in funcs:
            if id(func) in done:
                continue
            done.add(id(func))
            current = func.__code__
            back = swapped.get(id(current))
            original = back[1] if back is not None and back[0] is current else current
            target = mapping.get(original, original) if lines else original
            if target is None:
                target = original
            if target is not current:
                try:
                    func.__code__ = target
                except (ValueError, TypeError):
                    continue
            if target is not original:
                now[id(target)] = (target, original)
                tracked[id(func)] = weakref.ref(func)
                installed |= self._lines_in(original) & lines
        return installed, now

    def close(self):
        for filename in list(self._files):
            try:
                self.update(filename, set(), None)
            except Exception:
                pass


def _in_agent(frame):
    while frame is not None:
        g = frame.f_globals
        name = g.get("__name__") if type(g) is dict else None
        if type(name) is str and name.startswith("spyglass") and (
                len(name) == 8 or name[8] == "."):
            return True
        frame = frame.f_back
    return False


def _missing_function_lines(lines, found, index):
    """True when a line inside a function found no live code to hook."""
    if index is None or index.filename not in locations.loaded_files():
        return False      # not imported yet: nothing to find, the import hook will do it
    if isinstance(found, dict):
        covered = set()
        for _, _, hit in found.values():
            covered |= hit
    else:
        covered = found
    return any(index.scope.get(line) == "function" for line in set(lines) - covered)


# How long fork() waits for the manager's lock (held while breakpoints are
# installed or the worker runs a job) so the child gets a consistent state.
FORK_LOCK_WAIT_S = 2.0


def _register_fork_hooks(manager):
    # Weakly: fork hooks cannot be unregistered.
    ref = weakref.ref(manager)

    def call(name):
        m = ref()
        if m is not None:
            getattr(m, name)()

    os.register_at_fork(before=lambda: call("_before_fork"),
                        after_in_parent=lambda: call("_after_fork_in_parent"),
                        after_in_child=lambda: call("_after_fork_in_child"))


class BreakpointManager:
    """Sets, lists, fires and removes breakpoints for one agent."""

    # -- fork() ------------------------------------------------------------
    # A lock held by another thread at the moment of fork() stays held for
    # ever in the child, whose only thread is the one that forked: the child
    # then hangs at its first breakpoint hit or when its agent removes the
    # parent's hooks.  So fork() waits (bounded) for the manager's lock, and
    # the child starts with fresh locks of its own either way.

    def _before_fork(self):
        self._fork_held = self._lock.acquire(timeout=FORK_LOCK_WAIT_S)

    def _after_fork_in_parent(self):
        if self._fork_held:
            self._fork_held = False
            self._lock.release()

    def _after_fork_in_child(self):
        self._fork_held = False
        self._lock = threading.RLock()
        self._wake = threading.Condition(self._lock)
        self._format_lock = threading.Lock()
        self._worker = None
        for bp in list(self._bps.values()):
            bp.lock = threading.Lock()
        if hasattr(self._hook, "_lock"):
            self._hook._lock = threading.Lock()
        if hasattr(self.rate, "_lock"):
            self.rate._lock = threading.Lock()

    def __init__(self, agent):
        self.agent = agent
        config = getattr(agent, "config", None)
        self.log = getattr(agent, "log", None) or logging.getLogger("spyglass")
        root = getattr(config, "source_root", None) or os.getcwd()
        self.source_root = os.path.realpath(root)
        self.expiry_s = float(getattr(config, "breakpoint_expiry_s", 86400) or 86400)
        self.redactor = Redactor.from_config(config)
        self.rate = RateLimiter(getattr(config, "log_rate_lines", 50) or 50,
                                getattr(config, "log_rate_bytes", 20480) or 20480)
        self.logger = logging.getLogger(getattr(config, "logpoint_logger", None)
                                        or "spyglass.logpoint")
        self.limits = Limits()
        self._lock = threading.RLock()
        self._bps = {}            # id -> _Breakpoint, in creation order
        self._by_line = {}        # (filename, line) -> tuple of active breakpoints
        self._pending = {}        # filename -> module name, not imported yet
        self._ids = itertools.count(1)
        self._prefix = "%x" % (int(time.time()) & 0xffffff)
        self._guard = threading.local()
        self._indexes = {}
        self._warned = set()
        self._hook = (_MonitoringHook if HAVE_MONITORING else _SwapHook)(self._on_line)
        self._watcher = locations.ImportWatcher(self._module_loaded)
        self._jobs = []
        self._captures = []       # breakpoints hit, their snapshots still to format
        self._format_lock = threading.Lock()   # taken before _lock, never inside it
        self._busy = False
        self._wake = threading.Condition(self._lock)
        self._worker = None
        self._closed = False
        self._fork_held = False
        if hasattr(os, "register_at_fork"):
            _register_fork_hooks(self)

    # -- public API (contract) ---------------------------------------------
    def set(self, spec):
        if self._closed:
            raise BreakpointError("the agent is shutting down")
        bp = self._parse(spec)
        with self._lock:
            active = sum(1 for b in self._bps.values() if not b.final)
            if active >= MAX_ACTIVE:
                raise BreakpointError("too many active breakpoints (%d); delete some first"
                                      % MAX_ACTIVE)
            self._bps[bp.id] = bp
            self._index_line(bp)
            try:
                installed = self._hook.update(bp.filename, self._lines_for(bp.filename), bp.index)
            except BreakpointError:
                self._forget(bp)
                raise
            except Exception as e:
                self._forget(bp)
                self._warn_once("install", "installing a breakpoint failed: %r" % (e,))
                raise BreakpointError("the breakpoint could not be installed: %s: %s"
                                      % (type(e).__name__, e)) from None
            if bp.line not in installed:
                if bp.loaded:
                    self._forget(bp)
                    self._hook.update(bp.filename, self._lines_for(bp.filename), bp.index)
                    raise BreakpointError(self._not_installed_reason(bp))
                self._pending[bp.filename] = bp.module
                bp.status = _status("Waiting for module '%s' to be imported"
                                    % (bp.module or bp.path), False, "breakpoint_source_location")
                self._watcher.watch(self._pending)
                self._watcher.install()
            self._start_worker()
            self._wake.notify()
            return bp.to_dict()

    def get(self, bp_id):
        bp = self._bps.get(bp_id)
        if bp is not None and bp.pending is not None:
            self._complete(bp)     # a hit is never shown without its snapshot
        with self._lock:
            bp = self._bps.get(bp_id)
            return bp.to_dict() if bp is not None else None

    def list(self):
        for bp in list(self._bps.values()):
            if bp.pending is not None:
                self._complete(bp)
        with self._lock:
            return [bp.to_dict() for bp in self._bps.values()]

    def delete(self, bp_id):
        with self._lock:
            bp = self._bps.get(bp_id)
            if bp is None:
                return False
            del self._bps[bp_id]
            if not bp.final:
                bp.final = True
                self._unindex_line(bp)
                self._schedule_sync(bp.filename)
            return True

    def close(self):
        """Remove every hook; breakpoints stop firing at once."""
        with self._lock:
            self._closed = True
            for bp in self._bps.values():
                bp.final = True
            self._by_line = {}
            self._pending = {}
            self._watcher.watch(())
            self._watcher.uninstall()
            self._jobs = []
            self._wake.notify_all()
            worker = self._worker
            captures, self._captures = self._captures, []
        try:
            self._hook.close()
        except Exception as e:
            self._warn_once("close", "removing breakpoint hooks failed: %r" % (e,))
        for bp in captures:        # snapshots taken before the close are not lost
            self._complete(bp)
        if worker is not None and worker is not threading.current_thread():
            worker.join(2.0)

    def wait_idle(self, timeout=5.0):
        """Wait until queued hook changes and snapshots are done; True if they are."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._jobs and not self._captures and not self._busy:
                    return True
            time.sleep(0.005)
        return False

    @property
    def hooks_installed(self):
        """True while any hook (tracing, code swap, import watcher) is in place."""
        return self._hook.installed or self._watcher in sys.meta_path

    # -- parsing --------------------------------------------------------------
    def _parse(self, spec):
        if not isinstance(spec, dict):
            raise BreakpointError("a breakpoint is a JSON object")
        action = spec.get("action") or "capture"
        if action not in ("capture", "log"):
            raise BreakpointError("action must be 'capture' or 'log', not %r" % (action,))
        location = spec.get("location")
        if not isinstance(location, dict):
            raise BreakpointError("the breakpoint needs a location {path, line}")
        path = location.get("path")
        line = location.get("line")
        if type(line) is not int or line < 1:
            raise BreakpointError("location.line must be a positive integer")
        bp = _Breakpoint("%s-%d" % (self._prefix, next(self._ids)))
        bp.action = action
        bp.requested_path = path
        bp.requested_line = line
        try:
            filename, module, loaded = locations.resolve_file(path, self.source_root)
        except locations.LocationError as e:
            raise BreakpointError(str(e)) from None
        blocked = self.redactor.blocked_by(module)
        if blocked:
            if blocked == "spyglass":
                raise BreakpointError("breakpoints in the agent's own code are not allowed")
            raise BreakpointError("module '%s' is on the agent's blocklist ('%s')" % (module, blocked))
        index = self._index_for(filename)
        final_line = index.next_line(line)
        if final_line is None:
            raise BreakpointError("there is no code at or after line %d of %s" % (line, path))
        bp.filename = filename
        bp.module = module
        bp.loaded = loaded
        bp.index = index
        bp.line = final_line
        bp.path = relative_path(filename, self.source_root)
        condition = spec.get("condition") or ""
        if not isinstance(condition, str):
            raise BreakpointError("condition must be a string")
        try:
            bp.condition = SafeExpression(condition, "conditions") if condition.strip() else None
        except ExpressionError as e:
            raise BreakpointError("condition: %s" % e) from None
        expressions = spec.get("expressions") or []
        if not isinstance(expressions, list) or not all(isinstance(x, str) for x in expressions):
            raise BreakpointError("expressions must be a list of strings")
        if len(expressions) > MAX_EXPRESSIONS:
            raise BreakpointError("at most %d watch expressions per breakpoint" % MAX_EXPRESSIONS)
        bp.expressions = []
        for source in expressions:
            try:
                bp.expressions.append(SafeExpression(source, "expressions"))
            except ExpressionError as e:
                raise BreakpointError("expression %r: %s" % (source, e)) from None
        bp.log_format = None
        level = spec.get("log_level") or "info"
        if not isinstance(level, str) or level.lower() not in LEVELS:
            raise BreakpointError("log_level must be one of %s" % ", ".join(LEVELS))
        bp.log_level = level.lower()
        if action == "log":
            try:
                bp.log_format = LogFormat(spec.get("log_message_format"))
            except ExpressionError as e:
                raise BreakpointError("log_message_format: %s" % e) from None
        now = time.time()
        bp.create_time = now
        expires = now + self.expiry_s
        if spec.get("expires_in") is not None:
            seconds = spec.get("expires_in")
            if type(seconds) not in (int, float) or seconds <= 0:
                raise BreakpointError("expires_in must be a positive number of seconds")
            expires = min(expires, now + seconds)
        elif spec.get("expires_at"):
            if not isinstance(spec.get("expires_at"), str):
                raise BreakpointError("expires_at must be an RFC 3339 string")
            at = parse_rfc3339(spec["expires_at"])
            if at <= now:
                raise BreakpointError("expires_at is in the past")
            expires = min(expires, at)
        bp.expires_at = expires
        return bp

    def _index_for(self, filename):
        try:
            st = os.stat(filename)
            key = (st.st_mtime_ns, st.st_size)
        except OSError as e:
            raise BreakpointError("cannot read %s: %s" % (filename, e.strerror)) from None
        cached = self._indexes.get(filename)
        if cached is not None and cached[0] == key:
            return cached[1]
        try:
            index = locations.SourceIndex(filename, self._co_filename(filename))
        except locations.LocationError as e:
            raise BreakpointError(str(e)) from None
        except OSError as e:
            raise BreakpointError("cannot read %s: %s" % (filename, e.strerror)) from None
        if len(self._indexes) > 64:
            self._indexes.clear()
        self._indexes[filename] = (key, index)
        return index

    @staticmethod
    def _co_filename(filename):
        """The file name the loaded code of ``filename`` carries (often a symlink path)."""
        for name, module in list(sys.modules.items()):
            d = instance_dict(module) if isinstance(module, types.ModuleType) else None
            f = d.get("__file__") if d else None
            if isinstance(f, str) and f.endswith(".py") and locations._realpath(f) == filename:
                return f
        return filename

    def _not_installed_reason(self, bp):
        scope = bp.index.scope.get(bp.line)
        if scope == "module":
            return ("line %d of %s is module-level code, which ran when '%s' was imported; "
                    "set the breakpoint on a line inside a function" % (bp.line, bp.path, bp.module))
        return ("no loaded function contains line %d of %s; the file may have changed on disk "
                "since '%s' was imported" % (bp.line, bp.path, bp.module))

    # -- bookkeeping (call with the lock held) ----------------------------------
    def _index_line(self, bp):
        key = (bp.filename, bp.line)
        by_line = dict(self._by_line)
        by_line[key] = by_line.get(key, ()) + (bp,)
        self._by_line = by_line   # copy on write: the hook reads without the lock

    def _unindex_line(self, bp):
        key = (bp.filename, bp.line)
        by_line = dict(self._by_line)
        rest = tuple(b for b in by_line.get(key, ()) if b is not bp)
        if rest:
            by_line[key] = rest
        else:
            by_line.pop(key, None)
        self._by_line = by_line

    def _lines_for(self, filename):
        return {line for (f, line) in self._by_line if f == filename}

    def _forget(self, bp):
        self._bps.pop(bp.id, None)
        self._unindex_line(bp)

    def _schedule_sync(self, filename):
        self._jobs.append(filename)
        self._start_worker()
        self._wake.notify()

    def _warn_once(self, key, message):
        if key not in self._warned:
            self._warned.add(key)
            try:
                self.log.warning("%s", message)
            except Exception:
                pass

    def _publish(self, kind, data):
        try:
            self.agent.events.publish(kind, data)
        except Exception as e:
            self._warn_once("publish", "publishing a %s event failed: %r" % (kind, e))

    # -- worker: hook removal and expiry --------------------------------------------
    def _start_worker(self):
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._work, name="spyglass-breakpoints",
                                            daemon=True)
            self._worker.start()

    def _work(self):
        while True:
            with self._lock:
                if self._closed:
                    return
                if not self._jobs and not self._captures:
                    self._wake.wait(self._next_deadline())
                jobs, self._jobs = list(dict.fromkeys(self._jobs)), []
                captures, self._captures = self._captures, []
                if self._closed:
                    self._captures = captures + self._captures   # close() formats them
                    return
                self._busy = True
                self._expire()
            try:
                for bp in captures:
                    self._complete(bp)
                for filename in jobs:
                    self._sync(filename)
            finally:
                self._busy = False
            with self._lock:
                if not self._jobs and not self._captures and not any(
                        not b.final for b in self._bps.values()):
                    if not self._hook.installed:
                        self._worker = None
                        return

    def _next_deadline(self):
        deadlines = [b.expires_at for b in self._bps.values() if not b.final]
        if not deadlines:
            return 60.0
        return max(0.05, min(60.0, min(deadlines) - time.time()))

    def _expire(self):
        now = time.time()
        for bp in list(self._bps.values()):
            if not bp.final and bp.expires_at <= now:
                self._finish(bp, _status("The breakpoint expired at %s without being hit"
                                         % rfc3339(bp.expires_at) if bp.action == "capture"
                                         else "The logpoint expired at %s" % rfc3339(bp.expires_at),
                                         bp.action == "capture", "breakpoint_age"))

    def _sync(self, filename):
        with self._lock:
            lines = self._lines_for(filename)
            index = self._indexes.get(filename, (None, None))[1]
            if lines and index is None:
                return
            try:
                self._hook.update(filename, lines, index)
            except Exception as e:
                self._warn_once("sync", "updating breakpoint hooks failed: %r" % (e,))
            if not lines:
                self._pending.pop(filename, None)
                self._watcher.watch(self._pending)
                if not self._pending:
                    self._watcher.uninstall()

    def _module_loaded(self, filename):
        """The import watcher saw ``filename`` imported: install what waited for it."""
        with self._lock:
            if filename not in self._pending:
                return
            del self._pending[filename]
            self._watcher.watch(self._pending)
            if not self._pending:
                self._watcher.uninstall()
            lines = self._lines_for(filename)
            waiting = [b for b in self._bps.values() if b.filename == filename and not b.final]
            if not waiting:
                return
            try:
                index = self._index_for(filename)
                installed = self._hook.update(filename, lines, index)
            except Exception as e:
                installed = set()
                self._warn_once("import", "installing a breakpoint on import failed: %r" % (e,))
            for bp in waiting:
                bp.loaded = True
                if bp.line in installed:
                    bp.status = None
                    self._publish("agent_status", {"message": "breakpoint %s installed in %s"
                                                   % (bp.id, bp.module), "breakpoint_id": bp.id})
                else:
                    self._finish(bp, _status(self._not_installed_reason(bp), True,
                                             "breakpoint_source_location"))

    def _finish(self, bp, status, snapshot=None):
        """Make ``bp`` final (lock held or bp claimed); publish; schedule unhooking."""
        with self._lock:
            bp.final = True
            bp.final_time = time.time()
            bp.status = status
            if snapshot is not None:
                bp.snapshot = snapshot
            self._unindex_line(bp)
            self._schedule_sync(bp.filename)
            finals = [b for b in self._bps.values() if b.final]
            for old in finals[:max(0, len(finals) - MAX_FINAL)]:
                self._bps.pop(old.id, None)
            data = bp.to_dict()
        self._publish("breakpoint_error" if status and status.get("is_error") else
                      "breakpoint_final", data)

    # -- the hook: runs in the thread that hit the line ----------------------------
    def _on_line(self, filename, frame):
        guard = self._guard
        if getattr(guard, "busy", False):
            return
        bps = self._by_line.get((filename, frame.f_lineno))
        if not bps:
            return
        guard.busy = True
        try:
            if _in_agent(frame):
                return      # the agent's own threads (e.g. json in its server) never hit
            for bp in bps:
                if not bp.final:
                    self._hit(bp, frame)
        except Exception as e:  # never into the host
            self._warn_once("hit", "a breakpoint hit failed: %r" % (e,))
        finally:
            guard.busy = False
            del frame

    def _hit(self, bp, frame):
        if time.time() >= bp.expires_at:
            with self._lock:
                self._wake.notify()
            return
        if bp.action == "log" and bp.throttle.paused_until:
            if time.monotonic() < bp.throttle.paused_until:
                bp.throttle.dropped += 1
                return
        if bp.condition is not None and not self._condition(bp, frame):
            return
        if bp.action == "capture":
            with bp.lock:
                if bp.final:
                    return
                bp.final = True     # fires once: later hits in other threads stop here
            self._capture(bp, frame)
        else:
            self._log(bp, frame)

    def _condition(self, bp, frame):
        # CPU time of this thread: what the condition costs the service, not
        # time the thread spent preempted on a busy machine.
        start = _cpu_time()
        try:
            result = bp.condition.test(frame, self.redactor)
        except ExpressionError as e:
            with bp.lock:
                if bp.final:
                    return False
                bp.final = True
            self._finish(bp, _status("The condition failed and the breakpoint was cancelled: %s"
                                     % e, True, "breakpoint_condition"))
            return False
        spent = _cpu_time() - start
        now = time.monotonic()
        if now - bp.cost_window > CONDITION_WINDOW_S:
            bp.cost_window = now
            bp.cost_spent = 0.0
        bp.cost_spent += spent
        if bp.cost_spent > CONDITION_BUDGET * CONDITION_WINDOW_S:
            with bp.lock:
                if bp.final:
                    return False
                bp.final = True
            self._finish(bp, _status(
                "Cancelled: evaluating the condition took %.1f ms of CPU within %.0f s, over the "
                "budget of %.0f%% of wall time; the line is too hot for this condition"
                % (bp.cost_spent * 1e3, CONDITION_WINDOW_S, CONDITION_BUDGET * 100),
                True, "breakpoint_condition"))
            return False
        return result

    def _capture(self, bp, frame):
        """At the hit: copy what the snapshot needs (phase 1 of capture.py) and
        hand it to the worker, which formats and publishes it.  This is all the
        time the host thread is held for."""
        hit_time = time.time()
        capturer = Capturer(self.redactor, self.limits, self.source_root)
        try:
            capturer.freeze(frame, bp.expressions, self._blocked_frame, self.redactor)
        except Exception as e:
            self._finish(bp, _status("The snapshot could not be captured: %s: %s"
                                     % (type(e).__name__, e), True))
            return
        bp.pending = (capturer, thread_info(), current_task_info(), hit_time)
        with self._lock:
            self._captures.append(bp)
            self._start_worker()
            self._wake.notify()

    def _complete(self, bp):
        """Format a hit's snapshot, publish it, finish the breakpoint.  Runs on
        the worker, or in whichever thread asks for the breakpoint first."""
        with self._format_lock:
            pending = bp.pending
            if pending is None:
                return          # done by another thread meanwhile
            capturer, thread, task, hit_time = pending
            try:
                snapshot = capturer.format()
            except Exception as e:  # never lose the breakpoint over a broken value
                self._warn_once("format", "formatting a snapshot failed: %r" % (e,))
                with self._lock:
                    bp.pending = None
                self._finish(bp, _status("The snapshot could not be captured: %s: %s"
                                         % (type(e).__name__, e), True))
                return
            snapshot["thread"] = thread
            snapshot["task"] = task
            with self._lock:
                bp.pending = None
                if self._bps.get(bp.id) is not bp:
                    # Deleted since the hit: nobody wants the snapshot, but the
                    # hook still has to go (delete() left that to the hit).
                    self._unindex_line(bp)
                    self._schedule_sync(bp.filename)
                    return
                bp.snapshot = snapshot
                bp.final_time = hit_time
                bp.status = None
                data = bp.to_dict()
            self._publish("breakpoint_hit", data)
            self._finish(bp, None)

    def _blocked_frame(self, frame):
        name = frame.f_globals.get("__name__") if type(frame.f_globals) is dict else None
        return self.redactor.blocked_by(name)

    def _log(self, bp, frame):
        message, errors = bp.log_format.render(frame, self.redactor)
        throttle = bp.throttle
        encoded = len(message.encode("utf-8", "replace"))
        if not self.rate.allow(encoded):
            first = throttle.paused_until == 0.0
            throttle.paused_until = time.monotonic() + QUIET_PERIOD_S
            throttle.dropped += 1
            if first:
                with self._lock:
                    bp.status = _status(
                        "Paused: the agent's log rate limit (%s) was exceeded; the logpoint "
                        "resumes after %.0f s without excess" % (self.rate.describe(),
                                                                 QUIET_PERIOD_S), False)
                    data = bp.to_dict()
                self._publish("breakpoint_hit", data)
            return
        if throttle.paused_until:
            dropped = throttle.dropped
            throttle.paused_until = 0.0
            throttle.dropped = 0
            with self._lock:
                bp.status = None
            self._write(bp, frame, "warning",
                        "Logpoint resumed; %d lines were dropped by the rate limit" % dropped)
        if errors and bp.field_error is None:
            with self._lock:
                bp.field_error = errors[0]
                bp.status = _status("A field failed on a hit: %s" % errors[0], False,
                                    "breakpoint_expression")
        self._write(bp, frame, bp.log_level, message)

    def _write(self, bp, frame, level, message):
        try:
            emit(self.logger, LEVELS[level], message, bp.filename, bp.line,
                 code_name(frame.f_code))
        except Exception as e:
            self._warn_once("logging", "writing a logpoint line failed: %r" % (e,))
        self._publish("log", {"breakpoint_id": bp.id, "time": rfc3339(time.time()),
                              "level": level, "message": message,
                              "location": {"path": bp.path, "line": bp.line}})
