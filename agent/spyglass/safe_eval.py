# SPDX-License-Identifier: GPL-3.0-or-later
"""Evaluate breakpoint conditions, watch expressions and logpoint fields
without side effects.

The expression is parsed with :mod:`ast`, checked against a whitelist of node
types, and then interpreted by the small tree walker below -- nothing is ever
compiled to bytecode or passed to ``eval``.  The walker only performs an
operation when it can prove that the operation runs no user code:

* operators, comparisons, ``len``, ``str`` ... apply to builtin values only
  (``int``, ``str``, ``list`` of builtins, ...), checked on the *runtime* type,
  recursively for containers; ``==`` is also allowed on objects whose class
  does not define ``__eq__`` (identity comparison, e.g. enum members);
* attributes are read from the instance ``__dict__``, ``__slots__`` or the
  class dictionaries directly, so properties, ``__getattr__`` and
  ``__getattribute__`` never run; names starting with ``_`` are refused;
* calls are limited to a list of pure builtins and pure methods of builtin
  types, looked up by the receiver's type at run time;
* every step and every element walked counts against a budget, and results
  that would allocate a lot (``"a" * 10**9``, ``2 ** 10**9``) are refused
  before they are computed.

Anything else is an :class:`ExpressionError` whose message says what was
refused and why, in words a user of the console understands.
"""

import ast
import sys
import types

MAX_SOURCE = 4096          # characters of expression source
MAX_DEPTH = 40             # nesting of the syntax tree
DEFAULT_STEPS = 10000      # interpreter steps per evaluation
MAX_ITEMS = 100000         # elements in a container an expression builds or walks
MAX_BITS = 100000          # bits of an int an expression builds
MAX_WIDTH = 1000           # width / precision in a format spec

NoneType = type(None)
_SCALARS = (int, float, complex, bool, str, bytes, NoneType, type(Ellipsis))
_SCALAR_SET = frozenset(_SCALARS)
_SEQUENCES = (str, bytes, tuple, list)
_CONTAINERS = (tuple, list, dict, set, frozenset, range,
               type({}.keys()), type({}.values()), type({}.items()))

_DICT_KEYS, _DICT_VALUES, _DICT_ITEMS = type({}.keys()), type({}.values()), type({}.items())
_type_dict = type.__dict__["__dict__"].__get__
_type_mro = type.__dict__["__mro__"].__get__


class ExpressionError(Exception):
    """A refused or failing expression; ``str()`` is meant for the user."""


class Redacted:
    """Stands for a value whose name looks secret."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "<redacted>"


class _Forbidden:
    """A builtin that exists but may not be called (``open``, ``getattr``...)."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


class _UserMethod:
    """A function found on a user class: readable, never callable."""

    __slots__ = ("owner", "name")

    def __init__(self, owner, name):
        self.owner = owner
        self.name = name


class _BoundSafe:
    """A whitelisted method of a builtin value, bound to its receiver."""

    __slots__ = ("receiver", "base", "name")

    def __init__(self, receiver, base, name):
        self.receiver = receiver
        self.base = base
        self.name = name


def mro_of(tp):
    try:
        return _type_mro(tp)
    except Exception:
        return (tp, object)


def class_dict(klass):
    try:
        return _type_dict(klass)
    except Exception:
        return {}


def lookup_class_attr(tp, name):
    """The raw class attribute ``name`` as found along the MRO, or a miss."""
    for klass in mro_of(tp):
        d = class_dict(klass)
        if name in d:
            return True, d[name]
    return False, None


def uses_default(tp, dunder):
    """True when no class before ``object`` in the MRO defines ``dunder``."""
    for klass in mro_of(tp):
        if klass is object:
            return True
        if dunder in class_dict(klass):
            return False
    return True


def instance_dict(obj):
    """The instance ``__dict__`` read through its C descriptor, or None."""
    tp = type(obj)
    for klass in mro_of(tp):
        descr = class_dict(klass).get("__dict__")
        if descr is None:
            continue
        if among(type(descr), (types.GetSetDescriptorType, types.MemberDescriptorType)):
            try:
                d = descr.__get__(obj, tp)
            except Exception:
                return None
            return d if type(d) is dict else None
        return None
    return None


_TYPE_NAMES = {}


def type_name(tp):
    """``module.QualName`` of a class, read from its dict (no metaclass code)."""
    cached = _TYPE_NAMES.get(id(tp))      # by id: hashing a class may run its metaclass
    if cached is not None and cached[0] is tp:
        return cached[1]
    name = _type_name(tp)
    if len(_TYPE_NAMES) < 4096:
        _TYPE_NAMES[id(tp)] = (tp, name)
    return name


def _type_name(tp):
    try:
        name = class_dict(tp).get("__qualname__") or type.__dict__["__name__"].__get__(tp)
        module = class_dict(tp).get("__module__")
        if is_instance(name, str) and is_instance(module, str) and module != "builtins":
            return module + "." + name
        return name if is_instance(name, str) else "object"
    except Exception:
        return "object"


def placeholder(obj):
    """What an object we may not format looks like: type and address."""
    return "<%s object at %#x>" % (type_name(type(obj)), id(obj))


def is_instance(value, bases):
    """``isinstance`` by walking the real MRO.

    The builtin falls back to ``value.__class__``, which runs a user
    ``__getattribute__`` or ``__class__`` property, and comparing classes with
    ``in`` may run a metaclass ``__eq__``; identity checks run nothing.
    """
    if type(bases) is not tuple:
        bases = (bases,)
    for klass in mro_of(type(value)):
        for base in bases:
            if klass is base:
                return True
    return False


def among(tp, options):
    """``tp in options`` by identity only."""
    for option in options:
        if tp is option:
            return True
    return False


_PURE_METHODS = {
    str: frozenset("""startswith endswith lower upper casefold strip lstrip rstrip
        split rsplit splitlines find rfind index rindex count isdigit isalpha
        isalnum isspace islower isupper isnumeric isdecimal isidentifier
        istitle title capitalize swapcase partition rpartition replace join
        ljust rjust center zfill encode removeprefix removesuffix""".split()),
    bytes: frozenset("""startswith endswith lower upper strip lstrip rstrip split
        find rfind index count decode hex isdigit isalpha isspace replace join
        partition""".split()),
    dict: frozenset("get keys values items copy".split()),
    list: frozenset("index count copy".split()),
    tuple: frozenset("index count".split()),
    set: frozenset("issubset issuperset isdisjoint union intersection difference "
                   "symmetric_difference copy".split()),
    frozenset: frozenset("issubset issuperset isdisjoint union intersection "
                         "difference symmetric_difference copy".split()),
    int: frozenset("bit_length conjugate".split()),
    float: frozenset("is_integer conjugate".split()),
}
# Plain data attributes of builtin values.
_PURE_ATTRS = {
    complex: frozenset(("real", "imag")),
    int: frozenset(("real", "imag", "numerator", "denominator")),
    float: frozenset(("real", "imag")),
    range: frozenset(("start", "stop", "step")),
    slice: frozenset(("start", "stop", "step")),
}
_BASE_ORDER = (bool, int, float, complex, str, bytes, dict, list, tuple, frozenset, set, range)

SAFE_BUILTINS = frozenset("""len abs min max sum any all sorted str repr int float
    bool round isinstance hasattr type tuple list set frozenset divmod hex oct
    bin chr ord range""".split())
_CONSTANT_BUILTINS = {"True": True, "False": False, "None": None}

_ALLOWED_NODES = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.BinOp, ast.Add, ast.Sub,
    ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.LShift, ast.RShift,
    ast.BitOr, ast.BitXor, ast.BitAnd, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd,
    ast.Invert, ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE,
    ast.Is, ast.IsNot, ast.In, ast.NotIn, ast.IfExp, ast.Call, ast.keyword,
    ast.Constant, ast.Name, ast.Load, ast.Attribute, ast.Subscript, ast.Slice,
    ast.Tuple, ast.List, ast.Dict, ast.Set, ast.JoinedStr, ast.FormattedValue,
)
if sys.version_info < (3, 9):  # pragma: no cover - 3.9 is the floor
    _ALLOWED_NODES += (ast.Index,)

_REFUSED = {
    ast.Lambda: "lambda expressions are not allowed in {p}",
    ast.ListComp: "comprehensions are not allowed in {p}",
    ast.SetComp: "comprehensions are not allowed in {p}",
    ast.DictComp: "comprehensions are not allowed in {p}",
    ast.GeneratorExp: "generator expressions are not allowed in {p}",
    ast.NamedExpr: "assignment expressions (:=) are not allowed in {p}",
    ast.Await: "'await' is not allowed in {p}",
    ast.Yield: "'yield' is not allowed in {p}",
    ast.YieldFrom: "'yield from' is not allowed in {p}",
    ast.Starred: "unpacking with '*' is not allowed in {p}",
    ast.MatMult: "the '@' operator is not allowed in {p} (it would run user code)",
}


def _check_tree(tree, purpose):
    problems = []

    def refuse(node, message):
        # Report the first problem in reading order; an attribute sits where its name ends.
        if type(node) is ast.Attribute:
            where = (getattr(node, "end_lineno", 0) or 0, getattr(node, "end_col_offset", 0) or 0)
        else:
            where = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
        problems.append((where + (len(problems),), message))

    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError("the expression is nested too deeply (more than %d levels)" % MAX_DEPTH)
        kind = type(node)
        if kind in _REFUSED:
            refuse(node, _REFUSED[kind].format(p=purpose))
            continue
        if not isinstance(node, _ALLOWED_NODES):
            refuse(node, "%s is not allowed in %s" % (_node_words(node), purpose))
            continue
        if kind is ast.Name:
            if type(node.ctx) is not ast.Load:
                refuse(node, "assignment is not allowed in %s" % purpose)
            if node.id.startswith("__"):
                refuse(node, "the name '%s' is not allowed in %s: names starting with "
                                      "'__' are internals" % (node.id, purpose))
        elif kind is ast.Attribute:
            if type(node.ctx) is not ast.Load:
                refuse(node, "assignment is not allowed in %s" % purpose)
            if node.attr.startswith("_"):
                refuse(node, "the attribute '%s' is not allowed in %s: attributes "
                                      "starting with '_' are internals" % (node.attr, purpose))
        elif kind is ast.Subscript and type(node.ctx) is not ast.Load:
            refuse(node, "assignment is not allowed in %s" % purpose)
        elif kind is ast.Call:
            func = node.func
            if type(func) is ast.Name and func.id not in SAFE_BUILTINS:
                refuse(node, "Calling '%s' is not allowed in %s" % (func.id, purpose))
            if type(func) in _REFUSED:
                refuse(node, _REFUSED[type(func)].format(p=purpose))
            if not among(type(func), (ast.Name, ast.Attribute)):
                refuse(node, "only builtin functions and methods of builtin values "
                                      "can be called in %s" % purpose)
            for kw in node.keywords:
                if kw.arg is None:
                    refuse(node, "unpacking with '**' is not allowed in %s" % purpose)
        elif kind is ast.Constant and isinstance(node.value, (str, bytes)) and len(node.value) > MAX_SOURCE:
            refuse(node, "a constant in the expression is too long")
        for child in ast.iter_child_nodes(node):
            stack.append((child, depth + 1))
    if problems:
        raise ExpressionError(min(problems)[1])


def _node_words(node):
    name = type(node).__name__
    words = {"Assign": "assignment", "AugAssign": "assignment", "Import": "import",
             "Delete": "'del'", "Global": "'global'"}
    return words.get(name, "the construct '%s'" % name)


class SafeExpression:
    """A checked expression, ready to be evaluated many times."""

    __slots__ = ("source", "purpose", "_tree")

    def __init__(self, source, purpose="conditions"):
        self.source = source
        self.purpose = purpose
        if not isinstance(source, str):
            raise ExpressionError("an expression must be a string")
        if len(source) > MAX_SOURCE:
            raise ExpressionError("the expression is too long (%d characters, at most %d)"
                                  % (len(source), MAX_SOURCE))
        if not source.strip():
            raise ExpressionError("the expression is empty")
        try:
            tree = ast.parse(source.strip(), mode="eval")
        except SyntaxError as e:
            msg = e.msg if getattr(e, "msg", None) else "invalid syntax"
            raise ExpressionError("syntax error in %r: %s; %s are single expressions without "
                                  "assignment" % (source, msg, purpose)) from None
        except (RecursionError, MemoryError, ValueError):
            raise ExpressionError("the expression is nested too deeply") from None
        _check_tree(tree, purpose)
        self._tree = tree.body

    def evaluate(self, frame=None, redactor=None, steps=DEFAULT_STEPS, namespace=None):
        """The value of the expression in ``frame``; raises ExpressionError."""
        walker = _Walker(frame, redactor, steps, self.purpose, namespace)
        try:
            return walker.eval(self._tree)
        except ExpressionError:
            raise
        except RecursionError:
            raise ExpressionError("the expression is nested too deeply") from None
        except MemoryError:
            raise ExpressionError("the expression needed too much memory") from None
        except Exception as e:  # an operation on builtin values failed
            raise ExpressionError(_describe(e)) from None


    def test(self, frame=None, redactor=None, steps=DEFAULT_STEPS, namespace=None):
        """The truth of the expression, judged without running user code."""
        walker = _Walker(frame, redactor, steps, self.purpose, namespace)
        try:
            return walker.truth(walker.eval(self._tree))
        except ExpressionError:
            raise
        except RecursionError:
            raise ExpressionError("the expression is nested too deeply") from None
        except MemoryError:
            raise ExpressionError("the expression needed too much memory") from None
        except Exception as e:
            raise ExpressionError(_describe(e)) from None

    def render(self, frame=None, redactor=None, spec="", conversion=None,
               steps=DEFAULT_STEPS, namespace=None):
        """The value formatted as text (a logpoint field), safely."""
        walker = _Walker(frame, redactor, steps, self.purpose, namespace)
        try:
            return walker.format(walker.eval(self._tree), spec, conversion)
        except ExpressionError:
            raise
        except RecursionError:
            raise ExpressionError("the expression is nested too deeply") from None
        except MemoryError:
            raise ExpressionError("the expression needed too much memory") from None
        except Exception as e:
            raise ExpressionError(_describe(e)) from None


def compile_expression(source, purpose="conditions"):
    return SafeExpression(source, purpose)


def _describe(exc):
    try:
        text = str(exc)
    except Exception:
        text = ""
    name = type(exc).__name__
    return "%s: %s" % (name, text[:200]) if text else name


class _Walker:
    __slots__ = ("frame", "redactor", "steps", "purpose", "ns", "_locals", "_globals")

    def __init__(self, frame, redactor, steps, purpose, namespace):
        self.frame = frame
        self.redactor = redactor
        self.steps = steps
        self.purpose = purpose
        self.ns = namespace
        self._locals = None
        self._globals = None

    # -- budget ---------------------------------------------------------
    def spend(self, n=1):
        self.steps -= n
        if self.steps < 0:
            raise ExpressionError("the expression used more than its work budget of %d steps"
                                  % DEFAULT_STEPS)

    def fail(self, message):
        raise ExpressionError(message)

    # -- safety of values ----------------------------------------------
    def is_safe(self, value, depth=0):
        """True when ``value`` is builtin data all the way down (bounded)."""
        self.spend()
        tp = type(value)
        if among(tp, _SCALARS):
            return True
        if depth > 20:
            return False
        if among(tp, (tuple, list, set, frozenset)):
            if len(value) > MAX_ITEMS:
                self.fail("a container with %d items is too large for %s" % (len(value), self.purpose))
            for item in value:
                if not self.is_safe(item, depth + 1):
                    return False
            return True
        if tp is dict or tp is _DICT_ITEMS:
            items = value if tp is not dict else dict.items(value)
            if len(items) > MAX_ITEMS:
                self.fail("a container with %d items is too large for %s" % (len(items), self.purpose))
            for k, v in items:
                if not (self.is_safe(k, depth + 1) and self.is_safe(v, depth + 1)):
                    return False
            return True
        if tp is _DICT_KEYS or tp is _DICT_VALUES:
            return self.is_safe(list(value), depth)
        if tp is range or tp is slice:
            return True
        return False

    def need_safe(self, value, what):
        if type(value) is Redacted:
            self.fail("'%s' is redacted and cannot be used in %s" % (value.name, self.purpose))
        if not self.is_safe(value):
            self.fail("%s of '%s' values is not evaluated in %s (it would run their code)"
                      % (what, type_name(type(value)), self.purpose))

    def truth(self, value):
        if type(value) is Redacted:
            self.fail("'%s' is redacted and cannot be used in %s" % (value.name, self.purpose))
        tp = type(value)
        if among(tp, _SCALARS) or among(tp, _CONTAINERS):
            return bool(value)
        if uses_default(tp, "__bool__"):
            if uses_default(tp, "__len__"):
                return True
            for base in (str, bytes, list, tuple, dict, set, frozenset):
                if is_instance(value, base) and not any(
                        "__len__" in class_dict(k) for k in mro_of(tp) if k is not base and k is not object
                        and not among(k, mro_of(base))):
                    return bool(base.__len__(value))
        self.fail("the truth value of '%s' objects is not evaluated in %s (it would run their "
                  "__bool__ or __len__)" % (type_name(tp), self.purpose))

    # -- nodes -----------------------------------------------------------
    def eval(self, node):
        self.spend()
        method = getattr(self, "eval_" + type(node).__name__, None)
        if method is None:
            self.fail("%s is not allowed in %s" % (_node_words(node), self.purpose))
        return method(node)

    def eval_Constant(self, node):
        return node.value

    def eval_Name(self, node):
        name = node.id
        if self.redactor is not None and self.redactor.is_secret(name):
            return Redacted(name)
        if self.ns is not None:
            if name in self.ns:
                return self.ns[name]
        else:
            if self._locals is None and self.frame is not None:
                self._locals = self.frame.f_locals
                self._globals = self.frame.f_globals
            if self._locals is not None:
                if name in self._locals:
                    return self._locals[name]
                if type(self._globals) is dict and name in self._globals:
                    return self._globals[name]
        if name in _CONSTANT_BUILTINS:
            return _CONSTANT_BUILTINS[name]
        if name in SAFE_BUILTINS:
            return _SafeBuiltin(name)
        import builtins
        if name in builtins.__dict__:
            return _Forbidden(name)
        self.fail("name '%s' is not defined" % name)

    def eval_Attribute(self, node):
        obj = self.eval(node.value)
        return self.getattr(obj, node.attr)

    def getattr(self, obj, name):
        tp = type(obj)
        if tp is Redacted:
            self.fail("'%s' is redacted and cannot be used in %s" % (obj.name, self.purpose))
        if self.redactor is not None and self.redactor.is_secret(name):
            return Redacted(name)
        for base in _BASE_ORDER:
            if is_instance(obj, base):
                if name in _PURE_METHODS.get(base, ()):
                    return _BoundSafe(obj, base, name)
                if name in _PURE_ATTRS.get(base, ()):
                    return getattr(obj, name) if tp is base else class_dict(base)[name].__get__(obj, tp)
                if tp is base:
                    self.fail("'%s' has no attribute '%s' that can be used in %s"
                              % (type_name(tp), name, self.purpose))
                break
        if is_instance(obj, types.ModuleType):
            d = instance_dict(obj)
            if d is not None and name in d:
                return d[name]
            self.fail("module '%s' has no attribute '%s'"
                      % ((d or {}).get("__name__", "?"), name))
        if is_instance(obj, type):
            found, value = lookup_class_attr(obj, name)
            if not found:
                self.fail("class '%s' has no attribute '%s'" % (type_name(obj), name))
            return self._class_value(obj, name, value)
        if among(tp, (_SafeBuiltin, _Forbidden, _UserMethod, _BoundSafe)):
            self.fail("attributes of functions are not available in %s" % self.purpose)
        found, cls_attr = lookup_class_attr(tp, name)
        if found:
            kind = type(cls_attr)
            if kind is types.MemberDescriptorType or kind is types.GetSetDescriptorType:
                try:
                    return cls_attr.__get__(obj, tp)   # a slot or C field: pure
                except AttributeError:
                    self.fail("attribute '%s' of '%s' is not set" % (name, type_name(tp)))
            if kind is property or any("__set__" in class_dict(k) or "__delete__" in class_dict(k)
                                       for k in mro_of(kind) if k is not object):
                self.fail("'%s' is a property of '%s'; properties are not evaluated in %s "
                          "(they run code)" % (name, type_name(tp), self.purpose))
        d = instance_dict(obj)
        if d is not None and name in d:
            return d[name]
        if found:
            return self._class_value(tp, name, cls_attr)
        if not uses_default(tp, "__getattr__"):
            self.fail("'%s' object has no attribute '%s' (its __getattr__ is not called in %s)"
                      % (type_name(tp), name, self.purpose))
        self.fail("'%s' object has no attribute '%s'" % (type_name(tp), name))

    def _class_value(self, owner, name, value):
        kind = type(value)
        if among(kind, (types.FunctionType, staticmethod, classmethod, types.BuiltinFunctionType,
                    types.MethodDescriptorType, types.WrapperDescriptorType)):
            return _UserMethod(owner, name)
        if not uses_default(kind, "__get__") or kind is property:
            self.fail("'%s' of '%s' is a descriptor; it is not evaluated in %s (it would run code)"
                      % (name, type_name(owner), self.purpose))
        return value

    def eval_Subscript(self, node):
        obj = self.eval(node.value)
        key = self.eval(node.slice)
        if type(key) is Redacted:
            self.fail("'%s' is redacted and cannot be used in %s" % (key.name, self.purpose))
        if type(obj) is Redacted:
            self.fail("'%s' is redacted and cannot be used in %s" % (obj.name, self.purpose))
        if is_instance(obj, dict):
            if not self.is_safe(key):
                self.fail("only builtin values can be used as dictionary keys in %s" % self.purpose)
            if is_instance(key, str) and self.redactor is not None and self.redactor.is_secret(key):
                return Redacted(key)
            if not dict.__contains__(obj, key):
                self.fail("key %s not found" % _short_repr(key))
            return dict.__getitem__(obj, key)
        for base in (str, bytes, list, tuple, range):
            if is_instance(obj, base):
                if type(key) is slice:
                    for part in (key.start, key.stop, key.step):
                        if part is not None and not among(type(part), (int, bool)):
                            self.fail("slice bounds must be integers")
                    n = len(range(base.__len__(obj))[key])
                    self.spend(n // 64)
                elif not among(type(key), (int, bool)):
                    self.fail("'%s' indices must be integers, not '%s'"
                              % (base.__name__, type_name(type(key))))
                try:
                    return base.__getitem__(obj, key)
                except IndexError:
                    self.fail("index %d is out of range (length %d)" % (key, base.__len__(obj)))
        self.fail("indexing '%s' objects is not evaluated in %s (it would run their code)"
                  % (type_name(type(obj)), self.purpose))

    def eval_Index(self, node):  # pragma: no cover - Python 3.8 trees only
        return self.eval(node.value)

    def eval_Slice(self, node):
        parts = [None if p is None else self.eval(p) for p in (node.lower, node.upper, node.step)]
        return slice(*parts)

    def eval_Tuple(self, node):
        return tuple(self.eval(e) for e in node.elts)

    def eval_List(self, node):
        return [self.eval(e) for e in node.elts]

    def eval_Set(self, node):
        items = [self.eval(e) for e in node.elts]
        for item in items:
            self.need_safe(item, "hashing")
        return set(items)

    def eval_Dict(self, node):
        out = {}
        for k, v in zip(node.keys, node.values):
            key = self.eval(k)
            self.need_safe(key, "hashing")
            out[key] = self.eval(v)
        return out

    def eval_BoolOp(self, node):
        is_and = type(node.op) is ast.And
        value = None
        for sub in node.values:
            value = self.eval(sub)
            if self.truth(value) != is_and:
                return value
        return value

    def eval_IfExp(self, node):
        return self.eval(node.body) if self.truth(self.eval(node.test)) else self.eval(node.orelse)

    def eval_UnaryOp(self, node):
        value = self.eval(node.operand)
        op = type(node.op)
        if op is ast.Not:
            return not self.truth(value)
        if not among(type(value), (int, float, complex, bool)):
            self.fail("unary '%s' on '%s' values is not evaluated in %s"
                      % ({ast.USub: "-", ast.UAdd: "+", ast.Invert: "~"}[op],
                         type_name(type(value)), self.purpose))
        if op is ast.USub:
            return -value
        if op is ast.UAdd:
            return +value
        return ~value

    def eval_BinOp(self, node):
        left = self.eval(node.left)
        right = self.eval(node.right)
        op = type(node.op)
        self.need_safe(left, "arithmetic")
        self.need_safe(right, "arithmetic")
        self._bound_binop(op, left, right)
        if op is ast.Add:
            return left + right
        if op is ast.Sub:
            return left - right
        if op is ast.Mult:
            return left * right
        if op is ast.Div:
            return left / right
        if op is ast.FloorDiv:
            return left // right
        if op is ast.Mod:
            if is_instance(left, (str, bytes)):
                self.fail("'%%' formatting is not allowed in %s; a logpoint message formats "
                          "fields with {name:spec}" % self.purpose)
            return left % right
        if op is ast.Pow:
            return left ** right
        if op is ast.LShift:
            return left << right
        if op is ast.RShift:
            return left >> right
        if op is ast.BitOr:
            return left | right
        if op is ast.BitXor:
            return left ^ right
        if op is ast.BitAnd:
            return left & right
        self.fail("this operator is not allowed in %s" % self.purpose)

    def _size(self, value):
        return len(value) if is_instance(value, (str, bytes, list, tuple, dict, set, frozenset)) else 0

    def _bound_binop(self, op, left, right):
        too_big = "the result would be too large for %s" % self.purpose
        if op is ast.Mult:
            for seq, n in ((left, right), (right, left)):
                if is_instance(seq, (str, bytes, list, tuple)) and among(type(n), (int, bool)):
                    if len(seq) * max(n, 0) > MAX_ITEMS:
                        self.fail(too_big)
            if type(left) is int and type(right) is int:
                if left.bit_length() + right.bit_length() > MAX_BITS:
                    self.fail(too_big)
        elif op is ast.Add:
            if self._size(left) + self._size(right) > MAX_ITEMS:
                self.fail(too_big)
        elif op is ast.Pow:
            if among(type(left), (int, bool)) and among(type(right), (int, bool)) and right > 0:
                if abs(left) > 1 and left.bit_length() * right > MAX_BITS:
                    self.fail(too_big)
            if type(right) is int and abs(right) > MAX_BITS:
                self.fail(too_big)
        elif op is ast.LShift:
            if among(type(right), (int, bool)) and among(type(left), (int, bool)):
                if right > MAX_BITS or left.bit_length() + right > MAX_BITS:
                    self.fail(too_big)
        elif op in (ast.BitOr, ast.BitAnd, ast.BitXor, ast.Sub):
            if self._size(left) + self._size(right) > MAX_ITEMS:
                self.fail(too_big)

    def eval_Compare(self, node):
        left = self.eval(node.left)
        for op, comp in zip(node.ops, node.comparators):
            right = self.eval(comp)
            if not self._compare(type(op), left, right):
                return False
            left = right
        return True

    def _compare(self, op, left, right):
        if op is ast.Is:
            return left is right
        if op is ast.IsNot:
            return left is not right
        if op in (ast.In, ast.NotIn):
            if type(right) is Redacted or type(left) is Redacted:
                self.need_safe(Redacted(right.name if type(right) is Redacted else left.name), "")
            if is_instance(right, dict):
                self.need_safe(left, "looking up")
                found = dict.__contains__(right, left)
            else:
                self.need_safe(right, "searching")
                self.need_safe(left, "searching for")
                found = left in right
            return found if op is ast.In else not found
        if op in (ast.Eq, ast.NotEq):
            if type(left) is Redacted or type(right) is Redacted:
                self.need_safe(left if type(left) is Redacted else right, "")
            if self.is_safe(left) and self.is_safe(right):
                equal = left == right
            elif self._identity_eq(left) and self._identity_eq(right):
                equal = left is right
            else:
                odd = right if self.is_safe(left) or self._identity_eq(left) else left
                self.fail("comparing '%s' objects is not evaluated in %s (their __eq__ would run)"
                          % (type_name(type(odd)), self.purpose))
            return equal if op is ast.Eq else not equal
        self.need_safe(left, "comparison")
        self.need_safe(right, "comparison")
        if op is ast.Lt:
            return left < right
        if op is ast.LtE:
            return left <= right
        if op is ast.Gt:
            return left > right
        return left >= right

    def _identity_eq(self, value):
        tp = type(value)
        if among(tp, _SCALARS):
            return True
        if among(tp, (types.FunctionType, types.ModuleType, types.BuiltinFunctionType)):
            return True
        if is_instance(value, type):
            return uses_default(type(value), "__eq__")
        return uses_default(tp, "__eq__")

    def eval_JoinedStr(self, node):
        parts = []
        size = 0
        for value in node.values:
            text = value.value if type(value) is ast.Constant else self.eval(value)
            size += len(text)
            if size > MAX_ITEMS:
                self.fail("the formatted string would be too long")
            parts.append(text)
        return "".join(parts)

    def eval_FormattedValue(self, node):
        value = self.eval(node.value)
        spec = "" if node.format_spec is None else self.eval(node.format_spec)
        conv = {-1: None, 115: "s", 114: "r", 97: "a"}.get(node.conversion)
        return self.format(value, spec, conv)

    def format(self, value, spec="", conversion=None):
        """Format like ``format()``, but only ever on builtin values."""
        if type(value) is Redacted:
            return "<redacted>"
        if not self.is_safe(value):
            return placeholder(value)
        if conversion == "r":
            value = bounded_repr(value)
        elif conversion == "a":
            value = ascii(bounded_repr(value))
        elif conversion == "s":
            value = value if type(value) is str else bounded_repr(value)
        if spec:
            check_format_spec(spec)
            try:
                return format(value, spec)
            except (ValueError, TypeError) as e:
                self.fail("bad format spec %r for a '%s' value: %s"
                          % (spec, type_name(type(value)), _describe(e)))
        if type(value) is str:
            return value
        return bounded_repr(value)

    def eval_Call(self, node):
        func = self.eval(node.func)
        args = [self.eval(a) for a in node.args]
        kwargs = {kw.arg: self.eval(kw.value) for kw in node.keywords}
        for a in list(args) + list(kwargs.values()):
            if type(a) is Redacted and not (type(func) is _SafeBuiltin and func.name == "isinstance"):
                self.fail("'%s' is redacted and cannot be used in %s" % (a.name, self.purpose))
        kind = type(func)
        if kind is _SafeBuiltin:
            return func.call(self, args, kwargs)
        if kind is _BoundSafe:
            return self._call_method(func, args, kwargs)
        if kind is _Forbidden:
            self.fail("Calling '%s' is not allowed in %s" % (func.name, self.purpose))
        if kind is _UserMethod:
            self.fail("Calling '%s' of '%s' is not allowed in %s (it would run user code)"
                      % (func.name, type_name(func.owner) if is_instance(func.owner, type)
                         else "object", self.purpose))
        name = node.func.id if type(node.func) is ast.Name else getattr(node.func, "attr", "?")
        self.fail("Calling '%s' is not allowed in %s (it is a '%s', not a known-pure builtin)"
                  % (name, self.purpose, type_name(kind)))

    def _call_method(self, m, args, kwargs):
        if kwargs:
            self.fail("keyword arguments are not allowed for '%s.%s' in %s"
                      % (m.base.__name__, m.name, self.purpose))
        for a in args:
            self.need_safe(a, "passing")
        recv = m.receiver
        if m.base in (dict, list, tuple, set, frozenset):
            if type(recv) is not m.base:
                # A subclass: judge a plain copy made with the base type's C code,
                # and call the base type's method, so no override runs.
                items = dict.items(recv) if m.base is dict else m.base.__iter__(recv)
                self.spend(m.base.__len__(recv) // 16)
                if m.base.__len__(recv) > MAX_ITEMS:
                    self.fail("a container with %d items is too large for %s"
                              % (m.base.__len__(recv), self.purpose))
                self.need_safe(dict(items) if m.base is dict else list(items), "calling methods")
            else:
                self.need_safe(recv, "calling methods")
        if m.base in (str, bytes):
            n = len(recv)
            if m.name == "replace" and len(args) >= 2:
                grow = max(len(args[1]) - len(args[0]), 0)
                if n + m.base.count(recv, args[0]) * grow > MAX_ITEMS:
                    self.fail("the result would be too large for %s" % self.purpose)
            elif m.name in ("ljust", "rjust", "center", "zfill") and args:
                if type(args[0]) is not int or args[0] > MAX_ITEMS:
                    self.fail("the result would be too large for %s" % self.purpose)
            elif m.name == "join" and args:
                total = sum(len(x) if is_instance(x, (str, bytes)) else 0 for x in args[0])
                if total + n * len(args[0]) > MAX_ITEMS:
                    self.fail("the result would be too large for %s" % self.purpose)
            self.spend(n // 64)
        method = class_dict(m.base)[m.name]
        return method(recv, *args)


def check_format_spec(spec):
    """Refuse format specs that would allocate a lot (``{x:999999999}``)."""
    if type(spec) is not str or len(spec) > 40:
        raise ExpressionError("format spec %r is too long" % (spec,))
    digits = ""
    for ch in spec + " ":
        if ch.isdigit():
            digits += ch
            continue
        if digits and int(digits) > MAX_WIDTH:
            raise ExpressionError("width or precision %s in format spec %r is larger than %d"
                                  % (digits, spec, MAX_WIDTH))
        digits = ""


def bounded_repr(value, limit=MAX_ITEMS):
    """``repr`` of builtin data, refusing results larger than ``limit``."""
    if type(value) is int and value.bit_length() > 8000:
        return "<int of %d bits>" % value.bit_length()
    text = repr(value)
    if len(text) > limit:
        raise ExpressionError("the value's text is too long (%d characters)" % len(text))
    return text


def _short_repr(value):
    text = bounded_repr(value) if among(type(value), _SCALARS) else placeholder(value)
    return text if len(text) <= 80 else text[:77] + "..."


class _SafeBuiltin:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def call(self, w, args, kwargs):
        name = self.name
        allowed_kw = {"sorted": ("reverse",), "min": ("default",), "max": ("default",)}
        for key in kwargs:
            if key not in allowed_kw.get(name, ()):
                w.fail("'%s' does not take the keyword '%s' in %s" % (name, key, w.purpose))
        if name == "isinstance":
            if len(args) != 2:
                w.fail("isinstance() takes 2 arguments")
            classes = args[1] if type(args[1]) is tuple else (args[1],)
            for c in classes:
                if not is_instance(c, type):
                    w.fail("isinstance() needs a class or a tuple of classes")
            value = args[0]
            mro = mro_of(Redacted if type(value) is Redacted else type(value))
            return any(c in mro for c in classes)
        if name == "type":
            if len(args) != 1:
                w.fail("type() takes 1 argument in %s" % w.purpose)
            return type(args[0])
        if name == "hasattr":
            if len(args) != 2 or type(args[1]) is not str:
                w.fail("hasattr() takes an object and an attribute name")
            if args[1].startswith("_"):
                w.fail("the attribute '%s' is not allowed in %s" % (args[1], w.purpose))
            try:
                w.getattr(args[0], args[1])
                return True
            except ExpressionError as e:
                if "no attribute" in str(e):
                    return False
                raise
        if name in ("str", "repr"):
            if len(args) > 1:
                w.fail("%s() takes 1 argument in %s" % (name, w.purpose))
            if not args:
                return ""
            value = args[0]
            if not w.is_safe(value):
                return placeholder(value)
            if name == "str" and type(value) is str:
                return value
            return bounded_repr(value)
        if name == "len":
            if len(args) != 1:
                w.fail("len() takes 1 argument")
            value = args[0]
            for base in (str, bytes, list, tuple, dict, set, frozenset, range):
                if is_instance(value, base):
                    return base.__len__(value)
            if among(type(value), _CONTAINERS):
                return len(value)
            w.fail("len() of '%s' objects is not evaluated in %s (it would run their __len__)"
                   % (type_name(type(value)), w.purpose))
        for a in args:
            w.need_safe(a, "%s()" % name)
        for v in kwargs.values():
            w.need_safe(v, "%s()" % name)
        if name in ("int", "float") and args and is_instance(args[0], (str, bytes)) and len(args[0]) > 1000:
            w.fail("%s() of a string longer than 1000 characters is not evaluated" % name)
        if name in ("tuple", "list", "set", "frozenset", "sorted", "sum", "min", "max", "any", "all"):
            for a in args:
                if is_instance(a, (str, bytes, list, tuple, dict, set, frozenset, range)):
                    if len(a) > MAX_ITEMS:
                        w.fail("%s() of %d items is too much work for %s" % (name, len(a), w.purpose))
                    w.spend(len(a) // 16)
        if name == "round" and len(args) == 2 and type(args[1]) is int and abs(args[1]) > 1000:
            w.fail("round() to more than 1000 digits is not evaluated")
        if name == "chr" and args and type(args[0]) is not int:
            w.fail("chr() needs an integer")
        import builtins
        try:
            return getattr(builtins, name)(*args, **kwargs)
        except (TypeError, ValueError, OverflowError, ZeroDivisionError) as e:
            w.fail("%s() failed: %s" % (name, _describe(e)))
