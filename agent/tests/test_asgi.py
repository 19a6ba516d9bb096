# SPDX-License-Identifier: GPL-3.0-or-later
"""`python -m spyglass run -- uvicorn app:app`: the shop as an ASGI app on
uvicorn (Debian's package, /usr/bin/python3); a snapshot in a request
handler captures its locals and names the asyncio task it ran in."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from tests.support import AGENT_DIR, TOKEN, free_port
from tests.test_flask_e2e import call, line_of

UVICORN = shutil.which("uvicorn")


def uvicorn_interpreter():
    if not UVICORN:
        return None
    with open(UVICORN, "rb") as f:
        first = f.readline()
    return os.path.realpath(first[2:].decode().split()[0]) if first.startswith(b"#!") else None


@unittest.skipUnless(uvicorn_interpreter() == os.path.realpath(sys.executable),
                     "uvicorn is not installed for this interpreter")
class UvicornTest(unittest.TestCase):
    def test_snapshot_in_an_asgi_handler_names_its_task(self):
        work = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, work)
        announce = os.path.join(work, "agent.json")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("SPYGLASS_") and k != "XDG_RUNTIME_DIR"}
        env.update(PYTHONPATH=AGENT_DIR, SPYGLASS_TOKEN=TOKEN)
        shop_port = free_port()
        with tempfile.TemporaryFile() as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "spyglass", "run", "--service", "shop-asgi", "--port", "0",
                 "--source-root", os.path.join(AGENT_DIR, "examples"), "--announce-file",
                 announce, "--", UVICORN, "--host", "127.0.0.1", "--port", str(shop_port),
                 "examples.shop.asgi:app"],
                cwd=AGENT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    try:
                        if call(shop_port, "GET", "/health", timeout=2)[0] == 200:
                            break
                    except OSError:
                        time.sleep(0.2)
                else:
                    log.seek(0)
                    self.fail("uvicorn did not come up: %s" % log.read().decode(errors="replace"))
                with open(announce) as f:
                    agent_port = int(json.load(f)["url"].rsplit(":", 1)[1])

                line = line_of("discount = TIER_DISCOUNT[customer[\"tier\"]]")
                after = call(agent_port, "GET", "/v1/events", token=TOKEN)[1]["last_seq"]
                status, bp = call(agent_port, "POST", "/v1/breakpoints",
                                  {"location": {"path": "shop/handlers.py", "line": line}},
                                  token=TOKEN)
                self.assertEqual(status, 201, bp)
                status, placed = call(shop_port, "POST", "/api/orders",
                                      {"customer_id": 3, "items": [{"product_id": 8}]})
                self.assertEqual(status, 201, placed)

                hit = None
                deadline = time.monotonic() + 15
                while hit is None and time.monotonic() < deadline:
                    body = call(agent_port, "GET", "/v1/events?after=%d&timeout=5" % after,
                                token=TOKEN)[1]
                    hits = [e for e in body["events"] if e["kind"] == "breakpoint_hit"]
                    hit = hits[0]["data"] if hits else None
                    after = body["last_seq"]
                self.assertIsNotNone(hit, "no breakpoint_hit event")
                top = hit["stack_frames"][0]
                local = {v["name"]: v for v in top["locals"]}
                self.assertEqual(local["subtotal"]["value"], str(round(placed["subtotal"] * 100)))
                self.assertIsNotNone(hit["task"], "the snapshot names no asyncio task")
                # uvicorn runs each request in a task of its own: its name, and
                # the coroutine it started with (uvicorn's run_asgi).
                self.assertRegex(hit["task"]["name"], r"^Task-\d+$")
                self.assertIn("run_asgi", hit["task"]["coroutine"])
                functions = [f["function"] for f in hit["stack_frames"]]
                self.assertTrue(any(f.endswith("handle") for f in functions), functions)
            finally:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


if __name__ == "__main__":
    unittest.main()
