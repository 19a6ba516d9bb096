# SPDX-License-Identifier: GPL-3.0-or-later
import asyncio
import sys
import threading
import time
import unittest

from spyglass import breakpoints
from spyglass.breakpoints import BreakpointError

from .debug_support import EngineTestCase

SOURCE = """
def handler(request, limit=3):
    total = 0
    for i in range(limit):
        total += i  # LOOP
    answer = {"request": request, "total": total}
    return answer  # RETURN

def hot(n):
    s = 0
    for i in range(n):
        s += i  # HOT
    return s

def cold(x):
    y = x * 2  # COLD
    return y

async def fetch(item):
    await asyncio.sleep(0)
    found = item * 10  # ASYNC
    return found

import asyncio
"""


def frame_locals(snapshot, index=0):
    frame = snapshot["stack_frames"][index]
    return {v["name"]: v for v in frame["arguments"] + frame["locals"]}


class CaptureBreakpointTest(EngineTestCase):
    def test_snapshot_captures_locals_and_fires_once(self):
        name, mod = self.module(SOURCE)
        bp = self.set_bp(name, "RETURN", expressions=["total * 2", "request"])
        self.assertFalse(bp["is_final_state"])
        self.assertEqual(bp["location"]["line"], self.line_of(name, "RETURN"))
        mod.handler("first", 4)
        mod.handler("second", 5)
        hit = self.agent.events.wait_for("breakpoint_hit", bp["id"])
        final = self.agent.events.wait_for("breakpoint_final", bp["id"])
        self.assertEqual(self.agent.events.kinds(bp["id"]), ["breakpoint_hit", "breakpoint_final"])
        self.assertTrue(final["is_final_state"])
        local = frame_locals(hit)
        self.assertEqual(local["request"]["value"], "'first'")
        self.assertEqual(local["total"]["value"], "6")
        self.assertEqual(hit["stack_frames"][0]["function"].split(".")[-1], "handler")
        self.assertEqual(hit["stack_frames"][0]["location"],
                         {"path": name + ".py", "line": self.line_of(name, "RETURN")})
        self.assertEqual(hit["evaluated_expressions"][0]["value"], "12")
        self.assertEqual(hit["thread"]["name"], threading.current_thread().name)
        # The caller (this test) is frame 1.
        self.assertIn("test_snapshot_captures_locals", hit["stack_frames"][1]["function"])
        stored = self.manager.get(bp["id"])
        self.assertTrue(stored["is_final_state"])
        self.assertTrue(stored["stack_frames"])

    def test_fires_in_a_thread_started_later(self):
        name, mod = self.module(SOURCE)
        bp = self.set_bp(name, "COLD")
        t = threading.Thread(target=mod.cold, args=(21,), name="worker-later")
        t.start()
        t.join()
        hit = self.agent.events.wait_for("breakpoint_hit", bp["id"])
        self.assertEqual(hit["thread"]["name"], "worker-later")
        self.assertEqual(frame_locals(hit)["x"]["value"], "21")

    def test_fires_in_an_asyncio_task_and_names_it(self):
        name, mod = self.module(SOURCE)
        bp = self.set_bp(name, "ASYNC")

        async def main():
            task = asyncio.ensure_future(mod.fetch(7))
            task.set_name("fetch-seven")
            return await task
        self.assertEqual(asyncio.run(main()), 70)
        hit = self.agent.events.wait_for("breakpoint_hit", bp["id"])
        self.assertEqual(hit["task"]["name"], "fetch-seven")
        self.assertEqual(frame_locals(hit)["item"]["value"], "7")

    def test_condition_true_false_and_failing(self):
        name, mod = self.module(SOURCE)
        bp = self.set_bp(name, "COLD", condition="x > 10 and x % 2 == 1")
        mod.cold(4)
        mod.cold(12)
        self.assertEqual(self.agent.events.kinds(bp["id"]), [])
        mod.cold(13)
        hit = self.agent.events.wait_for("breakpoint_hit", bp["id"])
        self.assertEqual(frame_locals(hit)["x"]["value"], "13")

        bad = self.set_bp(name, "HOT", condition="missing_name > 1")
        self.assertEqual(mod.hot(3), 3)   # the host never sees the failure
        err = self.agent.events.wait_for("breakpoint_error", bad["id"])
        self.assertTrue(err["is_final_state"])
        self.assertTrue(err["status"]["is_error"])
        self.assertEqual(err["status"]["refers_to"], "breakpoint_condition")
        self.assertIn("name 'missing_name' is not defined", err["status"]["message"])

    def test_rejected_condition_is_an_error_on_set(self):
        name, mod = self.module(SOURCE)
        with self.assertRaises(BreakpointError) as cm:
            self.set_bp(name, "COLD", condition="open('/etc/passwd')")
        self.assertIn("Calling 'open' is not allowed in conditions", str(cm.exception))
        with self.assertRaises(BreakpointError) as cm:
            self.set_bp(name, "COLD", expressions=["x.__class__"])
        self.assertIn("'__class__'", str(cm.exception))

    def test_expensive_condition_on_a_hot_line_is_cancelled(self):
        name, mod = self.module(SOURCE)
        mod.big = list(range(5000))
        bp = self.set_bp(name, "HOT", condition="sorted(big) == sorted(big, reverse=True)")
        for _ in range(40):
            mod.hot(50)
        err = self.agent.events.wait_for("breakpoint_error", bp["id"])
        self.assertIn("budget", err["status"]["message"])
        self.assertEqual(err["status"]["refers_to"], "breakpoint_condition")

    def test_expiry(self):
        name, mod = self.module(SOURCE)
        bp = self.set_bp(name, "COLD", expires_in=0.3)
        err = self.agent.events.wait_for("breakpoint_error", bp["id"], timeout=5)
        self.assertEqual(err["status"]["refers_to"], "breakpoint_age")
        self.assertIn("expired", err["status"]["message"])
        mod.cold(1)
        self.assertEqual(self.agent.events.kinds(bp["id"]), ["breakpoint_error"])
        self.assertFalse(_wait(lambda: not self.manager.hooks_installed) is False)

    def test_default_expiry_is_24_hours_and_cannot_be_extended(self):
        name, mod = self.module(SOURCE)
        bp = self.set_bp(name, "COLD", expires_in=10 ** 9)
        created = breakpoints.parse_rfc3339(bp["create_time"])
        expires = breakpoints.parse_rfc3339(bp["expires_at"])
        self.assertAlmostEqual(expires - created, 86400, delta=1)

    def test_delete_list_get_and_hooks_removed(self):
        name, mod = self.module(SOURCE)
        original = mod.cold.__code__
        bp = self.set_bp(name, "COLD")
        other = self.set_bp(name, "HOT")
        self.assertTrue(self.manager.hooks_installed)
        self.assertEqual({b["id"] for b in self.manager.list()}, {bp["id"], other["id"]})
        self.assertTrue(self.manager.delete(bp["id"]))
        self.assertFalse(self.manager.delete(bp["id"]))
        self.assertIsNone(self.manager.get(bp["id"]))
        mod.cold(3)
        self.assertEqual(self.agent.events.kinds(bp["id"]), [])
        self.manager.delete(other["id"])
        self.assertTrue(_wait(lambda: not self.manager.hooks_installed))
        self.assertIs(mod.cold.__code__, original)
        self.assertEqual(mod.cold(2), 4)

    def test_only_functions_holding_breakpoints_change(self):
        name, mod = self.module(SOURCE)
        before = {f: getattr(mod, f).__code__ for f in ("handler", "hot", "cold", "fetch")}
        bp = self.set_bp(name, "COLD")
        for f, code in before.items():
            if f != "cold" or breakpoints.HAVE_MONITORING:
                self.assertIs(getattr(mod, f).__code__, code, f)
        if breakpoints.HAVE_MONITORING:
            tool = [i for i in range(6) if sys.monitoring.get_tool(i) == "spyglass"][0]
            self.assertEqual(sys.monitoring.get_local_events(tool, mod.hot.__code__), 0)
            self.assertEqual(sys.monitoring.get_local_events(tool, mod.cold.__code__),
                             sys.monitoring.events.LINE)
        else:
            self.assertIsNot(mod.cold.__code__, before["cold"])
        self.manager.delete(bp["id"])

    def test_hooks_removed_after_the_snapshot(self):
        name, mod = self.module(SOURCE)
        original = mod.hot.__code__
        bp = self.set_bp(name, "HOT")
        mod.hot(10)
        self.agent.events.wait_for("breakpoint_final", bp["id"])
        self.assertTrue(_wait(lambda: not self.manager.hooks_installed))
        self.assertIs(mod.hot.__code__, original)
        self.assertEqual(mod.hot(10), 45)

    def test_many_threads_one_snapshot(self):
        name, mod = self.module(SOURCE)
        bp = self.set_bp(name, "HOT")
        threads = [threading.Thread(target=mod.hot, args=(200,)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.agent.events.wait_for("breakpoint_final", bp["id"])
        self.assertEqual(self.agent.events.kinds(bp["id"]).count("breakpoint_hit"), 1)

    def test_nested_function_and_method(self):
        name, mod = self.module("""
            class Shop:
                def __init__(self):
                    self.items = ["a", "b"]
                def price(self, item):
                    def tax(amount):
                        return amount * 1.2  # TAX
                    return tax(len(item) * 10)
            """)
        bp = self.set_bp(name, "TAX")
        self.assertAlmostEqual(mod.Shop().price("abc"), 36.0)
        hit = self.agent.events.wait_for("breakpoint_hit", bp["id"])
        self.assertEqual(frame_locals(hit)["amount"]["value"], "30")
        self.assertIn("price", hit["stack_frames"][1]["function"])

    def test_decorated_and_unreachable_functions(self):
        name, mod = self.module("""
            import functools
            REGISTRY = []

            def plain_decorator(fn):
                def wrapper(*args):
                    return fn(*args)
                return wrapper

            def register(fn):
                REGISTRY.append(fn)
                return None          # the module attribute is gone

            @plain_decorator
            def wrapped(x):
                return x + 1  # WRAPPED

            @functools.lru_cache(maxsize=None)
            def cached(x):
                return x * 3  # CACHED

            @register
            def hidden(x):
                return x - 1  # HIDDEN
            """)
        hidden = mod.REGISTRY.pop()   # now only this test holds it
        bps = [self.set_bp(name, marker) for marker in ("WRAPPED", "CACHED", "HIDDEN")]
        self.assertEqual((mod.wrapped(1), mod.cached(2), hidden(3)), (2, 6, 2))
        for bp in bps:
            self.agent.events.wait_for("breakpoint_hit", bp["id"])

    def test_the_agents_own_threads_never_hit(self):
        name, mod = self.module(SOURCE)
        bp = self.set_bp(name, "COLD")
        # Code reached from a spyglass module stands for the agent's server threads.
        agent_globals = {"__name__": "spyglass.server_double", "cold": mod.cold}
        exec(compile("result = cold(5)", "<agent>", "exec"), agent_globals)
        self.assertEqual(agent_globals["result"], 10)
        self.assertEqual(self.agent.events.kinds(bp["id"]), [])
        mod.cold(6)
        hit = self.agent.events.wait_for("breakpoint_hit", bp["id"])
        self.assertEqual(frame_locals(hit)["x"]["value"], "6")

    def test_no_hooks_without_breakpoints(self):
        def assert_clean():
            self.assertFalse(self.manager.hooks_installed)
            self.assertIsNone(sys.gettrace())
            self.assertNotIn(self.manager._watcher, sys.meta_path)
            if breakpoints.HAVE_MONITORING:
                self.assertNotIn("spyglass", [sys.monitoring.get_tool(i) for i in range(6)])
        assert_clean()
        name, mod = self.module(SOURCE)
        original = mod.hot.__code__
        bp = self.set_bp(name, "HOT")
        self.assertIsNone(sys.gettrace())   # never a trace function, on any version
        if breakpoints.HAVE_MONITORING:
            self.assertIn("spyglass", [sys.monitoring.get_tool(i) for i in range(6)])
        else:
            self.assertIsNot(mod.hot.__code__, original)
        self.manager.delete(bp["id"])
        self.assertTrue(self.manager.wait_idle())
        assert_clean()
        self.assertIs(mod.hot.__code__, original)

    def test_invalid_specs(self):
        name, mod = self.module(SOURCE)
        cases = [
            ("not a dict", "JSON object"),
            ({"action": "capture"}, "location"),
            ({"action": "explode", "location": {"path": name + ".py", "line": 2}}, "action"),
            ({"location": {"path": name + ".py", "line": 0}}, "positive"),
            ({"location": {"path": name + ".py", "line": "2"}}, "positive"),
            ({"location": {"path": name + ".py", "line": 10 ** 6}}, "no code at or after"),
            ({"action": "log", "location": {"path": name + ".py", "line": 2}}, "message format"),
            ({"location": {"path": name + ".py", "line": 2}, "expressions": "x"}, "list"),
            ({"location": {"path": name + ".py", "line": 2}, "expires_at": "yesterday"}, "RFC 3339"),
            ({"location": {"path": name + ".py", "line": 2}, "log_level": "loud"}, "log_level"),
        ]
        for spec, words in cases:
            with self.assertRaises(BreakpointError, msg=repr(spec)) as cm:
                self.manager.set(spec)
            self.assertIn(words, str(cm.exception))
        self.assertEqual(self.manager.list(), [])

    def test_module_level_line_of_a_loaded_module_is_refused(self):
        name, mod = self.module("X = 1\n\ndef f():\n    return X\n")
        with self.assertRaises(BreakpointError) as cm:
            self.manager.set({"location": {"path": name + ".py", "line": 1}})
        self.assertIn("module-level code", str(cm.exception))
        self.assertFalse(self.manager.hooks_installed)

    def test_blocklist_and_agent_code_refused(self):
        self.agent.config.blocklist = ["secretpkg"]
        from spyglass.breakpoints import BreakpointManager
        self.manager.close()
        self.manager = BreakpointManager(self.agent)
        self.write("secretpkg/__init__.py", "")
        self.write("secretpkg/keys.py", "def f():\n    return 1\n")
        self.modules += ["secretpkg", "secretpkg.keys"]
        __import__("secretpkg.keys")
        with self.assertRaises(BreakpointError) as cm:
            self.manager.set({"location": {"path": "secretpkg/keys.py", "line": 2}})
        self.assertIn("blocklist", str(cm.exception))
        with self.assertRaises(BreakpointError) as cm:
            self.manager.set({"location": {"path": "spyglass/safe_eval.py", "line": 300}})
        self.assertIn("agent's own code", str(cm.exception))

    def test_too_many_breakpoints(self):
        name, mod = self.module(SOURCE)
        line = self.line_of(name, "COLD")
        for _ in range(breakpoints.MAX_ACTIVE):
            self.manager.set({"location": {"path": name + ".py", "line": line}})
        with self.assertRaises(BreakpointError) as cm:
            self.manager.set({"location": {"path": name + ".py", "line": line}})
        self.assertIn("too many", str(cm.exception))
        self.assertEqual(mod.cold(1), 2)
        self.assertTrue(self.manager.wait_idle())   # snapshots are published by the worker
        hits = [k for k in self.agent.events.kinds() if k == "breakpoint_hit"]
        self.assertEqual(len(hits), breakpoints.MAX_ACTIVE)

    @unittest.skipUnless(breakpoints.HAVE_MONITORING,
                         "3.9-3.11 swap code objects: a frame already running keeps its code")
    def test_breakpoint_in_a_loop_that_is_already_running(self):
        name, mod = self.module("""
            import time
            def spin(state):
                while not state["stop"]:
                    state["n"] += 1  # SPIN
                    time.sleep(0.001)
            """)
        state = {"stop": False, "n": 0}
        t = threading.Thread(target=mod.spin, args=(state,))
        t.start()
        try:
            time.sleep(0.05)
            bp = self.set_bp(name, "SPIN")
            hit = self.agent.events.wait_for("breakpoint_hit", bp["id"])
            self.assertEqual(hit["stack_frames"][0]["function"], "spin")
        finally:
            state["stop"] = True
            t.join()


def _wait(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


if __name__ == "__main__":
    unittest.main()
