# SPDX-License-Identifier: GPL-3.0-or-later
"""Logpoint messages and the agent-wide log rate limit.

A message format is text with ``{expression}`` or ``{expression:spec}``
fields (``{{`` and ``}}`` are literal braces, ``!r``/``!s`` conversions are
accepted).  Every field is a :class:`~spyglass.safe_eval.SafeExpression`, so
``{user.__class__}`` or ``{open('x')}`` is refused when the logpoint is set,
and a spec such as ``{x:999999999}`` is refused before it allocates.

Rate limit: two token buckets shared by every logpoint of the agent, lines
and bytes, each holding one second's worth (default 50 lines, 20 KiB) and
refilled continuously.  A line that does not fit pauses *its* logpoint for a
quiet period of one second; hits while paused are counted, not evaluated
(so a paused logpoint costs almost nothing).  The first hit after the quiet
period resumes the logpoint if the buckets allow it and logs how many lines
were dropped.
"""

import logging
import threading
import time

from .safe_eval import ExpressionError, SafeExpression

MAX_FIELDS = 20
MAX_FIELD_CHARS = 256
MAX_MESSAGE_CHARS = 2048
QUIET_PERIOD_S = 1.0

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
          "error": logging.ERROR}


class LogFormat:
    """A parsed logpoint message: literal text and safe expression fields."""

    def __init__(self, text):
        if not isinstance(text, str) or not text:
            raise ExpressionError("a logpoint needs a message format, e.g. \"user={user.id}\"")
        if len(text) > 4096:
            raise ExpressionError("the message format is too long (%d characters, at most 4096)"
                                  % len(text))
        self.text = text
        self.parts = []        # str | (SafeExpression, spec, conversion)
        self._parse(text)

    def _parse(self, text):
        literal = []
        i = 0
        n = len(text)
        fields = 0
        while i < n:
            ch = text[i]
            if ch == "{" and text.startswith("{{", i):
                literal.append("{")
                i += 2
            elif ch == "}" and text.startswith("}}", i):
                literal.append("}")
                i += 2
            elif ch == "}":
                raise ExpressionError("unmatched '}' at position %d of the message format "
                                      "(write '}}' for a literal brace)" % i)
            elif ch == "{":
                end, source, spec, conversion = self._field(text, i)
                fields += 1
                if fields > MAX_FIELDS:
                    raise ExpressionError("a message format may have at most %d fields" % MAX_FIELDS)
                if literal:
                    self.parts.append("".join(literal))
                    literal = []
                try:
                    expr = SafeExpression(source, "log messages")
                except ExpressionError as e:
                    raise ExpressionError("field {%s}: %s" % (source.strip(), e)) from None
                if spec:
                    from .safe_eval import check_format_spec
                    check_format_spec(spec)
                self.parts.append((expr, spec, conversion))
                i = end + 1
            else:
                literal.append(ch)
                i += 1
        if literal:
            self.parts.append("".join(literal))

    @staticmethod
    def _field(text, start):
        """(index of the closing brace, expression, spec, conversion)."""
        depth = 0
        quote = None
        colon = None
        i = start + 1
        while i < len(text):
            ch = text[i]
            if quote:
                if ch == "\\":
                    i += 2
                    continue
                if ch == quote:
                    quote = None
            elif ch in "'\"":
                quote = ch
            elif ch in "([{":
                depth += 1
            elif ch in ")]" or (ch == "}" and depth > 0):
                depth -= 1
            elif ch == "}":
                inner = text[start + 1:colon if colon is not None else i]
                spec = text[colon + 1:i] if colon is not None else ""
                conversion = None
                if len(inner) >= 2 and inner[-2] == "!" and inner[-1] in "rsa":
                    conversion = inner[-1]
                    inner = inner[:-2]
                if not inner.strip():
                    raise ExpressionError("empty field {} at position %d of the message format" % start)
                return i, inner, spec, conversion
            elif ch == ":" and depth == 0 and colon is None:
                colon = i
            i += 1
        raise ExpressionError("unclosed '{' at position %d of the message format" % start)

    def render(self, frame, redactor):
        """(message, [field error messages])."""
        out = []
        errors = []
        for part in self.parts:
            if type(part) is str:
                out.append(part)
                continue
            expr, spec, conversion = part
            try:
                text = expr.render(frame, redactor, spec, conversion)
            except ExpressionError as e:
                errors.append("{%s}: %s" % (expr.source, e))
                text = "<error: %s>" % e
            if len(text) > MAX_FIELD_CHARS:
                text = text[:MAX_FIELD_CHARS] + "..."
            out.append(text)
        message = "".join(out)
        if len(message) > MAX_MESSAGE_CHARS:
            message = message[:MAX_MESSAGE_CHARS] + "..."
        return message, errors


class RateLimiter:
    """Token buckets for lines and bytes per second, shared by the agent."""

    def __init__(self, lines_per_s=50, bytes_per_s=20480, clock=time.monotonic):
        self.lines_per_s = max(1, int(lines_per_s))
        self.bytes_per_s = max(64, int(bytes_per_s))
        self._clock = clock
        self._lines = float(self.lines_per_s)
        self._bytes = float(self.bytes_per_s)
        self._last = clock()
        self._lock = threading.Lock()

    def allow(self, nbytes):
        with self._lock:
            now = self._clock()
            elapsed = now - self._last
            self._last = now
            self._lines = min(self.lines_per_s, self._lines + elapsed * self.lines_per_s)
            self._bytes = min(self.bytes_per_s, self._bytes + elapsed * self.bytes_per_s)
            if self._lines >= 1 and self._bytes >= nbytes:
                self._lines -= 1
                self._bytes -= nbytes
                return True
            return False

    def describe(self):
        return "%d lines/s and %d bytes/s" % (self.lines_per_s, self.bytes_per_s)


class Throttle:
    """The pause state of one logpoint."""

    __slots__ = ("paused_until", "dropped")

    def __init__(self):
        self.paused_until = 0.0
        self.dropped = 0


def emit(logger, level, message, pathname, lineno, function):
    """Write one logpoint line through ``logging`` as if logged at its line.

    The record bypasses the logger's own level (the user asked for this line
    explicitly) but goes through its filters and handlers as usual.
    """
    record = logger.makeRecord(logger.name, level, pathname, lineno, message, None, None,
                               func=function)
    record.spyglass_logpoint = True
    logger.handle(record)
