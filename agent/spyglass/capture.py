# SPDX-License-Identifier: GPL-3.0-or-later
"""Turn a live stack into a snapshot: Cloud Debugger variables, bounded.

Capturing must never run user code, so nothing here calls ``repr``, ``str``,
``len`` or ``getattr`` on an object unless its *exact* type is a builtin whose
implementation is known to be pure.  User objects are walked through their
instance ``__dict__`` and ``__slots__``, read with the C descriptors of their
classes (see :mod:`spyglass.safe_eval`), so properties, ``__getattr__`` and
``__repr__`` never run.

Objects that are not plain values go into ``variable_table`` once, keyed by
identity, and every reference to them is a ``var_table_index``: shared objects
and cycles cost one entry.  The table is filled breadth first, so when the
size budget runs out it is the deepest members that are marked as not
captured, not the locals of the top frame.
"""

import collections
import itertools
import sys
import threading
import types

from .safe_eval import (ExpressionError, Redacted, among, class_dict, instance_dict,
                        is_instance, mro_of, type_name, placeholder)


class Limits:
    def __init__(self, frames=20, frames_with_locals=5, string=256, items=25, depth=5,
                 snapshot_bytes=32 * 1024):
        self.frames = frames
        self.frames_with_locals = frames_with_locals
        self.string = string
        self.items = items
        self.depth = depth
        self.snapshot_bytes = snapshot_bytes


_NoneType = type(None)
_BIG = 1 << 64
# Tuples searched with among(): identity only, never a metaclass __eq__ or __hash__.
_PLAIN = (int, float, complex, bool, type(None), type(Ellipsis), range)
_SEQUENCES = (list, tuple, set, frozenset, collections.deque)
_DEFINITIONS = (types.ModuleType, types.FunctionType, types.BuiltinFunctionType)
_NAMED = (types.FunctionType, types.BuiltinFunctionType, types.MethodType,
          types.CodeType, types.FrameType, types.GeneratorType, types.CoroutineType)


_INDEX = ["[%d]" % i for i in range(64)]

# Dispatch by id() of the exact type: hashing an int runs nothing, where
# hashing a class may run its metaclass's __hash__.  These are builtin types
# that live as long as the interpreter, so their ids are never reused.
_SIMPLE = {id(int): "int", id(float): "float", id(bool): "bool", id(_NoneType): "NoneType"}
_EXACT_CONTAINERS = {id(t): t for t in (dict, list, tuple, set, frozenset, collections.deque)}
_PLAIN_IDS = frozenset(id(t) for t in _PLAIN)
_NAMED_IDS = frozenset(id(t) for t in _NAMED)


def _container_base(tp):
    """The builtin container class ``tp`` derives from, by one walk of its MRO."""
    for klass in mro_of(tp):
        if (klass is dict or klass is list or klass is tuple or klass is set
                or klass is frozenset or klass is collections.deque):
            return klass
    return None


def _status(message, is_error=False, refers_to="variable_value"):
    return {"is_error": is_error, "refers_to": refers_to, "message": message}


def _pure_repr_types():
    """Exact stdlib types whose repr is implemented in C (or is pure) and safe."""
    found = []
    dt = sys.modules.get("datetime")
    if dt is not None:
        found += [getattr(dt, n, None) for n in ("datetime", "date", "time", "timedelta", "timezone")]
    dec = sys.modules.get("decimal")
    if dec is not None:
        found.append(getattr(dec, "Decimal", None))
    uu = sys.modules.get("uuid")
    if uu is not None:
        found.append(getattr(uu, "UUID", None))
    return tuple(t for t in found if type(t) is type)


def relative_path(filename, source_root):
    if source_root and filename.startswith(source_root.rstrip("/") + "/"):
        return filename[len(source_root.rstrip("/")) + 1:]
    return filename


def code_name(code):
    return getattr(code, "co_qualname", None) or code.co_name


def thread_info():
    ident = threading.get_ident()
    thread = threading._active.get(ident)  # no _DummyThread side effect for foreign threads
    name = thread.name if thread is not None else "thread-%d" % ident
    return {"id": ident, "name": name}


def current_task_info():
    """The asyncio task running in this thread, if any, without importing asyncio."""
    aio = sys.modules.get("asyncio")
    if aio is None:
        return None
    try:
        loop = aio.events._get_running_loop()
        if loop is None:
            return None
        task = aio.tasks.current_task(loop)
        if task is None:
            return None
        info = {"name": None, "coroutine": None}
        if among(type(task), (getattr(aio, "Task", None), getattr(aio.tasks, "_PyTask", None))):
            info["name"] = task.get_name()
            coro = task.get_coro()
            if among(type(coro), (types.CoroutineType, types.GeneratorType)):
                info["coroutine"] = coro.__qualname__
        else:
            info["name"] = placeholder(task)
        return info
    except Exception:
        return None


class Capturer:
    """Builds one snapshot.  Not thread-safe: make one per hit."""

    def __init__(self, redactor, limits=None, source_root=None):
        self.redactor = redactor
        self.limits = limits or Limits()
        self.source_root = source_root
        self.table = []
        self._memo = {}
        self._keep = []          # keeps walked objects alive so ids stay unique
        self._queue = collections.deque()
        self._bytes = 0
        self._full = False
        self._pure = _pure_repr_types()
        # The redactor's own cache of verdicts outlives this snapshot, so names
        # seen in earlier hits cost one lookup.
        cache = getattr(redactor, "_cache", None)
        self._secret = cache if type(cache) is dict else {}
        self._layouts = {}       # id(type) -> see _layout()
        self._enum = False
        self._string_limit = self.limits.string
        self._byte_limit = self.limits.snapshot_bytes
        self._depth_limit = self.limits.depth

    # -- budget --------------------------------------------------------------
    # Sizes are estimated as the JSON they become: the keys, quotes and commas
    # of a Variable are 38 bytes, a reference 40, a status 78 plus its message.
    def _charge(self, name, var):
        """Account for a Variable that is not a plain str or number; returns it."""
        self._bytes += 40 + len(name) + len(var.get("value") or "") + len(var.get("type") or "")
        status = var.get("status")
        if status is not None:
            self._bytes += 78 + len(status["message"])
        if self._bytes > self._byte_limit:
            self._full = True
        return var

    def _not_captured(self, name):
        return {"name": name, "status": _status(
            "Not captured: the snapshot reached its size limit of %d KiB"
            % (self.limits.snapshot_bytes // 1024))}

    def _is_secret(self, name):
        if self.redactor is None:
            return False
        return self.redactor.is_secret(name)    # fills the shared cache

    # -- values ----------------------------------------------------------------
    def variable(self, name, value, depth=1):
        """A Variable for ``value``; composites are queued for the table.

        This runs for every value in a snapshot, so the common cases (short
        strings, numbers, None) take the first, cheapest path.
        """
        if self._full:
            return self._not_captured(name)
        secret = self._secret.get(name)
        if secret is None:
            secret = self._is_secret(name)
        tp = type(value)
        if secret:
            return self._charge(name, {
                "name": name, "type": type_name(tp), "value": "<redacted>",
                "status": _status("Redacted: the name '%s' looks like it holds a secret" % name)})
        if tp is str:
            if len(value) <= self._string_limit:
                text = repr(value)
                self._bytes += 41 + len(name) + len(text) + text.count('"')
                if self._bytes > self._byte_limit:
                    self._full = True
                return {"name": name, "type": "str", "value": text}
        else:
            simple = _SIMPLE.get(id(tp))
            if simple is not None and (tp is not int or -_BIG < value < _BIG):
                text = repr(value)
                self._bytes += 38 + len(name) + len(simple) + len(text)
                if self._bytes > self._byte_limit:
                    self._full = True
                return {"name": name, "type": simple, "value": text}
            if id(tp) in _EXACT_CONTAINERS:
                return self._reference(name, value, tp, depth)
        if tp is Redacted:
            return self._charge(name, {
                "name": name, "value": "<redacted>",
                "status": _status("Redacted: the name '%s' looks like it holds a secret"
                                  % value.name)})
        var = self._inline(name, value, tp)
        if var is not None:
            return self._charge(name, var)
        return self._reference(name, value, tp, depth)

    def _reference(self, name, value, tp, depth):
        """A ``var_table_index`` Variable; a new table entry is queued to expand."""
        key = id(value)
        index = self._memo.get(key)
        if index is None:
            tname = type_name(tp)
            if depth > self._depth_limit:
                return self._charge(name, {
                    "name": name, "type": tname,
                    "status": _status("Not captured: deeper than %d levels" % self._depth_limit)})
            index = len(self.table)
            self._memo[key] = index
            self._keep.append(value)
            self.table.append({"type": tname, "members": []})
            self._queue.append((index, value, depth))
            self._bytes += 54 + len(tname)
        self._bytes += 40 + len(name)
        if self._bytes > self._byte_limit:
            self._full = True
        return {"name": name, "var_table_index": index}

    def _inline(self, name, value, tp):
        """Variables for values that need no table entry, or None."""
        limit = self._string_limit
        if tp is str:
            return {"name": name, "type": "str", "value": repr(value[:limit]),
                    "status": _status("Only the first %d of %d characters were captured"
                                      % (limit, len(value)))}
        if tp is bytes or tp is bytearray:
            var = {"name": name, "type": tp.__name__, "value": repr(tp(value[:limit]))}
            if len(value) > limit:
                var["status"] = _status("Only the first %d of %d bytes were captured"
                                        % (limit, len(value)))
            return var
        if id(tp) in _PLAIN_IDS:
            if tp is int and value.bit_length() > 800:
                return {"name": name, "type": "int", "value": hex(value)[:limit] + "...",
                        "status": _status("A %d-bit integer, shown in part as hex"
                                          % value.bit_length())}
            return {"name": name, "type": tp.__name__, "value": repr(value)[:limit]}
        if among(tp, self._pure):
            return {"name": name, "type": type_name(tp), "value": repr(value)[:limit]}
        if id(tp) in _NAMED_IDS:
            return {"name": name, "type": type_name(tp), "value": self._named(value)}
        if tp is types.ModuleType:
            d = instance_dict(value) or {}
            return {"name": name, "type": "module", "value": "<module %r>" % (d.get("__name__"),)}
        if is_instance(value, type):
            return {"name": name, "type": "type", "value": "<class '%s'>" % type_name(value)}
        return None

    def _named(self, value):
        tp = type(value)
        try:
            if tp is types.MethodType:
                return "<bound method %s>" % value.__func__.__qualname__
            if tp is types.CodeType:
                return "<code %s>" % code_name(value)
            if tp is types.FrameType:
                return "<frame of %s>" % code_name(value.f_code)
            return "<%s %s>" % ({types.FunctionType: "function", types.BuiltinFunctionType:
                                 "built-in function", types.GeneratorType: "generator",
                                 types.CoroutineType: "coroutine"}[tp], value.__qualname__)
        except Exception:
            return placeholder(value)

    def _expand(self, index, value, depth):
        entry = self.table[index]
        tp = type(value)
        limit = self.limits.items
        members = entry["members"]
        variable = self.variable
        depth += 1
        layout = None
        base = _EXACT_CONTAINERS.get(id(tp))
        if base is None:
            layout = self._layout(tp)
            base = layout[4]
        if base is dict:
            total = dict.__len__(value)
            entry["value"] = "len=%d" % total
            for k, v in itertools.islice(dict.items(value), limit):
                if type(k) is str:
                    key = k
                elif id(type(k)) in _PLAIN_IDS or type(k) is bytes:
                    key = "[%s]" % repr(k)[:64]
                else:
                    key = "[%s]" % placeholder(k)
                members.append(variable(key, v, depth))
        elif base is not None:
            total = base.__len__(value)
            entry["value"] = "len=%d" % total
            for i, item in enumerate(itertools.islice(base.__iter__(value), limit)):
                members.append(variable(_INDEX[i] if i < 64 else "[%d]" % i, item, depth))
        else:
            total = self._expand_object(entry, value, tp, layout, limit, depth)
        if total > limit:
            entry["status"] = _status("Only the first %d of %d items were captured" % (limit, total))

    def _layout(self, tp):
        """What walking an instance of ``tp`` needs, found once per class and snapshot:
        the C descriptor of its instance ``__dict__``, its slot descriptors,
        whether it is an enum, and the builtin container it derives from."""
        layout = self._layouts.get(id(tp))
        if layout is not None and layout[0] is tp:
            return layout
        mro = mro_of(tp)
        dict_descr = None
        for klass in mro:
            descr = class_dict(klass).get("__dict__")
            if descr is None:
                continue
            if among(type(descr), (types.GetSetDescriptorType, types.MemberDescriptorType)):
                dict_descr = descr
            break
        slots = []
        for klass in mro:
            names = class_dict(klass).get("__slots__")
            if type(names) is str:
                names = (names,)
            if not among(type(names), (tuple, list)):
                continue
            for slot in names:
                descr = class_dict(klass).get(slot) if type(slot) is str else None
                if type(descr) is types.MemberDescriptorType:
                    slots.append((slot, descr))
        base = self._enum
        if base is False:
            enum = sys.modules.get("enum")
            base = None
            if enum is not None and type(enum) is types.ModuleType:
                base = (instance_dict(enum) or {}).get("Enum")
            self._enum = base
        is_enum = base is not None and any(klass is base for klass in mro)
        layout = (tp, dict_descr, slots, is_enum, _container_base(tp))
        self._layouts[id(tp)] = layout
        return layout

    def _expand_object(self, entry, value, tp, layout, limit, depth):
        """Members of a user object from its ``__dict__`` and ``__slots__``."""
        _, dict_descr, slots, is_enum, _ = layout
        d = None
        if dict_descr is not None:
            try:
                d = dict_descr.__get__(value, tp)
            except Exception:
                d = None
            if type(d) is not dict:
                d = None
        enum_name = None
        if is_enum:
            name = (d or {}).get("_name_")
            if type(name) is str:
                enum_name = "%s.%s" % (tp.__name__, name)
                entry["value"] = enum_name
        members = entry["members"]
        variable = self.variable
        total = 0
        if d is not None:
            total = len(d)
            for name, v in itertools.islice(d.items(), limit):
                members.append(variable(name if type(name) is str else placeholder(name),
                                        v, depth))
        for slot, descr in slots:
            try:
                v = descr.__get__(value, tp)
            except AttributeError:
                continue
            total += 1
            if len(members) < limit:
                members.append(variable(slot, v, depth))
        if d is None and total == 0 and enum_name is None:
            entry["value"] = placeholder(value)
        return total

    def finish(self):
        """Expand queued table entries breadth first until the budget runs out."""
        while self._queue:
            index, value, depth = self._queue.popleft()
            if self._full:
                self.table[index]["status"] = _status(
                    "Members not captured: the snapshot reached its size limit of %d KiB"
                    % (self.limits.snapshot_bytes // 1024))
                continue
            try:
                self._expand(index, value, depth)
            except Exception as e:  # a broken object must not lose the snapshot
                self.table[index]["status"] = _status("Could not be captured: %s"
                                                      % type(e).__name__, is_error=True)
        self._keep = []
        return self.table

    # -- frames ---------------------------------------------------------------
    def frame_record(self, frame, with_locals, blocked_by=None):
        code = frame.f_code
        function, path, arg_names = _code_info(code, self.source_root)
        record = {"function": function,
                  "location": {"path": path, "line": frame.f_lineno},
                  "arguments": [], "locals": []}
        if not with_locals:
            return record
        if blocked_by:
            record["status"] = _status("Locals not captured: module is on the blocklist ('%s')"
                                       % blocked_by, refers_to="breakpoint_source_location")
            return record
        try:
            scope = frame.f_locals
            items = list(scope.items())
        except Exception:
            return record
        variable = self.variable
        arguments = record["arguments"]
        for name in arg_names:
            for k, v in items:
                if k is name or (type(k) is str and k == name):
                    arguments.append(variable(name, v))
                    break
        module_scope = scope is frame.f_globals
        local_vars = record["locals"]
        for k, v in items:
            if type(k) is not str:
                continue   # only a module's globals can have such keys; == on them is user code
            if k in arg_names:
                continue
            if module_scope and (k.startswith("__") or among(type(v), _DEFINITIONS)
                                 or is_instance(v, type)):
                continue   # a module's globals: its imports and definitions are noise
            local_vars.append(variable(k, v))
        return record


# Per code object: function name, path relative to the source root and the
# argument names -- the same for every hit, so worked out once.  Keyed by id
# with the code object kept in the value, so an id is never reused while cached.
_CODE_INFO = {}


def _code_info(code, source_root):
    cached = _CODE_INFO.get(id(code))
    if cached is not None and cached[0] is code and cached[1] == source_root:
        return cached[2]
    nargs = code.co_argcount + code.co_kwonlyargcount
    flags = code.co_flags
    nargs += bool(flags & 0x04) + bool(flags & 0x08)   # *args, **kwargs
    info = (code_name(code), relative_path(code.co_filename, source_root),
            code.co_varnames[:nargs])
    if len(_CODE_INFO) >= 4096:
        _CODE_INFO.clear()
    _CODE_INFO[id(code)] = (code, source_root, info)
    return info


def capture_stack(frame, capturer, expressions=(), blocked=None, redactor=None):
    """The snapshot part of a breakpoint: frames, expressions, variable table.

    ``expressions`` are compiled SafeExpressions; ``blocked(frame)`` names the
    blocklist entry covering a frame's module, or returns None.
    """
    limits = capturer.limits
    evaluated = []
    for expr in expressions:
        try:
            value = expr.evaluate(frame, redactor)
            evaluated.append(capturer.variable(expr.source, value))
        except ExpressionError as e:
            evaluated.append({"name": expr.source,
                              "status": _status(str(e), True, "variable_name")})
    frames = []
    f = frame
    while f is not None and len(frames) < limits.frames:
        with_locals = len(frames) < limits.frames_with_locals
        frames.append(capturer.frame_record(f, with_locals, blocked(f) if blocked else None))
        f = f.f_back
    if f is not None:
        more = 0
        while f is not None:
            more += 1
            f = f.f_back
        frames[-1]["status"] = _status("%d more calling frames were not captured (limit %d)"
                                       % (more, limits.frames))
    table = capturer.finish()
    return {"stack_frames": frames, "evaluated_expressions": evaluated, "variable_table": table}
