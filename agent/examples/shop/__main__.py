# SPDX-License-Identifier: GPL-3.0-or-later
"""Serve the shop with the standard library's wsgiref (threaded).

    python3 -m examples.shop [--port 8000] [--agent] [--workers N]

--agent starts Spyglass in-process (settings from SPYGLASS_* variables);
under `python -m spyglass run` the agent is already running and --agent is
not needed."""

import argparse
import logging
import os
import signal
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
    parser.add_argument("--workers", type=int, default=1,
                        help="fork this many worker processes sharing the socket, as a "
                             "prefork server (gunicorn, uWSGI) does; each gets its own agent")
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
    if args.workers > 1:
        return _prefork(server, args.workers)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _prefork(server, workers):
    """The master keeps the listening socket and forks workers that accept
    on it; SIGINT or SIGTERM to the master stops them all."""
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGINT, signal.SIG_IGN)   # the master decides
            signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
            try:
                server.serve_forever(poll_interval=0.2)
            finally:
                server.server_close()
            sys.exit(0)
        children.append(pid)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        while children:
            pid, _ = os.wait()
            children = [c for c in children if c != pid]
    except KeyboardInterrupt:
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
