# SPDX-License-Identifier: GPL-3.0-or-later
"""The agent's event log: a bounded ring that consoles long-poll.

Breakpoint hits, log lines and profile results are published here from any
thread (including the host's own request threads, so `publish` must be cheap
and must never raise).  Every event gets a monotonic sequence number; a
console asks for "everything after N" and either gets it at once or waits
until something is published or its timeout runs out.
"""

import collections
import threading
import time

KINDS = (
    "breakpoint_hit",
    "breakpoint_final",
    "breakpoint_error",
    "log",
    "profile_ready",
    "memory_ready",
    "agent_status",
)


def rfc3339(t):
    """RFC 3339 UTC timestamp with millisecond precision."""
    whole = int(t)
    millis = int((t - whole) * 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + ".%03dZ" % millis


class EventLog:
    """Bounded, thread-safe ring of events with monotonic sequence numbers."""

    def __init__(self, capacity=1000):
        self._cond = threading.Condition(threading.Lock())
        self._ring = collections.deque(maxlen=max(1, int(capacity)))
        self._seq = 0
        self._closed = False

    @property
    def capacity(self):
        return self._ring.maxlen

    def publish(self, kind, data):
        """Append an event and wake every waiter.  Returns its sequence
        number, or 0 if the event could not be recorded.  Never raises."""
        try:
            now = time.time()
            with self._cond:
                self._seq += 1
                self._ring.append({
                    "seq": self._seq,
                    "kind": str(kind),
                    "time": rfc3339(now),
                    "data": data if data is not None else {},
                })
                self._cond.notify_all()
                return self._seq
        except Exception:
            return 0

    def last_seq(self):
        with self._cond:
            return self._seq

    def window(self):
        """(oldest seq still held, newest seq); (seq + 1, seq) when empty."""
        with self._cond:
            if self._ring:
                return self._ring[0]["seq"], self._seq
            return self._seq + 1, self._seq

    def _after(self, after, limit):
        # The ring is ordered by seq, so skip from the left without copying
        # everything when the console is nearly up to date.
        out = []
        if not self._ring or self._ring[-1]["seq"] <= after:
            return out
        start = max(0, len(self._ring) - (self._seq - after))
        for i in range(start, len(self._ring)):
            out.append(self._ring[i])
            if limit is not None and len(out) >= limit:
                break
        return out

    def wait(self, after, timeout, limit=None):
        """Events with seq > `after` (oldest first, at most `limit`).  If
        there are none, block up to `timeout` seconds for one to arrive.
        Returns an empty list on timeout or when the log is closed."""
        deadline = time.monotonic() + max(0.0, float(timeout))
        with self._cond:
            while True:
                events = self._after(after, limit)
                if events or self._closed:
                    return events
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return events
                self._cond.wait(remaining)

    def close(self):
        """Wake every waiter for good (agent shutdown)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
