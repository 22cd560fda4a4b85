"""The prize desk's door: PIN lockout and CSRF tokens.

The PIN itself is checked with :func:`kiosk.pin.pin_matches` (salted PBKDF2, as on the
kiosks); the server stores only the hash from ``smartizen staff hash-pin``.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, MutableMapping
from typing import Any

GLOBAL_FACTOR = 4  # this many times max_failures from everyone together locks everyone


class LoginThrottle:
    """Wrong PINs per client address: ``max_failures`` within ``lockout_s`` lock that address
    for ``lockout_s``; ``GLOBAL_FACTOR`` times as many from all addresses lock the login for
    everyone (a PIN has few digits; spreading guesses over addresses must not help)."""

    def __init__(
        self, max_failures: int, lockout_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_failures = max(1, max_failures)
        self.lockout_s = lockout_s
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._everyone: deque[float] = deque()
        self._locked_until: dict[str, float] = {}
        self._global_until = 0.0
        self._lock = threading.Lock()

    def locked_for(self, client: str) -> float:
        """Seconds until ``client`` may try again (0: now)."""
        now = self.clock()
        with self._lock:
            until = max(self._locked_until.get(client, 0.0), self._global_until)
        return max(0.0, until - now)

    def failed(self, client: str) -> None:
        now = self.clock()
        with self._lock:
            recent = self._failures.setdefault(client, deque())
            for q in (recent, self._everyone):
                q.append(now)
                while q and q[0] <= now - self.lockout_s:
                    q.popleft()
            if len(recent) >= self.max_failures:
                self._locked_until[client] = now + self.lockout_s
                recent.clear()
            if len(self._everyone) >= GLOBAL_FACTOR * self.max_failures:
                self._global_until = now + self.lockout_s
                self._everyone.clear()
            if len(self._failures) > 10_000:  # bounded memory under a spray of addresses
                self._failures = {client: recent}

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


def csrf_token(session: MutableMapping[str, Any]) -> str:
    """The session's form token, made on first use; every POST form carries it."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_ok(session: MutableMapping[str, Any], submitted: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and submitted) and hmac.compare_digest(expected, submitted)
