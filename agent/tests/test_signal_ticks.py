# SPDX-License-Identifier: GPL-3.0-or-later
"""Signal ticks (spyglass/signal_ticks.py): the main thread takes the sampler's
ticks on a timer signal.  Each scenario runs in a process of its own."""

import json
import os
import subprocess
import sys
import unittest

from spyglass import signal_ticks

HERE = os.path.dirname(os.path.abspath(__file__))
LINUX = sys.platform.startswith("linux")


def run(scenario, expect_rc=0):
    r = subprocess.run([sys.executable, os.path.join(HERE, "signal_program.py"), scenario],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != expect_rc:
        raise AssertionError(f"{scenario}: exit status {r.returncode}, stderr:\n{r.stderr}")
    return json.loads(r.stdout.strip().splitlines()[-1]), r.stderr


@unittest.skipUnless(LINUX, "signal ticks are Linux-only")
class SignalTicksTest(unittest.TestCase):
    def test_blocking_calls_on_the_main_thread_are_unharmed(self):
        out, err = run("blocking_calls")
        self.assertTrue(out["uses_signal_ticks"])
        self.assertGreater(out["signal_ticks"], 10)
        self.assertEqual(out["errors"], 0, out["last_error"])
        # Interrupted calls are retried for their whole timeout (PEP 475).
        for call in ("sleep", "select", "queue", "recv"):
            self.assertGreaterEqual(out[call], 0.29, call)
            self.assertLess(out[call], 2.0, call)
        self.assertTrue(out["queue_empty"])
        self.assertTrue(out["recv_timeout"])
        self.assertEqual(out["read_data"], "x")
        self.assertEqual((out["subprocess"], out["subprocess_rc"]), ("ok", 0))
        self.assertGreaterEqual(out["pause"], 0.25)
        # After at most one watchdog period of idleness, no more signals (the
        # last 0.5 s of a 0.6 s sleep; a tick already pending may land).
        self.assertLessEqual(out["idle_signal_ticks"], 20)
        # While the main thread sat in a restarted read(), the sampler thread
        # took the ticks.
        self.assertGreater(out["read_thread_ticks"], 5)
        self.assertEqual(err, "")

    def test_exit_while_the_timer_is_armed(self):
        out, err = run("exit_while_recording", expect_rc=3)
        self.assertTrue(out["uses_signal_ticks"])
        self.assertGreater(out["signal_ticks"], 0)
        self.assertEqual(err, "")

    def test_a_host_handler_takes_the_signal_over(self):
        out, _ = run("takeover")
        # The watchdog notices within about one of its periods, stops the
        # timer, and the sampler thread goes on alone.
        self.assertFalse(out["uses_signal_ticks"])
        self.assertEqual(out["host_handler_calls_after"], 0)
        self.assertLess(out["last_call_after_s"], 0.5)
        self.assertGreater(out["ticks_after_takeover"], 10)
        self.assertIn("another handler", out["last_error"])

    def test_a_failing_tick_never_reaches_the_main_thread(self):
        out, _ = run("tick_raises")
        self.assertGreater(out["errors"], 5)
        self.assertIn("broken tick", out["last_error"])
        self.assertGreater(out["loops"], 1000)

    def test_forked_child_makes_its_own_timer(self):
        out, _ = run("fork_child")
        self.assertEqual(out["child_status"], 0)
        self.assertGreater(out["child_signal_ticks"], 5)
        self.assertGreater(out["signal_ticks"], 5)
        self.assertEqual(out["errors"], 0, out["last_error"])

    def test_thread_ticks_when_asked(self):
        out, _ = run("thread_only")
        self.assertFalse(out["uses_signal_ticks"])
        self.assertEqual(out["signal_ticks"], 0)
        self.assertGreater(out["ticks"], 10)


class InstallTest(unittest.TestCase):
    def test_not_installed_from_another_thread(self):
        import threading
        result = []
        t = threading.Thread(target=lambda: result.append(signal_ticks.install()))
        t.start()
        t.join()
        self.assertEqual(result, [signal_ticks.installed()])


if __name__ == "__main__":
    unittest.main()
