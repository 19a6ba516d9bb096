# SPDX-License-Identifier: GPL-3.0-or-later
import importlib
import os
import sys
import unittest

from spyglass import locations
from spyglass.breakpoints import BreakpointError

from .debug_support import EngineTestCase


class ResolveTest(EngineTestCase):
    def test_relative_to_source_root_and_suffix(self):
        self.write("app/__init__.py", "")
        self.write("app/views.py", "def index(n):\n    return n + 1\n")
        self.modules += ["app", "app.views"]
        views = importlib.import_module("app.views")
        expected = os.path.join(self.root, "app", "views.py")
        self.assertEqual(locations.resolve_file("app/views.py", self.root),
                         (expected, "app.views", True))
        self.assertEqual(locations.resolve_file("./app/views.py", self.root)[0], expected)
        # Any suffix of a loaded module's file, even with a different source root.
        self.assertEqual(locations.resolve_file("views.py", "/nonexistent")[0], expected)
        self.assertEqual(locations.resolve_file(expected, None)[0], expected)
        bp = self.manager.set({"location": {"path": "views.py", "line": 2}})
        self.assertEqual(bp["location"], {"path": "app/views.py", "line": 2})
        self.assertEqual(bp["requested_location"], {"path": "views.py", "line": 2})
        exact = self.manager.set({"location": {"path": "app/views.py", "line": 2}})
        self.assertNotIn("requested_location", exact)
        self.manager.delete(exact["id"])
        views.index(1)
        self.agent.events.wait_for("breakpoint_hit", bp["id"])

    def test_ambiguous_path_names_the_candidates(self):
        for pkg in ("alpha", "beta"):
            self.write(pkg + "/__init__.py", "")
            self.write(pkg + "/handlers_amb.py", "def f():\n    return 1\n")
            self.modules += [pkg, pkg + ".handlers_amb"]
            importlib.import_module(pkg + ".handlers_amb")
        with self.assertRaises(BreakpointError) as cm:
            self.manager.set({"location": {"path": "handlers_amb.py", "line": 2}})
        message = str(cm.exception)
        self.assertIn("ambiguous", message)
        self.assertIn(os.path.join(self.root, "alpha", "handlers_amb.py"), message)
        self.assertIn(os.path.join(self.root, "beta", "handlers_amb.py"), message)
        bp = self.manager.set({"location": {"path": "beta/handlers_amb.py", "line": 2}})
        self.assertEqual(bp["location"]["path"], "beta/handlers_amb.py")

    def test_missing_and_bad_paths(self):
        with self.assertRaises(BreakpointError) as cm:
            self.manager.set({"location": {"path": "no/such_file.py", "line": 1}})
        self.assertIn("no file matches 'no/such_file.py'", str(cm.exception))
        with self.assertRaises(BreakpointError) as cm:
            self.manager.set({"location": {"path": "README.md", "line": 1}})
        self.assertIn("not a Python source file", str(cm.exception))
        with self.assertRaises(BreakpointError):
            self.manager.set({"location": {"path": "", "line": 1}})
        with self.assertRaises(BreakpointError):
            self.manager.set({"location": {"path": None, "line": 1}})


class LineTest(EngineTestCase):
    SOURCE = '''
        import os

        def compute(values):
            """Sum the values.

            A docstring is not code.
            """
            # a comment

            total = 0  # FIRST CODE
            for v in values:
                total += v
            return total
        '''

    def test_line_without_code_moves_to_the_next_code_line(self):
        name, mod = self.module(self.SOURCE)
        first_code = self.line_of(name, "FIRST CODE")
        for requested in (self.line_of(name, "Sum the"), self.line_of(name, "a comment"),
                          first_code - 1, first_code):
            bp = self.manager.set({"location": {"path": name + ".py", "line": requested}})
            self.assertEqual(bp["location"]["line"], first_code, requested)
            self.manager.delete(bp["id"])
        # The def line itself has already run; it moves into the body.
        bp = self.manager.set({"location": {"path": name + ".py",
                                            "line": self.line_of(name, "def compute")}})
        self.assertEqual(bp["location"]["line"], first_code)
        self.assertEqual(mod.compute([1, 2]), 3)
        hit = self.agent.events.wait_for("breakpoint_hit", bp["id"])
        self.assertEqual(hit["stack_frames"][0]["location"]["line"], first_code)
        self.assertEqual(hit["requested_location"]["line"], self.line_of(name, "def compute"))

    def test_source_index_lines(self):
        name, mod = self.module(self.SOURCE)
        index = locations.SourceIndex(mod.__file__)
        self.assertEqual(index.next_line(1), 1)
        self.assertEqual(index.scope[1], "module")
        self.assertEqual(index.scope[self.line_of(name, "FIRST CODE")], "function")
        self.assertIsNone(index.next_line(1000))


class PendingImportTest(EngineTestCase):
    def test_module_imported_after_the_breakpoint_is_set(self):
        name, _ = self.module("""
            def later(x):
                doubled = x * 2  # LATER
                return doubled
            """, load=False)
        self.assertNotIn(name, sys.modules)
        bp = self.set_bp(name, "LATER")
        self.assertFalse(bp["status"]["is_error"])
        self.assertIn("Waiting for module", bp["status"]["message"])
        self.assertIn(self.manager._watcher, sys.meta_path)
        mod = importlib.import_module(name)
        # Import semantics are untouched: the usual loader type, spec and file.
        self.assertEqual(type(mod.__loader__).__name__, "SourceFileLoader")
        self.assertNotIn("exec_module", vars(mod.__loader__))
        self.assertEqual(mod.__spec__.origin, mod.__file__)
        self.assertNotIn(self.manager._watcher, sys.meta_path)
        self.assertIsNone(self.manager.get(bp["id"])["status"])
        self.assertEqual(mod.later(4), 8)
        hit = self.agent.events.wait_for("breakpoint_hit", bp["id"])
        self.assertEqual({v["name"]: v.get("value") for v in hit["stack_frames"][0]["arguments"]},
                         {"x": "4"})

    def test_deleting_a_pending_breakpoint_removes_the_import_hook(self):
        name, _ = self.module("def f():\n    return 1\n", load=False)
        bp = self.manager.set({"location": {"path": name + ".py", "line": 2}})
        self.assertIn(self.manager._watcher, sys.meta_path)
        self.manager.delete(bp["id"])
        deadline = __import__("time").monotonic() + 5
        while self.manager._watcher in sys.meta_path and __import__("time").monotonic() < deadline:
            __import__("time").sleep(0.01)
        self.assertNotIn(self.manager._watcher, sys.meta_path)
        self.assertEqual(importlib.import_module(name).f(), 1)


if __name__ == "__main__":
    unittest.main()
