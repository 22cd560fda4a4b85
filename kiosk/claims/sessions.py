"""Staff sessions kept on the server, so logging out revokes them.

The desk's cookie carries a random token; the claim store keeps only its SHA-256 with
the desk name and times. A session is good while its row is open, used within the idle
limit and younger than a shift: logging out (or expiring) closes the row, and a copy of the
cookie captured earlier is refused from then on, by every server process on the store.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.claims.store import ClaimStore
from kiosk.tokens import token_hash

LOGOUT = "logout"
IDLE = "idle"
TOO_LONG = "too_long"


@dataclass(frozen=True)
class StaffSession:
    desk: str
    started_at: float


class StaffSessions:
    def __init__(
        self,
        store: ClaimStore,
        idle_s: float,
        max_s: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.idle_s = idle_s
        self.max_s = max_s
        self.clock = clock

    def start(self, desk: str) -> str:
        """A new session for ``desk``; returns the token for the cookie."""
        token = secrets.token_urlsafe(32)
        self.store.start_session(token_hash(token), desk, self.clock())
        return token

    def check(self, token: str | None) -> tuple[StaffSession | None, str]:
        """The open session behind ``token`` (touching its idle timer), or ``None`` and why
        not: ``""`` (no such session), ``"logout"``, ``"idle"`` or ``"too_long"``."""
        if not token:
            return None, ""
        key = token_hash(token)
        row = self.store.session(key)
        if row is None:
            return None, ""
        if row.ended_why is not None:
            return None, row.ended_why
        now = self.clock()
        why = (
            IDLE
            if now - row.seen_at > self.idle_s
            else TOO_LONG
            if now - row.started_at > self.max_s
            else ""
        )
        if why:
            self.end(token, why)
            return None, why
        self.store.touch_session(key, now)
        return StaffSession(row.desk, row.started_at), ""

    def end(self, token: str | None, why: str = LOGOUT) -> None:
        """Close the session for good (a no-op for an unknown or closed one)."""
        if not token:
            return
        self.store.end_session(token_hash(token), self.clock(), why)
