# SPDX-License-Identifier: GPL-3.0-or-later
"""`python -m spyglass run -- gunicorn -w 2 app:app`, the issue's prefork
case with the real thing: the master and each worker get an agent on the
first port and the next ones, requests are served, and a graceful stop
leaves no discovery file.  Runs in the suite of the interpreter gunicorn
itself uses (Debian's gunicorn package: /usr/bin/python3)."""

import glob
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
from tests.test_examples import get_json

GUNICORN = shutil.which("gunicorn")


def gunicorn_interpreter():
    if not GUNICORN:
        return None
    with open(GUNICORN, "rb") as f:
        first = f.readline()
    if not first.startswith(b"#!"):
        return None
    return os.path.realpath(first[2:].decode().split()[0])


@unittest.skipUnless(gunicorn_interpreter() == os.path.realpath(sys.executable),
                     "gunicorn is not installed for this interpreter")
class GunicornTest(unittest.TestCase):
    def test_master_and_workers_each_get_an_agent(self):
        runtime = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, runtime)
        os.chmod(runtime, 0o700)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("SPYGLASS_") and k != "XDG_RUNTIME_DIR"}
        env.update(XDG_RUNTIME_DIR=runtime, PYTHONPATH=AGENT_DIR, SPYGLASS_TOKEN=TOKEN)
        base, shop_port = free_port(), free_port()
        with tempfile.TemporaryFile() as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "spyglass", "run", "--service", "shop", "--port",
                 str(base), "--source-root", os.path.join(AGENT_DIR, "examples"), "--",
                 GUNICORN, "-w", "2", "-b", "127.0.0.1:%d" % shop_port,
                 "examples.shop.wsgi:app"],
                cwd=AGENT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
            pattern = os.path.join(runtime, "spyglass", "agent-*.json")
            try:
                deadline = time.monotonic() + 30
                while len(glob.glob(pattern)) < 3 and time.monotonic() < deadline:
                    time.sleep(0.1)
                agents = []
                for path in glob.glob(pattern):
                    with open(path) as f:
                        agents.append(json.load(f))
                log.seek(0)
                self.assertEqual(len(agents), 3, log.read().decode(errors="replace"))
                ports = sorted(int(a["url"].rsplit(":", 1)[1]) for a in agents)
                self.assertEqual(ports[0], base)
                self.assertTrue(all(base < p <= base + 15 for p in ports[1:]), ports)
                self.assertIn(proc.pid, [a["pid"] for a in agents])     # the master
                for info in agents:
                    port = int(info["url"].rsplit(":", 1)[1])
                    status, described = get_json(port, "/v1/agent", token=TOKEN)
                    self.assertEqual((status, described["pid"], described["service"]),
                                     (200, info["pid"], "shop"))
                status, products = get_json(shop_port, "/api/products?limit=3")
                self.assertEqual((status, len(products["products"])), (200, 3))
            finally:
                proc.send_signal(signal.SIGTERM)     # gunicorn's graceful stop
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            self.assertEqual(proc.returncode, 0)
            self.assertEqual(glob.glob(pattern), [], "every process removed its discovery file")


if __name__ == "__main__":
    unittest.main()
