# SPDX-License-Identifier: GPL-3.0-or-later
"""PROTOCOL.md documents every profiling route and every error code they answer with."""

import logging
import os
import re
import unittest
from types import SimpleNamespace

from spyglass import profiling_api
from spyglass.server import Router
from tests.support import AGENT_DIR

OWN_MODULES = ("profiling_api.py", "profiles.py", "memory.py")


class ProfilingDocTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(AGENT_DIR, "PROTOCOL.md"), encoding="utf-8") as f:
            doc = f.read()
        cls.section = doc[doc.index("## Profiles, metrics and memory"):]

    def test_every_route_is_documented(self):
        router = Router()
        agent = SimpleNamespace(
            config=SimpleNamespace(service="s", version="v", profiling_continuous=False,
                                   profiling_hz=100),
            events=SimpleNamespace(publish=lambda kind, data: 0), features={},
            log=logging.getLogger("spyglass.test"), host="h", pid=1)
        caps = profiling_api.register(router, agent)
        try:
            self.assertEqual(caps, ["profiles", "continuous_profiles", "metrics", "memory"])
            routes = [(m, "/" + "/".join(seg)) for seg, m, _ in router._routes]
            self.assertGreaterEqual(len(routes), 10)
            for method, path in routes:
                self.assertRegex(self.section, r"`?%s %s" % (method, re.escape(path)),
                                 f"{method} {path} is not in PROTOCOL.md")
        finally:
            profiling_api.close(agent)
        self.assertEqual(agent.features, {})

    def test_every_error_code_is_documented(self):
        codes = set()
        for name in OWN_MODULES:
            with open(os.path.join(AGENT_DIR, "spyglass", name), encoding="utf-8") as f:
                src = f.read()
            codes |= set(re.findall(r"(?:HTTPError|ProfileError|MemoryError_)\(\s*\d+,\s*\"(\w+)\"",
                                    src))
        self.assertGreaterEqual(len(codes), 6)
        for code in codes:
            self.assertTrue(re.search(r"\b\d{3} %s\b" % code, self.section),
                            f"error code {code} is not in PROTOCOL.md's profiling section")


if __name__ == "__main__":
    unittest.main()
