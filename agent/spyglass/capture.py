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

A snapshot is taken in two phases, so that the thread that hit the
breakpoint is held only for the first.  ``freeze`` runs at the hit: it copies
the shape of what will be shown (the first items of every container and the
attributes of every object it may show, into lists of its own) and keeps
references to immutable values, formatting at once only the few kinds of
value that could still change (bytearray, functions, modules, classes).
``format`` runs later, on the agent's worker thread: it turns what was kept
into Variables, counts the exact JSON size, and fills the table.  A container
changed right after the hit is reported as it was at the hit.
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
        self._pure = None        # see _inline(); found when first needed
        # The redactor's own cache of verdicts outlives this snapshot, so names
        # seen in earlier hits cost one lookup.
        cache = getattr(redactor, "_cache", None)
        self._secret = cache if type(cache) is dict else {}
        self._layouts = _LAYOUTS  # id(type) -> see _layout()
        self._enum = False
        self._string_limit = self.limits.string
        self._byte_limit = self.limits.snapshot_bytes
        self._depth_limit = self.limits.depth
        self._composite = {}     # id(type) -> type: walked as an object, never inline
        # Phase 1 (freeze): its own memo and queue, a lower bound of the size,
        # and what it copied, by id() of the object.
        self._fmemo = {}
        self._work = []
        self._frozen = {}
        self._lb = 0
        self._frames = []
        self._more_frames = 0
        self._expr_results = ()
        self._expr_values = None
        items = self.limits.items
        self._index_names = _INDEX if items <= len(_INDEX) else ["[%d]" % i for i in range(items)]

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
        if tp is _Pre:
            return self._charge(name, value.var)
        if self._composite.get(id(tp)) is tp:
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
        pure = self._pure
        if pure is None:
            pure = self._pure = _pure_repr_types()
        if among(tp, pure):
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
        """Members of a table entry, from what :meth:`freeze` copied at the hit."""
        entry = self.table[index]
        frozen = self._frozen.get(id(value))
        if frozen is None:
            # freeze() stops copying once its estimate of the size -- never more
            # than this phase counts -- passes the limit, so this phase is past
            # it too by the time it gets here.
            entry["status"] = _status(
                "Members not captured: the snapshot reached its size limit of %d KiB"
                % (self.limits.snapshot_bytes // 1024))
            return
        if type(frozen) is str:
            entry["status"] = _status("Could not be captured: %s" % frozen, is_error=True)
            return
        text, names, values, total = frozen
        if text is None:
            entry["value"] = "len=%d" % total
        elif text is not False:
            entry["value"] = text
        members = entry["members"]
        variable = self.variable
        depth += 1
        for name, item in zip(names, values):
            members.append(variable(name, item, depth))
        limit = self.limits.items
        if total > limit:
            entry["status"] = _status("Only the first %d of %d items were captured" % (limit, total))

    def _layout(self, tp):
        """What walking an instance of ``tp`` needs, found once per class:
        the C descriptor of its instance ``__dict__``, its slot descriptors,
        whether it is an enum, the builtin container it derives from, and
        whether it is none of these but a plain ``__dict__``."""
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
        base = _container_base(tp)
        # The common user object: attributes only in its __dict__.
        plain = dict_descr is not None and not slots and not is_enum and base is None
        layout = (tp, dict_descr, slots, is_enum, base, plain)
        if len(self._layouts) >= 4096:
            self._layouts.clear()
        self._layouts[id(tp)] = layout
        return layout

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
        self._frozen = {}
        self._fmemo = {}
        self._work = []
        return self.table

    # -- phase 1: at the hit, in the host thread --------------------------------
    # Everything below copies; nothing formats.  What it keeps is what the
    # snapshot will report: the shape of every container and object it may
    # show (their first items, copied into lists the host cannot change) and
    # references to the immutable values in them.  Values that are neither
    # immutable nor containers (bytearray, functions, modules, classes) are
    # formatted here, because they could change before phase 2 runs.
    #
    # Which objects phase 2 can reach depends on the 32 KiB budget, which
    # phase 2 counts exactly (the JSON text of each value).  Phase 1 walks the
    # same values in the same order but charges a lower bound of what phase 2
    # will charge (the fixed part of a Variable and its name), so it always
    # runs out later: every object phase 2 expands has been copied.  It checks
    # the estimate between containers, so it walks at most one container (25
    # values) past 32 KiB / 38 bytes of values.

    def freeze(self, frame, expressions=(), blocked=None, redactor=None):
        """Copy what the snapshot of ``frame``'s stack needs; see :meth:`format`.

        ``expressions`` are compiled SafeExpressions, evaluated here (they need
        the live frame); ``blocked(frame)`` names the blocklist entry covering
        a frame's module, or returns None.
        """
        work = self._work
        results = []
        evaluated = _Level([], [])
        for expr in expressions:
            try:
                evaluated.values.append(expr.evaluate(frame, redactor))
                evaluated.names.append(expr.source)
                results.append(None)
            except ExpressionError as e:
                results.append((expr.source, str(e)))
        self._expr_results = results
        self._expr_values = evaluated
        work.append(evaluated)
        limits = self.limits
        frames = self._frames
        f = frame
        while f is not None and len(frames) < limits.frames:
            code = f.f_code
            if len(frames) >= limits.frames_with_locals:
                frames.append((code, f.f_lineno, None, None, None))
            else:
                blocked_by = blocked(f) if blocked else None
                if blocked_by:
                    frames.append((code, f.f_lineno, blocked_by, None, None))
                else:
                    arguments, local_vars = self._frame_vars(f, code)
                    frames.append((code, f.f_lineno, True, arguments, local_vars))
                    if arguments is not None:
                        work.append(arguments)
                        work.append(local_vars)
            f = f.f_back
        more = 0
        while f is not None:
            more += 1
            f = f.f_back
        self._more_frames = more
        self._walk()

    def _frame_vars(self, frame, code):
        """(arguments, locals) of a frame as two _Levels, or (None, None)."""
        arg_names = _code_info(code, self.source_root)[2]
        try:
            scope = frame.f_locals
            items = list(scope.items())
        except Exception:
            return None, None
        module_scope = scope is frame.f_globals
        n = len(arg_names)
        i = 0
        if not module_scope and len(items) >= n:
            # A function's locals list its arguments first, in order, under the
            # very name objects of co_varnames; a deleted or cell argument
            # breaks the pattern and takes the general path.
            while i < n and items[i][0] is arg_names[i]:
                i += 1
        if i == n and not module_scope:
            if not items:
                return _Level([], []), _Level([], [])
            names, values = zip(*items)
            return (_Level(list(names[:n]), list(values[:n])),
                    _Level(list(names[n:]), list(values[n:])))
        arguments = []
        for name in arg_names:
            for k, v in items:
                if k is name or (type(k) is str and k == name):
                    arguments.append((name, v))
                    break
        local_vars = []
        for k, v in items:
            if type(k) is not str:
                continue   # only a module's globals can have such keys; == on them is user code
            if k in arg_names:
                continue
            if module_scope and (k.startswith("__") or among(type(v), _DEFINITIONS)
                                 or is_instance(v, type)):
                continue   # a module's globals: its imports and definitions are noise
            local_vars.append((k, v))
        return (_Level([k for k, _ in arguments], [v for _, v in arguments]),
                _Level([k for k, _ in local_vars], [v for _, v in local_vars]))

    def _walk(self):
        """Copy breadth first, as phase 2 will expand them, the levels of
        named values in ``_work`` -- the expressions and each frame's
        arguments and locals -- and then the containers and objects found in
        them, a generation (one depth) at a time, until the size estimate
        passes the budget.

        Per level: names that are not strings become what phase 2 shows
        (``_dict_key``, ``placeholder``; a frame's are left out), values that
        could still change are formatted now, unseen containers and objects
        go to the next generation.  This is the loop the host thread waits
        for: an immutable value costs one type test.
        """
        frozen = self._frozen
        memo = self._fmemo
        secret = self._secret
        composite = self._composite
        layouts = self._layouts
        leaf = _LEAF_IDS
        containers = _EXACT_CONTAINERS
        islice = itertools.islice
        dict_keys = dict.keys
        dict_values = dict.values
        limit = self._byte_limit
        depth_limit = self._depth_limit
        items = self.limits.items
        index_names = self._index_names
        lb = 0
        depth = 1           # of the values held by this generation
        generation = self._work
        while generation:
            following = []
            for value in generation:
                if lb > limit:
                    break      # phase 2 is past the budget by now too
                tp = type(value)
                if tp is _Level:
                    names = value.names
                    values = value.values
                    for name in names:
                        if type(name) is not str:
                            value.names, value.values = names, values = \
                                _strings_only(names, values)
                            break
                else:
                    try:
                        base = containers.get(id(tp))
                        if base is None:
                            layout = layouts.get(id(tp))
                            if layout is None or layout[0] is not tp:
                                layout = self._layout(tp)
                            base = layout[4]
                            if layout[5]:
                                # A plain object, inline: what _copy_object does
                                # for one with only a __dict__.
                                try:
                                    d = layout[1].__get__(value, tp)
                                except Exception:
                                    d = None
                                if type(d) is dict:
                                    total = len(d)
                                    if total <= items:
                                        names = list(d)
                                        values = list(d.values())
                                    else:
                                        names = list(islice(d, items))
                                        values = list(islice(d.values(), items))
                                    for name in names:
                                        if type(name) is not str:
                                            names = [k if type(k) is str else placeholder(k)
                                                     for k in names]
                                            break
                                    text = False
                                else:
                                    text, names, values, total = placeholder(value), [], [], 0
                                base = _PLAIN_OBJECT
                        if base is _PLAIN_OBJECT:
                            pass
                        elif base is dict:
                            total = dict.__len__(value)
                            # Two walks of the same dict, no Python code between them.
                            if total > items:
                                names = list(islice(dict_keys(value), items))
                                values = list(islice(dict_values(value), items))
                            elif tp is dict:
                                names = list(value)
                                values = list(value.values())
                            else:
                                names = list(dict_keys(value))
                                values = list(dict_values(value))
                            text = None
                            for name in names:
                                if type(name) is not str:
                                    names = [k if type(k) is str else _dict_key(k)
                                             for k in names]
                                    break
                        elif base is list and tp is list:
                            total = len(value)
                            values = value[:items]      # a slice of an exact list: C only
                            names = index_names
                            text = None
                        elif base is not None:
                            total = base.__len__(value)
                            values = list(islice(base.__iter__(value), items))
                            names = index_names
                            text = None
                        else:
                            text, names, values, total = self._copy_object(value, tp, layout)
                    except Exception as e:  # a broken object must not lose the snapshot
                        frozen[id(value)] = type(e).__name__
                        continue
                    frozen[id(value)] = (text, names, values, total)
                n = len(values)
                # Every value costs phase 2 at least 38 bytes and its name.
                lb += 38 * n + (3 * n if names is index_names else sum(map(len, names)))
                for name, item in zip(names, values):
                    tp = type(item)
                    tid = id(tp)
                    if tid in leaf:
                        continue       # immutable: phase 2 formats it
                    hidden = secret.get(name)
                    if hidden is None:
                        hidden = self._is_secret(name)
                    if hidden:
                        continue       # redacted in phase 2, never walked
                    if tid not in containers and composite.get(tid) is not tp:
                        if tp is Redacted:
                            continue
                        var = self._inline(name, item, tp)
                        if var is not None:
                            _replace(names, values, name, item, _Pre(var))
                            continue
                        composite[tid] = tp
                    key = id(item)
                    if key in memo:
                        lb += 2
                    elif depth <= depth_limit:
                        memo[key] = item
                        following.append(item)
                        lb += 56
            else:
                generation = following
                depth += 1
                continue
            break
        self._lb = lb

    def _copy_object(self, value, tp, layout):
        """(text, names, values, total) of a user object, read from its
        instance ``__dict__`` and slots through their C descriptors;
        ``text`` is False for no value."""
        _, dict_descr, slots, is_enum, _, _ = layout
        limit = self.limits.items
        d = None
        if dict_descr is not None:
            try:
                d = dict_descr.__get__(value, tp)
            except Exception:
                d = None
            if type(d) is not dict:
                d = None
        text = False
        if is_enum:
            name = (d or {}).get("_name_")
            if type(name) is str:
                text = "%s.%s" % (tp.__name__, name)
        names = []
        values = []
        total = 0
        if d is not None:
            total = len(d)
            if total <= limit:
                names = list(d)
                values = list(d.values())
            else:
                names = list(itertools.islice(d, limit))
                values = list(itertools.islice(d.values(), limit))
            for name in names:
                if type(name) is not str:
                    names = [k if type(k) is str else placeholder(k) for k in names]
                    break
        for slot, descr in slots:
            try:
                v = descr.__get__(value, tp)
            except AttributeError:
                continue
            total += 1
            if len(values) < limit:
                names.append(slot)
                values.append(v)
        if d is None and total == 0 and text is False:
            text = placeholder(value)
        return text, names, values, total

    # -- phase 2: anywhere, later -------------------------------------------------
    def format(self):
        """The snapshot (Cloud Debugger frames, expressions and variable table)
        from what :meth:`freeze` kept; plain JSON-ready dicts."""
        evaluated = []
        values = zip(self._expr_values.names, self._expr_values.values)
        variable = self.variable
        for result in self._expr_results:
            if result is None:
                name, value = next(values)
                evaluated.append(variable(name, value))
            else:
                evaluated.append({"name": result[0],
                                  "status": _status(result[1], True, "variable_name")})
        frames = [self._frame_record(*f) for f in self._frames]
        if self._more_frames:
            frames[-1]["status"] = _status("%d more calling frames were not captured (limit %d)"
                                           % (self._more_frames, self.limits.frames))
        table = self.finish()
        return {"stack_frames": frames, "evaluated_expressions": evaluated,
                "variable_table": table}

    def _frame_record(self, code, line, state, arguments, local_vars):
        function, path, _ = _code_info(code, self.source_root)
        record = {"function": function, "location": {"path": path, "line": line},
                  "arguments": [], "locals": []}
        if state is None:
            return record
        if state is not True:
            record["status"] = _status("Locals not captured: module is on the blocklist ('%s')"
                                       % state, refers_to="breakpoint_source_location")
            return record
        if arguments is None:
            return record      # f_locals could not be read
        variable = self.variable
        record["arguments"] = [variable(name, value)
                               for name, value in zip(arguments.names, arguments.values)]
        record["locals"] = [variable(name, value)
                            for name, value in zip(local_vars.names, local_vars.values)]
        return record


class _Level:
    """Named values walked together: an expression list, a frame's
    arguments or locals."""

    __slots__ = ("names", "values")

    def __init__(self, names, values):
        self.names = names
        self.values = values


def _strings_only(names, values):
    """A frame's names and values without the names that are not strings
    (only a module's globals can have those; == on them is user code)."""
    kept = [i for i, name in enumerate(names) if type(name) is str]
    return [names[i] for i in kept], [values[i] for i in kept]


def _replace(names, values, name, value, new):
    """Put ``new`` where ``name`` holds ``value`` (rare: only for values
    formatted at the hit)."""
    for i in range(len(values)):
        if values[i] is value and names[i] is name:
            values[i] = new
            return


_PLAIN_OBJECT = object()    # _walk(): the object was copied inline


def _dict_key(key):
    """The shown name of a dictionary key that is not a string."""
    if type(key) is int and 0 <= key < len(_INDEX):
        return _INDEX[key]      # the same text, already made: "[7]"
    if id(type(key)) in _PLAIN_IDS or type(key) is bytes:
        return "[%s]" % repr(key)[:64]
    return "[%s]" % placeholder(key)


class _Pre:
    """A value formatted at the hit (it could change later): its Variable."""

    __slots__ = ("var",)

    def __init__(self, var):
        self.var = var


# Exact types by id(): immutable values phase 2 formats; builtin containers.
_LEAF_IDS = frozenset(id(t) for t in (str, int, float, bool, _NoneType, bytes, complex,
                                      type(Ellipsis), range))

# Per class: see Capturer._layout.  Kept across snapshots, keyed by id with the
# class kept in the value, so an id is never reused while cached.  What it
# holds follows from the class's C layout (where instances keep their
# __dict__ and slots, which builtin they extend), which never changes.
_LAYOUTS = {}


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
    """The snapshot part of a breakpoint, both phases at once: frames,
    expressions, variable table.  (The breakpoint engine runs
    :meth:`Capturer.freeze` at the hit and :meth:`Capturer.format` later.)"""
    capturer.freeze(frame, expressions, blocked, redactor)
    return capturer.format()
