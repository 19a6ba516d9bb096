# SPDX-License-Identifier: GPL-3.0-or-later
"""Seeded random abuse of the HTTP server: mangled request lines, headers
and bodies, truncated and oversized input, sent fast.  Whatever arrives,
the agent answers with a status line or closes the connection, never logs
an internal error, and keeps serving."""

import random
import socket
import unittest

from tests.support import TOKEN, AgentProcess

METHODS = [b"GET", b"POST", b"DELETE", b"PUT", b"HEAD", b"OPTIONS", b"G\x00T", b"", b"get"]
PATHS = [b"/v1/agent", b"/v1/events?after=0", b"/v1/events?after=-1&timeout=x",
         b"/v1/breakpoints", b"/v1/breakpoints/%00", b"/v1/source/file?path=../../etc/passwd",
         b"/v1/source/manifest", b"/" + b"a" * 9000, b"*", b"http://evil/v1/agent", b"",
         b"/v1/breakpoints/" + "é".encode(), b"/v1//agent", b"/v1/agent?" + b"&" * 500]
VERSIONS = [b"HTTP/1.1", b"HTTP/1.0", b"HTTP/2.0", b"HTTP/1.1 extra", b"", b"HTTP/1.x"]


def random_request(rng):
    if rng.random() < 0.6:
        # Well-formed request line, so the abuse reaches auth, routing and handlers.
        line = b" ".join([rng.choice(METHODS[:5]), rng.choice(PATHS[:7]), b"HTTP/1.1"])
    else:
        parts = [rng.choice(METHODS), rng.choice(PATHS), rng.choice(VERSIONS)]
        line = b" ".join(p for p in parts if p or rng.random() < 0.3)
    headers = []
    if rng.random() < 0.8:
        token = TOKEN if rng.random() < 0.7 else rng.choice(["", "x", TOKEN + "\x00", "é" * 20])
        headers.append(b"Authorization: Bearer " + token.encode("utf-8"))
    body = rng.choice([b"", b"{}", b'{"location": {"path": "x.py", "line": 1}}', b"{" * 1000,
                       bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 300)))])
    choice = rng.random()
    if choice < 0.6:
        headers.append(b"Content-Length: %d" % len(body))
    elif choice < 0.7:
        headers.append(b"Content-Length: %d" % (len(body) + rng.randint(1, 50)))
    elif choice < 0.8:
        headers.append(b"Content-Length: " + rng.choice([b"-1", b"abc", b"99999999999", b""]))
    elif choice < 0.9:
        headers.append(b"Transfer-Encoding: chunked")
    for _ in range(rng.randint(0, 5)):
        headers.append(rng.choice([b"X-A: b", b"NoColon", b": empty", b"X-Long: " + b"v" * 3000,
                                   b"Expect: 100-continue", b"Connection: close",
                                   b"Host: " + bytes(rng.getrandbits(8) for _ in range(8))]))
    raw = line + b"\r\n" + b"\r\n".join(headers) + b"\r\n\r\n" + body
    if rng.random() < 0.15:
        raw = raw[:rng.randint(0, len(raw))]          # cut anywhere
    return raw


class FuzzHTTPTest(unittest.TestCase):
    def test_random_requests(self):
        rng = random.Random(20261122)
        with AgentProcess(token=TOKEN, socket_timeout_s=0.5) as agent:
            answered = 0
            for _ in range(300):
                raw = random_request(rng)
                with socket.create_connection(("127.0.0.1", agent.port), timeout=5) as s:
                    try:
                        s.sendall(raw)
                        s.shutdown(socket.SHUT_WR)
                        first = s.recv(16)
                    except (ConnectionResetError, BrokenPipeError):
                        first = b""
                    except socket.timeout:
                        self.fail("no answer and no close for %r" % raw[:200])
                if first:
                    self.assertRegex(first, rb"^HTTP/1\.[01] \d{3} ", raw[:200])
                    answered += 1
            self.assertGreater(answered, 200)
            self.assertEqual(agent.request("GET", "/v1/agent")[0], 200)
            log = agent.stderr()
        self.assertNotIn("internal error", log)
        self.assertNotIn("Traceback", log)


if __name__ == "__main__":
    unittest.main()
