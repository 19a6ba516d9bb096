# SPDX-License-Identifier: GPL-3.0-or-later
"""The feature-module contract of server.py: register() adds routes and
capabilities, close() runs at stop, and a feature that is missing or fails
leaves the agent working without it."""

import http.client
import json
import logging
import sys
import types
import unittest
from unittest import mock

from spyglass import config, server
from spyglass.agent import Agent
from tests.support import TOKEN


def fake_module(name, register, close=None):
    module = types.ModuleType("spyglass." + name)
    module.register = register
    if close is not None:
        module.close = close
    return module


class FeatureLoadingTest(unittest.TestCase):
    def start(self, modules):
        names = tuple(modules)
        patches = [mock.patch.object(server, "FEATURE_MODULES", names),
                   mock.patch.dict(sys.modules, {"spyglass." + n: m for n, m in modules.items()
                                                 if m is not None})]
        for p in patches:
            p.start()
            self.addCleanup(p.stop)
        agent = Agent(config.load(env={}, port=0, token=TOKEN, discovery=False))
        with self.assertLogs("spyglass", level="INFO") as logs:
            agent.start()
        self.addCleanup(agent.stop)
        return agent, "\n".join(logs.output)

    def get(self, agent, path):
        conn = http.client.HTTPConnection("127.0.0.1", agent.port, timeout=10)
        try:
            conn.request("GET", path, headers={"Authorization": "Bearer " + TOKEN})
            resp = conn.getresponse()
            return resp.status, json.loads(resp.read())
        finally:
            conn.close()

    def test_register_adds_routes_and_capabilities_and_close_runs(self):
        closed = []

        def register(router, agent):
            router.add("GET", "/v1/widgets/{id}", lambda req: {"widget": req.params["id"]})
            return ["widgets"]

        agent, _ = self.start({"widgets_api": fake_module("widgets_api", register,
                                                          lambda a: closed.append(a))})
        self.assertEqual(self.get(agent, "/v1/widgets/7"), (200, {"widget": "7"}))
        self.assertIn("widgets", self.get(agent, "/v1/agent")[1]["capabilities"])
        agent.stop()
        self.assertEqual(closed, [agent])

    def test_failing_feature_is_absent_and_leaves_no_routes(self):
        def register(router, agent):
            router.add("GET", "/v1/half", lambda req: {"half": True})
            raise RuntimeError("engine exploded")

        agent, log = self.start({"broken_api": fake_module("broken_api", register)})
        self.assertIn("feature broken_api failed to start", log)
        self.assertIn("engine exploded", log)
        self.assertEqual(self.get(agent, "/v1/half")[0], 404)
        self.assertEqual(self.get(agent, "/v1/agent")[1]["capabilities"],
                         ["events", "source_manifest", "source_files"])

    def test_missing_feature_module_is_simply_absent(self):
        agent, log = self.start({"nonexistent_api": None})
        self.assertNotIn("nonexistent_api", log)
        self.assertEqual(self.get(agent, "/v1/agent")[0], 200)

    def test_failing_close_does_not_stop_the_shutdown(self):
        def register(router, agent):
            return ["fragile"]

        def close(agent):
            raise RuntimeError("close failed")

        agent, _ = self.start({"fragile_api": fake_module("fragile_api", register, close)})
        port = agent.port
        with self.assertLogs("spyglass", level="ERROR") as logs:
            agent.stop()
        self.assertIn("feature spyglass.fragile_api failed to stop", "\n".join(logs.output))
        with self.assertRaises(OSError):
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()


if __name__ == "__main__":
    logging.basicConfig()
    unittest.main()
