# SPDX-License-Identifier: GPL-3.0-or-later
"""Profiles, metrics and memory over HTTP, against a real agent in a real process."""

import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

from tests import pprof_decode
from tests.support import AGENT_DIR, TOKEN

# The child: an agent, a thread burning CPU in `burner_loop`, and commands
# on stdin ("seed" allocates the seed case and keeps it, "threads" lists the
# live thread names, "stop" stops the agent).
_CHILD = r'''
import json, sys, threading, time
sys.path.insert(0, %(agent_dir)r)
import spyglass

def burner_loop():
    # Busy without allocating (small ints are cached), so a memory recording
    # does not have to trace it.
    x = 0
    while True:
        for i in range(200):
            for j in range(100):
                x = (x + j) & 0xFF
        time.sleep(0.001)

threading.Thread(target=burner_loop, name="burner", daemon=True).start()
agent = spyglass.start(**json.loads(sys.argv[1]))
print(json.dumps({"port": agent.port}), flush=True)
kept = []

def seed():
    squares = [x**2 for x in range(1_000_000)]
    return squares

for line in sys.stdin:
    cmd = line.strip()
    if cmd == "seed":
        kept.append(seed())
        print(json.dumps({"seed_line": seed.__code__.co_firstlineno + 1}), flush=True)
    elif cmd == "threads":
        print(json.dumps(sorted(t.name for t in threading.enumerate())), flush=True)
    elif cmd == "stop":
        spyglass.stop()
        time.sleep(1.2)
        print(json.dumps(sorted(t.name for t in threading.enumerate())), flush=True)
'''


class Child:
    def __init__(self, **settings):
        settings.setdefault("port", 0)
        settings.setdefault("token", TOKEN)
        settings.setdefault("service", "shop")
        settings.setdefault("version", "2.0")
        settings.setdefault("discovery", False)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SPYGLASS_")}
        self._err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _CHILD % {"agent_dir": AGENT_DIR}, json.dumps(settings)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._err, text=True, env=env)
        line = self.proc.stdout.readline()
        if not line:
            self._err.seek(0)
            raise RuntimeError(self._err.read().decode())
        self.port = json.loads(line)["port"]

    def command(self, text):
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self):
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
        self._err.close()

    def request(self, method, path, body=None, accept=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            headers = {"Authorization": "Bearer " + TOKEN}
            if accept:
                headers["Accept"] = accept
            if body is not None:
                body = json.dumps(body).encode() if not isinstance(body, bytes) else body
                headers["Content-Type"] = "application/json"
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            if resp.getheader("Content-Type", "").startswith("application/json") and data:
                data = json.loads(data)
            return resp.status, resp.headers, data
        finally:
            conn.close()

    def wait_event(self, kind, after=0, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            st, _, body = self.request("GET", f"/v1/events?after={after}&timeout=5")
            assert st == 200, body
            for e in body["events"]:
                if e["kind"] == kind:
                    return e
            after = body["last_seq"]
        raise AssertionError(f"no {kind} event")


class ProfilingHTTPTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.child = Child(profiling_continuous=False)

    @classmethod
    def tearDownClass(cls):
        cls.child.close()

    def test_capabilities(self):
        st, _, body = self.child.request("GET", "/v1/agent")
        self.assertEqual(st, 200)
        for cap in ("profiles", "continuous_profiles", "metrics", "memory"):
            self.assertIn(cap, body["capabilities"])

    def test_cpu_profile_round_trip(self):
        c = self.child
        st, _, meta = c.request("POST", "/v1/profiles", {"type": "cpu", "seconds": 1, "hz": 100})
        self.assertEqual(st, 202, meta)
        self.assertEqual((meta["type"], meta["state"], meta["service"], meta["version"]),
                         ("cpu", "recording", "shop", "2.0"))
        st, _, err = c.request("GET", "/v1/profiles/" + meta["id"])
        self.assertEqual(st, 409)
        self.assertEqual(err["error"]["code"], "not_ready")
        ev = c.wait_event("profile_ready")
        while ev["data"]["id"] != meta["id"]:
            ev = c.wait_event("profile_ready", after=ev["seq"])
        self.assertEqual(ev["data"]["state"], "ready")
        st, headers, data = c.request("GET", "/v1/profiles/" + meta["id"])
        self.assertEqual(st, 200)
        self.assertEqual(headers["Content-Type"], "application/vnd.google.protobuf+gzip")
        self.assertEqual(data[:2], b"\x1f\x8b")
        p = pprof_decode.decode(data)
        self.assertEqual(len(p["samples"]), ev["data"]["samples"])
        burner = [s for s in p["samples"] if s["labels"]["thread"] == "burner"]
        self.assertTrue(burner)
        self.assertEqual(pprof_decode.stack(p, burner[0])[0][0], "burner_loop")
        st, headers, raw = c.request("GET", "/v1/profiles/" + meta["id"],
                                     accept="application/octet-stream")
        self.assertEqual((st, headers["Content-Type"], raw), (200, "application/octet-stream",
                                                              data))
        st, _, listing = c.request("GET", "/v1/profiles")
        self.assertIn(meta["id"], [m["id"] for m in listing["profiles"]])
        if pprof_decode.go_pprof():
            go, count = pprof_decode.go_raw_totals(pprof_decode.go_raw(data))
            self.assertEqual(go, pprof_decode.totals(p))

    def test_errors(self):
        c = self.child
        for body in ({"type": "nope"}, {"seconds": -1}, {"hz": 5000}, [1, 2]):
            st, _, err = c.request("POST", "/v1/profiles", body)
            self.assertEqual(st, 400, body)
            self.assertIn("message", err["error"])
        st, _, err = c.request("POST", "/v1/profiles", b"{not json")
        self.assertEqual((st, err["error"]["code"]), (400, "bad_json"))
        st, _, err = c.request("GET", "/v1/profiles/cpu-0-0")
        self.assertEqual((st, err["error"]["code"]), (404, "not_found"))
        st, _, err = c.request("GET", "/v1/metrics?since=yesterday")
        self.assertEqual(st, 400)
        st, _, err = c.request("DELETE", "/v1/memory")
        self.assertEqual((st, err["error"]["code"]), (409, "not_recording"))

    def test_metrics(self):
        time.sleep(2.2)
        st, _, body = self.child.request("GET", "/v1/metrics")
        self.assertEqual(st, 200)
        pts = body["points"]
        self.assertGreaterEqual(len(pts), 1)
        last = pts[-1]
        self.assertGreater(last["rss_bytes"], 1 << 20)
        self.assertIn("burner", [t["name"] for t in last["threads"]])
        st, _, later = self.child.request("GET", f"/v1/metrics?since={last['t']}")
        self.assertTrue(all(p["t"] > last["t"] for p in later["points"]))
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(pts[0]["t"] - 1))
        st, _, by_date = self.child.request("GET", "/v1/metrics?since=" + stamp)
        self.assertEqual(st, 200)
        self.assertGreaterEqual(len(by_date["points"]), 1)

    def test_memory_seed_case(self):
        c = self.child
        st, _, status = c.request("GET", "/v1/memory")
        self.assertEqual((st, status["state"]), (200, "idle"))
        self.assertIn("slowdown", status["expected_cost"])
        st, _, started = c.request("POST", "/v1/memory", {"frames": 8})
        self.assertEqual(st, 202, started)
        self.assertIn("expected_cost", started)
        st, _, again = c.request("POST", "/v1/memory", {})
        self.assertEqual((st, again["error"]["code"]), (409, "already_recording"))
        seed_line = c.command("seed")["seed_line"]
        st, _, summary = c.request("DELETE", "/v1/memory")
        self.assertEqual((st, summary["state"]), (200, "ready"), summary)
        ev = c.wait_event("memory_ready")
        self.assertEqual(ev["data"]["id"], summary["id"])
        st, _, full = c.request("GET", "/v1/memory/" + summary["id"])
        self.assertEqual(st, 200)
        top = full["lines"][0]
        self.assertEqual((top["file"], top["line"]), ("<string>", seed_line))
        self.assertGreater(top["increment_bytes"], 20 << 20)
        st, headers, data = c.request("GET", "/v1/profiles/" + summary["profile_id"])
        self.assertEqual(st, 200)
        p = pprof_decode.decode(data)
        self.assertEqual(p["sample_types"][3], ("inuse_space", "bytes"))
        self.assertGreater(pprof_decode.totals(p)["inuse_space"], 20 << 20)


class ContinuousHTTPTest(unittest.TestCase):
    def test_on_by_default_switchable_and_stopped_on_shutdown(self):
        c = Child()
        try:
            deadline = time.monotonic() + 10
            listing = {}
            while time.monotonic() < deadline:
                st, _, listing = c.request("GET", "/v1/profiles")
                if listing["profiles"]:
                    break
                time.sleep(0.1)
            first = listing["profiles"][0]
            self.assertEqual((first["origin"], first["type"], first["seconds"]),
                             ("continuous", "cpu", 10))
            self.assertTrue(listing["continuous"]["enabled"])
            self.assertEqual(listing["continuous"]["interval"], 60)
            st, _, cont = c.request("PUT", "/v1/profiling/continuous", {"enabled": False})
            self.assertEqual((st, cont["enabled"]), (200, False))
            st, _, cont = c.request("PUT", "/v1/profiling/continuous", {"enabled": "no"})
            self.assertEqual(st, 400)
            names = c.command("threads")
            self.assertIn("spyglass-sampler", names)
            self.assertIn("spyglass-metrics", names)
            after = c.command("stop")
            self.assertFalse([n for n in after if n.startswith("spyglass")], after)
        finally:
            c.close()


if __name__ == "__main__":
    unittest.main()
