# SPDX-License-Identifier: GPL-3.0-or-later
"""Where a breakpoint lives: files, lines, code objects, and imports to come.

``resolve`` turns the ``path`` of a breakpoint (relative to the source root,
or any suffix of a loaded module's file) into one file, and the requested
line into the next line that has code.  Lines are taken from the file as it
is on disk, compiled the way the import system compiles it, and the line
table of every nested code object (``dis.findlinestarts``) says which lines
run.  Comparing that compiled tree with the code objects of the live
functions (code objects compare by value) also tells us whether the file
changed since it was imported.

``ImportWatcher`` is a ``sys.meta_path`` entry that finds nothing itself: it
asks the finders behind it, and when the spec it gets back is for a file with
a pending breakpoint it wraps that one loader's ``exec_module`` on the loader
instance, so the breakpoint is installed right after the module body ran.
The spec, the loader's type and the module are what they would have been
without the agent.
"""

import ast
import dis
import gc
import os
import sys
import threading
import types
import warnings

from .safe_eval import class_dict, instance_dict, is_instance


class LocationError(Exception):
    """A path or line that cannot hold a breakpoint; the text is for the user."""


def _realpath(path, _cache={}):
    real = _cache.get(path)
    if real is None:
        real = os.path.realpath(path)
        if len(_cache) < 50000:
            _cache[path] = real
    return real


def loaded_files():
    """{real path of a loaded module's source file: module name}."""
    out = {}
    for name, module in list(sys.modules.items()):
        if type(module) is not types.ModuleType and not isinstance(module, types.ModuleType):
            continue
        d = instance_dict(module)
        filename = d.get("__file__") if d else None
        if isinstance(filename, str) and filename.endswith(".py"):
            out.setdefault(_realpath(filename), name)
    return out


def _module_name_for(filename):
    """The dotted name a file would be imported as, from sys.path."""
    best = None
    for entry in sys.path:
        if not isinstance(entry, str):
            continue
        root = _realpath(entry or os.getcwd()).rstrip("/") + "/"
        if filename.startswith(root):
            rel = filename[len(root):-3]
            if best is None or len(rel) < len(best):
                best = rel
    if best is None:
        return None
    parts = best.split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) or None


def resolve_file(path, source_root=None):
    """(real filename, module name, loaded?) for a breakpoint path.

    Raises LocationError naming the candidates when ``path`` matches no file
    or more than one.
    """
    if not isinstance(path, str) or not path.strip():
        raise LocationError("the location needs a path")
    path = path.strip().replace("\\", "/")
    if not path.endswith(".py"):
        raise LocationError("'%s' is not a Python source file (expected a path ending in .py)" % path)
    loaded = loaded_files()
    candidates = set()
    if os.path.isabs(path):
        if os.path.isfile(path):
            candidates.add(_realpath(path))
    else:
        rel = path[2:] if path.startswith("./") else path
        if source_root:
            full = os.path.join(source_root, rel)
            if os.path.isfile(full):
                candidates.add(_realpath(full))
        suffix = "/" + rel
        for filename in loaded:
            if filename.endswith(suffix):
                candidates.add(filename)
        if not candidates:
            # Not loaded and not under the source root: a module on sys.path
            # that is not imported yet.
            for entry in sys.path:
                if isinstance(entry, str) and os.path.isdir(entry or "."):
                    full = os.path.join(entry or os.getcwd(), rel)
                    if os.path.isfile(full):
                        candidates.add(_realpath(full))
    if not candidates:
        where = "under the source root %s" % source_root if source_root else "on sys.path"
        raise LocationError("no file matches '%s': it is not a loaded module's file and not %s"
                            % (path, where))
    if len(candidates) > 1:
        names = sorted(candidates)
        shown = ", ".join(names[:10]) + (" and %d more" % (len(names) - 10) if len(names) > 10 else "")
        raise LocationError("'%s' is ambiguous: it matches %d files (%s); give more of the path"
                            % (path, len(names), shown))
    filename = candidates.pop()
    module = loaded.get(filename)
    return filename, module or _module_name_for(filename), module is not None


def read_source(filename):
    with open(filename, "rb") as f:
        return f.read()


def all_codes(code):
    """``code`` and every code object nested in it, parents first."""
    out = [code]
    i = 0
    while i < len(out):
        for const in out[i].co_consts:
            if type(const) is types.CodeType:
                out.append(const)
        i += 1
    return out


def code_lines(code):
    """Lines at which ``code`` (not its children) has instructions."""
    return {line for _, line in dis.findlinestarts(code) if line is not None and line > 0}


class SourceIndex:
    """The lines of one file that can hold a breakpoint, from its source on disk."""

    def __init__(self, filename, co_filename=None):
        self.filename = filename
        self.co_filename = co_filename or filename
        self.source = read_source(filename)
        try:
            self.tree = ast.parse(self.source, filename)
            self.code = compile(self.source, self.co_filename, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as e:
            raise LocationError("%s cannot be compiled: %s" % (filename, e)) from None
        ran = set()
        for c in all_codes(self.code):
            ran |= code_lines(c)
        self.scope = {}        # line -> "function" | "module"
        self._index(self.tree, "module", ran)
        self.lines = sorted(self.scope)

    def _index(self, node, scope, ran):
        body_fields = ("body", "orelse", "finalbody", "handlers", "cases")
        for field in body_fields:
            stmts = getattr(node, field, None)
            if not isinstance(stmts, list):
                continue
            for i, stmt in enumerate(stmts):
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self._index(stmt, "function", ran)
                    continue
                if isinstance(stmt, ast.ClassDef):
                    self._index(stmt, scope if scope == "function" else "module", ran)
                    continue
                if not isinstance(stmt, ast.stmt):  # except handlers, match cases
                    self._index(stmt, scope, ran)
                    continue
                is_docstring = (i == 0 and field == "body" and isinstance(stmt, ast.Expr)
                                and isinstance(stmt.value, ast.Constant)
                                and isinstance(stmt.value.value, str)
                                and isinstance(node, (ast.Module, ast.FunctionDef,
                                                      ast.AsyncFunctionDef, ast.ClassDef)))
                if stmt.lineno in ran and not is_docstring:
                    self.scope.setdefault(stmt.lineno, scope)
                self._index(stmt, scope, ran)

    def next_line(self, line):
        """The first line at or after ``line`` that holds a statement with code."""
        for candidate in self.lines:
            if candidate >= line:
                return candidate
        return None

    def instrument(self, lines, marker):
        """Compile the file with ``marker()`` calls in front of ``lines``.

        Returns the new module code; the call is a constant ``marker`` string
        that the caller swaps for its hook in ``co_consts``.  Line numbers of
        all other code are unchanged.
        """
        tree = ast.parse(self.source, self.filename)
        pending = set(lines)

        def visit(node):
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                stmts = getattr(node, field, None)
                if not isinstance(stmts, list):
                    continue
                out = []
                for stmt in stmts:
                    if isinstance(stmt, ast.stmt) and stmt.lineno in pending:
                        pending.discard(stmt.lineno)
                        call = ast.Expr(ast.Call(ast.Constant(marker), [], []))
                        ast.copy_location(call, stmt)
                        ast.fix_missing_locations(call)
                        for sub in ast.walk(call):
                            ast.copy_location(sub, stmt)
                            sub.end_lineno = stmt.lineno
                            sub.end_col_offset = stmt.col_offset
                        out.append(call)
                    out.append(stmt)
                    visit(stmt)
                setattr(node, field, out)

        visit(tree)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "'str' object is not callable" on the marker
            return compile(tree, self.co_filename, "exec", dont_inherit=True)


def pair_codes(old, new, out):
    """Map each code in the tree ``old`` to its counterpart in ``new``, leaving
    out the ones that did not change: only functions that hold a hook (or
    hold a function that does) get new code."""
    if old != new:
        out[old] = new
    old_children = [c for c in old.co_consts if type(c) is types.CodeType]
    new_children = [c for c in new.co_consts if type(c) is types.CodeType]
    if len(old_children) == len(new_children):
        for o, n in zip(old_children, new_children):
            pair_codes(o, n, out)
    return out


def replace_const(code, marker, value):
    """``code`` with the constant ``marker`` replaced by ``value``, recursively."""
    consts = []
    changed = False
    for const in code.co_consts:
        if type(const) is str and const == marker:
            consts.append(value)
            changed = True
        elif type(const) is types.CodeType:
            new = replace_const(const, marker, value)
            changed = changed or new is not const
            consts.append(new)
        else:
            consts.append(const)
    return code.replace(co_consts=tuple(consts)) if changed else code


def _same_file(co_filename, filename):
    return co_filename == filename or _realpath(co_filename) == filename


def module_functions(filename):
    """Function objects of ``filename`` reachable from its module, cheaply.

    Walks the module's globals, the classes defined there (methods, static
    and class methods, properties), bound methods, closure cells and
    ``__wrapped__`` of decorators -- a few hundred objects, where a scan of
    the whole heap can hold the GIL for a tenth of a second in a big service.
    """
    names = [name for name, module in list(sys.modules.items())
             if is_instance(module, types.ModuleType)
             and isinstance((instance_dict(module) or {}).get("__file__"), str)
             and _realpath(instance_dict(module)["__file__"]) == filename]
    out = []
    seen = set()
    stack = []
    for name in names:
        d = instance_dict(sys.modules.get(name))
        if d is not None:
            stack.extend((v, 0) for v in list(d.values()))
    while stack:
        value, depth = stack.pop()
        if id(value) in seen or depth > 6:
            continue
        seen.add(id(value))
        tp = type(value)
        if tp is types.FunctionType:
            if _same_file(value.__code__.co_filename, filename):
                out.append(value)
            for cell in value.__closure__ or ():
                try:
                    stack.append((cell.cell_contents, depth + 1))
                except ValueError:     # an empty cell
                    pass
            fd = instance_dict(value)
            if fd and "__wrapped__" in fd:
                stack.append((fd["__wrapped__"], depth + 1))
        elif tp is staticmethod or tp is classmethod or tp is types.MethodType:
            stack.append((value.__func__, depth + 1))
        elif tp is property:
            stack.extend((f, depth + 1) for f in (value.fget, value.fset, value.fdel) if f)
        elif is_instance(value, type):
            cd = class_dict(value)
            if cd.get("__module__") in names:
                stack.extend((v, depth + 1) for v in list(cd.values()))
        else:
            d = instance_dict(value)   # decorator objects such as lru_cache wrappers
            if d is not None and "__wrapped__" in d:
                stack.append((d["__wrapped__"], depth + 1))
    return out


def live_functions(filename):
    """Function objects whose code comes from ``filename`` (a real path).

    Scans the whole heap: the fallback when module_functions() misses."""
    out = []
    for obj in gc.get_objects():
        if type(obj) is types.FunctionType:
            co_filename = obj.__code__.co_filename
            if co_filename == filename or _realpath(co_filename) == filename:
                out.append(obj)
    return out


def running_codes(filename):
    """Code objects of frames currently running ``filename`` code, in any thread."""
    out = []
    for frame in list(sys._current_frames().values()):
        while frame is not None:
            co_filename = frame.f_code.co_filename
            if co_filename == filename or _realpath(co_filename) == filename:
                out.append(frame.f_code)
            frame = frame.f_back
    return out


class ImportWatcher:
    """A meta path finder that tells ``on_loaded(filename)`` when a watched file
    has been imported.  It never finds anything itself."""

    def __init__(self, on_loaded):
        self._on_loaded = on_loaded
        self._files = frozenset()
        self._busy = threading.local()

    def watch(self, files):
        self._files = frozenset(files)

    @property
    def watching(self):
        return bool(self._files)

    def install(self):
        if self not in sys.meta_path:
            sys.meta_path.insert(0, self)

    def uninstall(self):
        try:
            sys.meta_path.remove(self)
        except ValueError:
            pass

    def find_spec(self, name, path=None, target=None):
        if getattr(self._busy, "on", False) or not self._files:
            return None
        self._busy.on = True
        try:
            spec = None
            for finder in list(sys.meta_path):
                if finder is self:
                    continue
                find = getattr(finder, "find_spec", None)
                if find is None:
                    continue
                spec = find(name, path, target)
                if spec is not None:
                    break
            if spec is None:
                return None
            origin = spec.origin
            loader = spec.loader
            if (isinstance(origin, str) and _realpath(origin) in self._files
                    and hasattr(loader, "exec_module") and hasattr(loader, "__dict__")):
                self._wrap(loader, _realpath(origin))
            return spec
        finally:
            self._busy.on = False

    def _wrap(self, loader, filename):
        original = loader.exec_module
        on_loaded = self._on_loaded

        def exec_module(module):
            try:
                return original(module)
            finally:
                try:
                    del loader.exec_module   # the instance attribute: back to the class's
                except AttributeError:
                    pass
                try:
                    on_loaded(filename)
                except Exception:
                    pass

        loader.exec_module = exec_module

    def invalidate_caches(self):
        pass
