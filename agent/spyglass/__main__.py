# SPDX-License-Identifier: GPL-3.0-or-later
"""Command line: `python -m spyglass run [options] -- COMMAND ...`

Runs COMMAND with the agent started inside every Python process it
launches, without changing the application: the options become SPYGLASS_*
variables and a directory whose sitecustomize.py calls spyglass.start() is
put first on PYTHONPATH.  The command then replaces this process (exec), so
its pid, signals and exit status are the command's own, as with
`ddtrace-run`."""

import argparse
import os
import shutil
import sys

from . import __version__

OPTIONS = (
    # flag, environment variable, help
    ("--service", "SPYGLASS_SERVICE", "service name shown in the console (default: the program)"),
    ("--version", "SPYGLASS_VERSION", "service version, e.g. a release or commit"),
    ("--address", "SPYGLASS_ADDRESS", "address to listen on (default 127.0.0.1)"),
    ("--port", "SPYGLASS_PORT", "first port to try (default 7878; the next 15 if taken)"),
    ("--token-file", "SPYGLASS_TOKEN_FILE", "read the bearer token from this file"),
    ("--source-root", "SPYGLASS_SOURCE_ROOT", "directory holding the service's source "
                                              "(default: the working directory)"),
    ("--tls-cert", "SPYGLASS_TLS_CERT", "PEM certificate: serve HTTPS"),
    ("--tls-key", "SPYGLASS_TLS_KEY", "PEM private key for --tls-cert"),
    ("--redact", "SPYGLASS_REDACT", "more secret-looking names to redact, comma-separated"),
    ("--blocklist", "SPYGLASS_BLOCKLIST", "module prefixes never captured, comma-separated"),
    ("--announce-file", "SPYGLASS_ANNOUNCE_FILE", "once listening, write the agent's URL and "
                                                  "token as JSON to this file (mode 0600)"),
)


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m spyglass",
        description="Spyglass agent %s: live snapshots, logpoints and profiles for a "
                    "running Python service." % __version__)
    parser.add_argument("-V", "--agent-version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser(
        "run", allow_abbrev=False, help="run a command with the agent inside it",
        usage="python -m spyglass run [options] -- COMMAND [ARG ...]",
        description="Run COMMAND with the agent started in every Python process it "
                    "launches, e.g. `-- python app.py`, `-- flask run`, `-- gunicorn app:app`. "
                    "Every option can also be given as its SPYGLASS_* environment variable; "
                    "the token is taken from SPYGLASS_TOKEN or --token-file, never from the "
                    "command line, where other users could read it.")
    for flag, var, text in OPTIONS:
        run.add_argument(flag, metavar=var.replace("SPYGLASS_", ""), help="%s [%s]" % (text, var))
    run.add_argument("--token", dest="token_on_command_line", metavar="TOKEN",
                     help=argparse.SUPPRESS)
    run.add_argument("--no-source-serving", action="store_true",
                     help="do not serve source files, only their hashes [SPYGLASS_SOURCE_SERVING=0]")
    run.add_argument("--no-profiling", action="store_true",
                     help="disable profiling endpoints [SPYGLASS_PROFILING=0]")
    run.add_argument("argv", nargs=argparse.REMAINDER, help="the command, after --")
    listing = sub.add_parser(
        "list", help="list the agents of this user running on this machine",
        description="List agents found through their discovery files in "
                    "$XDG_RUNTIME_DIR/spyglass (written only where that directory is private).")
    listing.add_argument("--tokens", action="store_true", help="show each agent's token")
    listing.add_argument("--json", action="store_true", help="print JSON, tokens included")
    return parser


def list_agents(args):
    import glob
    import json
    base = os.environ.get("XDG_RUNTIME_DIR")
    agents = []
    for path in sorted(glob.glob(os.path.join(base, "spyglass", "agent-*.json")) if base else []):
        try:
            with open(path, encoding="utf-8") as f:
                info = json.load(f)
            os.kill(int(info["pid"]), 0)      # skip files of processes that are gone
        except (OSError, ValueError, KeyError, TypeError):
            continue
        agents.append(info)
    if args.json:
        print(json.dumps(agents, indent=2))
        return 0
    if not agents:
        print("no local agents found" + ("" if base else " (XDG_RUNTIME_DIR is not set)"))
        return 0
    for info in agents:
        line = "%-8s %-20s %-28s %s" % (info.get("pid"), info.get("service", ""),
                                         info.get("url", ""), info.get("version", ""))
        if args.tokens:
            line += "  token " + info.get("token", "")
        print(line.rstrip())
    return 0


def run(args):
    if args.token_on_command_line is not None:
        sys.stderr.write("python -m spyglass run: --token is not accepted because other users can "
                         "read command lines (ps); set SPYGLASS_TOKEN or use --token-file\n")
        return 2
    argv = list(args.argv)
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        sys.stderr.write("python -m spyglass run: give the command after --, "
                         "e.g. python -m spyglass run -- python app.py\n")
        return 2

    env = dict(os.environ)
    for flag, var, _ in OPTIONS:
        value = getattr(args, flag[2:].replace("-", "_"))
        if value is not None:
            env[var] = value
    if args.no_source_serving:
        env["SPYGLASS_SOURCE_SERVING"] = "0"
    if args.no_profiling:
        env["SPYGLASS_PROFILING"] = "0"

    # Check the settings now, in the launcher, so a mistake is one clear
    # message instead of a failed agent in every child process.
    from . import config
    try:
        config.load(env={k: v for k, v in env.items() if k.startswith("SPYGLASS_")})
    except config.ConfigError as e:
        sys.stderr.write("python -m spyglass run: %s\n" % e)
        return 2

    bootstrap = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_bootstrap")
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != bootstrap]
    env["PYTHONPATH"] = os.pathsep.join([bootstrap] + paths)
    env["SPYGLASS_AUTOSTART"] = "1"
    # exec keeps our pid: only that process (not its children) announces.
    env["SPYGLASS_ANNOUNCE_PID"] = str(os.getpid())

    program = argv[0]
    if os.sep not in program and shutil.which(program, path=env.get("PATH")) is None:
        sys.stderr.write("python -m spyglass run: command not found: %s\n" % program)
        return 127
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execvpe(program, argv, env)
    except OSError as e:
        sys.stderr.write("python -m spyglass run: cannot run %s: %s\n" % (program, e.strerror))
        return 126 if e.errno == 13 else 127


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "run":
        return run(args)
    if args.command == "list":
        return list_agents(args)
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
