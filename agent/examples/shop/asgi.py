# SPDX-License-Identifier: GPL-3.0-or-later
"""The shop as a plain ASGI application (no framework), for uvicorn:

    uvicorn examples.shop.asgi:app

Handlers run inside the request's asyncio task, which is what a snapshot
taken in them reports."""

import json
import logging
import urllib.parse

from .handlers import Shop, dispatch
from .wsgi import MAX_BODY

log = logging.getLogger("shop")


def make_app(shop=None):
    shop = shop or Shop()
    routes = shop.routes()

    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        body = b""
        more = True
        status = None
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_BODY:
                status, result = 413, {"error": "body too large"}
                break
        if status is None:
            params = dict(urllib.parse.parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            try:
                status, result = await handle(scope["method"], scope["path"], params, body)
            except Exception:
                log.exception("unhandled error in %s %s", scope["method"], scope["path"])
                status, result = 500, {"error": "internal error"}
        payload = json.dumps(result).encode("utf-8")
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.body", "body": payload})

    async def handle(method, path, params, body):
        return dispatch(shop, routes, method, path, params, body)

    return app


app = make_app()
