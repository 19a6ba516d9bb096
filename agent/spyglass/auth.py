# SPDX-License-Identifier: GPL-3.0-or-later
"""Bearer-token check.

Both sides are hashed before the comparison so `hmac.compare_digest` always
compares two 32-byte strings: the time taken reveals neither the token's
content nor its length."""

import hashlib
import hmac


class TokenChecker:
    def __init__(self, token):
        self._digest = hashlib.sha256(token.encode("utf-8")).digest()

    def check_header(self, value):
        """True when `value` is exactly "Bearer <token>" (scheme case-insensitive)."""
        if not value:
            # Still do the comparison so a missing header costs the same.
            hmac.compare_digest(self._digest, b"\0" * 32)
            return False
        scheme, _, credentials = value.strip().partition(" ")
        given = hashlib.sha256(credentials.strip().encode("utf-8", "replace")).digest()
        same = hmac.compare_digest(self._digest, given)
        return same and scheme.lower() == "bearer"
