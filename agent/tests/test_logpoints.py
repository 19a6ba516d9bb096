# SPDX-License-Identifier: GPL-3.0-or-later
import logging
import time
import unittest

from spyglass.breakpoints import BreakpointError
from spyglass.logpoints import LogFormat, RateLimiter
from spyglass.redact import Redactor
from spyglass.safe_eval import ExpressionError

from .debug_support import EngineTestCase

SOURCE = """
class User:
    def __init__(self, uid):
        self.id = uid
        self.password = "hunter2"

def serve(user, elapsed):
    status = 200  # SERVE
    return status
"""


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


class FormatTest(unittest.TestCase):
    def test_fields_specs_and_escapes(self):
        fmt = LogFormat("user={user.id} took {elapsed:.1f} ms {{literal}} {name!r} {d['k:v']}")
        kinds = [type(p).__name__ for p in fmt.parts]
        self.assertEqual(kinds.count("tuple"), 4)
        message, errors = _render_ns(fmt.text, {"user": _Obj(7), "elapsed": 12.345,
                                               "name": "x", "d": {"k:v": 1}})
        self.assertEqual(message, "user=7 took 12.3 ms {literal} 'x' 1")
        self.assertEqual(errors, [])

    def test_refused_formats(self):
        cases = [
            ("{x.__class__}", "'__class__' is not allowed in log messages"),
            ("{open('/etc/passwd')}", "Calling 'open' is not allowed in log messages"),
            ("{x:99999999}", "larger than"),
            ("{x", "unclosed"),
            ("x}", "unmatched"),
            ("{}", "empty field"),
            ("", "needs a message format"),
            ("{(lambda: 1)()}", "lambda"),
            ("{" + "x," * 30 + "}" * 0, "unclosed"),
        ]
        for text, words in cases:
            with self.assertRaises(ExpressionError, msg=text) as cm:
                LogFormat(text)
            self.assertIn(words, str(cm.exception), text)
        with self.assertRaises(ExpressionError):
            LogFormat(" ".join("{x%d}" % i for i in range(30)))

    def test_failing_field_is_shown_inline(self):
        message, errors = _render_ns("a={missing} b={b}", {"b": 2})
        self.assertEqual(message, "a=<error: name 'missing' is not defined> b=2")
        self.assertEqual(len(errors), 1)

    def test_secrets_and_objects(self):
        message, _ = _render_ns("{user.password} {token} {user}", {"user": _Obj(1), "token": "t"})
        self.assertTrue(message.startswith("<redacted> <redacted> <tests.test_logpoints._Obj "
                                           "object at 0x"), message)

    def test_long_values_are_cut(self):
        message, _ = _render_ns("{s}", {"s": "x" * 5000})
        self.assertEqual(len(message), 256 + 3)


class _Obj:
    def __init__(self, uid):
        self.id = uid
        self.password = "pw"


def _render_ns(text, values):
    fmt = LogFormat(text)
    out = []
    errors = []
    for part in fmt.parts:
        if type(part) is str:
            out.append(part)
            continue
        expr, spec, conv = part
        try:
            value = expr.render(None, Redactor(), spec, conv, namespace=values)
        except ExpressionError as e:
            errors.append(str(e))
            value = "<error: %s>" % e
        out.append(value if len(value) <= 256 else value[:256] + "...")
    return "".join(out), errors


class RateLimiterTest(unittest.TestCase):
    def test_token_buckets(self):
        now = [0.0]
        limiter = RateLimiter(5, 1000, clock=lambda: now[0])
        self.assertEqual([limiter.allow(10) for _ in range(7)], [True] * 5 + [False] * 2)
        now[0] += 0.2                       # one line's worth refilled
        self.assertTrue(limiter.allow(10))
        self.assertFalse(limiter.allow(10))
        now[0] += 10
        self.assertFalse(limiter.allow(2000))   # bigger than a second of bytes
        self.assertTrue(limiter.allow(900))
        self.assertFalse(limiter.allow(200))


class LogpointTest(EngineTestCase):
    def setUp(self):
        super().setUp()
        self.handler = Collect()
        logging.getLogger("spyglass.logpoint").addHandler(self.handler)

    def tearDown(self):
        logging.getLogger("spyglass.logpoint").removeHandler(self.handler)
        super().tearDown()

    def test_line_goes_to_logging_and_events(self):
        name, mod = self.module(SOURCE)
        bp = self.set_bp(name, "SERVE", action="log", log_level="warning",
                         log_message_format="user={user.id} took {elapsed:.1f} pw={user.password}")
        mod.serve(mod.User(42), 3.14159)
        mod.serve(mod.User(43), 1.0)
        event = self.agent.events.wait_for("log", bp["id"], count=2)
        self.assertEqual(event["message"], "user=43 took 1.0 pw=<redacted>")
        self.assertEqual(event["level"], "warning")
        self.assertEqual(event["location"], {"path": name + ".py",
                                             "line": self.line_of(name, "SERVE")})
        record = self.handler.records[0]
        self.assertEqual(record.getMessage(), "user=42 took 3.1 pw=<redacted>")
        self.assertEqual(record.levelno, logging.WARNING)
        self.assertEqual(record.pathname, mod.__file__)
        self.assertEqual(record.lineno, self.line_of(name, "SERVE"))
        self.assertEqual(record.funcName, "serve")
        stored = self.manager.get(bp["id"])
        self.assertFalse(stored["is_final_state"])   # logpoints keep logging

    def test_condition_filters_lines(self):
        name, mod = self.module(SOURCE)
        bp = self.set_bp(name, "SERVE", action="log", condition="user.id % 2 == 0",
                         log_message_format="even {user.id}")
        for i in range(6):
            mod.serve(mod.User(i), 0)
        self.assertEqual([r.getMessage() for r in self.handler.records],
                         ["even 0", "even 2", "even 4"])

    def test_rejected_format_on_set(self):
        name, mod = self.module(SOURCE)
        with self.assertRaises(BreakpointError) as cm:
            self.set_bp(name, "SERVE", action="log", log_message_format="{user.__class__}")
        self.assertIn("'__class__' is not allowed", str(cm.exception))


class RateLimitTest(EngineTestCase):
    config = {"log_rate_lines": 5, "log_rate_bytes": 20480}

    def test_over_the_limit_pauses_then_resumes(self):
        handler = Collect()
        logging.getLogger("spyglass.logpoint").addHandler(handler)
        try:
            name, mod = self.module(SOURCE)
            bp = self.set_bp(name, "SERVE", action="log", log_message_format="hit {user.id}")
            for i in range(40):
                mod.serve(mod.User(i), 0)
            self.assertEqual([r.getMessage() for r in handler.records],
                             ["hit %d" % i for i in range(5)])
            status = self.manager.get(bp["id"])["status"]
            self.assertIn("Paused", status["message"])
            self.assertIn("5 lines/s", status["message"])
            self.assertFalse(status["is_error"])
            time.sleep(1.3)   # the quiet period
            mod.serve(mod.User(100), 0)
            messages = [r.getMessage() for r in handler.records]
            self.assertEqual(messages[5], "Logpoint resumed; 35 lines were dropped by the rate limit")
            self.assertEqual(messages[6], "hit 100")
            self.assertIsNone(self.manager.get(bp["id"])["status"])
        finally:
            logging.getLogger("spyglass.logpoint").removeHandler(handler)


if __name__ == "__main__":
    unittest.main()
