# SPDX-License-Identifier: GPL-3.0-or-later
"""The agent's HTTP/1.1 server: routing, authentication, limits, JSON errors.

Built on `http.server` so it runs on every CPython 3.9-3.13 without
dependencies.  What the standard handler lacks is added here: a bound on the
request line and headers (8 KiB together), on the body (1 MiB), on the number
of open connections, a socket timeout, bearer-token authentication checked
before anything else is read, and errors as JSON `{error: {code, message}}`
that never carry a traceback.

Feature modules (`breakpoints_api`, `profiling_api`) plug in through
`register(router, agent) -> [capability, ...]` and an optional
`close(agent)`; a missing module simply means the capability is absent."""

import importlib
import json
import os
import re
import selectors
import socket
import ssl
import threading
import traceback
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import __version__
from .auth import TokenChecker

FEATURE_MODULES = ("breakpoints_api", "profiling_api")
_DIGITS = re.compile(r"[0-9]{1,18}\Z")


# -- the contract with feature modules -----------------------------------


class HTTPError(Exception):
    def __init__(self, status, code, message, headers=None):
        super().__init__(message)
        self.status = int(status)
        self.code = code
        self.message = message
        self.headers = headers or {}


class Request:
    def __init__(self, method, path, query, headers, body, params=None):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.params = params or {}

    def json(self):
        if not self.body:
            raise HTTPError(400, "bad_json", "the request needs a JSON body")
        try:
            return json.loads(self.body.decode("utf-8"))
        except UnicodeDecodeError:
            raise HTTPError(400, "bad_json", "the body is not UTF-8") from None
        except ValueError as e:
            raise HTTPError(400, "bad_json", "the body is not valid JSON: %s" % e) from None


class Response:
    def __init__(self, status, body, content_type, headers=None):
        self.status = int(status)
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.body = body if isinstance(body, bytes) else bytes(body)
        self.content_type = content_type
        self.headers = dict(headers or {})


def json_response(status, obj, headers=None):
    body = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, body, "application/json; charset=utf-8", headers)


def error_response(status, code, message, headers=None):
    return json_response(status, {"error": {"code": code, "message": message}}, headers)


class Router:
    """Exact-segment routing with `{name}` placeholders for one segment."""

    def __init__(self):
        self._routes = []     # (segments, method, handler)

    def add(self, method, pattern, handler):
        segments = tuple(s for s in pattern.split("/") if s)
        self._routes.append((segments, method.upper(), handler))

    def resolve(self, method, path):
        """(handler, params) or raises HTTPError 404/405."""
        parts = [urllib.parse.unquote(s) for s in path.split("/") if s]
        allowed = set()
        for segments, route_method, handler in self._routes:
            if len(segments) != len(parts):
                continue
            params = {}
            for seg, part in zip(segments, parts):
                if seg.startswith("{") and seg.endswith("}"):
                    params[seg[1:-1]] = part
                elif seg != part:
                    break
            else:
                if route_method == method:
                    return handler, params
                allowed.add(route_method)
        if allowed:
            if method == "HEAD" and "GET" in allowed:
                return self.resolve("GET", path)
            raise HTTPError(405, "method_not_allowed",
                            "%s is not allowed here; use %s" % (method, ", ".join(sorted(allowed))),
                            {"Allow": ", ".join(sorted(allowed))})
        raise HTTPError(404, "not_found", "no such endpoint: %s" % path)


def to_response(result):
    if isinstance(result, Response):
        return result
    if result is None:
        return Response(204, b"", "application/json")
    if isinstance(result, tuple) and len(result) == 2:
        status, body = result
        if body is None:
            return Response(status, b"", "application/json")
        return json_response(status, body)
    return json_response(200, result)


# -- the HTTP machinery ---------------------------------------------------


class _HeaderBudgetExceeded(Exception):
    pass


class _ClientGone(Exception):
    """The client timed out or disconnected while sending its body."""


class _BudgetReader:
    """Wraps the socket file while the request line and headers are read so
    that together they cannot exceed the header budget."""

    def __init__(self, raw, budget):
        self._raw = raw
        self.remaining = budget

    def readline(self, limit=-1):
        want = self.remaining + 1
        if limit is not None and 0 <= limit < want:
            want = limit
        line = self._raw.readline(want)
        self.remaining -= len(line)
        if self.remaining < 0:
            raise _HeaderBudgetExceeded()
        return line

    def __getattr__(self, name):
        return getattr(self._raw, name)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "spyglass-agent/" + __version__
    sys_version = ""

    # BaseHTTPRequestHandler would print every request to stderr.
    def log_message(self, fmt, *args):
        pass

    def version_string(self):
        return self.server_version

    def setup(self):
        self.timeout = self.server.agent.config.socket_timeout_s
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except (OSError, AttributeError):
            pass

    def handle_one_request(self):
        config = self.server.agent.config
        raw = self.rfile
        self.rfile = _BudgetReader(raw, config.max_header_bytes)
        try:
            try:
                self.raw_requestline = self.rfile.readline(65537)
                if not self.raw_requestline:
                    self.close_connection = True
                    return
                if not self.parse_request():
                    return
            except _HeaderBudgetExceeded:
                self.close_connection = True
                self.command = self.command or ""
                self.request_version = "HTTP/1.1"
                self._send(error_response(431, "headers_too_large",
                                          "the request line and headers exceed %d bytes"
                                          % config.max_header_bytes))
                return
            finally:
                self.rfile = raw
            self._dispatch()
            self.wfile.flush()
        except (socket.timeout, ConnectionError, ssl.SSLError, OSError):
            self.close_connection = True

    def send_error(self, code, message=None, explain=None):
        # parse_request() reports malformed requests through here.
        self.close_connection = True
        self._send(error_response(code, "bad_request" if code == 400 else "http_%d" % code,
                                  message or self.responses.get(code, ("error",))[0]))

    def _send(self, response):
        if self.request_version == "HTTP/0.9" or not self.request_version:
            # Unparsable request: still answer with a status line and headers.
            self.request_version = "HTTP/1.0"
            self.close_connection = True
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        if response.status not in (204, 304):      # RFC 9110: no length on these
            self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in response.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        # Headers and body leave in one write: two small writes on a
        # keep-alive connection meet the client's delayed ACK (40 ms each).
        self._headers_buffer.append(b"\r\n")
        if self.command != "HEAD" and response.status not in (204, 304):
            self._headers_buffer.append(response.body)
        self.flush_headers()

    def _read_body(self):
        config = self.server.agent.config
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise HTTPError(411, "length_required", "send the body with a Content-Length")
        lengths = self.headers.get_all("Content-Length") or []
        if not lengths:
            return b""
        length = lengths[0].strip()
        if len(set(v.strip() for v in lengths)) != 1 or not _DIGITS.match(length):
            self.close_connection = True
            raise HTTPError(400, "bad_request", "invalid Content-Length")
        n = int(length)
        if n > config.max_body_bytes:
            # Do not read it: answer and drop the connection.
            self.close_connection = True
            raise HTTPError(413, "body_too_large",
                            "the body is %d bytes; the limit is %d" % (n, config.max_body_bytes))
        try:
            body = self.rfile.read(n)
        except OSError:             # includes the socket timeout
            body = b""
        if len(body) != n:
            self.close_connection = True
            raise _ClientGone()
        return body

    def _dispatch(self):
        server = self.server
        try:
            # Authentication comes first: an unauthenticated client learns
            # nothing, not even which paths exist, and its body is never read.
            if not server.token_checker.check_header(self.headers.get("Authorization")):
                if (self.headers.get("Content-Length") not in (None, "0")
                        or self.headers.get("Transfer-Encoding")):
                    self.close_connection = True    # its body stays unread
                server.note_auth_failure(self.client_address)
                raise HTTPError(401, "unauthorized", "missing or invalid token",
                                {"WWW-Authenticate": 'Bearer realm="spyglass"'})
            # The body is read (or refused) before routing so that a 404 on a
            # keep-alive connection never leaves unread bytes behind.
            body = self._read_body()
            target = urllib.parse.urlsplit(self.path)
            handler, params = server.router.resolve(self.command, target.path)
            query = dict(urllib.parse.parse_qsl(target.query, keep_blank_values=True))
            request = Request(self.command, target.path, query, self.headers, body, params)
            response = to_response(handler(request))
        except HTTPError as e:
            response = error_response(e.status, e.code, e.message, e.headers)
        except _ClientGone:
            return                  # nobody to answer
        except Exception:
            ref = uuid.uuid4().hex[:8]
            server.agent.log.error("internal error %s in %s %s:\n%s", ref, self.command,
                                   self.path.split("?", 1)[0], traceback.format_exc())
            response = error_response(500, "internal",
                                      "internal error (agent log reference %s)" % ref)
        self._send(response)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True      # Linux: only skips TIME_WAIT, never shares a live port
    request_queue_size = 64

    def __init__(self, address, family, agent):
        self.address_family = family
        self.agent = agent
        self._slots = threading.BoundedSemaphore(agent.config.max_connections)
        super().__init__(address, _Handler, bind_and_activate=True)

    def process_request(self, request, client_address):
        # Too many open connections: refuse the newcomer rather than spawn
        # threads without bound inside someone else's process.
        if not self._slots.acquire(blocking=False):
            self._refuse_busy(request)
            self.shutdown_request(request)
            return
        # Named so that the host's thread lists, profiles and snapshots can
        # tell the agent's threads from the service's own.
        thread = threading.Thread(target=self.process_request_thread,
                                  args=(request, client_address), daemon=True,
                                  name="spyglass-http-conn")
        try:
            thread.start()
        except Exception:
            self._slots.release()
            raise

    _BUSY = error_response(503, "busy", "the agent has too many open connections; retry "
                                        "shortly", {"Retry-After": "1"})

    def _refuse_busy(self, request):
        # A plain-HTTP client gets a 503 it can act on, sent without
        # blocking this (the accepting) thread; a TLS client has not done
        # its handshake yet and can only be disconnected.
        if getattr(self, "ssl_context", None) is not None:
            return
        body = self._BUSY.body
        head = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
                "Retry-After: 1\r\nConnection: close\r\n\r\n" % (self._BUSY.content_type, len(body)))
        try:
            request.setblocking(False)
            request.send(head.encode("latin-1") + body)
        except OSError:
            pass

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def get_request(self):
        sock, addr = super().get_request()
        context = getattr(self, "ssl_context", None)
        if context is not None:
            # The handshake happens on the handler thread (first read), not here.
            sock = context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        # A client that misbehaves must not print tracebacks into the host's stderr.
        self.agent.log.debug("connection from %s failed", client_address, exc_info=True)


class AgentServer:
    """Owns the listening socket, the router and the serving thread."""

    def __init__(self, agent):
        self.agent = agent
        self.router = Router()
        self.token_checker = TokenChecker(agent.config.token)
        self._feature_modules = []
        self._thread = None
        self._auth_failures = 0
        context = self._tls_context() if agent.config.tls else None
        self._httpd = self._bind()
        self._httpd.router = self.router
        self._httpd.token_checker = self.token_checker
        self._httpd.note_auth_failure = self.note_auth_failure
        self._httpd.ssl_context = context
        self.port = self._httpd.server_address[1]
        from . import core_api
        core_api.register(self.router, agent)

    def _tls_context(self):
        config = self.agent.config
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        try:
            context.load_cert_chain(config.tls_cert, config.tls_key)
        except (ssl.SSLError, OSError) as e:
            from .config import ConfigError
            raise ConfigError("cannot use the TLS certificate %s with the key %s (%s): both must "
                              "be PEM files and the key must belong to the certificate"
                              % (config.tls_cert, config.tls_key,
                                 getattr(e, "reason", None) or e)) from None
        return context

    def _bind(self):
        config = self.agent.config
        infos = socket.getaddrinfo(config.address or None, None, 0, socket.SOCK_STREAM, 0,
                                   socket.AI_PASSIVE)
        family, _, _, _, sockaddr = infos[0]
        host = sockaddr[0]
        tries = 1 if config.port == 0 else config.port_tries
        last_error = None
        for port in range(config.port, min(config.port + tries, 65536)):
            try:
                return _Server((host, port), family, self.agent)
            except OSError as e:
                last_error = e
                if e.errno not in (98, 48, 10048):   # EADDRINUSE on Linux, macOS, Windows
                    raise
        raise OSError(last_error.errno, "ports %d-%d on %s are all taken"
                      % (config.port, config.port + tries - 1, config.address))

    def load_features(self):
        """Import and register the feature modules; returns every capability."""
        capabilities = ["events", "source_manifest"]
        if self.agent.config.source_serving:
            capabilities.append("source_files")
        for name in FEATURE_MODULES:
            if name == "profiling_api" and not self.agent.config.profiling:
                continue
            qualified = "%s.%s" % (__package__, name)
            try:
                module = importlib.import_module(qualified)
            except ModuleNotFoundError as e:
                if e.name == qualified:
                    continue          # that feature is not part of this build
                if (e.name or "").startswith(__package__ + "."):
                    # Its engine module is not part of this build.
                    self.agent.log.warning("feature %s unavailable: %s is missing", name, e.name)
                    continue
                self.agent.log.error("feature %s cannot load: %s", name, e)
                continue
            except Exception as e:
                self.agent.log.error("feature %s cannot load: %s", name, e)
                continue
            routes_before = list(self.router._routes)
            try:
                added = module.register(self.router, self.agent) or []
            except Exception:
                # A half-registered feature must not leave routes behind.
                self.router._routes[:] = routes_before
                self.agent.log.error("feature %s failed to start:\n%s", name,
                                     traceback.format_exc())
                continue
            self._feature_modules.append(module)
            capabilities.extend(added)
        return capabilities

    def close_features(self):
        for module in reversed(self._feature_modules):
            close = getattr(module, "close", None)
            if close is None:
                continue
            try:
                close(self.agent)
            except Exception:
                self.agent.log.error("feature %s failed to stop:\n%s", module.__name__,
                                     traceback.format_exc())
        self._feature_modules = []

    def note_auth_failure(self, client_address):
        # Logged, but sparingly: a scanner must not be able to flood the host's log.
        self._auth_failures += 1
        n = self._auth_failures
        if n & (n - 1) == 0:
            self.agent.log.warning("rejected a request with a missing or wrong token from %s "
                                   "(%d so far)", client_address[0], n)

    def start(self):
        self._wake_r, self._wake_w = os.pipe()
        self._stopping = False
        self._thread = threading.Thread(target=self._serve, name="spyglass-http", daemon=True)
        self._thread.start()

    def _serve(self):
        """socketserver's serve_forever() wakes every poll interval to check
        for shutdown; this loop sleeps until a client connects or stop()
        writes to the wake pipe, so an idle agent costs the host nothing."""
        with selectors.DefaultSelector() as selector:
            selector.register(self._httpd, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            while not self._stopping:
                try:
                    ready = selector.select()
                except OSError:
                    if self._stopping:
                        break
                    raise
                if self._stopping:
                    break
                for key, _ in ready:
                    if key.fileobj is self._httpd:
                        # Accepts one connection and hands it to a thread;
                        # errors are reported through handle_error.
                        self._httpd._handle_request_noblock()

    def stop(self):
        try:
            if self._thread is not None:
                self._stopping = True
                try:
                    os.write(self._wake_w, b"x")
                except OSError:
                    pass
                self._thread.join(5)
        finally:
            self._httpd.server_close()
            self._close_pipe()

    def _close_pipe(self):
        for name in ("_wake_r", "_wake_w"):
            fd = getattr(self, name, None)
            if fd is not None:
                setattr(self, name, None)
                try:
                    os.close(fd)
                except OSError:
                    pass

    def abandon(self):
        """After fork(): the serving thread does not exist in the child; just
        let go of the inherited listening socket (the parent keeps serving)."""
        try:
            self._httpd.socket.close()
        except OSError:
            pass
        self._close_pipe()
