# SPDX-License-Identifier: GPL-3.0-or-later
"""Routes every agent has: the agent's description, its event stream, and
the service's source."""

from .server import HTTPError, Response
from .source import SourceError, SourceTree

MAX_POLL_S = 30.0
DEFAULT_EVENT_LIMIT = 100
MAX_EVENT_LIMIT = 1000


def _number(query, name, default, low, high, kind=int):
    text = query.get(name)
    if text is None or text == "":
        return default
    try:
        value = kind(text)
    except ValueError:
        raise HTTPError(400, "bad_parameter", "%s must be a number, not %r" % (name, text)) from None
    if value != value or value < low:      # NaN or below range
        raise HTTPError(400, "bad_parameter", "%s must be at least %s" % (name, low))
    return min(value, high)


def register(router, agent):
    tree = SourceTree(agent.config.source_root)

    def get_agent(req):
        return agent.describe()

    def get_events(req):
        after = _number(req.query, "after", 0, 0, 2 ** 63)
        timeout = _number(req.query, "timeout", 0.0, 0.0, MAX_POLL_S, float)
        limit = _number(req.query, "limit", DEFAULT_EVENT_LIMIT, 1, MAX_EVENT_LIMIT)
        last = agent.events.last_seq()
        reset = after > last
        if reset:
            # A cursor from an earlier agent (or a bogus one): start over
            # rather than wait for a sequence number that may never come.
            after = 0
        events = agent.events.wait(after, timeout, limit)
        return {
            "agent_id": agent.id,
            "events": events,
            # The cursor for the next call.  Never taken from the log's
            # newest seq: that could skip events published meanwhile.
            "last_seq": events[-1]["seq"] if events else after,
            # Events the ring dropped before this console read them.
            "missed": events[0]["seq"] - after - 1 if events else 0,
            "reset": reset,
        }

    def get_manifest(req):
        return tree.manifest()

    def get_file(req):
        if not agent.config.source_serving:
            raise HTTPError(403, "source_serving_disabled",
                            "this agent does not serve source files (SPYGLASS_SOURCE_SERVING=0)")
        try:
            data, digest = tree.read(req.query.get("path", ""))
        except SourceError as e:
            raise HTTPError(e.status, e.code, e.message) from None
        etag = '"%s"' % digest
        if req.headers.get("If-None-Match") == etag:
            return Response(304, b"", "text/plain", {"ETag": etag})
        try:
            data.decode("utf-8")
            content_type = "text/plain; charset=utf-8"
        except UnicodeDecodeError:
            content_type = "application/octet-stream"
        return Response(200, data, content_type, {"ETag": etag, "X-Spyglass-Sha256": digest})

    router.add("GET", "/v1/agent", get_agent)
    router.add("GET", "/v1/events", get_events)
    router.add("GET", "/v1/source/manifest", get_manifest)
    router.add("GET", "/v1/source/file", get_file)
    return ["events", "source_manifest"]
