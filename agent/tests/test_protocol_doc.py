# SPDX-License-Identifier: GPL-3.0-or-later
"""PROTOCOL.md is the source of truth: every route the transport and the
breakpoint API register, and every error code they can answer with, must
be documented there."""

import os
import re
import unittest
from types import SimpleNamespace

from spyglass import breakpoints_api, core_api
from spyglass.server import Router
from tests.support import AGENT_DIR

OWN_MODULES = ("server.py", "core_api.py", "source.py", "breakpoints_api.py")


class ProtocolDocTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(AGENT_DIR, "PROTOCOL.md"), encoding="utf-8") as f:
            cls.doc = f.read()

    def test_every_route_is_documented(self):
        router = Router()
        agent = SimpleNamespace(
            config=SimpleNamespace(source_root=AGENT_DIR, source_serving=True,
                                   breakpoint_expiry_s=60, redact_names=[], blocklist=[],
                                   log_rate_lines=50, log_rate_bytes=20480),
            events=SimpleNamespace(publish=lambda kind, data: 0), features={},
            log=__import__("logging").getLogger("spyglass.test"))
        core_api.register(router, agent)
        breakpoints_api.register(router, agent)
        try:
            routes = [(method, "/" + "/".join(segments)) for segments, method, _ in router._routes]
            self.assertGreaterEqual(len(routes), 8)
            headings = re.findall(r"^### (GET|POST|DELETE|PUT) (\S+)|^## (GET) (\S+)",
                                  self.doc, re.M)
            documented = set()
            for h in headings:
                method, path = (h[0], h[1]) if h[0] else (h[2], h[3])
                path = path.split("?")[0]
                # "/v1/breakpoints[/{id}]"-style headings cover both forms.
                documented.add((method, path.replace("[", "").replace("]", "")))
                documented.add((method, re.sub(r"\[.*\]", "", path)))
            for route in routes:
                self.assertIn(route, documented, "%s %s is not in PROTOCOL.md" % route)
        finally:
            breakpoints_api.close(agent)

    def test_every_error_code_is_documented(self):
        codes = set()
        for name in OWN_MODULES:
            with open(os.path.join(AGENT_DIR, "spyglass", name), encoding="utf-8") as f:
                text = f.read()
            codes |= set(re.findall(r"(?:HTTPError|SourceError|error_response)\(\s*\d{3},\s*"
                                    r"\"([a-z_]+)\"", text))
        self.assertGreaterEqual(len(codes), 12, codes)
        for code in sorted(codes):
            self.assertIn("`%s`" % code, self.doc, "error code %s is not in PROTOCOL.md" % code)

    def test_profiling_section_is_left_at_the_end(self):
        self.assertIn("\n## Profiles, metrics and memory\n", self.doc)


if __name__ == "__main__":
    unittest.main()
