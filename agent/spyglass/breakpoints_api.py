# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP routes over the breakpoint engine (spyglass.breakpoints).

    POST   /v1/breakpoints        set a snapshot or logpoint   -> 201 breakpoint
    GET    /v1/breakpoints        list them                    -> {breakpoints: [...]}
    GET    /v1/breakpoints/{id}   one, with its snapshot       -> breakpoint
    DELETE /v1/breakpoints/{id}   remove it (and its hooks)    -> 204

A spec the engine refuses (BreakpointError) is a 400 whose message is the
engine's, written for the user; see PROTOCOL.md for the object."""

from .breakpoints import BreakpointError, BreakpointManager
from .server import HTTPError, json_response

# Fields that carry the captured snapshot; ?view=summary leaves them out so
# a console can poll the list cheaply and fetch snapshots one at a time.
_SNAPSHOT_FIELDS = ("stack_frames", "evaluated_expressions", "variable_table")


def _summary(bp):
    return {k: v for k, v in bp.items() if k not in _SNAPSHOT_FIELDS}


def register(router, agent):
    manager = BreakpointManager(agent)
    agent.features["breakpoints"] = manager

    def create(req):
        spec = req.json()
        if not isinstance(spec, dict):
            raise HTTPError(400, "invalid_breakpoint", "a breakpoint is a JSON object")
        try:
            bp = manager.set(spec)
        except BreakpointError as e:
            raise HTTPError(400, "invalid_breakpoint", str(e)) from None
        return json_response(201, bp, {"Location": "/v1/breakpoints/%s" % bp["id"]})

    def list_all(req):
        view = req.query.get("view", "full")
        if view not in ("full", "summary"):
            raise HTTPError(400, "bad_parameter", "view must be 'full' or 'summary'")
        breakpoints = manager.list()
        if view == "summary":
            breakpoints = [_summary(bp) for bp in breakpoints]
        return {"breakpoints": breakpoints}

    def get_one(req):
        bp = manager.get(req.params["id"])
        if bp is None:
            raise HTTPError(404, "not_found", "no breakpoint %s (expired, deleted or never set)"
                            % req.params["id"])
        return bp

    def delete(req):
        if not manager.delete(req.params["id"]):
            raise HTTPError(404, "not_found", "no breakpoint %s" % req.params["id"])
        return None

    router.add("POST", "/v1/breakpoints", create)
    router.add("GET", "/v1/breakpoints", list_all)
    router.add("GET", "/v1/breakpoints/{id}", get_one)
    router.add("DELETE", "/v1/breakpoints/{id}", delete)
    return ["breakpoints", "logpoints"]


def close(agent):
    manager = agent.features.pop("breakpoints", None)
    if manager is not None:
        manager.close()
