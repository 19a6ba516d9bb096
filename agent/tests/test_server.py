# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP transport against a real agent in a subprocess: auth, routing,
limits, malformed input, long-polled events."""

import hashlib
import hmac
import socket
import threading
import time
import unittest
from unittest import mock

from spyglass.auth import TokenChecker
from tests.support import TOKEN, AgentProcess, raw_exchange


class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.agent = AgentProcess(token=TOKEN, service="checkout", version="2.4.1",
                                 _test_routes=True)
        cls.agent.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.agent.close()

    def assertError(self, result, status, code):
        got_status, _, body = result
        self.assertEqual(got_status, status, body)
        self.assertEqual(body["error"]["code"], code)
        self.assertIsInstance(body["error"]["message"], str)

    def assertAlive(self):
        status, _, body = self.agent.request("GET", "/v1/agent")
        self.assertEqual(status, 200)

    # -- description --------------------------------------------------------

    def test_agent_description(self):
        status, headers, body = self.agent.request("GET", "/v1/agent")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("application/json"))
        self.assertEqual(body["service"], "checkout")
        self.assertEqual(body["version"], "2.4.1")
        self.assertEqual(body["pid"], self.agent.info["pid"])
        self.assertEqual(body["protocol_version"], 1)
        self.assertEqual(body["runtime"]["implementation"], "cpython")
        self.assertRegex(body["runtime"]["version"], r"^3\.\d+\.\d+$")
        self.assertRegex(body["start_time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertRegex(body["id"], r"^[0-9a-f]{32}$")
        for cap in ("events", "source_manifest", "source_files"):
            self.assertIn(cap, body["capabilities"])
        self.assertNotIn("Access-Control-Allow-Origin", headers)

    # -- authentication -----------------------------------------------------

    def test_missing_token_is_401_without_detail(self):
        status, headers, body = self.agent.request("GET", "/v1/agent", token=None)
        self.assertEqual(status, 401)
        self.assertEqual(body, {"error": {"code": "unauthorized",
                                          "message": "missing or invalid token"}})
        self.assertEqual(headers["WWW-Authenticate"], 'Bearer realm="spyglass"')

    def test_wrong_token_is_401(self):
        for token in ("nope", TOKEN + "x", TOKEN[:-1], TOKEN.upper(), ""):
            with self.subTest(token=token):
                self.assertError(self.agent.request("GET", "/v1/agent", token=token),
                                 401, "unauthorized")

    def test_wrong_scheme_is_401(self):
        result = self.agent.request("GET", "/v1/agent", token=None,
                                    headers={"Authorization": "Basic " + TOKEN})
        self.assertError(result, 401, "unauthorized")

    def test_unauthenticated_client_learns_no_routes(self):
        # 401, not 404, for a path that does not exist.
        self.assertError(self.agent.request("GET", "/v1/nothing-here", token=None),
                         401, "unauthorized")

    def test_token_comparison_is_constant_time(self):
        checker = TokenChecker(TOKEN)
        calls = []
        real = hmac.compare_digest

        def spy(a, b):
            calls.append((len(a), len(b)))
            return real(a, b)

        with mock.patch("spyglass.auth.hmac.compare_digest", side_effect=spy):
            self.assertTrue(checker.check_header("Bearer " + TOKEN))
            self.assertFalse(checker.check_header("Bearer x"))
            self.assertFalse(checker.check_header("Bearer " + "x" * 500))
            self.assertFalse(checker.check_header(None))
        # Every path compares, and always two 32-byte digests: neither the
        # token's length nor its prefix can be learnt from timing.
        self.assertEqual(calls, [(32, 32)] * 4)
        self.assertTrue(checker.check_header("bearer " + TOKEN))
        self.assertFalse(checker.check_header(TOKEN))

    # -- routing and errors -------------------------------------------------

    def test_unknown_route_is_404(self):
        self.assertError(self.agent.request("GET", "/v1/nothing-here"), 404, "not_found")
        self.assertError(self.agent.request("GET", "/v2/agent"), 404, "not_found")

    def test_wrong_method_is_405_with_allow(self):
        status, headers, body = self.agent.request("DELETE", "/v1/agent")
        self.assertEqual(status, 405)
        self.assertEqual(body["error"]["code"], "method_not_allowed")
        self.assertEqual(headers["Allow"], "GET")

    def test_head_is_get_without_a_body(self):
        conn = self.agent.connection()
        try:
            conn.request("HEAD", "/v1/agent", headers={"Authorization": "Bearer " + TOKEN})
            resp = conn.getresponse()
            self.assertEqual((resp.status, resp.read()), (200, b""))
            self.assertGreater(int(resp.getheader("Content-Length")), 100)
            # The connection is still in step afterwards.
            self.assertEqual(self.agent.request("GET", "/v1/agent", conn=conn)[0], 200)
        finally:
            conn.close()

    def test_cors_preflight_gets_nothing_useful(self):
        status, headers, body = self.agent.request(
            "OPTIONS", "/v1/agent", token=None,
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
        self.assertEqual(status, 401)
        self.assertFalse([h for h in headers if h.lower().startswith("access-control-")])

    def test_handler_crash_is_500_without_traceback(self):
        status, _, body = self.agent.request("GET", "/v1/test/boom")
        self.assertEqual(status, 500)
        self.assertEqual(body["error"]["code"], "internal")
        text = repr(body)
        self.assertNotIn("secret internal detail", text)
        self.assertNotIn("Traceback", text)
        self.assertAlive()

    def test_json_body_path_params_and_query(self):
        status, _, body = self.agent.request("POST", "/v1/test/echo/a%20b?x=1&y=",
                                             body={"k": [1, "ü"]})
        self.assertEqual(status, 200)
        self.assertEqual(body, {"body": {"k": [1, "ü"]}, "query": {"x": "1", "y": ""},
                                "params": {"name": "a b"}})

    def test_bad_json_is_400(self):
        for payload in (b"{not json", b"\xff\xfe", b""):
            with self.subTest(payload=payload):
                self.assertError(self.agent.request("POST", "/v1/test/echo/x", body=payload),
                                 400, "bad_json")

    def test_keep_alive_serves_several_requests(self):
        conn = self.agent.connection()
        try:
            for _ in range(3):
                status, _, _ = self.agent.request("GET", "/v1/agent", conn=conn)
                self.assertEqual(status, 200)
            # A 404 with a body must not leave the body in the stream.
            status, _, _ = self.agent.request("POST", "/v1/nowhere", body={"a": 1}, conn=conn)
            self.assertEqual(status, 404)
            status, _, _ = self.agent.request("GET", "/v1/agent", conn=conn)
            self.assertEqual(status, 200)
            # 204 carries no body and no Content-Length, and the connection goes on.
            conn.request("DELETE", "/v1/test/nothing", headers={"Authorization": "Bearer " + TOKEN})
            resp = conn.getresponse()
            self.assertEqual((resp.status, resp.read(), resp.getheader("Content-Length")),
                             (204, b"", None))
            self.assertEqual(self.agent.request("GET", "/v1/agent", conn=conn)[0], 200)
        finally:
            conn.close()

    # -- limits and malformed input -------------------------------------------

    def test_body_over_limit_is_413_without_reading_it(self):
        head = ("POST /v1/test/echo/x HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer %s\r\n"
                "Content-Length: %d\r\n\r\n" % (TOKEN, 2 << 20)).encode()
        answer = raw_exchange(self.agent.port, head)
        self.assertTrue(answer.startswith(b"HTTP/1.1 413 "), answer[:100])
        self.assertIn(b'"body_too_large"', answer)
        self.assertAlive()

    def test_body_at_limit_is_accepted(self):
        payload = b'{"s":"' + b"a" * ((1 << 20) - 8) + b'"}'
        self.assertEqual(len(payload), 1 << 20)
        status, _, body = self.agent.request("POST", "/v1/test/echo/x", body=payload)
        self.assertEqual(status, 200)
        self.assertEqual(len(body["body"]["s"]), (1 << 20) - 8)

    def test_headers_over_limit_are_431(self):
        head = ("GET /v1/agent HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer %s\r\n"
                "X-Pad: %s\r\n\r\n" % (TOKEN, "p" * 9000)).encode()
        answer = raw_exchange(self.agent.port, head)
        self.assertTrue(answer.startswith(b"HTTP/1.1 431 "), answer[:100])
        self.assertIn(b'"headers_too_large"', answer)
        many = "".join("X-H%d: v\r\n" % i for i in range(2000))
        answer = raw_exchange(self.agent.port, ("GET /v1/agent HTTP/1.1\r\n%s\r\n" % many).encode())
        self.assertTrue(answer.startswith(b"HTTP/1.1 431 "), answer[:100])
        self.assertAlive()

    def test_chunked_body_is_refused(self):
        head = ("POST /v1/test/echo/x HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer %s\r\n"
                "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" % TOKEN).encode()
        answer = raw_exchange(self.agent.port, head)
        self.assertTrue(answer.startswith(b"HTTP/1.1 411 "), answer[:100])

    def test_malformed_requests_get_json_400(self):
        auth = b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
        for payload in (b"GARBAGE\r\n\r\n", b"GET /v1/agent HTTP/9.9\r\n\r\n",
                        b"GET /v1/agent HTTP/1.1\r\nContent-Length: -5\r\n" + auth + b"\r\n",
                        b"GET /v1/agent HTTP/1.1\r\nContent-Length: 1_0\r\n" + auth + b"\r\n",
                        b"POST /v1/test/echo/x HTTP/1.1\r\nContent-Length: 2\r\n"
                        b"Content-Length: 20\r\n" + auth + b"\r\n{}"):
            with self.subTest(payload=payload):
                answer = raw_exchange(self.agent.port, payload)
                status_line = answer.split(b"\r\n", 1)[0]
                self.assertRegex(status_line, rb"^HTTP/1\.[01] (400|505) ")
                self.assertIn(b'"error"', answer)
                self.assertNotIn(b"<html", answer.lower())
        self.assertAlive()

    def test_binary_garbage_and_disconnects_do_not_hurt(self):
        for payload in (bytes(range(256)) * 40, b"\x16\x03\x01\x02\x00" + b"\x00" * 500, b""):
            raw_exchange(self.agent.port, payload, timeout=1)
        # A client that promises a body and goes away mid-way.
        with socket.create_connection(("127.0.0.1", self.agent.port)) as s:
            s.sendall(("POST /v1/test/echo/x HTTP/1.1\r\nAuthorization: Bearer %s\r\n"
                       "Content-Length: 1000\r\n\r\n{\"a\":" % TOKEN).encode())
        # And one that sends half its body and then stalls past the timeout
        # is dropped without an internal error.
        with AgentProcess(token=TOKEN, socket_timeout_s=1.0) as agent:
            with socket.create_connection(("127.0.0.1", agent.port)) as s:
                s.sendall(("POST /v1/agent HTTP/1.1\r\nAuthorization: Bearer %s\r\n"
                           "Content-Length: 10\r\n\r\n{\"a" % TOKEN).encode())
                s.settimeout(5)
                self.assertEqual(s.recv(100), b"")
            self.assertEqual(agent.request("GET", "/v1/agent")[0], 200)
            self.assertNotIn("internal error", agent.stderr())
        self.assertAlive()
        self.assertNotIn("Traceback", self.agent.stderr())
        self.assertNotIn("internal error", self.agent.stderr())

    def test_many_parallel_connections(self):
        errors = []

        def hit():
            try:
                status, _, _ = self.agent.request("GET", "/v1/agent")
                if status != 200:
                    errors.append(status)
            except OSError as e:
                errors.append(e)

        threads = [threading.Thread(target=hit) for _ in range(40)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
        self.assertEqual(errors, [])

    def test_connection_limit_refuses_extra_clients(self):
        # Hold the 64 allowed connections open (each mid-request), then a
        # 65th gets a 503 at once; once they go, service resumes.
        held = []
        try:
            for _ in range(64):
                s = socket.create_connection(("127.0.0.1", self.agent.port))
                s.sendall(b"GET /v1/agent HTTP/1.1\r\n")
                held.append(s)
            time.sleep(0.3)
            answer = raw_exchange(self.agent.port, b"GET /v1/agent HTTP/1.1\r\n\r\n")
            self.assertTrue(answer.startswith(b"HTTP/1.1 503 "), answer)
            self.assertIn(b"Retry-After: 1", answer)
            self.assertIn(b'"code":"busy"', answer)
        finally:
            for s in held:
                s.close()
        deadline = time.monotonic() + 5
        while True:
            try:
                self.assertAlive()
                break
            except (AssertionError, OSError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    # -- events ------------------------------------------------------------------

    def _events(self, after, timeout=0, **extra):
        query = "&".join("%s=%s" % kv for kv in dict(after=after, timeout=timeout, **extra).items())
        status, _, body = self.agent.request("GET", "/v1/events?" + query)
        self.assertEqual(status, 200, body)
        return body

    def test_long_poll_returns_on_publish(self):
        start = self._events(0)
        cursor = start["last_seq"]
        result = {}

        def poll():
            t0 = time.monotonic()
            result["body"] = self._events(cursor, timeout=10)
            result["elapsed"] = time.monotonic() - t0

        t = threading.Thread(target=poll)
        t.start()
        time.sleep(0.5)
        t_publish = time.monotonic()
        seq = self.agent.command("publish log 7")["seq"]
        t.join(15)
        waited_after_publish = time.monotonic() - t_publish
        body = result["body"]
        self.assertEqual([e["seq"] for e in body["events"]], [seq])
        self.assertEqual(body["events"][0]["kind"], "log")
        self.assertEqual(body["events"][0]["data"], {"n": 7})
        self.assertEqual(body["last_seq"], seq)
        self.assertGreaterEqual(result["elapsed"], 0.45)
        # The target: the console sees a hit within ~100 ms.
        self.assertLess(waited_after_publish, 0.5)

    def test_long_poll_times_out_empty(self):
        cursor = self._events(0)["last_seq"]
        t0 = time.monotonic()
        body = self._events(cursor, timeout=1)
        elapsed = time.monotonic() - t0
        self.assertEqual(body["events"], [])
        self.assertEqual(body["last_seq"], cursor)
        self.assertGreaterEqual(elapsed, 0.9)
        self.assertLess(elapsed, 3)

    def test_events_limit_and_cursor(self):
        cursor = self._events(0)["last_seq"]
        seqs = [self.agent.command("publish agent_status %d" % i)["seq"] for i in range(5)]
        body = self._events(cursor, limit=2)
        self.assertEqual([e["seq"] for e in body["events"]], seqs[:2])
        body = self._events(body["last_seq"], limit=100)
        self.assertEqual([e["seq"] for e in body["events"]], seqs[2:])
        self.assertEqual(body["missed"], 0)

    def test_future_cursor_resets(self):
        body = self._events(10 ** 9)
        self.assertTrue(body["reset"])
        self.assertGreaterEqual(len(body["events"]), 1)

    def test_bad_event_parameters_are_400(self):
        for query in ("after=x", "after=-1", "timeout=abc", "timeout=-2", "timeout=nan",
                      "limit=0"):
            with self.subTest(query=query):
                self.assertError(self.agent.request("GET", "/v1/events?" + query),
                                 400, "bad_parameter")


class EventRingTest(unittest.TestCase):
    def test_overflow_reports_missed_events(self):
        with AgentProcess(token=TOKEN) as agent:
            for i in range(1005):
                agent.proc.stdin.write("publish log %d\n" % i)
            agent.proc.stdin.flush()
            for _ in range(1005):
                agent.proc.stdout.readline()
            status, _, body = agent.request("GET", "/v1/events?after=0&limit=1000")
            self.assertEqual(status, 200)
            # 1 agent_status + 1005 logs = 1006 published; the ring keeps 1000.
            self.assertEqual(body["events"][0]["seq"], 7)
            self.assertEqual(body["missed"], 6)
            self.assertEqual(len(body["events"]), 1000)


class ShutdownTest(unittest.TestCase):
    def test_stop_wakes_pollers_and_closes_the_port(self):
        with AgentProcess(token=TOKEN) as agent:
            result = {}

            def poll():
                t0 = time.monotonic()
                try:
                    result["status"] = agent.request("GET", "/v1/events?after=99999&timeout=0")[0]
                    cursor = agent.request("GET", "/v1/events")[2]["last_seq"]
                    result["status"] = agent.request(
                        "GET", "/v1/events?after=%d&timeout=20" % cursor)[0]
                except OSError as e:
                    result["error"] = e
                result["elapsed"] = time.monotonic() - t0

            t = threading.Thread(target=poll)
            t.start()
            time.sleep(0.5)
            self.assertTrue(agent.command("stop")["stopped"])
            t.join(10)
            self.assertLess(result["elapsed"], 8)
            with self.assertRaises(OSError):
                socket.create_connection(("127.0.0.1", agent.port), timeout=2).close()


if __name__ == "__main__":
    unittest.main()
