# SPDX-License-Identifier: GPL-3.0-or-later
"""Spyglass agent: snapshots, logpoints and profiles for a running Python service.

    import spyglass
    spyglass.start(service="api", version="1.0.1")

`start()` returns at once; the agent serves its HTTP API on daemon threads.
Settings come from keyword arguments, then SPYGLASS_* environment variables
(see config.py and agent/README.md).  Nothing here raises into the host: a
setting the agent cannot start with is logged and `start()` returns None."""

__version__ = "0.1.0"

import atexit
import logging
import os
import threading

_lock = threading.RLock()
_agent = None
_hooks_installed = False

__all__ = ["start", "stop", "get_agent", "__version__"]


def start(**settings):
    """Start the agent (once per process; later calls return the running one).

    Keyword arguments are Config fields: service, version, address, port,
    token, token_file, source_root, source_serving, tls_cert, tls_key,
    profiling, breakpoint_expiry_s, redact_names, blocklist, ...
    Returns the Agent, or None if it could not start (the reason is logged
    on the "spyglass" logger)."""
    global _agent
    with _lock:
        if _agent is not None and _agent.running:
            _update_running(_agent, settings)
            return _agent
        try:
            from . import config as _config
            from .agent import Agent, _agent_logger
            log = _agent_logger()
            try:
                cfg = _config.load(**settings)
            except _config.ConfigError as e:
                log.error("agent not started: %s", e)
                return None
            agent = Agent(cfg)
            try:
                agent.start()
            except _config.ConfigError as e:
                log.error("agent not started: %s", e)
                return None
            except OSError as e:
                log.error("agent not started: cannot listen on %s:%s: %s",
                          cfg.address, cfg.port, e.strerror or e)
                return None
            _agent = agent
            _install_hooks()
            return agent
        except Exception:
            logging.getLogger("spyglass").exception("agent not started: unexpected error")
            return None


def _update_running(agent, settings):
    """start() on a running agent -- typically the application's own call
    after `python -m spyglass run` started the agent: the service's name and
    version are descriptive and taken; anything else needs a restart."""
    try:
        changed = {}
        for name in ("service", "version"):
            value = settings.get(name)
            if value is not None and str(value) != getattr(agent.config, name):
                setattr(agent.config, name, str(value))
                changed[name] = str(value)
        ignored = sorted(k for k, v in settings.items()
                         if k not in ("service", "version") and v is not None
                         and getattr(agent.config, k, object()) != v)
        if changed:
            agent.events.publish("agent_status", {"state": "updated", "agent": agent.describe()})
        if ignored:
            agent.log.warning("the agent is already running; not applied: %s (stop() first, "
                              "or set them in SPYGLASS_* variables)", ", ".join(ignored))
    except Exception:
        pass


def stop():
    """Stop the agent: remove every hook, close the socket.  Safe to call twice."""
    global _agent
    with _lock:
        agent, _agent = _agent, None
    if agent is not None:
        try:
            agent.stop()
        except Exception:
            logging.getLogger("spyglass").exception("error while stopping the agent")


def get_agent():
    """The running Agent, or None."""
    return _agent


def _after_fork_in_child():
    # Threads do not survive fork(): the child has the parent's agent object
    # but no server thread, and shares its listening socket.  Give the child
    # (a prefork worker, typically) an agent of its own on the next free port.
    global _agent
    old = _agent
    if old is None:
        return
    _agent = None
    try:
        global _lock
        _lock = threading.RLock()   # the parent may have held it while forking
        if old.server is not None:
            # Remove the parent's hooks from this process.  On a helper
            # thread with a deadline: a lock held by a parent thread at the
            # moment of fork() stays held forever here, and a worker must
            # never hang at boot because of the agent.
            closer = threading.Thread(target=old.server.close_features, daemon=True)
            closer.start()
            closer.join(2.0)
            if closer.is_alive():
                logging.getLogger("spyglass").warning(
                    "after fork: the parent's breakpoint hooks could not be removed in time")
            old.server.abandon()
        old.events.close()
        if not old.config.restart_after_fork:
            return
        from .agent import Agent
        import dataclasses
        agent = Agent(dataclasses.replace(old.config))
        agent.start()
        _agent = agent
    except Exception:
        try:
            logging.getLogger("spyglass").exception("agent not restarted after fork")
        except Exception:
            pass


def _install_hooks():
    global _hooks_installed
    if _hooks_installed:
        return
    _hooks_installed = True
    # At exit: remove breakpoint hooks and the discovery file, close the socket.
    atexit.register(stop)
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_fork_in_child)
