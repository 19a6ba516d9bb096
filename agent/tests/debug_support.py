# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers for the breakpoint engine's tests.

``EventLogDouble`` stands in for agent-core's EventLog (only ``publish`` is
used by the engine); everything else the tests touch is real: modules are
written to a temporary directory, imported, and run.
"""

import importlib
import logging
import os
import shutil
import sys
import tempfile
import textwrap
import threading
import time
import unittest

from spyglass.breakpoints import BreakpointManager


class EventLogDouble:
    def __init__(self):
        self.events = []
        self._cv = threading.Condition()

    def publish(self, kind, data):
        with self._cv:
            self.events.append((kind, data))
            self._cv.notify_all()
            return len(self.events)

    def kinds(self, bp_id=None):
        with self._cv:
            return [k for k, d in self.events
                    if bp_id is None or d.get("id", d.get("breakpoint_id")) == bp_id]

    def wait_for(self, kind, bp_id=None, timeout=5.0, count=1):
        deadline = time.monotonic() + timeout
        with self._cv:
            while True:
                found = [d for k, d in self.events if k == kind and
                         (bp_id is None or d.get("id", d.get("breakpoint_id")) == bp_id)]
                if len(found) >= count:
                    return found[count - 1]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("no %r event for %s within %.1f s; saw %r"
                                         % (kind, bp_id, timeout, self.kinds()))
                self._cv.wait(left)


class ConfigDouble:
    def __init__(self, source_root, **kw):
        self.service = "test"
        self.version = "0"
        self.source_root = source_root
        self.breakpoint_expiry_s = 86400
        self.redact_names = ["password", "passwd", "token", "secret", "api_key", "apikey",
                             "authorization", "cookie", "session"]
        self.blocklist = []
        self.log_rate_lines = 50
        self.log_rate_bytes = 20480
        for k, v in kw.items():
            setattr(self, k, v)


class AgentDouble:
    def __init__(self, source_root, **kw):
        self.config = ConfigDouble(source_root, **kw)
        self.events = EventLogDouble()
        self.log = logging.getLogger("spyglass.test")
        self.started_at = time.time()


_counter = [0]


class EngineTestCase(unittest.TestCase):
    """A temp source root on sys.path, a real manager, modules written on demand."""

    config = {}

    def setUp(self):
        self.root = os.path.realpath(tempfile.mkdtemp(prefix="spyglass-test-"))
        sys.path.insert(0, self.root)
        self.modules = []
        self.agent = AgentDouble(self.root, **self.config)
        self.manager = BreakpointManager(self.agent)

    def tearDown(self):
        self.manager.close()
        self.assertFalse(self.manager.hooks_installed, "close() left a hook installed")
        sys.path.remove(self.root)
        for name in self.modules:
            sys.modules.pop(name, None)
        shutil.rmtree(self.root, ignore_errors=True)

    def write(self, relpath, source):
        path = os.path.join(self.root, relpath)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(textwrap.dedent(source).lstrip("\n"))
        importlib.invalidate_caches()
        return path

    def module(self, source, name=None, load=True):
        """Write a uniquely named module; import it unless ``load`` is False."""
        _counter[0] += 1
        name = name or "sgmod_%d_%d" % (os.getpid(), _counter[0])
        self.write(name.replace(".", "/") + ".py", source)
        self.modules.append(name)
        if load:
            return name, importlib.import_module(name)
        return name, None

    def line_of(self, name, marker):
        """The line number of the first line of module ``name`` containing ``marker``."""
        path = os.path.join(self.root, name.replace(".", "/") + ".py")
        with open(path) as f:
            for number, text in enumerate(f, 1):
                if marker in text:
                    return number
        raise AssertionError("%r not in %s" % (marker, path))

    def set_bp(self, name, marker, **spec):
        spec.setdefault("action", "capture")
        spec["location"] = {"path": name.replace(".", "/") + ".py",
                            "line": self.line_of(name, marker)}
        return self.manager.set(spec)
