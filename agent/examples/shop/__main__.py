# SPDX-License-Identifier: GPL-3.0-or-later
"""Serve the shop with the standard library's wsgiref (threaded).

    python3 -m examples.shop [--port 8000] [--agent]

--agent starts Spyglass in-process (settings from SPYGLASS_* variables);
under `python -m spyglass run` the agent is already running and --agent is
not needed."""

import argparse
import logging
import socketserver
import sys
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from . import __version__


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, fmt, *args):   # the app logs its own access lines
        pass


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m examples.shop")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--agent", action="store_true", help="start the Spyglass agent")
    parser.add_argument("--quiet", action="store_true", help="log warnings only")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if args.agent:
        import spyglass
        spyglass.start(service="shop", version=__version__)

    from .wsgi import app
    server = make_server(args.host, args.port, app, server_class=_ThreadingWSGIServer,
                         handler_class=_QuietHandler)
    # One parseable line: tests and the load generator wait for it.
    print("shop listening on http://%s:%d" % (args.host, server.server_port), flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
