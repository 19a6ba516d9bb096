# SPDX-License-Identifier: GPL-3.0-or-later
"""Safe evaluation, including the sandbox-escape suite.

Every escape attempt must be refused with a clear message and must not run
any user code: the objects below record every dunder the evaluator could
trigger, and the tests assert that the record stays empty.
"""

import enum
import sys
import unittest

from spyglass.redact import Redactor
from spyglass.safe_eval import ExpressionError, SafeExpression

RAN = []


class TripMeta(type):
    def __eq__(cls, other):
        RAN.append("metaclass __eq__")
        return False

    def __hash__(cls):
        RAN.append("metaclass __hash__")
        return 1


class Tripwire(metaclass=TripMeta):
    """Every hook a careless evaluator would call appends to RAN."""

    def __init__(self):
        self.id = 42
        self.name = "bob"
        self.tags = ["a", "b"]

    @property
    def prop(self):
        RAN.append("property")
        return 1

    def method(self):
        RAN.append("method")

    def __getattr__(self, name):
        RAN.append("__getattr__")
        return 1

    def __eq__(self, other):
        RAN.append("__eq__")
        return True

    __hash__ = object.__hash__

    def __lt__(self, other):
        RAN.append("__lt__")
        return True

    def __bool__(self):
        RAN.append("__bool__")
        return True

    def __len__(self):
        RAN.append("__len__")
        return 1

    def __repr__(self):
        RAN.append("__repr__")
        return "Tripwire()"

    def __format__(self, spec):
        RAN.append("__format__")
        return "x"

    def __add__(self, other):
        RAN.append("__add__")
        return 1

    def __getitem__(self, key):
        RAN.append("__getitem__")
        return 1

    def __iter__(self):
        RAN.append("__iter__")
        return iter(())

    def __contains__(self, item):
        RAN.append("__contains__")
        return True

    def __getattribute__(self, name):
        if name != "__dict__":
            RAN.append("__getattribute__ " + name)
        return object.__getattribute__(self, name)

    @property
    def __class__(self):
        RAN.append("__class__ property")
        return dict


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self):
        self.a = 1


class Color(enum.Enum):
    RED = 1
    BLUE = 2


class Plain:
    def __init__(self):
        self.color = Color.RED
        self.count = 3


class TrickyDict(dict):
    def __missing__(self, key):
        RAN.append("__missing__")
        return 0

    def __getitem__(self, key):
        RAN.append("dict.__getitem__ override")
        return 0


def ns(**extra):
    base = dict(t=Tripwire(), s="hello world", n=7, f=2.5, items=[3, 1, 2],
                d={"a": 1, "b": [1, 2], "password": "pw", "nested": {"token": "tk"}},
                none=None, slotted=Slotted(), plain=Plain(), Color=Color,
                Tripwire=Tripwire, tricky=TrickyDict(a=1), sys=sys)
    base.update(extra)
    return base


def evaluate(source, purpose="conditions", **extra):
    return SafeExpression(source, purpose).evaluate(namespace=ns(**extra), redactor=Redactor())


class AllowedTest(unittest.TestCase):
    def setUp(self):
        del RAN[:]

    def tearDown(self):
        self.assertEqual(RAN, [], "user code ran during evaluation")

    def check(self, source, expected):
        self.assertEqual(evaluate(source), expected, source)

    def test_values_and_operators(self):
        self.check("n * 2 + 1", 15)
        self.check("f / 2", 1.25)
        self.check("n // 2, n % 2, -n, ~n, 2 ** 10", (3, 1, -7, -8, 1024))
        self.check("s[0:5]", "hello")
        self.check("s[-1]", "d")
        self.check("items[1:] + [4]", [1, 2, 4])
        self.check("{1, 2} | {3}", {1, 2, 3})
        self.check("1 < n <= 7", True)
        self.check("n if n > 3 else 0", 7)
        self.check("not items", False)
        self.check("none is None and d", d_value())
        self.check("'world' in s", True)
        self.check("'a' in d", True)
        self.check("f'{n:03d}|{f:.2f}|{s!r}'", "007|2.50|'hello world'")

    def test_attributes_without_running_code(self):
        self.check("t.id + 1", 43)
        self.check("t.name.upper()", "BOB")
        self.check("len(t.tags)", 2)
        self.check("slotted.a", 1)
        self.check("plain.color == Color.RED", True)
        self.check("plain.color is Color.BLUE", False)
        self.check("isinstance(t, Tripwire)", True)
        self.check("type(t) is Tripwire", True)
        self.check("hasattr(t, 'id'), hasattr(t, 'nope')", (True, False))

    def test_pure_builtins_and_methods(self):
        self.check("len(s), abs(-3), min(items), max(items), sum(items)", (11, 3, 1, 3, 6))
        self.check("sorted(items, reverse=True)", [3, 2, 1])
        self.check("any(items), all([])", (True, True))
        self.check("str(n) + repr(s)", "7'hello world'")
        self.check("d.get('a'), d.get('zz', 5)", (1, 5))
        self.check("sorted(d.keys())[0]", "a")
        self.check("s.startswith('he') and s.split()[1] == 'world'", True)
        self.check("int('12') + round(2.6)", 15)
        self.check("tricky.get('a'), tricky['a']", (1, 1))
        self.check("'Tripwire object at 0x' in str(t)", True)

    def test_redaction(self):
        for source in ("d['password']", "d['nested']['token']"):
            value = evaluate(source)
            self.assertEqual(repr(value), "<redacted>")
        with self.assertRaises(ExpressionError) as cm:
            evaluate("d['password'] + 'x'")
        self.assertIn("'password' is redacted", str(cm.exception))
        with self.assertRaises(ExpressionError):
            evaluate("len(api_key)", api_key="k")


def d_value():
    return ns()["d"]


class SandboxEscapeTest(unittest.TestCase):
    """Each attempt is refused with a message naming what was refused."""

    def setUp(self):
        del RAN[:]

    def tearDown(self):
        self.assertEqual(RAN, [], "user code ran during evaluation")

    def refused(self, source, words, purpose="conditions"):
        with self.assertRaises(ExpressionError, msg=source) as cm:
            evaluate(source, purpose)
        message = str(cm.exception)
        self.assertIn(words, message, source)
        return message

    def test_class_hierarchy_walk(self):
        self.refused("().__class__.__mro__[1].__subclasses__()", "'__class__' is not allowed")
        self.refused("[x for x in ()].__class__", "comprehensions are not allowed")
        self.refused("type(t).__dict__", "'__dict__' is not allowed")
        self.refused("t._private", "starting with '_'")

    def test_imports_and_io(self):
        self.refused("__import__('os').system('touch /tmp/pwned')",
                     "'__import__' is not allowed")
        self.refused("open('/etc/passwd')", "Calling 'open' is not allowed in conditions")
        self.refused("getattr(t, '__class__')", "Calling 'getattr' is not allowed")
        self.refused("eval('1')", "Calling 'eval' is not allowed")
        self.refused("exec('x=1')", "Calling 'exec' is not allowed")
        self.refused("sys.modules['os'].system('true')", "Calling 'system'")
        self.refused("__builtins__", "'__builtins__' is not allowed")
        self.refused("vars(t)", "Calling 'vars' is not allowed")

    def test_lambdas_generators_comprehensions(self):
        self.refused("(lambda: 1)()", "lambda expressions are not allowed")
        self.refused("(x for x in items)", "generator expressions are not allowed")
        self.refused("next(x for x in items)", "Calling 'next' is not allowed")
        self.refused("[x for x in items]", "comprehensions are not allowed")
        self.refused("{x: 1 for x in items}", "comprehensions are not allowed")
        self.refused("(yield 1)", "yield")
        self.refused("[*items]", "unpacking with '*' is not allowed")

        def counter():
            RAN.append("generator body")
            yield 1
        gen = counter()
        for source in ("gen.send(None)", "gen.throw(ValueError)", "gen.close()", "list(gen)",
                       "sorted(gen)", "max(gen)", "gen.gi_frame.f_back.clear()"):
            with self.assertRaises(ExpressionError, msg=source):
                evaluate(source, gen=gen)

    def test_assignment(self):
        self.refused("t.id = 3", "without assignment")
        self.refused("(x := 1)", "assignment expressions (:=) are not allowed")
        self.refused("items.append(4)", "no attribute 'append'")
        self.refused("d.update({'a': 2})", "no attribute 'update'")
        self.refused("d.pop('a')", "no attribute 'pop'")
        self.assertEqual(ns()["d"]["a"], 1)

    def test_user_code_is_never_called(self):
        self.refused("t.prop", "properties are not evaluated")
        self.refused("t.method()", "Calling 'method'")
        self.refused("t.missing", "its __getattr__ is not called")
        self.refused("t == 1", "their __eq__ would run")
        self.refused("t < t", "comparison of")
        self.refused("t and 1", "truth value")
        self.refused("len(t)", "would run their __len__")
        self.refused("t + 1", "arithmetic of")
        self.refused("t[0]", "indexing")
        self.refused("1 in t", "searching")
        self.refused("tricky['zz']", "key 'zz' not found")
        self.assertEqual(evaluate("repr(t)")[:1], "<")

    def test_huge_allocations_and_work(self):
        self.refused("'a' * 10 ** 9", "too large")
        self.refused("[0] * 10 ** 9", "too large")
        self.refused("2 ** 10 ** 9", "too large")
        self.refused("1 << 10 ** 9", "too large")
        self.refused("s.ljust(10 ** 9)", "too large")
        self.refused("s.replace('o', 'o' * 10 ** 5)", "too large")
        self.refused("f'{n:999999999}'", "larger than")
        self.refused("'%s' % s", "formatting is not allowed")
        self.refused("sorted(range(10 ** 9))", "too much work")

    def test_deep_recursion_and_size(self):
        self.refused("(" * 300 + "1" + ")" * 300, "nested")
        self.refused("+".join(["n"] * 200), "nested too deeply")
        self.refused("-" * 100 + "n", "nested too deeply")
        self.refused("n" + " " * 5000, "too long")
        deep = [1]
        for _ in range(100):
            deep = [deep]
        with self.assertRaises(ExpressionError):
            evaluate("deep == deep", deep=deep)

    def test_format_string_attacks(self):
        self.refused("f'{t.__class__}'", "'__class__' is not allowed")
        self.assertTrue(evaluate("f'{t}'").startswith("<test"))
        self.assertTrue(evaluate("f'{t!r}'").startswith("<test"))
        self.refused("'{0.__class__}'.format(t)", "no attribute 'format'")

    def test_errors_are_readable(self):
        self.refused("nope + 1", "name 'nope' is not defined")
        self.refused("1 / 0", "ZeroDivisionError")
        self.refused("items[10]", "out of range")
        self.refused("d['zz']", "key 'zz' not found")
        self.refused("x = ", "syntax error")
        self.refused("", "empty")
        self.refused("import os", "syntax error")


class GarbageTest(unittest.TestCase):
    """Whatever a console sends, the only exception is ExpressionError."""

    def setUp(self):
        del RAN[:]

    def tearDown(self):
        self.assertEqual(RAN, [], "user code ran during evaluation")

    def attempt(self, source):
        try:
            expr = SafeExpression(source)
        except ExpressionError:
            return
        for method in (expr.evaluate, expr.test, expr.render):
            try:
                method(namespace=ns(), redactor=Redactor())
            except ExpressionError:
                pass

    def test_odd_inputs(self):
        for source in ("\x00", "1 if", "items[::0]", "{}[[]]", "'a' < 1", "float('inf') ** 2",
                       "10 ** -1000", "(1,) * -1", "chr(-1)", "round(1.5, 10**9)",
                       "int('1' * 5000)", "divmod(1, 0)", "sorted([1, 'a'])", "max()",
                       "len()", "isinstance(1)", "hasattr(t)", "d.get()", "s.split(None, -1)",
                       "{[]: 1}", "{[1]}", "t in [1]", "-t", "not t", "f'{t:>5}'",
                       "b'x' * 10 ** 6", "[[]] * 10 ** 6", "'x'.join(['a'] * 10 ** 6)",
                       "1e308 * 1e308", "2.0 ** 100000", "~1.5", "None.x", "s.nope()",
                       "tricky.get([])", "range(10 ** 12)[5]", "len(range(10 ** 30))"):
            self.attempt(source)

    def test_random_token_soup(self):
        import random
        rng = random.Random(1234)
        tokens = ["t", "s", "n", "d", "items", "(", ")", "[", "]", "{", "}", ".", ",", ":",
                  "+", "*", "**", "-", "/", "%", "<", "==", "in", "not", "and", "or", "if",
                  "else", "lambda", "for", "1", "0", "'a'", "len", "sorted", "id", "name",
                  "__class__", "_x", "upper", "get", "=", ":=", "f'{n}'", "yield", "await"]
        for _ in range(3000):
            self.attempt(" ".join(rng.choice(tokens) for _ in range(rng.randint(1, 12))))


if __name__ == "__main__":
    unittest.main()
