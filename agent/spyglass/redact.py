# SPDX-License-Identifier: GPL-3.0-or-later
"""Which names hide secrets, and which modules the agent must not look into.

A name is secret when one of the configured words occurs in it, ignoring case
and the separators people put between words: ``db_password``, ``X-Auth-Token``,
``apiKey`` and ``SESSION_ID`` all match.  Matching on substrings errs on the
side of hiding too much, which is the right side for a debugger that ships
values off the machine.
"""

DEFAULT_NAMES = (
    "password", "passwd", "token", "secret", "api_key", "apikey",
    "authorization", "cookie", "session", "private_key", "credential",
)

# The agent never instruments or inspects itself: a breakpoint inside the
# hook would recurse, and its locals hold the bearer token.
ALWAYS_BLOCKED = ("spyglass",)


def _squash(name):
    return "".join(ch for ch in name.lower() if ch.isalnum())


class Redactor:
    def __init__(self, names=None, blocklist=None):
        names = DEFAULT_NAMES if names is None else names
        self._words = tuple(sorted({_squash(str(n)) for n in names if _squash(str(n))}))
        self._blocklist = tuple(p for p in (blocklist or ()) if isinstance(p, str) and p)
        self._cache = {}

    @classmethod
    def from_config(cls, config):
        names = getattr(config, "redact_names", None)
        blocklist = getattr(config, "blocklist", None)
        return cls(names if names else None, blocklist)

    def is_secret(self, name):
        """True when a variable, attribute or key called ``name`` is redacted."""
        if not isinstance(name, str):
            return False
        hit = self._cache.get(name)
        if hit is None:
            squashed = _squash(name)
            hit = any(word in squashed for word in self._words)
            if len(self._cache) < 4096:
                self._cache[name] = hit
        return hit

    def blocked_by(self, module_name):
        """The blocklist entry that covers ``module_name``, or None."""
        if not isinstance(module_name, str):
            return None
        for prefix in ALWAYS_BLOCKED + self._blocklist:
            if module_name == prefix or module_name.startswith(prefix + "."):
                return prefix
        return None


REDACTED_MESSAGE = "Redacted: the name '{}' looks like it holds a secret"


def redacted_status(name):
    return {"is_error": False, "refers_to": "variable_value",
            "message": REDACTED_MESSAGE.format(name)}
