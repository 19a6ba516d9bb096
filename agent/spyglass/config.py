# SPDX-License-Identifier: GPL-3.0-or-later
"""Agent configuration: keyword arguments first, then SPYGLASS_* environment
variables, then defaults.  Validation happens here so that a bad setting is
reported once, clearly, before anything listens on a socket."""

import dataclasses
import ipaddress
import os
import secrets
import sys

DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_PORT_TRIES = 16          # the port itself, then +1 .. +15
DEFAULT_REDACT_NAMES = [
    "password", "passwd", "pwd", "token", "secret", "api_key", "apikey",
    "authorization", "auth", "cookie", "credential", "private_key", "session",
]


class ConfigError(ValueError):
    """A setting the agent cannot start with; the message says which and why."""


@dataclasses.dataclass
class Config:
    service: str = ""
    version: str = ""
    address: str = DEFAULT_ADDRESS
    port: int = DEFAULT_PORT
    port_tries: int = DEFAULT_PORT_TRIES
    token: str = ""
    token_generated: bool = False
    source_root: str = ""
    source_serving: bool = True
    tls_cert: str = ""
    tls_key: str = ""
    profiling: bool = True
    profiling_continuous: bool = True
    profiling_hz: int = 100
    profiling_signal: bool = True    # ticks on the main thread by a timer signal (signal_ticks.py)
    breakpoint_expiry_s: int = 86400
    redact_names: list = dataclasses.field(default_factory=lambda: list(DEFAULT_REDACT_NAMES))
    blocklist: list = dataclasses.field(default_factory=list)
    log_rate_lines: int = 50
    log_rate_bytes: int = 20480
    discovery: bool = True           # write $XDG_RUNTIME_DIR/spyglass/agent-<pid>.json
    announce_file: str = ""          # write url+token here once listening (for launchers)
    restart_after_fork: bool = True  # prefork servers: each worker gets its own agent
    max_body_bytes: int = 1 << 20
    max_header_bytes: int = 8 << 10
    max_connections: int = 64
    socket_timeout_s: float = 15.0
    events_capacity: int = 1000

    @property
    def tls(self):
        return bool(self.tls_cert)

    @property
    def loopback(self):
        return is_loopback(self.address)

    def base_url(self, port=None):
        host = self.address
        if ":" in host:
            host = "[%s]" % host
        return "%s://%s:%d" % ("https" if self.tls else "http", host,
                               self.port if port is None else port)


def is_loopback(address):
    if address in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


# name in Config -> (environment variable, parser)
def _bool(name, text):
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError("%s must be 0 or 1, not %r" % (name, text))


def _int(name, text, low=None, high=None):
    try:
        value = int(str(text).strip())
    except ValueError:
        raise ConfigError("%s must be a whole number, not %r" % (name, text)) from None
    if (low is not None and value < low) or (high is not None and value > high):
        raise ConfigError("%s must be between %s and %s, not %d" % (name, low, high, value))
    return value


def _list(name, text):
    return [part.strip() for part in str(text).split(",") if part.strip()]


_ENV = {
    "service": "SPYGLASS_SERVICE",
    "version": "SPYGLASS_VERSION",
    "address": "SPYGLASS_ADDRESS",
    "port": "SPYGLASS_PORT",
    "port_tries": "SPYGLASS_PORT_TRIES",
    "token": "SPYGLASS_TOKEN",
    "source_root": "SPYGLASS_SOURCE_ROOT",
    "source_serving": "SPYGLASS_SOURCE_SERVING",
    "tls_cert": "SPYGLASS_TLS_CERT",
    "tls_key": "SPYGLASS_TLS_KEY",
    "profiling": "SPYGLASS_PROFILING",
    "profiling_continuous": "SPYGLASS_PROFILING_CONTINUOUS",
    "profiling_hz": "SPYGLASS_PROFILING_HZ",
    "profiling_signal": "SPYGLASS_PROFILING_SIGNAL",
    "breakpoint_expiry_s": "SPYGLASS_BREAKPOINT_EXPIRY",
    "redact_names": "SPYGLASS_REDACT",
    "blocklist": "SPYGLASS_BLOCKLIST",
    "log_rate_lines": "SPYGLASS_LOG_RATE_LINES",
    "log_rate_bytes": "SPYGLASS_LOG_RATE_BYTES",
    "discovery": "SPYGLASS_DISCOVERY",
    "announce_file": "SPYGLASS_ANNOUNCE_FILE",
    "restart_after_fork": "SPYGLASS_FORK",
}
ENV_VARS = tuple(_ENV.values()) + ("SPYGLASS_TOKEN_FILE",)

_FIELDS = {f.name: f for f in dataclasses.fields(Config)}


def _coerce(name, value):
    """Bring an argument or environment string to the field's type."""
    label = _ENV.get(name, name)
    kind = _FIELDS[name].type
    if kind in (bool, "bool"):
        return value if isinstance(value, bool) else _bool(label, str(value))
    if kind in (int, "int"):
        if name == "port":
            return _int(label, value, 0, 65535)
        if name == "port_tries":
            return _int(label, value, 1, 64)
        if name == "profiling_hz":
            return _int(label, value, 1, 1000)
        return _int(label, value, 0)
    if kind in (float, "float"):
        try:
            return float(value)
        except ValueError:
            raise ConfigError("%s must be a number, not %r" % (label, value)) from None
    if kind in (list, "list"):
        if isinstance(value, str):
            return _list(label, value)
        return [str(v) for v in value]
    return "" if value is None else str(value)


def _command_line():
    argv = getattr(sys, "orig_argv", None)          # 3.10+
    if argv:
        return list(argv)
    try:
        with open("/proc/self/cmdline", "rb") as f:
            return [a.decode("utf-8", "replace") for a in f.read().split(b"\0") if a]
    except OSError:
        return [sys.executable] + list(sys.argv)


def _default_service():
    """A name for the service when none is given: the module of `python -m
    NAME`, else the script's name (app.py -> app, /usr/bin/gunicorn ->
    gunicorn).  Works from sitecustomize, before __main__ exists."""
    args = _command_line()[1:]
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "-m" and i + 1 < len(args):
            name = args[i + 1]
            return name[:-len(".__main__")] if name.endswith(".__main__") else name
        if arg.startswith("-m") and len(arg) > 2:
            return arg[2:]
        if arg in ("-c", "-"):
            return "python"
        if arg in ("-W", "-X", "--check-hash-based-pycs"):
            i += 2
            continue
        if arg.startswith("-"):
            i += 1
            continue
        base = os.path.basename(arg)
        return base[:-3] if base.endswith(".py") else base or "python"
    return "python"


def _read_token_file(path):
    try:
        with open(path, "r", encoding="utf-8") as f:
            return f.read().strip()
    except OSError as e:
        raise ConfigError("SPYGLASS_TOKEN_FILE %s cannot be read: %s" % (path, e.strerror)) from None


def load(env=None, **kwargs):
    """Build a validated Config.  `kwargs` win over `env` (os.environ by
    default); unknown keyword arguments are an error, not silently ignored."""
    if env is None:
        env = os.environ
    unknown = sorted(set(kwargs) - set(_FIELDS) - {"token_file"})
    if unknown:
        raise ConfigError("unknown setting(s): %s" % ", ".join(unknown))

    values = {}
    for name, var in _ENV.items():
        if var in env and env[var] != "":
            values[name] = _coerce(name, env[var])
    if "token" not in values and env.get("SPYGLASS_TOKEN_FILE"):
        values["token"] = _read_token_file(env["SPYGLASS_TOKEN_FILE"])
    token_file = kwargs.pop("token_file", None)
    if token_file:
        values["token"] = _read_token_file(token_file)
    for name, value in kwargs.items():
        if value is not None:
            values[name] = _coerce(name, value)

    # "host:port" in SPYGLASS_ADDRESS / address= is accepted too.
    address = values.get("address", DEFAULT_ADDRESS)
    if address.startswith("["):
        host, _, rest = address[1:].partition("]")
        address, port = host, rest[1:] if rest.startswith(":") else None
    elif address.count(":") == 1:
        address, _, port = address.partition(":")
    else:
        port = None
    if port and kwargs.get("port") is None:
        # An explicit port= argument beats the one inside the address.
        values["port"] = _coerce("port", port)
    values["address"] = address or "0.0.0.0"

    # Secret-looking names only ever add to the defaults, so a setting cannot
    # switch redaction off by accident.
    extra = values.pop("redact_names", [])

    config = Config(**values)
    config.redact_names = DEFAULT_REDACT_NAMES + [n for n in extra if n not in DEFAULT_REDACT_NAMES]
    if not config.service:
        config.service = _default_service()
    _validate(config)
    if not config.token:
        config.token = secrets.token_urlsafe(32)
        config.token_generated = True
    return config


def _validate(config):
    token = config.token
    if token:
        if any(c.isspace() or not c.isprintable() for c in token):
            raise ConfigError("the token must be printable and contain no spaces")
        if len(token) < 16:
            raise ConfigError("the token is too short: use at least 16 characters "
                              "(python3 -c 'import secrets; print(secrets.token_urlsafe())')")
    elif not config.loopback:
        raise ConfigError(
            "refusing to listen on %s without an explicit token: anyone who can reach this "
            "address could read the service's memory. Set SPYGLASS_TOKEN (or token=...), or "
            "listen on 127.0.0.1" % config.address)

    if bool(config.tls_cert) != bool(config.tls_key):
        raise ConfigError("TLS needs both SPYGLASS_TLS_CERT and SPYGLASS_TLS_KEY")
    for label, path in (("SPYGLASS_TLS_CERT", config.tls_cert), ("SPYGLASS_TLS_KEY", config.tls_key)):
        if path and not os.path.isfile(path):
            raise ConfigError("%s %s is not a readable file" % (label, path))

    root = config.source_root or os.getcwd()
    root = os.path.realpath(os.path.expanduser(root))
    if not os.path.isdir(root):
        raise ConfigError("SPYGLASS_SOURCE_ROOT %s is not a directory" % root)
    config.source_root = root
    config.redact_names = [n.lower() for n in config.redact_names]
