# SPDX-License-Identifier: GPL-3.0-or-later
"""The example shop and load generator, run the way the README runs them:
under `python -m spyglass run`, found through the discovery file."""

import glob
import http.client
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from examples import loadgen
from examples.shop.handlers import Shop
from tests.support import AGENT_DIR, TOKEN, free_port

HAVE_FLASK = importlib.util.find_spec("flask") is not None


def get_json(port, path, method="GET", body=None, token=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Authorization": "Bearer " + token} if token else {}
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read())
    finally:
        conn.close()


class ShopHandlersTest(unittest.TestCase):
    """The handlers' logic in-process (fast and exact)."""

    @classmethod
    def setUpClass(cls):
        cls.shop = Shop()

    @classmethod
    def tearDownClass(cls):
        cls.shop.catalog.close()

    def test_sorting_and_paging(self):
        status, body = self.shop.list_products({"sort": "price", "order": "desc",
                                                "category": "books", "limit": "100"}, b"")
        self.assertEqual(status, 200)
        prices = [p["price"] for p in body["products"]]
        self.assertEqual(prices, sorted(prices, reverse=True))
        self.assertTrue(all(p["category"] == "books" for p in body["products"]))
        _, page2 = self.shop.list_products({"sort": "price", "order": "desc",
                                            "category": "books", "limit": "5",
                                            "offset": "5"}, b"")
        self.assertEqual(page2["products"], body["products"][5:10])

    def test_order_totals_and_discounts(self):
        customer = self.shop.catalog.customer(1)
        product = self.shop.catalog.product(3)
        status, order = self.shop.create_order(
            {}, json.dumps({"customer_id": 1, "items": [{"product_id": 3, "quantity": 2}]}).encode())
        self.assertEqual(status, 201)
        subtotal = product["price_cents"] * 2
        discount = {"basic": 0, "silver": 0.05, "gold": 0.10}[customer["tier"]]
        discount += 0.02 if subtotal >= 10000 else 0
        self.assertEqual(order["total"], round(subtotal * (1 - discount)) / 100)
        _, again = self.shop.get_order({"id": str(order["id"])}, b"")
        self.assertEqual(again["lines"], order["lines"])

    def test_bad_orders_are_400(self):
        from examples.shop.handlers import BadRequest
        for body in (b"{", b"[]", b'{"customer_id": "1", "items": [{"product_id": 1}]}',
                     b'{"customer_id": 1, "items": []}',
                     b'{"customer_id": 1, "items": [{"product_id": 1, "quantity": 0}]}',
                     b'{"customer_id": 1, "items": [{"product_id": [1]}]}'):
            with self.subTest(body=body):
                with self.assertRaises(BadRequest):
                    self.shop.create_order({}, body)


class ShopUnderAgentTest(unittest.TestCase):
    def test_readme_command_serves_shop_and_agent(self):
        runtime = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, runtime)
        os.chmod(runtime, 0o700)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("SPYGLASS_") and k != "XDG_RUNTIME_DIR"}
        env.update(XDG_RUNTIME_DIR=runtime, PYTHONPATH=AGENT_DIR, SPYGLASS_TOKEN=TOKEN)
        proc = subprocess.Popen(
            [sys.executable, "-m", "spyglass", "run", "--service", "shop", "--port", "0",
             "--source-root", os.path.join(AGENT_DIR, "examples"), "--",
             sys.executable, "-m", "examples.shop", "--port", "0", "--quiet"],
            cwd=AGENT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = proc.stdout.readline()
            self.assertTrue(line.startswith("shop listening on http://127.0.0.1:"), line)
            shop_port = int(line.rsplit(":", 1)[1])
            [discovery] = glob.glob(os.path.join(runtime, "spyglass", "agent-*.json"))
            with open(discovery) as f:
                agent_info = json.load(f)
            agent_port = int(agent_info["url"].rsplit(":", 1)[1])
            self.assertEqual(agent_info["pid"], proc.pid)   # exec: same process

            status, info = get_json(agent_port, "/v1/agent", token=TOKEN)
            self.assertEqual(status, 200)
            self.assertEqual(info["service"], "shop")
            status, manifest = get_json(agent_port, "/v1/source/manifest", token=TOKEN)
            paths = {f["path"] for f in manifest["files"]}
            self.assertIn("shop/handlers.py", paths)
            self.assertIn("loadgen.py", paths)

            summary = loadgen.run("http://127.0.0.1:%d" % shop_port, requests=120, duration=60,
                                  concurrency=3, mix="all")
            self.assertEqual(summary["errors"], 0)
            self.assertEqual(summary["requests"], 120)
            self.assertTrue(set(summary["statuses"]) <= {"200", "201", "409"}, summary)
            self.assertGreater(summary["latency_ms"]["p99"], 0)
        finally:
            # Ctrl+C, as a user would: the service exits and the agent cleans up.
            proc.send_signal(signal.SIGINT)
            proc.wait(10)
            proc.stdout.close()
            proc.stderr.close()
        self.assertEqual(glob.glob(os.path.join(runtime, "spyglass", "agent-*.json")), [],
                         "the discovery file goes away with the process")

    def test_prefork_workers_each_get_an_agent_on_the_next_ports(self):
        runtime = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, runtime)
        os.chmod(runtime, 0o700)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("SPYGLASS_") and k != "XDG_RUNTIME_DIR"}
        env.update(XDG_RUNTIME_DIR=runtime, PYTHONPATH=AGENT_DIR, SPYGLASS_TOKEN=TOKEN)
        base = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "spyglass", "run", "--service", "shop", "--port", str(base),
             "--", sys.executable, "-m", "examples.shop", "--port", "0", "--quiet",
             "--workers", "2"],
            cwd=AGENT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        pattern = os.path.join(runtime, "spyglass", "agent-*.json")
        try:
            shop_port = int(proc.stdout.readline().rsplit(":", 1)[1])
            deadline = time.monotonic() + 20
            while len(glob.glob(pattern)) < 3 and time.monotonic() < deadline:
                time.sleep(0.1)
            agents = []
            for path in glob.glob(pattern):
                with open(path) as f:
                    agents.append(json.load(f))
            self.assertEqual(len(agents), 3, agents)        # the master and two workers
            ports = sorted(int(a["url"].rsplit(":", 1)[1]) for a in agents)
            self.assertEqual(ports[0], base)
            self.assertTrue(all(base < p <= base + 15 for p in ports[1:]), ports)
            self.assertEqual(len(set(ports)), 3)
            for info in agents:
                port = int(info["url"].rsplit(":", 1)[1])
                status, described = get_json(port, "/v1/agent", token=TOKEN)
                self.assertEqual((status, described["pid"]), (200, info["pid"]))
            self.assertEqual(len({a["id"] for a in agents}), 3)
            for _ in range(6):
                self.assertEqual(get_json(shop_port, "/health")[0], 200)
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(15)
            proc.stdout.close()
            proc.stderr.close()
        self.assertEqual(glob.glob(pattern), [], "every process removed its discovery file")

    def test_loadgen_is_bounded_and_loopback_only(self):
        with self.assertRaisesRegex(ValueError, "only targets loopback"):
            loadgen.run("http://192.0.2.1:8000", 10, 5, 1)
        with self.assertRaisesRegex(ValueError, "--requests"):
            loadgen.run("http://127.0.0.1:1", 0, 5, 1)
        with self.assertRaisesRegex(ValueError, "--duration"):
            loadgen.run("http://127.0.0.1:1", 10, 10000, 1)
        # Nothing listening: every request is an error, and it still stops.
        t0 = time.monotonic()
        summary = loadgen.run("http://127.0.0.1:1", 20, 10, 2)
        self.assertEqual(summary["errors"], 20)
        self.assertLess(time.monotonic() - t0, 10)


@unittest.skipUnless(HAVE_FLASK, "Flask is not installed for this interpreter")
class FlaskShopTest(unittest.TestCase):
    def test_flask_variant_serves_the_same_answers(self):
        from examples.shop.flask_app import create_app
        served, shop = Shop(), Shop()
        self.addCleanup(served.catalog.close)
        self.addCleanup(shop.catalog.close)
        client = create_app(served).test_client()
        for path, call in (("/api/products/3", lambda: shop.get_product({"id": "3"}, b"")),
                           ("/api/products?category=toys&sort=rating&limit=5",
                            lambda: shop.list_products({"category": "toys", "sort": "rating",
                                                        "limit": "5"}, b""))):
            with self.subTest(path=path):
                resp = client.get(path)
                self.assertEqual((resp.status_code, resp.get_json()), call())
        self.assertEqual(client.get("/api/nothing").status_code, 404)
        self.assertEqual(client.post("/api/orders", data=b"{").status_code, 400)


if __name__ == "__main__":
    unittest.main()
