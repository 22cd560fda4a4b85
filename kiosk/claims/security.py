"""The prize desk's door: PIN back-off per client, the client's address, and CSRF tokens.

The PIN itself is checked with :func:`kiosk.pin.pin_matches` (salted PBKDF2, as on the
kiosks); the server stores only the hash from ``smartizen staff hash-pin --desk``.

Wrong PINs slow down the client that typed them, never the other desks: the first
``free_failures`` cost nothing, then each one doubles the wait before that client's next try
(1 s, 2 s, 4 s … up to ``max_delay_s``). The counts live in the claim store (SQLite file or
PostgreSQL), so every server process on it shares them and a restart forgets nothing.
Behind the TLS proxy every request arrives from the proxy's address;
:class:`kiosk.proxies.TrustedProxyFix` takes the client's address from ``X-Forwarded-For``
only when the request really came from a configured proxy, so nobody else can pick an
address to dodge their back-off.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable, MutableMapping
from typing import Any

from kiosk.claims.store import ClaimStore

FORGET_S = 24 * 3600.0  # a client's wrong PINs are forgotten a day after the last one


class LoginThrottle:
    """Growing waits per client after wrong PINs, shared through the claims database."""

    def __init__(
        self,
        store: ClaimStore,
        free_failures: int,
        max_delay_s: float,
        clock: Callable[[], float] = time.time,  # wall time: shared by processes
    ) -> None:
        self.store = store
        self.free_failures = max(1, free_failures)
        self.max_delay_s = max_delay_s
        self.clock = clock

    def delay(self, failures: int) -> float:
        """How long a client with this many recent wrong PINs waits between tries."""
        if failures < self.free_failures:
            return 0.0
        return min(self.max_delay_s, 2.0 ** (failures - self.free_failures))

    def attempt(self, client: str) -> float:
        """Claim one PIN try for ``client``: 0 when it may try now, else seconds to wait.

        A try is counted as a failure before the PIN is checked (and forgiven by
        :meth:`succeeded`), so a burst of parallel guesses is counted one by one.
        """
        now = self.clock()

        def wait(failures: int, last_at: float) -> float:
            return self.delay(failures) - (now - last_at) if failures else 0.0

        return self.store.count_login_attempt(client, now, FORGET_S, wait)

    def waiting(self, client: str) -> float:
        """Seconds until ``client`` may try again (0: now); changes nothing."""
        row = self.store.login_failures(client)
        if row is None:
            return 0.0
        failures, last_at = row
        return max(0.0, self.delay(failures) - (self.clock() - last_at))

    def succeeded(self, client: str) -> None:
        self.store.forget_login_failures(client)

    def failures(self, client: str) -> int:
        row = self.store.login_failures(client)
        return 0 if row is None else row[0]


def csrf_token(session: MutableMapping[str, Any]) -> str:
    """The session's form token, made on first use; every POST form carries it."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_ok(session: MutableMapping[str, Any], submitted: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and submitted) and hmac.compare_digest(expected, submitted)
