# SPDX-License-Identifier: GPL-3.0-or-later
"""The shop as a WSGI application (`app`), for wsgiref, gunicorn, uwsgi..."""

import json
import logging
import time
import urllib.parse

from .handlers import Shop, dispatch

MAX_BODY = 256 * 1024
log = logging.getLogger("shop")


def make_app(shop=None):
    shop = shop or Shop()
    routes = shop.routes()

    def app(environ, start_response):
        started = time.perf_counter()
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "/")
        params = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            status, result = 413 if length > MAX_BODY else 400, {"error": "bad body length"}
        else:
            body = environ["wsgi.input"].read(length) if length else b""
            try:
                status, result = dispatch(shop, routes, method, path, params, body)
            except Exception:
                log.exception("unhandled error in %s %s", method, path)
                status, result = 500, {"error": "internal error"}
        payload = json.dumps(result).encode("utf-8")
        elapsed_ms = (time.perf_counter() - started) * 1000
        log.info("%s %s -> %d in %.1f ms", method, path, status, elapsed_ms)
        start_response("%d %s" % (status, _REASONS.get(status, "Status")),
                       [("Content-Type", "application/json"),
                        ("Content-Length", str(len(payload)))])
        return [payload]

    return app


_REASONS = {200: "OK", 201: "Created", 400: "Bad Request", 404: "Not Found",
            405: "Method Not Allowed", 409: "Conflict", 413: "Payload Too Large",
            500: "Internal Server Error"}

app = make_app()
