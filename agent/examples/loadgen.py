# SPDX-License-Identifier: GPL-3.0-or-later
"""A bounded load generator for the example shop (loopback only).

    python3 -m examples.loadgen --url http://127.0.0.1:8000 --requests 2000 \
        --duration 20 --concurrency 4 [--mix browse|orders|heavy|all] [--json]

Stops at whichever comes first, the request count or the duration, and
prints throughput and latency percentiles.  It refuses non-loopback targets:
it exists to exercise a local service under an agent, not to load-test
anything else."""

import argparse
import http.client
import ipaddress
import json
import random
import socket
import sys
import threading
import time
import urllib.parse

MAX_REQUESTS = 1000000
MAX_DURATION = 600
MAX_CONCURRENCY = 64

MIXES = {
    # (weight, method, path template, body factory)
    "browse": [
        (6, "GET", "/api/products?category={category}&sort={sort}&order=desc&limit=20", None),
        (4, "GET", "/api/products/{product}", None),
        (1, "GET", "/health", None),
    ],
    "orders": [
        (3, "POST", "/api/orders", "order"),
        (2, "GET", "/api/products/{product}", None),
    ],
    "heavy": [
        (1, "GET", "/api/reports/sales?days=2", None),
        (1, "GET", "/api/recommendations/{product}?rounds=5", None),
    ],
}
MIXES["all"] = MIXES["browse"] + MIXES["orders"] + [(1,) + e[1:] for e in MIXES["heavy"]]
CATEGORIES = ("books", "garden", "kitchen", "music", "outdoor", "toys")


def _is_loopback(host):
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False
    return all(ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback for info in infos)


def _request_for(rng, mix):
    weights = [entry[0] for entry in mix]
    _, method, template, body_kind = rng.choices(mix, weights=weights)[0]
    path = template.format(category=rng.choice(CATEGORIES),
                           sort=rng.choice(("price", "rating", "name")),
                           product=rng.randint(1, 500))
    body = None
    if body_kind == "order":
        body = json.dumps({"customer_id": rng.randint(1, 200),
                           "items": [{"product_id": rng.randint(1, 500), "quantity": 1}
                                     for _ in range(rng.randint(1, 3))]}).encode()
    return method, path, body


class _Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.statuses = {}
        self.errors = 0
        self.issued = 0


def _worker(host, port, mix, stats, limit, deadline, seed):
    rng = random.Random(seed)
    conn = None
    while True:
        with stats.lock:
            if stats.issued >= limit or time.monotonic() >= deadline:
                break
            stats.issued += 1
        method, path, body = _request_for(rng, mix)
        headers = {"Content-Type": "application/json"} if body else {}
        t0 = time.perf_counter()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=30)
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            resp.read()
            status = resp.status
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            with stats.lock:
                stats.errors += 1
            if conn is not None:
                conn.close()
            conn = None
            continue
        elapsed = time.perf_counter() - t0
        with stats.lock:
            stats.latencies.append(elapsed)
            stats.statuses[status] = stats.statuses.get(status, 0) + 1
    if conn is not None:
        conn.close()


def _percentile(sorted_values, q):
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, int(round(q * (len(sorted_values) - 1)))))
    return sorted_values[index]


def run(url, requests, duration, concurrency, mix="all", seed=1):
    """Run the load and return a summary dict."""
    target = urllib.parse.urlsplit(url)
    if target.scheme != "http" or not target.hostname:
        raise ValueError("the URL must be http://HOST:PORT")
    if not _is_loopback(target.hostname):
        raise ValueError("refusing %s: the load generator only targets loopback addresses"
                         % target.hostname)
    if not 1 <= requests <= MAX_REQUESTS:
        raise ValueError("--requests must be 1..%d" % MAX_REQUESTS)
    if not 0 < duration <= MAX_DURATION:
        raise ValueError("--duration must be 0..%d seconds" % MAX_DURATION)
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        raise ValueError("--concurrency must be 1..%d" % MAX_CONCURRENCY)
    stats = _Stats()
    port = target.port or 80
    started = time.monotonic()
    deadline = started + duration
    threads = [threading.Thread(target=_worker, daemon=True,
                                args=(target.hostname, port, MIXES[mix], stats, requests,
                                      deadline, seed * 1000 + i))
               for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 60)
    wall = time.monotonic() - started
    lat = sorted(stats.latencies)
    return {
        "requests": len(lat),
        "errors": stats.errors,
        "statuses": {str(k): v for k, v in sorted(stats.statuses.items())},
        "seconds": round(wall, 3),
        "requests_per_s": round(len(lat) / wall, 1) if wall > 0 else 0.0,
        "latency_ms": {"p50": round(_percentile(lat, 0.50) * 1000, 3),
                       "p90": round(_percentile(lat, 0.90) * 1000, 3),
                       "p99": round(_percentile(lat, 0.99) * 1000, 3),
                       "max": round((lat[-1] if lat else 0) * 1000, 3)},
    }


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m examples.loadgen",
                                     description="Bounded load for the example shop.")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds, at most")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--mix", choices=sorted(MIXES), default="all")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    try:
        summary = run(args.url, args.requests, args.duration, args.concurrency, args.mix,
                      args.seed)
    except ValueError as e:
        parser.error(str(e))
    if args.json:
        print(json.dumps(summary))
    else:
        lat = summary["latency_ms"]
        print("%d requests in %.1f s (%.1f/s), %d errors, statuses %s"
              % (summary["requests"], summary["seconds"], summary["requests_per_s"],
                 summary["errors"], summary["statuses"]))
        print("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f"
              % (lat["p50"], lat["p90"], lat["p99"], lat["max"]))
    return 0 if summary["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
