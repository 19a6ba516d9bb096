# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP routes for profiles, continuous profiling, metrics and memory recordings.

See agent/PROTOCOL.md, "Profiles, metrics and memory".  `register()` wires
the routes and starts the metrics thread (and the continuous profiler when
the configuration asks for it); `close()` stops every thread it started.
"""

import calendar
import time

from .memory import DEFAULT_FRAMES, MemoryError_, MemoryRecorder, expected_cost
from .metrics import MetricsCollector
from .pprof import CONTENT_TYPE
from .profiles import ProfileError, ProfileManager
from .server import HTTPError, Response

CAPABILITIES = ["profiles", "continuous_profiles", "metrics", "memory"]
_KEY = "profiling"


class _State:
    def __init__(self, agent):
        self.profiles = ProfileManager(agent)
        self.metrics = MetricsCollector()
        self.memory = MemoryRecorder(agent, self.profiles)
        self.metrics.start()

    def close(self):
        for part in (self.memory, self.profiles, self.metrics):
            try:
                part.close()
            except Exception:      # noqa: BLE001 - shutting down; nothing to report to
                pass


def _body(req):
    if not req.body or not req.body.strip():
        return {}
    body = req.json()
    if not isinstance(body, dict):
        raise HTTPError(400, "bad_request", "the body must be a JSON object")
    return body


def _parse_since(text):
    """Unix seconds, or an RFC 3339 UTC time like 2024-05-01T12:00:00.5Z."""
    try:
        return float(text)
    except ValueError:
        pass
    t = text.strip().upper()
    frac = 0.0
    if t.endswith("Z"):
        t = t[:-1]
    elif t.endswith("+00:00"):
        t = t[:-6]
    else:
        raise HTTPError(400, "bad_request", "'since' must be unix seconds or an RFC 3339 UTC time")
    if "." in t:
        t, f = t.split(".", 1)
        try:
            frac = float("0." + f)
        except ValueError:
            raise HTTPError(400, "bad_request", "bad fraction in 'since'") from None
    try:
        return calendar.timegm(time.strptime(t, "%Y-%m-%dT%H:%M:%S")) + frac
    except ValueError:
        raise HTTPError(400, "bad_request",
                        "'since' must be unix seconds or an RFC 3339 UTC time") from None


def register(router, agent):
    state = _State(agent)
    agent.features[_KEY] = state

    def wrap(fn):
        def handler(req):
            try:
                return fn(req)
            except (ProfileError, MemoryError_) as e:
                raise HTTPError(e.status, e.code, e.message) from None
        return handler

    # -- profiles ----------------------------------------------------------

    def post_profile(req):
        body = _body(req)
        if body.get("type") == "heap":
            seconds = body.get("seconds", 10)
            mem = state.memory.start({"seconds": seconds,
                                      "frames": body.get("frames", DEFAULT_FRAMES)})
            return 202, {"type": "heap", "memory": mem,
                         "message": "heap profiles come from a memory recording; the profile "
                                    "appears in /v1/profiles when it ends"}
        return 202, state.profiles.start(body)

    def list_profiles(req):
        return {"profiles": state.profiles.list(),
                "continuous": state.profiles.continuous_status()}

    def get_profile(req):
        entry = state.profiles.get(req.params["id"])
        if entry is None:
            raise HTTPError(404, "not_found", "no such profile: %s (it may have been evicted "
                                              "from the ring)" % req.params["id"])
        if entry.state == "recording":
            raise HTTPError(409, "not_ready", "profile %s is still recording; wait for its "
                                              "profile_ready event" % entry.id)
        if entry.state != "ready":
            raise HTTPError(410, "failed", "profile %s failed: %s" % (entry.id, entry.error))
        accept = req.headers.get("Accept", "") if hasattr(req.headers, "get") else ""
        ctype = CONTENT_TYPE
        if "application/octet-stream" in accept and CONTENT_TYPE not in accept:
            ctype = "application/octet-stream"
        return Response(200, entry.data, ctype, {
            "Content-Disposition": 'attachment; filename="%s.pb.gz"' % entry.id,
            "X-Spyglass-Profile-Type": entry.kind,
        })

    def get_continuous(req):
        return state.profiles.continuous_status()

    def put_continuous(req):
        body = _body(req)
        enabled = body.get("enabled")
        if not isinstance(enabled, bool):
            raise HTTPError(400, "bad_request", "'enabled' must be true or false")
        state.profiles.set_continuous(enabled)
        return state.profiles.continuous_status()

    # -- metrics -----------------------------------------------------------

    def get_metrics(req):
        since = req.query.get("since")
        since = _parse_since(since) if since not in (None, "") else None
        return {"interval": state.metrics.interval, "now": round(time.time(), 3),
                "points": state.metrics.points(since)}

    # -- memory ------------------------------------------------------------

    def post_memory(req):
        return 202, state.memory.start(_body(req))

    def get_memory(req):
        return state.memory.status()

    def delete_memory(req):
        return state.memory.stop()

    def get_memory_result(req):
        rec = state.memory.get(req.params["id"])
        if rec is None:
            raise HTTPError(404, "not_found", "no such memory recording: %s" % req.params["id"])
        d = rec.status()
        if rec.result is not None:
            d["lines"] = rec.result["lines"]
        return d

    router.add("POST", "/v1/profiles", wrap(post_profile))
    router.add("GET", "/v1/profiles", wrap(list_profiles))
    router.add("GET", "/v1/profiling/continuous", wrap(get_continuous))
    router.add("PUT", "/v1/profiling/continuous", wrap(put_continuous))
    router.add("GET", "/v1/profiles/{id}", wrap(get_profile))
    router.add("GET", "/v1/metrics", wrap(get_metrics))
    router.add("POST", "/v1/memory", wrap(post_memory))
    router.add("GET", "/v1/memory", wrap(get_memory))
    router.add("DELETE", "/v1/memory", wrap(delete_memory))
    router.add("GET", "/v1/memory/{id}", wrap(get_memory_result))
    return list(CAPABILITIES)


def close(agent):
    state = agent.features.pop(_KEY, None)
    if state is not None:
        state.close()


__all__ = ["register", "close", "CAPABILITIES", "expected_cost"]
