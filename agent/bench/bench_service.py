# SPDX-License-Identifier: GPL-3.0-or-later
"""Requests to the example shop with and without the agent sampling at 100 Hz.

Used by bench_sampler.py --service (it can also run alone:
`python3 agent/bench/bench_service.py [--rounds N] [--requests N]`).

Two copies of `examples.shop` run side by side under the same interpreter:
A plain, B with the agent and a wall recording at 100 Hz covering the whole
run (all threads sampled).  A single client sends batches of the "browse"
requests, alternating A B B A ..., and times each batch; the servers' own
CPU time per batch (from /proc/PID/stat) is measured too, since on a shared
machine it is far steadier than wall time.
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
AGENT_DIR = os.path.dirname(HERE)
TOKEN = "bench-token-0123456789abcdef0123"
PATHS = ["/api/products?category=books&sort=price&order=desc&limit=20",
         "/api/products/17", "/api/products?category=toys&sort=rating&limit=20",
         "/api/products/251", "/health"]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Shop:
    def __init__(self, agent):
        env = {k: v for k, v in os.environ.items() if not k.startswith("SPYGLASS_")}
        env["PYTHONPATH"] = AGENT_DIR
        args = [sys.executable, "-m", "examples.shop", "--port", "0", "--quiet"]
        self.agent_port = None
        if agent:
            self.agent_port = _free_port()
            env.update(SPYGLASS_PORT=str(self.agent_port), SPYGLASS_TOKEN=TOKEN,
                       SPYGLASS_DISCOVERY="0", SPYGLASS_PROFILING_CONTINUOUS="0")
            args.append("--agent")
        self.proc = subprocess.Popen(args, cwd=AGENT_DIR, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        self.port = int(line.rsplit(":", 1)[1])
        if agent:
            self.profile = self._agent("POST", "/v1/profiles",
                                       {"type": "wall", "seconds": 3600, "hz": 100})

    def _agent(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.agent_port, timeout=30)
        try:
            conn.request(method, path, body=json.dumps(body) if body is not None else None,
                         headers={"Authorization": "Bearer " + TOKEN,
                                  "Content-Type": "application/json"})
            resp = conn.getresponse()
            return resp.status, json.loads(resp.read() or b"null")
        finally:
            conn.close()

    def batch(self, n):
        """(wall seconds, server CPU seconds) for n requests."""
        c0 = _cpu_seconds(self.proc.pid)
        t0 = time.perf_counter()
        for i in range(n):
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            conn.request("GET", PATHS[i % len(PATHS)])
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                raise RuntimeError(f"shop answered {resp.status}")
            conn.close()
        return time.perf_counter() - t0, _cpu_seconds(self.proc.pid) - c0

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()


def _iqr(ratios):
    q = statistics.quantiles(ratios, n=4)
    return [round((q[0] - 1) * 100, 2), round((q[2] - 1) * 100, 2)]


def run(rounds, requests):
    plain, agent = Shop(False), Shop(True)
    try:
        if agent.profile[0] != 202:
            raise RuntimeError(f"could not start the recording: {agent.profile}")
        plain.batch(50)
        agent.batch(50)
        walls, cpus, a_walls, b_walls = [], [], [], []
        for r in range(rounds):
            order = (plain, agent) if r % 2 == 0 else (agent, plain)
            got = {}
            for shop in order:
                got[shop] = shop.batch(requests)
            a_walls.append(got[plain][0])
            b_walls.append(got[agent][0])
            walls.append(got[agent][0] / got[plain][0])
            if got[plain][1] > 0:
                cpus.append(got[agent][1] / got[plain][1])
        status, listing = agent._agent("GET", "/v1/profiles")
        rec = [m for m in listing["profiles"] if m["id"] == agent.profile[1]["id"]][0]
        return {
            "rounds": rounds,
            "requests_per_batch": requests,
            "plain_rps": round(requests / statistics.median(a_walls), 1),
            "agent_rps": round(requests / statistics.median(b_walls), 1),
            "median_overhead_pct": round((statistics.median(walls) - 1) * 100, 2),
            "overhead_iqr_pct": _iqr(walls),
            "server_cpu_overhead_pct": round((statistics.median(cpus) - 1) * 100, 2)
            if cpus else None,
            "server_cpu_iqr_pct": _iqr(cpus) if len(cpus) >= 4 else None,
            "recording_state": rec["state"],
        }
    finally:
        plain.close()
        agent.close()


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--requests", type=int, default=200)
    a = ap.parse_args()
    print(json.dumps(run(a.rounds, a.requests), indent=1))
