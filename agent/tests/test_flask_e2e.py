# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end, as the issue asks: a real Flask app (the example shop on
Debian's python3-flask) started under `python -m spyglass run`; a snapshot
set over HTTP captures the locals of a request handler, and a logpoint's
line shows up in the app's own log.  Runs under interpreters with Flask."""

import http.client
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from tests.support import AGENT_DIR, TOKEN

HANDLERS = os.path.join(AGENT_DIR, "examples", "shop", "handlers.py")


def line_of(text):
    with open(HANDLERS) as f:
        for number, line in enumerate(f, 1):
            if line.strip() == text:
                return number
    raise AssertionError("no line %r in handlers.py" % text)


def call(port, method, path, body=None, token=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        conn.request(method, path, body=json.dumps(body) if body is not None else None,
                     headers=headers)
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read() or b"null")
    finally:
        conn.close()


@unittest.skipUnless(importlib.util.find_spec("flask"), "Flask is not installed for this interpreter")
class FlaskEndToEndTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp()
        announce = os.path.join(cls.dir, "agent.json")
        cls.log_path = os.path.join(cls.dir, "app.log")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("SPYGLASS_") and k != "XDG_RUNTIME_DIR"}
        env.update(PYTHONPATH=AGENT_DIR, SPYGLASS_TOKEN=TOKEN)
        cls.log = open(cls.log_path, "w")
        cls.proc = subprocess.Popen(
            [sys.executable, "-m", "spyglass", "run", "--service", "shop-flask", "--port", "0",
             "--source-root", os.path.join(AGENT_DIR, "examples"), "--announce-file", announce,
             "--", sys.executable, "-m", "examples.shop.flask_app", "--port", "0"],
            cwd=AGENT_DIR, env=env, stdout=subprocess.PIPE, stderr=cls.log, text=True)
        line = cls.proc.stdout.readline()
        if not line.startswith("shop listening on"):
            cls.tearDownClass()
            raise AssertionError("the Flask shop did not start: %r" % line)
        cls.shop_port = int(line.rsplit(":", 1)[1])
        with open(announce) as f:
            cls.agent_port = int(json.load(f)["url"].rsplit(":", 1)[1])

    @classmethod
    def tearDownClass(cls):
        cls.proc.send_signal(signal.SIGINT)
        try:
            cls.proc.wait(10)
        except subprocess.TimeoutExpired:
            cls.proc.kill()
            cls.proc.wait()
        cls.proc.stdout.close()
        cls.log.close()
        shutil.rmtree(cls.dir)

    def agent(self, method, path, body=None, timeout=30):
        return call(self.agent_port, method, path, body, TOKEN, timeout)

    def app_log(self):
        with open(self.log_path) as f:
            return f.read()

    def wait_events(self, after, kind, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, body = self.agent("GET", "/v1/events?after=%d&timeout=%.1f"
                                      % (after, max(0.1, deadline - time.monotonic())))
            self.assertEqual(status, 200)
            hits = [e for e in body["events"] if e["kind"] == kind]
            if hits:
                return hits
            after = body["last_seq"]
        self.fail("no %s event within %s s" % (kind, timeout))

    def test_snapshot_captures_the_request_handlers_locals(self):
        line = line_of("discount = TIER_DISCOUNT[customer[\"tier\"]]")
        after = self.agent("GET", "/v1/events")[1]["last_seq"]
        status, bp = self.agent("POST", "/v1/breakpoints", {
            "location": {"path": "shop/handlers.py", "line": line},
            "expressions": ["len(lines)", "customer['tier']"]})
        self.assertEqual(status, 201, bp)

        order = {"customer_id": 5, "items": [{"product_id": 3, "quantity": 2},
                                             {"product_id": 11, "quantity": 1}]}
        status, placed = call(self.shop_port, "POST", "/api/orders", order)
        self.assertEqual(status, 201, placed)

        [hit] = self.wait_events(after, "breakpoint_hit")
        snap = hit["data"]
        self.assertEqual(snap["id"], bp["id"])
        top = snap["stack_frames"][0]
        self.assertIn("create_order", top["function"])
        self.assertEqual(top["location"], {"path": "shop/handlers.py", "line": line})
        local = {v["name"]: v for v in top["locals"]}
        self.assertEqual(local["subtotal"]["value"], str(round(placed["subtotal"] * 100)))
        table = snap["variable_table"]
        customer = table[local["customer"]["var_table_index"]]
        members = {m["name"]: m for m in customer["members"]}
        self.assertEqual(members["id"]["value"], "5")
        # The customer's API token is a secret by name: redacted, not captured.
        self.assertEqual(members["api_token"]["value"], "<redacted>")
        self.assertNotIn("tok_", json.dumps(snap))
        lines = table[local["lines"]["var_table_index"]]
        self.assertEqual(lines["value"], "len=2")
        exprs = {e["name"]: e for e in snap["evaluated_expressions"]}
        self.assertEqual(exprs["len(lines)"]["value"], "2")
        # Flask's machinery is further down the same thread's stack.
        functions = [f["function"] for f in snap["stack_frames"]]
        self.assertTrue(any("dispatch_request" in f for f in functions), functions)

        self.assertEqual(self.agent("DELETE", "/v1/breakpoints/" + bp["id"])[0], 204)

    def test_logpoint_line_shows_up_in_the_apps_log(self):
        line = line_of("created = time.time()")
        after = self.agent("GET", "/v1/events")[1]["last_seq"]
        status, bp = self.agent("POST", "/v1/breakpoints", {
            "action": "log", "location": {"path": "shop/handlers.py", "line": line},
            "log_message_format": "e2e order for customer {customer['id']} total={total}"})
        self.assertEqual(status, 201, bp)
        try:
            status, placed = call(self.shop_port, "POST", "/api/orders",
                                  {"customer_id": 9, "items": [{"product_id": 4}]})
            self.assertEqual(status, 201, placed)
            expected = "e2e order for customer 9 total=%d" % round(placed["total"] * 100)
            [event] = self.wait_events(after, "log")
            self.assertEqual(event["data"]["message"], expected)
            # The app configured logging (basicConfig): the line is in its log,
            # through the app's handler and format, like its own lines.
            deadline = time.monotonic() + 5
            while expected not in self.app_log() and time.monotonic() < deadline:
                time.sleep(0.05)
            log_lines = [l for l in self.app_log().splitlines() if expected in l]
            self.assertEqual(len(log_lines), 1, self.app_log()[-2000:])
            self.assertIn("spyglass.logpoint INFO", log_lines[0])
        finally:
            self.agent("DELETE", "/v1/breakpoints/" + bp["id"])


if __name__ == "__main__":
    unittest.main()


FLASK = shutil.which("flask", path=os.path.dirname(sys.executable)) or "/usr/bin/flask"


@unittest.skipUnless(importlib.util.find_spec("flask") and os.access(FLASK, os.X_OK),
                     "the flask command is not installed for this interpreter")
class FlaskRunCommandTest(unittest.TestCase):
    def test_flask_run_under_the_launcher(self):
        from tests.support import free_port
        work = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, work)
        announce = os.path.join(work, "agent.json")
        port = free_port()
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("SPYGLASS_") and k != "XDG_RUNTIME_DIR"}
        env.update(PYTHONPATH=AGENT_DIR, SPYGLASS_TOKEN=TOKEN)
        with open(os.path.join(work, "log"), "w") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "spyglass", "run", "--port", "0", "--announce-file",
                 announce, "--", FLASK, "--app", "examples.shop.flask_app", "run",
                 "--port", str(port)],
                cwd=AGENT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    try:
                        status, body = call(port, "GET", "/api/products/2", timeout=2)
                        break
                    except OSError:
                        time.sleep(0.2)
                else:
                    self.fail("flask run did not come up")
                self.assertEqual((status, body["id"]), (200, 2))
                with open(announce) as f:
                    info = json.load(f)
                self.assertEqual(info["pid"], proc.pid)
                agent_port = int(info["url"].rsplit(":", 1)[1])
                status, described = call(agent_port, "GET", "/v1/agent", token=TOKEN)
                self.assertEqual((status, described["service"]), (200, "flask"))
            finally:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
