# SPDX-License-Identifier: GPL-3.0-or-later
"""`python -m spyglass run -- COMMAND`: the agent inside an unmodified
program, exit status and signals passed through, forked workers getting
agents of their own."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

from tests.support import AGENT_DIR, TOKEN, free_port

# An application that knows nothing about spyglass except through the
# environment: it asks its own agent over HTTP who it is.
APP = textwrap.dedent('''
    import http.client, json, os, sys
    def ask(port):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/v1/agent", headers={"Authorization": "Bearer " + os.environ["SPYGLASS_TOKEN"]})
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read())
    import spyglass
    agent = spyglass.get_agent()
    status, info = ask(agent.port)
    print(json.dumps({"status": status, "pid": os.getpid(), "info_pid": info["pid"],
                      "service": info["service"], "version": info["version"],
                      "argv": sys.argv[1:], "marker": os.environ.get("CHAINED_MARKER")}), flush=True)
    sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
''')


class LauncherTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        self.app = os.path.join(self.dir, "app.py")
        with open(self.app, "w") as f:
            f.write(APP)
        self.env = {k: v for k, v in os.environ.items()
               if not k.startswith("SPYGLASS_") and k != "XDG_RUNTIME_DIR"}
        self.env["SPYGLASS_TOKEN"] = TOKEN
        # The launcher itself is found through PYTHONPATH; the child must not need it.
        self.env["PYTHONPATH"] = AGENT_DIR

    def run_spyglass(self, *args, env=None, **kwargs):
        return subprocess.run([sys.executable, "-m", "spyglass", "run"] + list(args),
                              env=env or self.env, cwd=self.dir, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=60, **kwargs)

    def test_runs_the_app_with_an_agent_and_passes_the_exit_code(self):
        result = self.run_spyglass("--service", "shop", "--version", "9.9", "--port", "0",
                                   "--", sys.executable, self.app, "3", "extra arg")
        self.assertEqual(result.returncode, 3, result.stderr)
        out = json.loads(result.stdout)
        self.assertEqual(out["status"], 200)
        self.assertEqual(out["pid"], out["info_pid"])
        self.assertEqual((out["service"], out["version"]), ("shop", "9.9"))
        self.assertEqual(out["argv"], ["3", "extra arg"])
        self.assertIn("agent for shop ready: connect to http://127.0.0.1:", result.stderr)

    def test_apps_own_start_call_names_the_service(self):
        script = os.path.join(self.dir, "named.py")
        with open(script, "w") as f:
            f.write(APP.replace("agent = spyglass.get_agent()\n",
                                "agent = spyglass.start(service='api', version='1.0.1', port=9)\n"))
        result = self.run_spyglass("--port", "0", "--", sys.executable, script)
        self.assertEqual(result.returncode, 0, result.stderr)
        out = json.loads(result.stdout)
        self.assertEqual((out["service"], out["version"]), ("api", "1.0.1"))
        self.assertIn("already running; not applied: port", result.stderr)

    def test_module_commands_work(self):
        modules = os.path.join(self.dir, "pkg")
        os.makedirs(modules)
        with open(os.path.join(modules, "__init__.py"), "w"):
            pass
        shutil.copy(self.app, os.path.join(modules, "__main__.py"))
        result = self.run_spyglass("--port", "0", "--", sys.executable, "-m", "pkg", "0")
        self.assertEqual(result.returncode, 0, result.stderr)
        out = json.loads(result.stdout)
        self.assertEqual(out["status"], 200)
        self.assertEqual(out["service"], "pkg")

    def test_existing_sitecustomize_still_runs(self):
        other = os.path.join(self.dir, "site")
        os.makedirs(other)
        with open(os.path.join(other, "sitecustomize.py"), "w") as f:
            f.write("import os\nos.environ['CHAINED_MARKER'] = 'ran'\n")
        env = dict(self.env, PYTHONPATH=os.pathsep.join([AGENT_DIR, other]))
        result = self.run_spyglass("--port", "0", "--", sys.executable, self.app, env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout)["marker"], "ran")

    def test_signals_reach_the_app(self):
        script = os.path.join(self.dir, "sig.py")
        with open(script, "w") as f:
            f.write(textwrap.dedent('''
                import signal, sys, time
                def on_term(signum, frame):
                    print("terminated", flush=True)
                    sys.exit(42)
                signal.signal(signal.SIGTERM, on_term)
                print("ready", flush=True)
                time.sleep(30)
                sys.exit(1)
            '''))
        proc = subprocess.Popen([sys.executable, "-m", "spyglass", "run", "--port", "0", "--",
                                 sys.executable, script], env=self.env, cwd=self.dir,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            self.assertEqual(proc.stdout.readline().strip(), "ready")
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(10), 42)
            self.assertEqual(proc.stdout.read().strip(), "terminated")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()

    def test_killed_app_reports_the_signal(self):
        result = self.run_spyglass("--port", "0", "--", sys.executable, "-c",
                                   "import os, signal; os.kill(os.getpid(), signal.SIGKILL)")
        self.assertEqual(result.returncode, -signal.SIGKILL)

    def test_forked_worker_gets_its_own_agent(self):
        script = os.path.join(self.dir, "prefork.py")
        with open(script, "w") as f:
            f.write(APP.replace("status, info = ask(agent.port)\n", textwrap.dedent('''
                parent_port = agent.port
                r, w = os.pipe()
                pid = os.fork()
                if pid == 0:
                    child = spyglass.get_agent()
                    st, inf = ask(child.port)
                    os.write(w, json.dumps({"port": child.port, "status": st, "pid": inf["pid"],
                                            "id": inf["id"]}).encode())
                    os._exit(0)
                os.close(w)
                child_info = json.loads(os.read(r, 4096))
                os.waitpid(pid, 0)
                status, info = ask(agent.port)
                print(json.dumps({"parent_port": parent_port, "child": child_info,
                                  "child_pid": pid, "parent_id": info["id"]}), flush=True)
                sys.exit(0)
            ''')))
        port = free_port()
        result = self.run_spyglass("--port", str(port), "--", sys.executable, script)
        self.assertEqual(result.returncode, 0, result.stderr)
        out = json.loads(result.stdout.splitlines()[0])
        self.assertEqual(out["parent_port"], port)
        self.assertEqual(out["child"]["status"], 200)
        self.assertEqual(out["child"]["pid"], out["child_pid"])
        self.assertNotEqual(out["child"]["port"], port)
        self.assertNotEqual(out["child"]["id"], out["parent_id"])

    def test_announce_file_tells_the_caller_where_the_agent_is(self):
        # What the console's "Run Python program with Spyglass" does: a fresh
        # token, any free port, and the address read back from a file.
        announce = os.path.join(self.dir, "agent.json")
        script = os.path.join(self.dir, "wait.py")
        with open(script, "w") as f:
            f.write("import os, sys, time\n"
                    "if os.fork() == 0:\n    time.sleep(0.5); os._exit(0)\n"
                    "print('up', flush=True)\nsys.stdin.read()\n")
        proc = subprocess.Popen([sys.executable, "-m", "spyglass", "run", "--port", "0",
                                 "--announce-file", announce, "--", sys.executable, script],
                                env=self.env, cwd=self.dir, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            self.assertEqual(proc.stdout.readline().strip(), "up")
            time.sleep(1.0)      # the forked child's agent has started by now
            self.assertEqual(os.stat(announce).st_mode & 0o777, 0o600)
            with open(announce) as f:
                info = json.load(f)
            self.assertEqual(info["pid"], proc.pid)       # the parent, not the forked child
            self.assertEqual(info["token"], TOKEN)
            import http.client
            port = int(info["url"].rsplit(":", 1)[1])
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/v1/agent", headers={"Authorization": "Bearer " + TOKEN})
            self.assertEqual(json.loads(conn.getresponse().read())["id"], info["id"])
            conn.close()
        finally:
            proc.stdin.close()
            proc.wait(10)
            proc.stdout.close()

    def test_list_shows_local_agents(self):
        runtime = os.path.join(self.dir, "runtime")
        os.mkdir(runtime, 0o700)
        env = dict(self.env, XDG_RUNTIME_DIR=runtime)
        script = os.path.join(self.dir, "idle.py")
        with open(script, "w") as f:
            f.write("import sys\nprint('up', flush=True)\nsys.stdin.read()\n")
        proc = subprocess.Popen([sys.executable, "-m", "spyglass", "run", "--service", "idle",
                                 "--version", "3.1", "--port", "0", "--", sys.executable, script],
                                env=env, cwd=self.dir, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            self.assertEqual(proc.stdout.readline().strip(), "up")
            listing = subprocess.run([sys.executable, "-m", "spyglass", "list", "--json"],
                                     env=env, stdout=subprocess.PIPE, text=True, timeout=30)
            [info] = json.loads(listing.stdout)
            self.assertEqual((info["pid"], info["service"], info["version"], info["token"]),
                             (proc.pid, "idle", "3.1", TOKEN))
            plain = subprocess.run([sys.executable, "-m", "spyglass", "list"], env=env,
                                   stdout=subprocess.PIPE, text=True, timeout=30).stdout
            self.assertIn(info["url"], plain)
            self.assertNotIn(TOKEN, plain)
        finally:
            proc.stdin.close()
            proc.wait(10)
            proc.stdout.close()
        plain = subprocess.run([sys.executable, "-m", "spyglass", "list"], env=env,
                               stdout=subprocess.PIPE, text=True, timeout=30).stdout
        self.assertEqual(plain.strip(), "no local agents found")

    def test_usage_errors(self):
        result = self.run_spyglass()
        self.assertEqual(result.returncode, 2)
        self.assertIn("give the command after --", result.stderr)
        result = self.run_spyglass("--", "no-such-program-spyglass")
        self.assertEqual(result.returncode, 127)
        self.assertIn("command not found: no-such-program-spyglass", result.stderr)
        result = self.run_spyglass("--address", "0.0.0.0", "--", sys.executable, self.app,
                                   env=dict(self.env, SPYGLASS_TOKEN=""))
        self.assertEqual(result.returncode, 2)
        self.assertIn("without an explicit token", result.stderr)
        result = self.run_spyglass("--token", TOKEN, "--", sys.executable, self.app)
        self.assertEqual(result.returncode, 2)
        self.assertIn("set SPYGLASS_TOKEN or use --token-file", result.stderr)
        result = self.run_spyglass("--port", "eighty", "--", sys.executable, self.app)
        self.assertEqual(result.returncode, 2)
        self.assertIn("SPYGLASS_PORT must be a whole number", result.stderr)

    def test_without_autostart_the_bootstrap_does_nothing(self):
        bootstrap = os.path.join(AGENT_DIR, "spyglass", "_bootstrap")
        env = dict(self.env, PYTHONPATH=bootstrap)
        result = subprocess.run([sys.executable, "-c", "import sys; print('spyglass' in sys.modules)"],
                                env=env, stdout=subprocess.PIPE, text=True, timeout=30)
        self.assertEqual(result.stdout.strip(), "False")


if __name__ == "__main__":
    unittest.main()


FORK_WITH_BREAKPOINT = textwrap.dedent('''
    import http.client, json, os, sys, time
    import spyglass

    def work(n):
        result = n * 2
        return result

    def api(port, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request(method, path, body=json.dumps(body) if body else None,
                     headers={"Authorization": "Bearer " + os.environ["SPYGLASS_TOKEN"]})
        resp = conn.getresponse()
        data = json.loads(resp.read() or b"null")
        conn.close()
        return resp.status, data

    agent = spyglass.get_agent()
    status, bp = api(agent.port, "POST", "/v1/breakpoints",
                     {"location": {"path": "forkbp.py", "line": 6}})
    assert status == 201, bp
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        work(1)                       # the parent's hook must not fire here
        child = spyglass.get_agent()
        st, listed = api(child.port, "GET", "/v1/breakpoints")
        os.write(w, json.dumps({"port": child.port, "listed": listed}).encode())
        os._exit(0)
    os.close(w)
    child = json.loads(os.read(r, 65536))
    os.waitpid(pid, 0)
    work(2)                           # ... but here it does
    deadline = time.time() + 10
    while time.time() < deadline:
        st, mine = api(agent.port, "GET", "/v1/breakpoints/" + bp["id"])
        if mine["is_final_state"]:
            break
        time.sleep(0.05)
    top = mine["stack_frames"][0]
    print(json.dumps({"child": child, "parent_port": agent.port,
                      "n": [a["value"] for a in top["arguments"] if a["name"] == "n"]}))
''')


class ForkWithBreakpointTest(unittest.TestCase):
    def test_breakpoints_stay_with_the_parent(self):
        work = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, work)
        script = os.path.join(work, "forkbp.py")
        with open(script, "w") as f:
            f.write(FORK_WITH_BREAKPOINT)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("SPYGLASS_") and k != "XDG_RUNTIME_DIR"}
        env.update(PYTHONPATH=AGENT_DIR, SPYGLASS_TOKEN=TOKEN)
        # Its own process group: on a timeout the launcher, the program and the
        # program's forked child all go, none is left behind.
        proc = subprocess.Popen([sys.executable, "-m", "spyglass", "run", "--port", "0",
                                 "--source-root", work, "--", sys.executable, script],
                                env=env, cwd=work, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            stdout, stderr = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        result = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
        self.assertEqual(result.returncode, 0, result.stderr)
        out = json.loads(result.stdout)
        self.assertEqual(out["child"]["listed"], {"breakpoints": []})
        self.assertNotEqual(out["child"]["port"], out["parent_port"])
        # The snapshot was taken in the parent by work(2), not in the child by work(1).
        self.assertEqual(out["n"], ["2"])
        self.assertNotIn("could not be removed", result.stderr)
