# SPDX-License-Identifier: GPL-3.0-or-later
"""The shop on Flask, with the same handlers as the WSGI version.

    flask --app examples.shop.flask_app run
    /usr/bin/python3 -m examples.shop.flask_app --port 8000 [--agent]

(Debian's python3-flask is installed for /usr/bin/python3 only.)"""

import argparse
import json
import logging
import sys

from flask import Flask, Response, request

from . import __version__
from .handlers import Shop, dispatch

log = logging.getLogger("shop")


def create_app(shop=None):
    shop = shop or Shop()
    routes = shop.routes()
    app = Flask("shop")

    @app.route("/health", methods=["GET"])
    @app.route("/api/<path:rest>", methods=["GET", "POST", "PUT", "DELETE"])
    def handle(rest=None):
        status, result = dispatch(shop, routes, request.method, request.path,
                                  request.args.to_dict(), request.get_data(cache=False))
        log.info("%s %s -> %d", request.method, request.path, status)
        return Response(json.dumps(result), status=status, mimetype="application/json")

    return app


app = create_app()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m examples.shop.flask_app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--agent", action="store_true", help="start the Spyglass agent")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if args.agent:
        import spyglass
        spyglass.start(service="shop-flask", version=__version__)
    from werkzeug.serving import make_server
    server = make_server(args.host, args.port, app, threaded=True)
    print("shop listening on http://%s:%d" % (args.host, server.server_port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
