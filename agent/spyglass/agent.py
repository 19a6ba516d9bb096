# SPDX-License-Identifier: GPL-3.0-or-later
"""The running agent: its configuration, event log, logger and HTTP server.

One Agent per process.  `start()` binds the socket (trying the next ports if
the first is taken), loads the feature modules, starts the server on a daemon
thread and returns; `stop()` undoes all of it.  After `os.fork()` the child
gets an agent of its own on another port (prefork servers: one per worker)."""

import json
import logging
import os
import socket
import sys
import threading
import time
import uuid

from . import __version__
from .events import EventLog, rfc3339

PROTOCOL_VERSION = 1


class _QuietUntilConfigured(logging.Handler):
    """Writes the agent's own messages to stderr only while the host has not
    configured logging (no root handlers), so the connect line is seen by
    default without doubling lines once the application sets up logging."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.setFormatter(logging.Formatter("spyglass: %(message)s"))

    def emit(self, record):
        if logging.getLogger().handlers:
            return
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()
        except Exception:
            pass


def _agent_logger():
    log = logging.getLogger("spyglass")
    if not any(isinstance(h, _QuietUntilConfigured) for h in log.handlers):
        log.addHandler(_QuietUntilConfigured())
    if log.level == logging.NOTSET:
        log.setLevel(logging.INFO)
    return log


class Agent:
    def __init__(self, config):
        self.config = config
        self.id = uuid.uuid4().hex
        self.events = EventLog(config.events_capacity)
        self.log = _agent_logger()
        self.started_at = time.time()
        self.pid = os.getpid()
        self.host = socket.gethostname()
        self.capabilities = []
        self.features = {}          # feature module state, by module name
        self.server = None
        self.port = None            # the port actually bound
        self.discovery_path = None
        self._lock = threading.Lock()
        self._running = False

    # -- lifecycle -------------------------------------------------------

    def start(self):
        """Bind, load features, serve.  Raises OSError/ssl.SSLError/
        ConfigError on failure; spyglass.start() turns those into a log line."""
        from .server import AgentServer

        with self._lock:
            if self._running:
                return
            self.server = AgentServer(self)
            self.port = self.server.port
            self.capabilities = self.server.load_features()
            self.server.start()
            self._running = True
        self._announce()
        self._write_discovery()
        self._write_announce_file()
        self.events.publish("agent_status", {"state": "started", "agent": self.describe()})

    def stop(self):
        with self._lock:
            if not self._running:
                return
            self._running = False
            server, self.server = self.server, None
        self.events.publish("agent_status", {"state": "stopping"})
        # Each step runs even if one before it failed: hooks out, socket
        # closed, pollers woken, discovery file gone.
        for step in (server.close_features, server.stop, self.events.close,
                     self._remove_discovery):
            try:
                step()
            except Exception:
                self.log.exception("error while stopping the agent")
        self.log.info("agent stopped")

    @property
    def running(self):
        return self._running

    @property
    def url(self):
        return self.config.base_url(self.port)

    # -- description -----------------------------------------------------

    def describe(self):
        """The body of GET /v1/agent."""
        impl = sys.implementation
        return {
            "id": self.id,
            "service": self.config.service,
            "version": self.config.version,
            "host": self.host,
            "pid": self.pid,
            "runtime": {
                "implementation": impl.name,
                "version": "%d.%d.%d" % tuple(sys.version_info[:3]),
                "full_version": sys.version.split("\n")[0],
                "executable": sys.executable,
            },
            "start_time": rfc3339(self.started_at),
            "capabilities": list(self.capabilities),
            "source_root": self.config.source_root,
            "source_serving": self.config.source_serving,
            "protocol_version": PROTOCOL_VERSION,
            "agent_version": __version__,
            "tls": self.config.tls,
        }

    def _announce(self):
        c = self.config
        if c.port and self.port != c.port:
            self.log.warning("port %d is taken; using %d instead", c.port, self.port)
        if c.token_generated:
            # One line with everything a user needs to paste into a console.
            self.log.info("agent for %s ready: connect to %s with token %s",
                          c.service, self.url, c.token)
        else:
            self.log.info("agent for %s ready: connect to %s with the configured token",
                          c.service, self.url)
        if c.source_root == os.path.abspath(os.sep):
            self.log.warning("the source root is %s (the working directory); set "
                             "SPYGLASS_SOURCE_ROOT to the service's code", c.source_root)
        if not c.loopback and not c.tls:
            self.log.warning("listening on %s without TLS: the token and captured data cross "
                             "the network in clear text", c.address)

    # -- discovery file --------------------------------------------------

    def _write_discovery(self):
        """$XDG_RUNTIME_DIR/spyglass/agent-<pid>.json (0600 in a 0700 dir) lets a
        console of the same user find local agents.  Only written where it is
        private: XDG_RUNTIME_DIR must be ours and not readable by others."""
        if not self.config.discovery:
            return
        base = os.environ.get("XDG_RUNTIME_DIR")
        if not base:
            return
        try:
            st = os.stat(base)
            if st.st_uid != os.getuid() or st.st_mode & 0o077:
                return
            directory = os.path.join(base, "spyglass")
            try:
                os.mkdir(directory, 0o700)
            except FileExistsError:
                pass
            st = os.lstat(directory)
            if st.st_uid != os.getuid() or st.st_mode & 0o077 or not os.path.isdir(directory):
                return
            self._sweep_stale(directory)
            path = os.path.join(directory, "agent-%d.json" % self.pid)
            self._write_private_json(path)
            self.discovery_path = path
        except OSError as e:
            self.log.debug("no discovery file: %s", e)

    def _connection_info(self):
        return {"url": self.url, "token": self.config.token, "pid": self.pid, "id": self.id,
                "service": self.config.service, "version": self.config.version,
                "start_time": rfc3339(self.started_at)}

    def _write_private_json(self, path):
        # Written under a temporary name and renamed, so a reader never sees
        # half a file; created 0600 and never through a symlink.
        tmp = "%s.%d.tmp" % (path, self.pid)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        try:
            with os.fdopen(fd, "w") as f:
                json.dump(self._connection_info(), f)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    def _write_announce_file(self):
        """`python -m spyglass run --announce-file PATH` (used by the console's
        "Run Python program" command): tell the launcher's caller where the
        agent listens, race-free.  Only the process the launcher exec'd
        writes it, not forked workers or child interpreters."""
        path = self.config.announce_file
        if not path:
            return
        owner = os.environ.get("SPYGLASS_ANNOUNCE_PID")
        if owner and owner != str(self.pid):
            return
        try:
            self._write_private_json(path)
        except OSError as e:
            self.log.warning("cannot write the announce file %s: %s", path, e.strerror or e)

    @staticmethod
    def _sweep_stale(directory):
        # A process killed by a signal leaves its file behind; whoever
        # starts next removes files of processes that no longer exist.
        for name in os.listdir(directory):
            if not (name.startswith("agent-") and name.endswith(".json")):
                continue
            try:
                pid = int(name[len("agent-"):-len(".json")])
                os.kill(pid, 0)
            except ValueError:
                continue
            except ProcessLookupError:
                try:
                    os.unlink(os.path.join(directory, name))
                except OSError:
                    pass
            except OSError:
                continue

    def _remove_discovery(self):
        path, self.discovery_path = self.discovery_path, None
        if path:
            try:
                os.unlink(path)
            except OSError:
                pass
