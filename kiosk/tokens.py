"""Bearer tokens kept server-side only as a hash: booth credentials (kiosk/fleet/kiosks.py),
organisers' dashboard sessions and prize-desk staff sessions (kiosk/claims/sessions.py).

A token is 256 random bits, so a plain SHA-256 is enough to store it: a copy of the table
opens nothing, and nobody can guess a token from its hash. One helper, so every store that
looks a token up computes the same key.
"""

from __future__ import annotations

import hashlib


def token_hash(token: str) -> str:
    """The stored form of a token: SHA-256 of its UTF-8 bytes, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
