# SPDX-License-Identifier: GPL-3.0-or-later
import enum
import json
import sys
import time
import unittest

from spyglass.capture import Capturer, Limits, capture_stack
from spyglass.redact import Redactor

from .debug_support import EngineTestCase

RAN = []


class NosyMeta(type):
    """Comparing or hashing the class itself is user code too."""

    def __eq__(cls, other):
        RAN.append("metaclass __eq__")
        return False

    def __hash__(cls):
        RAN.append("metaclass __hash__")
        return 1


class Nosy(metaclass=NosyMeta):
    """Every hook a careless capture would call records itself."""

    def __init__(self):
        self.visible = 1
        self.session_id = "s3cr3t"

    @property
    def computed(self):
        RAN.append("property")
        return 2

    def __getattr__(self, name):
        RAN.append("__getattr__ " + name)
        raise AttributeError(name)

    def __getattribute__(self, name):
        RAN.append("__getattribute__ " + name)
        return object.__getattribute__(self, name)

    @property
    def __class__(self):
        RAN.append("__class__ property")
        return dict

    def __repr__(self):
        RAN.append("__repr__")
        return "Nosy()"

    def __len__(self):
        RAN.append("__len__")
        return 0

    def __eq__(self, other):
        RAN.append("__eq__")
        return False

    __hash__ = object.__hash__


class Point:
    __slots__ = ("x", "y", "unset")

    def __init__(self):
        self.x = 1
        self.y = 2


class Mood(enum.Enum):
    HAPPY = "happy"


class NosyList(list):
    def __iter__(self):
        RAN.append("list.__iter__")
        return iter(())

    def __len__(self):
        RAN.append("list.__len__")
        return 0


def snapshot_here(depth=0, limits=None, redactor=None):
    frame = sys._getframe(1 + depth)
    return capture_stack(frame, Capturer(redactor or Redactor(), limits or Limits()))


def by_name(variables):
    return {v["name"]: v for v in variables}


def entry(snapshot, var):
    return snapshot["variable_table"][var["var_table_index"]]


class CaptureTest(unittest.TestCase):
    def setUp(self):
        del RAN[:]

    def tearDown(self):
        self.assertEqual(RAN, [], "capture ran user code")

    def locals_of(self, snapshot):
        return by_name(snapshot["stack_frames"][0]["locals"])

    def test_cycles_and_shared_objects_once(self):
        cycle = [1]
        cycle.append(cycle)
        shared = {"k": 1}
        pair = [shared, shared]
        alias = shared
        snap = snapshot_here()
        local = self.locals_of(snap)
        cyc = entry(snap, local["cycle"])
        self.assertEqual(cyc["members"][1]["var_table_index"], local["cycle"]["var_table_index"])
        members = entry(snap, local["pair"])["members"]
        self.assertEqual(members[0]["var_table_index"], members[1]["var_table_index"])
        self.assertEqual(local["alias"]["var_table_index"], members[0]["var_table_index"])
        self.assertEqual(local["shared"]["var_table_index"], members[0]["var_table_index"])
        self.assertEqual(entry(snap, local["shared"])["members"],
                         [{"name": "k", "type": "int", "value": "1"}])
        json.dumps(snap)   # plain JSON all the way down

    def test_limits_are_marked_never_silent(self):
        long_text = "x" * 1000
        many = list(range(100))
        deep = [0]
        for _ in range(10):
            deep = [deep]
        snap = snapshot_here()
        local = self.locals_of(snap)
        self.assertEqual(local["long_text"]["value"], repr("x" * 256))
        self.assertIn("first 256 of 1000 characters", local["long_text"]["status"]["message"])
        many_entry = entry(snap, local["many"])
        self.assertEqual(len(many_entry["members"]), 25)
        self.assertIn("first 25 of 100 items", many_entry["status"]["message"])
        level, var = 1, local["deep"]
        while "var_table_index" in var:
            var = entry(snap, var)["members"][0]
            level += 1
        self.assertEqual(level, 6)
        self.assertIn("deeper than 5 levels", var["status"]["message"])

    def test_snapshot_size_limit(self):
        blobs = [("%d" % i) * 200 for i in range(400)]
        table = {i: "y" * 200 for i in range(25)}
        extra = [dict(table) for _ in range(20)]
        snap = snapshot_here(limits=Limits(snapshot_bytes=8 * 1024))
        text = json.dumps(snap)
        self.assertLess(len(text), 8 * 1024 * 2)
        self.assertIn("size limit of 8 KiB", text)

    def test_user_objects_are_walked_without_running_code(self):
        nosy = Nosy()
        point = Point()
        mood = Mood.HAPPY
        tricky = NosyList([1, 2, 3])
        snap = snapshot_here()
        local = self.locals_of(snap)
        nosy_entry = entry(snap, local["nosy"])
        self.assertTrue(nosy_entry["type"].endswith("Nosy"))
        members = by_name(nosy_entry["members"])
        self.assertEqual(members["visible"]["value"], "1")
        self.assertEqual(members["session_id"]["value"], "<redacted>")
        self.assertNotIn("computed", members)
        self.assertEqual(by_name(entry(snap, local["point"])["members"]),
                         {"x": {"name": "x", "type": "int", "value": "1"},
                          "y": {"name": "y", "type": "int", "value": "2"}})
        self.assertEqual(entry(snap, local["mood"])["value"], "Mood.HAPPY")
        self.assertEqual([m["value"] for m in entry(snap, local["tricky"])["members"]],
                         ["1", "2", "3"])

    def test_redaction(self):
        api_key = "k-123"
        config = {"password": "pw", "user": "me", "nested": {"Authorization": "Bearer x"}}
        snap = snapshot_here(redactor=Redactor(["api_key", "password", "authorization"]))
        local = self.locals_of(snap)
        self.assertEqual(local["api_key"]["value"], "<redacted>")
        self.assertIn("looks like it holds a secret", local["api_key"]["status"]["message"])
        members = by_name(entry(snap, local["config"])["members"])
        self.assertEqual(members["password"]["value"], "<redacted>")
        self.assertEqual(members["user"]["value"], "'me'")
        nested = by_name(entry(snap, members["nested"])["members"])
        self.assertEqual(nested["Authorization"]["value"], "<redacted>")
        self.assertNotIn("k-123", json.dumps(snap))
        self.assertNotIn("Bearer", json.dumps(snap))

    def test_frames_limit_and_locals_only_on_top_five(self):
        def recurse(n):
            if n == 0:
                return snapshot_here()
            return recurse(n - 1)
        snap = recurse(30)
        frames = snap["stack_frames"]
        self.assertEqual(len(frames), 20)
        self.assertTrue(all(f["function"].endswith("recurse") for f in frames[:20]))
        self.assertEqual([bool(f["arguments"]) for f in frames[:6]], [True] * 5 + [False])
        self.assertIn("more calling frames were not captured (limit 20)",
                      frames[-1]["status"]["message"])

    def test_blocked_module_frames_keep_their_locals(self):
        secret = "do not send"
        frame = sys._getframe()
        snap = capture_stack(frame, Capturer(Redactor()), blocked=lambda f: "tests")
        top = snap["stack_frames"][0]
        self.assertEqual(top["locals"], [])
        self.assertIn("blocklist", top["status"]["message"])
        self.assertNotIn("do not send", json.dumps(snap))


class CheckedCapturer(Capturer):
    """Fails if phase 2 expands an object that phase 1 did not copy."""

    def _expand(self, index, value, depth):
        assert id(value) in self._frozen, "phase 2 reached an object phase 1 did not copy"
        return super()._expand(index, value, depth)


class TwoPhaseTest(unittest.TestCase):
    def test_phase_one_copies_everything_phase_two_shows(self):
        # Phase 1 stops at an estimate of the size that never exceeds phase
        # 2's count; with budgets that cut in different places, wide and deep
        # data, shared objects and long strings, nothing shown is left uncopied.
        users = [{"id": i, "name": "user%d" % i * (i % 7), "tags": ["t%d" % j for j in range(i % 30)],
                  "point": Point()} for i in range(60)]
        shared = {"users": users, "again": users, "text": "z" * 300}
        nested = [[[[[[list(range(5))]]]]]]
        frame = sys._getframe()
        for budget in (300, 1000, 2000, 4000, 8000, 16000, 32 * 1024, 1 << 20):
            for items in (3, 25, 100):
                capturer = CheckedCapturer(Redactor(), Limits(items=items, snapshot_bytes=budget))
                snap = capture_stack(frame, capturer)
                text = json.dumps(snap)
                if budget < 16000:
                    self.assertIn("size limit of", text)
        self.assertTrue(shared and nested)

    def test_values_are_those_at_the_hit(self):
        basket = ["apple", "pear"]
        prices = {"apple": 1.5}
        point = Point()
        raw = bytearray(b"abc")
        capturer = Capturer(Redactor(), Limits())
        capturer.freeze(sys._getframe(), ())
        basket.append("plum")
        basket[0] = "kiwi"
        prices["apple"] = 9.0
        prices["fig"] = 2.0
        point.x = 100
        raw[0:1] = b"X"
        snap = capturer.format()
        local = by_name(snap["stack_frames"][0]["locals"])
        self.assertEqual([m["value"] for m in entry(snap, local["basket"])["members"]],
                         ["'apple'", "'pear'"])
        self.assertEqual(entry(snap, local["basket"])["value"], "len=2")
        self.assertEqual(entry(snap, local["prices"])["members"],
                         [{"name": "apple", "type": "float", "value": "1.5"}])
        self.assertEqual(by_name(entry(snap, local["point"])["members"])["x"]["value"], "1")
        self.assertEqual(local["raw"]["value"], "bytearray(b'abc')")


class CaptureThroughBreakpointTest(EngineTestCase):
    def test_snapshot_shows_the_hit_not_what_came_after(self):
        # The host thread goes on at once; the worker formats later.  Holding
        # the worker off until the function has changed everything proves the
        # snapshot is what the hit saw.
        name, mod = self.module("""
            class Cart:
                def __init__(self):
                    self.items = ["apple"]
                    self.owner = "ann"
            def f(cart, counts):
                label = "before"  # HERE
                cart.items.append("pear")
                cart.items[0] = "kiwi"
                cart.owner = "bob"
                counts["a"] += 1
                counts["b"] = 0
                return label
            """)
        bp = self.set_bp(name, "HERE")
        self.manager.wait_idle()
        with self.manager._format_lock:
            mod.f(mod.Cart(), {"a": 1})
        hit = self.agent.events.wait_for("breakpoint_hit", bp["id"])
        frame = hit["stack_frames"][0]
        args = by_name(frame["arguments"])
        cart = entry(hit, args["cart"])
        members = by_name(cart["members"])
        self.assertEqual(members["owner"]["value"], "'ann'")
        self.assertEqual([m["value"] for m in entry(hit, members["items"])["members"]],
                         ["'apple'"])
        self.assertEqual(entry(hit, args["counts"])["members"],
                         [{"name": "a", "type": "int", "value": "1"}])
        self.assertNotIn("label", by_name(frame["locals"]))    # its line had not run yet

    def test_get_right_after_the_hit_has_the_snapshot(self):
        name, mod = self.module("""
            def f(x):
                y = x + 1  # HERE
                return y
            """)
        bp = self.set_bp(name, "HERE")
        self.manager.wait_idle()
        mod.f(41)
        got = self.manager.get(bp["id"])     # before or after the worker: same answer
        self.assertTrue(got["is_final_state"])
        self.assertEqual(by_name(got["stack_frames"][0]["arguments"])["x"]["value"], "41")
        self.assertEqual(self.agent.events.wait_for("breakpoint_hit", bp["id"])["stack_frames"],
                         got["stack_frames"])

    def test_deleted_before_formatting_publishes_nothing_and_unhooks(self):
        name, mod = self.module("""
            def f(x):
                y = x + 1  # HERE
                return y
            """)
        bp = self.set_bp(name, "HERE")
        self.manager.wait_idle()
        with self.manager._format_lock:
            self.assertEqual(mod.f(1), 2)
            self.assertTrue(self.manager.delete(bp["id"]))
        self.assertTrue(self.manager.wait_idle())
        self.assertNotIn("breakpoint_hit", self.agent.events.kinds(bp["id"]))
        deadline = time.monotonic() + 5
        while self.manager.hooks_installed and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertFalse(self.manager.hooks_installed)


    def test_watch_expression_errors_are_per_expression(self):
        name, mod = self.module("""
            def f(a):
                b = a + 1  # HERE
                return b
            """)
        bp = self.set_bp(name, "HERE", expressions=["a * 10", "nope", "len(a)"])
        mod.f(2)
        hit = self.agent.events.wait_for("breakpoint_hit", bp["id"])
        ev = hit["evaluated_expressions"]
        self.assertEqual(ev[0], {"name": "a * 10", "type": "int", "value": "20"})
        self.assertTrue(ev[1]["status"]["is_error"])
        self.assertIn("name 'nope' is not defined", ev[1]["status"]["message"])
        self.assertIn("len() of 'int' objects", ev[2]["status"]["message"])
        self.assertIsNone(hit["status"])


if __name__ == "__main__":
    unittest.main()
