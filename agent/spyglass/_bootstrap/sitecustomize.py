# SPDX-License-Identifier: GPL-3.0-or-later
"""Started by `python -m spyglass run`: this directory is put first on
PYTHONPATH, so every Python process of the command (and its children) runs
this file at start-up and starts the agent from SPYGLASS_* variables.

Only this directory is on the path, not the one holding the spyglass
package, so the application cannot accidentally import our tests or
examples.  Afterwards the sitecustomize this one shadows (Debian ships one)
is run too.  Nothing here may stop the application from starting."""

import os
import sys


def _start_agent():
    if os.environ.get("SPYGLASS_AUTOSTART") != "1":
        return
    try:
        import importlib.util
        package_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        if "spyglass" not in sys.modules:
            spec = importlib.util.spec_from_file_location(
                "spyglass", os.path.join(package_dir, "__init__.py"),
                submodule_search_locations=[package_dir])
            module = importlib.util.module_from_spec(spec)
            sys.modules["spyglass"] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                del sys.modules["spyglass"]
                raise
        import spyglass
        spyglass.start()
    except Exception as e:
        try:
            sys.stderr.write("spyglass: agent not started: %s\n" % e)
        except Exception:
            pass


def _chain_next_sitecustomize():
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        import importlib.machinery
        import importlib.util
        rest = [p for p in sys.path if os.path.abspath(p or ".") != here]
        spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
        if spec is None or spec.origin is None or os.path.dirname(spec.origin) == here:
            return
        module = importlib.util.module_from_spec(spec)
        sys.modules["sitecustomize"] = module
        spec.loader.exec_module(module)
    except Exception as e:
        try:
            sys.stderr.write("spyglass: the original sitecustomize failed: %r\n" % (e,))
        except Exception:
            pass


_start_agent()
_chain_next_sitecustomize()
