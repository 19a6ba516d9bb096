# SPDX-License-Identifier: GPL-3.0-or-later
"""/v1/breakpoints over HTTP against a real agent in a subprocess: a snapshot
reaches the console through the long-polled event stream, logpoints stream
their lines, bad specs are 400s the user can read, and 1,000 breakpoints do
not hurt the host."""

import os
import shutil
import tempfile
import textwrap
import threading
import time
import unittest

from tests.support import TOKEN, AgentProcess

SERVICE = textwrap.dedent('''\
    import time


    def handle(user_id):
        password = "hunter2-" + str(user_id)
        cart = {"user": user_id, "items": [1, 2, 3]}
        total = sum(cart["items"]) * user_id
        return total


    def spin():
        return sum(handle(i) for i in range(1, 4))
''')
# Line numbers in SERVICE.
LINE_TOTAL = 7        # total = ...   (password and cart are set)
LINE_RETURN = 8       # return total


class BreakpointsAPITest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp()
        os.makedirs(os.path.join(cls.root, "svc"))
        with open(os.path.join(cls.root, "svc", "__init__.py"), "w"):
            pass
        with open(os.path.join(cls.root, "svc", "orders.py"), "w") as f:
            f.write(SERVICE)
        cls.agent = AgentProcess(token=TOKEN, source_root=cls.root,
                                 _preload=[cls.root, "svc.orders"])
        cls.agent.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.agent.close()
        shutil.rmtree(cls.root)

    def tearDown(self):
        for bp in self.agent.request("GET", "/v1/breakpoints")[2]["breakpoints"]:
            self.agent.request("DELETE", "/v1/breakpoints/" + bp["id"])

    def post(self, spec):
        return self.agent.request("POST", "/v1/breakpoints", body=spec)

    def cursor(self):
        return self.agent.request("GET", "/v1/events")[2]["last_seq"]

    def poll(self, after, kinds, count=1, timeout=10):
        """Long-poll until `count` events of `kinds` arrived; returns them."""
        found = []
        deadline = time.monotonic() + timeout
        while len(found) < count and time.monotonic() < deadline:
            status, _, body = self.agent.request(
                "GET", "/v1/events?after=%d&timeout=%.1f" % (after, deadline - time.monotonic()))
            self.assertEqual(status, 200)
            found += [e for e in body["events"] if e["kind"] in kinds]
            after = body["last_seq"]
        return found

    def test_capabilities(self):
        caps = self.agent.request("GET", "/v1/agent")[2]["capabilities"]
        self.assertIn("breakpoints", caps)
        self.assertIn("logpoints", caps)

    def test_snapshot_round_trip(self):
        after = self.cursor()
        status, headers, bp = self.post({"action": "capture",
                                         "location": {"path": "svc/orders.py", "line": LINE_TOTAL},
                                         "expressions": ["cart['items']", "user_id * 2"]})
        self.assertEqual(status, 201, bp)
        self.assertEqual(headers["Location"], "/v1/breakpoints/" + bp["id"])
        self.assertFalse(bp["is_final_state"])
        self.assertEqual(bp["location"], {"path": "svc/orders.py", "line": LINE_TOTAL})

        # The console is waiting on the event stream when the line runs.
        got = {}
        waiter = threading.Thread(target=lambda: got.update(
            events=self.poll(after, ("breakpoint_hit",)), at=time.monotonic()))
        waiter.start()
        time.sleep(0.3)
        ran_at = time.monotonic()
        self.assertEqual(self.agent.command("call svc.orders handle 7"), {"result": 42})
        waiter.join(15)
        [event] = got["events"]
        self.assertLess(got["at"] - ran_at, 1.0)
        snap = event["data"]
        self.assertEqual(snap["id"], bp["id"])
        top = snap["stack_frames"][0]
        self.assertEqual(top["location"], {"path": "svc/orders.py", "line": LINE_TOTAL})
        args = {v["name"]: v for v in top["arguments"]}
        local = {v["name"]: v for v in top["locals"]}
        self.assertEqual(args["user_id"]["value"], "7")
        self.assertEqual(local["password"]["value"], "<redacted>")
        self.assertNotIn("hunter2", repr(snap))
        cart = snap["variable_table"][local["cart"]["var_table_index"]]
        self.assertEqual(cart["type"], "dict")
        exprs = {e["name"]: e for e in snap["evaluated_expressions"]}
        self.assertEqual(exprs["user_id * 2"]["value"], "14")

        status, _, stored = self.agent.request("GET", "/v1/breakpoints/" + bp["id"])
        self.assertEqual(status, 200)
        self.assertTrue(stored["is_final_state"])
        self.assertEqual(stored["stack_frames"], snap["stack_frames"])
        summary = self.agent.request("GET", "/v1/breakpoints?view=summary")[2]["breakpoints"]
        self.assertEqual([b["id"] for b in summary], [bp["id"]])
        self.assertNotIn("stack_frames", summary[0])
        self.assertIn("stack_frames",
                      self.agent.request("GET", "/v1/breakpoints")[2]["breakpoints"][0])

        self.assertEqual(self.agent.request("DELETE", "/v1/breakpoints/" + bp["id"])[0], 204)
        self.assertEqual(self.agent.request("GET", "/v1/breakpoints/" + bp["id"])[0], 404)
        self.assertEqual(self.agent.request("DELETE", "/v1/breakpoints/" + bp["id"])[0], 404)

    def test_logpoint_streams_lines_and_writes_the_log(self):
        after = self.cursor()
        status, _, bp = self.post({"action": "log", "log_level": "warning",
                                   "location": {"path": "orders.py", "line": LINE_RETURN},
                                   "log_message_format": "user={user_id} total={total:05d}"})
        self.assertEqual(status, 201, bp)
        self.assertEqual(self.agent.command("call svc.orders spin"), {"result": 36})
        events = self.poll(after, ("log",), count=3)
        self.assertEqual([e["data"]["message"] for e in events],
                         ["user=1 total=00006", "user=2 total=00012", "user=3 total=00018"])
        self.assertEqual(events[0]["data"]["breakpoint_id"], bp["id"])
        self.assertEqual(events[0]["data"]["level"], "warning")
        self.assertEqual(events[0]["data"]["location"],
                         {"path": "svc/orders.py", "line": LINE_RETURN})
        # The host never configured logging: the line still reaches its stderr.
        deadline = time.monotonic() + 5
        while "user=3 total=00018" not in self.agent.stderr() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertIn("user=3 total=00018", self.agent.stderr())

    def test_refusals_are_400_with_a_message(self):
        cases = [
            ([1, 2], "JSON object"),
            ({"action": "capture"}, "location"),
            ({"location": {"path": "svc/orders.py", "line": 0}}, "positive"),
            ({"location": {"path": "nowhere.py", "line": 3}}, "nowhere.py"),
            ({"action": "explode", "location": {"path": "svc/orders.py", "line": 5}}, "action"),
            ({"location": {"path": "svc/orders.py", "line": LINE_TOTAL},
              "condition": "().__class__.__mro__[1].__subclasses__()"}, "condition"),
            ({"location": {"path": "svc/orders.py", "line": LINE_TOTAL},
              "expressions": ["__import__('os').system('true')"]}, "expression"),
            ({"location": {"path": "svc/orders.py", "line": LINE_TOTAL},
              "condition": "(x := 1)"}, "condition"),
        ]
        for spec, words in cases:
            with self.subTest(spec=spec):
                status, _, body = self.post(spec)
                self.assertEqual(status, 400, body)
                self.assertEqual(body["error"]["code"], "invalid_breakpoint")
                self.assertIn(words, body["error"]["message"])
        status, _, body = self.agent.request("POST", "/v1/breakpoints", body=b"{nope")
        self.assertEqual((status, body["error"]["code"]), (400, "bad_json"))
        status, _, body = self.agent.request("GET", "/v1/breakpoints?view=everything")
        self.assertEqual((status, body["error"]["code"]), (400, "bad_parameter"))
        self.assertEqual(self.agent.request("GET", "/v1/breakpoints")[2], {"breakpoints": []})

    def test_a_thousand_breakpoints(self):
        conn = self.agent.connection(timeout=30)
        statuses = {}
        try:
            for i in range(1000):
                status, _, body = self.agent.request(
                    "POST", "/v1/breakpoints", conn=conn,
                    body={"location": {"path": "svc/orders.py", "line": LINE_TOTAL},
                          "condition": "user_id == %d" % (i + 1000)})
                statuses[status] = statuses.get(status, 0) + 1
                if status == 400:
                    self.assertIn("too many active breakpoints", body["error"]["message"])
        finally:
            conn.close()
        self.assertEqual(statuses, {201: 100, 400: 900})
        # The host keeps running its code with all of them installed.
        self.assertEqual(self.agent.command("call svc.orders spin"), {"result": 36})
        listed = self.agent.request("GET", "/v1/breakpoints?view=summary")[2]["breakpoints"]
        self.assertEqual(len(listed), 100)
        for bp in listed:
            self.assertEqual(self.agent.request("DELETE", "/v1/breakpoints/" + bp["id"])[0], 204)
        self.assertEqual(self.agent.request("GET", "/v1/breakpoints")[2], {"breakpoints": []})
        self.assertEqual(self.agent.request("GET", "/v1/agent")[0], 200)


if __name__ == "__main__":
    unittest.main()
