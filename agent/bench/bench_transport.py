# SPDX-License-Identifier: GPL-3.0-or-later
"""What the agent's transport costs and how fast it answers, measured in one run.

    python3 agent/bench/bench_transport.py [--quick]

1. Idle agent: a call-heavy loop timed with no agent, then with a started
   agent (HTTP server listening, no client, no breakpoint), rounds
   interleaved (stop/start between them, alternating which goes first) and
   the best round of each kept.  Timed in the loop thread's CPU time, so
   preemption by other processes does not count; whatever the agent adds to
   the host's code (a trace or profile hook, an import hook) does.  The
   agent's own threads are measured separately: process CPU time used while
   the service sleeps for 3 s with the agent listening.
2. Event delivery: a console thread long-polls GET /v1/events while the
   service publishes events at random moments; latency is publish ->
   the console has parsed the answer.  The issue's target is ~100 ms.
3. Request latency: GET /v1/agent on a keep-alive connection, and on a new
   connection each time.
"""

import http.client
import json
import os
import random
import statistics
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import spyglass  # noqa: E402

TOKEN = "bench-token-0123456789abcdef"
AUTH = {"Authorization": "Bearer " + TOKEN}


def helper(x):
    return x + 1


def hot_loop(n=200000):
    total = 0
    for i in range(n):
        total = helper(total) ^ (i & 7)
    return total


def time_loop():
    t0 = time.thread_time()
    hot_loop()
    return time.thread_time() - t0


def start_agent():
    agent = spyglass.start(port=0, token=TOKEN, service="bench", discovery=False,
                           profiling=False)
    if agent is None:
        sys.exit("the agent did not start")
    return agent


def idle_overhead(rounds):
    best = {"no agent": float("inf"), "idle agent": float("inf")}
    for i in range(rounds):
        # Alternate which scenario goes first, so a drift in machine load
        # does not favour one of them.
        for scenario in (("no agent", "idle agent") if i % 2 == 0 else ("idle agent", "no agent")):
            if scenario == "no agent":
                spyglass.stop()
            else:
                start_agent()
                time.sleep(0.02)
            best[scenario] = min(best[scenario], time_loop())
    spyglass.stop()
    return best


def percentiles(values):
    values = sorted(values)
    return (statistics.median(values), values[min(len(values) - 1, int(len(values) * 0.99))])


def event_latency(agent, count):
    received = {}
    done = threading.Event()

    def console():
        conn = http.client.HTTPConnection("127.0.0.1", agent.port, timeout=40)
        after = agent.events.last_seq()
        while not done.is_set():
            conn.request("GET", "/v1/events?after=%d&timeout=5" % after, headers=AUTH)
            body = json.loads(conn.getresponse().read())
            now = time.perf_counter()
            for event in body["events"]:
                if event["kind"] == "log" and "t" in event["data"]:
                    received[event["data"]["i"]] = now - event["data"]["t"]
            after = body["last_seq"]
        conn.close()

    thread = threading.Thread(target=console, daemon=True)
    thread.start()
    time.sleep(0.2)
    rng = random.Random(7)
    for i in range(count):
        time.sleep(rng.uniform(0.005, 0.03))
        agent.events.publish("log", {"i": i, "t": time.perf_counter()})
    deadline = time.monotonic() + 10
    while len(received) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    done.set()
    agent.events.publish("agent_status", {"message": "bench done"})
    thread.join(10)
    return [received[i] for i in sorted(received)]


def request_latency(agent, count, keep_alive):
    samples = []
    conn = http.client.HTTPConnection("127.0.0.1", agent.port, timeout=10)
    for _ in range(count):
        if not keep_alive:
            conn = http.client.HTTPConnection("127.0.0.1", agent.port, timeout=10)
        t0 = time.perf_counter()
        conn.request("GET", "/v1/agent", headers=AUTH)
        resp = conn.getresponse()
        resp.read()
        samples.append(time.perf_counter() - t0)
        if resp.status != 200:
            sys.exit("GET /v1/agent answered %d" % resp.status)
        if not keep_alive:
            conn.close()
    conn.close()
    return samples


def main():
    quick = "--quick" in sys.argv
    print("Python %s on %s" % (sys.version.split()[0], sys.platform))

    best = idle_overhead(6 if quick else 30)
    base, idle = best["no agent"], best["idle agent"]
    print("idle agent, call-heavy loop (best round): no agent %.2f ms, idle agent %.2f ms, "
          "ratio %.3f (%+.1f %%)" % (base * 1e3, idle * 1e3, idle / base, (idle / base - 1) * 100))

    agent = start_agent()
    time.sleep(0.2)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    time.sleep(3.0)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print("idle agent's own threads: %.2f ms CPU in %.1f s (%.4f %% of one core)"
          % (cpu * 1e3, wall, cpu / wall * 100))
    lat = event_latency(agent, 50 if quick else 200)
    p50, p99 = percentiles(lat)
    print("event delivery over long-poll (%d events): median %.2f ms, p99 %.2f ms, max %.2f ms"
          % (len(lat), p50 * 1e3, p99 * 1e3, max(lat) * 1e3))

    for keep_alive in (True, False):
        samples = request_latency(agent, 200 if quick else 1000, keep_alive)
        p50, p99 = percentiles(samples)
        print("GET /v1/agent, %s: median %.3f ms, p99 %.3f ms"
              % ("keep-alive" if keep_alive else "new connection each", p50 * 1e3, p99 * 1e3))
    spyglass.stop()


if __name__ == "__main__":
    main()
