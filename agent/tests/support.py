# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the agent's tests: a real agent in a real Python subprocess,
and plain HTTP calls to it with http.client."""

import http.client
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time

AGENT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "test-token-0123456789abcdef"

# The child starts the agent with the JSON settings in argv[1], prints what
# it got as one JSON line, then obeys commands on stdin until it closes.
_CHILD = r'''
import json, sys, time
sys.path.insert(0, %(agent_dir)r)
import spyglass
settings = json.loads(sys.argv[1])
extra = settings.pop("_test_routes", False)
preload = settings.pop("_preload", None)
if preload:
    sys.path.insert(0, preload[0])
    for name in preload[1:]:
        __import__(name)
agent = spyglass.start(**settings)
if agent is None:
    print(json.dumps({"error": "not started"}), flush=True)
    sys.exit(0)
if extra:
    def boom(req):
        raise RuntimeError("secret internal detail")
    agent.server.router.add("GET", "/v1/test/boom", boom)
    def echo(req):
        return {"body": req.json(), "query": req.query, "params": req.params}
    agent.server.router.add("POST", "/v1/test/echo/{name}", echo)
    agent.server.router.add("DELETE", "/v1/test/nothing", lambda req: None)
print(json.dumps({"url": agent.url, "port": agent.port, "token": agent.config.token,
                  "pid": agent.pid, "discovery": agent.discovery_path}), flush=True)
for line in sys.stdin:
    words = line.split()
    if not words:
        continue
    if words[0] == "publish":
        seq = agent.events.publish(words[1], {"n": int(words[2]) if len(words) > 2 else 0})
        print(json.dumps({"seq": seq}), flush=True)
    elif words[0] == "call":
        # call MODULE FUNCTION [INT ...]: run service code in a new thread, as
        # a request would, and report its result.
        import importlib, threading
        func = getattr(importlib.import_module(words[1]), words[2])
        out = {}
        t = threading.Thread(target=lambda: out.update(result=func(*map(int, words[3:]))))
        t.start()
        t.join()
        print(json.dumps(out), flush=True)
    elif words[0] == "stop":
        spyglass.stop()
        print(json.dumps({"stopped": True}), flush=True)
'''


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AgentProcess:
    """`with AgentProcess(port=0, token=TOKEN) as agent:` — a real agent."""

    def __init__(self, env=None, cwd=None, **settings):
        settings.setdefault("port", 0)
        self.settings = settings
        self.env = dict(os.environ)
        for key in list(self.env):
            # No settings from the developer's shell, and no discovery files
            # in their real runtime directory (tests that want one pass it).
            if key.startswith("SPYGLASS_") or key == "XDG_RUNTIME_DIR":
                del self.env[key]
        self.env.update(env or {})
        self.cwd = cwd
        self.proc = None
        self.info = None
        self._stderr = None

    def __enter__(self):
        self._stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _CHILD % {"agent_dir": AGENT_DIR}, json.dumps(self.settings)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
            env=self.env, cwd=self.cwd, text=True)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("agent child died: %s" % self.stderr())
        self.info = json.loads(line)
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.proc is None:
            return
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.proc = None
        self._stderr_text = self.stderr()
        self._stderr.close()

    def command(self, text):
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def stderr(self):
        if self._stderr.closed:
            return self._stderr_text
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    @property
    def started(self):
        return "port" in self.info

    @property
    def port(self):
        return self.info["port"]

    def connection(self, timeout=10, context=None):
        if context is not None:
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout,
                                               context=context)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, token=TOKEN, headers=None, conn=None,
                context=None):
        """(status, headers, parsed JSON or raw bytes)."""
        own = conn is None
        conn = conn or self.connection(context=context)
        try:
            h = dict(headers or {})
            if token is not None:
                h["Authorization"] = "Bearer " + token
            if body is not None and not isinstance(body, bytes):
                body = json.dumps(body).encode()
                h.setdefault("Content-Type", "application/json")
            conn.request(method, path, body=body, headers=h)
            resp = conn.getresponse()
            data = resp.read()
            ctype = resp.getheader("Content-Type", "")
            if ctype.startswith("application/json") and data:
                data = json.loads(data)
            return resp.status, resp.headers, data
        finally:
            if own:
                conn.close()


def raw_exchange(port, payload, timeout=5):
    """Send raw bytes, return everything the agent answers until it closes
    (or the timeout runs out)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(payload)
        chunks = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def tls_context_for(cert_path):
    context = ssl.create_default_context(cafile=cert_path)
    return context
