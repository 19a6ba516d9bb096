# SPDX-License-Identifier: GPL-3.0-or-later
"""Configuration: arguments and environment, refusals, port fallback,
generated tokens, the discovery file, TLS."""

import json
import os
import shutil
import socket
import ssl
import stat
import subprocess
import sys
import tempfile
import unittest

from spyglass import config
from tests.support import TOKEN, AgentProcess, free_port, tls_context_for


class LoadTest(unittest.TestCase):
    def test_defaults(self):
        c = config.load(env={})
        self.assertEqual((c.address, c.port), ("127.0.0.1", 7878))
        self.assertTrue(c.token_generated)
        self.assertGreaterEqual(len(c.token), 40)
        self.assertEqual(c.source_root, os.path.realpath(os.getcwd()))
        self.assertTrue(c.source_serving and c.profiling)
        self.assertEqual(c.breakpoint_expiry_s, 86400)
        self.assertIn("password", c.redact_names)
        self.assertNotEqual(config.load(env={}).token, c.token)

    def test_environment(self):
        root = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, root)
        c = config.load(env={
            "SPYGLASS_SERVICE": "api", "SPYGLASS_VERSION": "1.0.1", "SPYGLASS_PORT": "9000",
            "SPYGLASS_TOKEN": TOKEN, "SPYGLASS_SOURCE_ROOT": root,
            "SPYGLASS_SOURCE_SERVING": "0", "SPYGLASS_PROFILING": "false",
            "SPYGLASS_REDACT": "ssn, pin", "SPYGLASS_BLOCKLIST": "secrets_mod,vendor.",
            "SPYGLASS_BREAKPOINT_EXPIRY": "600", "SPYGLASS_LOG_RATE_LINES": "10",
        })
        self.assertEqual((c.service, c.version, c.port), ("api", "1.0.1", 9000))
        self.assertEqual(c.token, TOKEN)
        self.assertFalse(c.token_generated)
        self.assertEqual(c.source_root, os.path.realpath(root))
        self.assertFalse(c.source_serving)
        self.assertFalse(c.profiling)
        self.assertIn("ssn", c.redact_names)
        self.assertIn("password", c.redact_names)    # extra names add, never replace
        self.assertEqual(c.blocklist, ["secrets_mod", "vendor."])
        self.assertEqual((c.breakpoint_expiry_s, c.log_rate_lines), (600, 10))

    def test_arguments_beat_environment(self):
        c = config.load(env={"SPYGLASS_SERVICE": "env", "SPYGLASS_PORT": "9000"},
                        service="arg", port=9100)
        self.assertEqual((c.service, c.port), ("arg", 9100))

    def test_address_with_port(self):
        c = config.load(env={"SPYGLASS_ADDRESS": "127.0.0.1:9200"})
        self.assertEqual((c.address, c.port), ("127.0.0.1", 9200))
        c = config.load(env={"SPYGLASS_ADDRESS": "[::1]:9300"})
        self.assertEqual((c.address, c.port), ("::1", 9300))
        self.assertTrue(c.loopback)
        self.assertEqual(c.base_url(), "http://[::1]:9300")
        c = config.load(address="127.0.0.1:9200", port=9400)
        self.assertEqual(c.port, 9400)

    def test_token_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".token") as f:
            f.write(TOKEN + "\n")
            f.flush()
            self.assertEqual(config.load(env={"SPYGLASS_TOKEN_FILE": f.name}).token, TOKEN)
        with self.assertRaisesRegex(config.ConfigError, "cannot be read"):
            config.load(env={"SPYGLASS_TOKEN_FILE": "/nonexistent/token"})

    def test_bad_values_are_named(self):
        cases = [
            ({"SPYGLASS_PORT": "http"}, "SPYGLASS_PORT must be a whole number"),
            ({"SPYGLASS_PORT": "70000"}, "SPYGLASS_PORT must be between"),
            ({"SPYGLASS_PROFILING": "maybe"}, "SPYGLASS_PROFILING must be 0 or 1"),
            ({"SPYGLASS_TOKEN": "short"}, "too short"),
            ({"SPYGLASS_TOKEN": "has space in the token"}, "no spaces"),
            ({"SPYGLASS_TLS_CERT": "/etc/hostname"}, "needs both"),
            ({"SPYGLASS_TLS_CERT": "/nope.pem", "SPYGLASS_TLS_KEY": "/nope.key"},
             "not a readable file"),
            ({"SPYGLASS_SOURCE_ROOT": "/nonexistent/src"}, "not a directory"),
        ]
        for env, message in cases:
            with self.subTest(env=env):
                with self.assertRaisesRegex(config.ConfigError, message):
                    config.load(env=env)
        with self.assertRaisesRegex(config.ConfigError, "unknown setting"):
            config.load(env={}, prot=1)

    def test_non_loopback_needs_explicit_token(self):
        for address in ("0.0.0.0", "::", "192.0.2.7", "example.org", ""):
            with self.subTest(address=address):
                with self.assertRaisesRegex(config.ConfigError, "without an explicit token"):
                    config.load(env={"SPYGLASS_ADDRESS": address} if address else {},
                                address=address or "0.0.0.0")
        c = config.load(env={}, address="0.0.0.0", token=TOKEN)
        self.assertFalse(c.loopback)
        for address in ("127.0.0.1", "127.1.2.3", "::1", "localhost"):
            self.assertTrue(config.load(env={}, address=address).loopback)


class StartTest(unittest.TestCase):
    def test_refusal_is_logged_not_raised(self):
        with AgentProcess(address="0.0.0.0") as agent:
            self.assertFalse(agent.started)
            log = agent.stderr()
        self.assertIn("refusing to listen on 0.0.0.0 without an explicit token", log)
        self.assertNotIn("Traceback", log)

    def test_generated_token_is_logged_on_one_line(self):
        with AgentProcess(service="orders") as agent:
            token = agent.info["token"]
            status, _, _ = agent.request("GET", "/v1/agent", token=token)
            self.assertEqual(status, 200)
            lines = [l for l in agent.stderr().splitlines() if token in l]
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("http://127.0.0.1:%d" % agent.port, lines[0])

    def test_explicit_token_is_never_logged(self):
        with AgentProcess(token=TOKEN) as agent:
            pass
        self.assertNotIn(TOKEN, agent.stderr())
        self.assertIn("connect to http://127.0.0.1:%d with the configured token" % agent.port, agent.stderr())

    def test_taken_port_falls_back_to_the_next_free_one(self):
        # Keep a listener on the first port; the agent must move past it.
        with socket.socket() as blocker:
            blocker.bind(("127.0.0.1", 0))
            blocker.listen()
            port = blocker.getsockname()[1]
            with AgentProcess(token=TOKEN, port=port) as agent:
                self.assertTrue(agent.started, agent.stderr())
                self.assertGreater(agent.port, port)
                self.assertLessEqual(agent.port, port + 15)
                self.assertEqual(agent.request("GET", "/v1/agent")[0], 200)
                self.assertIn("port %d is taken; using %d" % (port, agent.port), agent.stderr())
            with AgentProcess(token=TOKEN, port=port, port_tries=1) as agent:
                self.assertFalse(agent.started)
                self.assertIn("agent not started", agent.stderr())
                self.assertIn("all taken", agent.stderr())

    def test_two_agents_on_the_default_range(self):
        port = free_port()
        with AgentProcess(token=TOKEN, port=port) as first, \
                AgentProcess(token=TOKEN, port=port) as second:
            self.assertTrue(first.started and second.started)
            self.assertNotEqual(first.port, second.port)
            self.assertNotEqual(first.request("GET", "/v1/agent")[2]["id"],
                                second.request("GET", "/v1/agent")[2]["id"])

    def test_ipv6_loopback(self):
        if not socket.has_ipv6:
            self.skipTest("no IPv6")
        try:
            with socket.socket(socket.AF_INET6) as s:
                s.bind(("::1", 0))
        except OSError:
            self.skipTest("no IPv6 loopback")
        with AgentProcess(token=TOKEN, address="::1") as agent:
            self.assertTrue(agent.started, agent.stderr())
            self.assertTrue(agent.info["url"].startswith("http://[::1]:"))
            import http.client
            conn = http.client.HTTPConnection("::1", agent.port, timeout=5)
            conn.request("GET", "/v1/agent", headers={"Authorization": "Bearer " + TOKEN})
            self.assertEqual(conn.getresponse().status, 200)
            conn.close()


class DiscoveryTest(unittest.TestCase):
    def test_private_runtime_dir_gets_a_0600_file(self):
        runtime = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, runtime)
        os.chmod(runtime, 0o700)
        with AgentProcess(token=TOKEN, service="disc", env={"XDG_RUNTIME_DIR": runtime}) as agent:
            path = agent.info["discovery"]
            self.assertEqual(path, os.path.join(runtime, "spyglass",
                                                "agent-%d.json" % agent.info["pid"]))
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
            self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode), 0o700)
            with open(path) as f:
                info = json.load(f)
            self.assertEqual(info["url"], agent.info["url"])
            self.assertEqual(info["token"], TOKEN)
            self.assertEqual(info["service"], "disc")
        self.assertFalse(os.path.exists(path), "removed when the agent stops")
        self.assertIn("agent stopped", agent.stderr())
        self.assertNotIn("error while stopping", agent.stderr())

    def test_files_of_dead_processes_are_swept(self):
        runtime = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, runtime)
        os.chmod(runtime, 0o700)
        os.mkdir(os.path.join(runtime, "spyglass"), 0o700)
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        stale = os.path.join(runtime, "spyglass", "agent-%d.json" % dead.pid)
        alive = os.path.join(runtime, "spyglass", "agent-%d.json" % os.getpid())
        for path in (stale, alive):
            with open(path, "w") as f:
                f.write("{}")
        with AgentProcess(token=TOKEN, env={"XDG_RUNTIME_DIR": runtime}) as agent:
            self.assertTrue(os.path.exists(agent.info["discovery"]))
            self.assertFalse(os.path.exists(stale))
            self.assertTrue(os.path.exists(alive))

    def test_shared_runtime_dir_gets_nothing(self):
        runtime = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, runtime)
        os.chmod(runtime, 0o755)
        with AgentProcess(token=TOKEN, env={"XDG_RUNTIME_DIR": runtime}) as agent:
            self.assertIsNone(agent.info["discovery"])
        self.assertEqual(os.listdir(runtime), [])


@unittest.skipUnless(shutil.which("openssl"), "openssl is not installed")
class TLSTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp()
        cls.cert = os.path.join(cls.dir, "cert.pem")
        cls.key = os.path.join(cls.dir, "key.pem")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
             "-keyout", cls.key, "-out", cls.cert],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def test_https_with_verified_certificate(self):
        with AgentProcess(token=TOKEN, tls_cert=self.cert, tls_key=self.key) as agent:
            self.assertTrue(agent.started, agent.stderr())
            self.assertTrue(agent.info["url"].startswith("https://127.0.0.1:"))
            context = tls_context_for(self.cert)
            status, _, body = agent.request("GET", "/v1/agent", context=context)
            self.assertEqual(status, 200)
            self.assertTrue(body["tls"])
            self.assertEqual(agent.request("GET", "/v1/agent", token="wrong",
                                           context=context)[0], 401)
            # Plain HTTP to the TLS port gets no answer, and does not hurt.
            with self.assertRaises(ConnectionError):
                agent.request("GET", "/v1/agent")
            # A client that does not trust the certificate is refused by the handshake.
            with self.assertRaises(ssl.SSLError):
                agent.request("GET", "/v1/agent", context=ssl.create_default_context())
            self.assertEqual(agent.request("GET", "/v1/agent", context=context)[0], 200)
            self.assertNotIn("Traceback", agent.stderr())

    def test_key_that_does_not_match_is_refused_clearly(self):
        with AgentProcess(token=TOKEN, tls_cert=self.cert, tls_key=self.cert) as agent:
            self.assertFalse(agent.started)
            self.assertIn("agent not started: cannot use the TLS certificate %s with the key"
                          % self.cert, agent.stderr())


if __name__ == "__main__":
    unittest.main()
