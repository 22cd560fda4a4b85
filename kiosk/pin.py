"""The staff PIN: stored as a salted PBKDF2 hash, with a lockout after repeated failures."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

ITERATIONS = 200_000
MAX_TRIES = 3
LOCKOUT_S = 60.0
DEFAULT_PIN = "2468"  # what config.DEFAULT_PIN_HASH hashes; the launcher warns while in use


def hash_pin(pin: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>``, the form kiosk.toml stores."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, iterations, salt, digest = stored.split("$")
        if scheme != "pbkdf2_sha256":
            return False
        candidate = hashlib.pbkdf2_hmac(
            "sha256", pin.encode(), bytes.fromhex(salt), int(iterations)
        )
    except ValueError:
        return False  # a mangled hash in the config locks staff out rather than letting all in
    return hmac.compare_digest(candidate.hex(), digest)


@dataclass
class PinGuard:
    """Counts wrong PINs; after ``MAX_TRIES`` in a row the pad is locked for a minute."""

    stored_hash: str
    failures: int = 0
    locked_until: float = 0.0

    def locked_for(self, now: float) -> float:
        return max(0.0, self.locked_until - now)

    def check(self, pin: str, now: float) -> str:
        """``"ok"``, ``"wrong"``, ``"locked"`` (just now, or still)."""
        if self.locked_for(now) > 0:
            return "locked"
        if pin_matches(pin, self.stored_hash):
            self.failures = 0
            return "ok"
        self.failures += 1
        if self.failures >= MAX_TRIES:
            self.failures = 0
            self.locked_until = now + LOCKOUT_S
            return "locked"
        return "wrong"
