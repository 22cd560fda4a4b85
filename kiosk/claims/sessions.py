"""Staff sessions kept on the server, so logging out revokes them.

The desk's cookie carries a random token; the claims database keeps only its SHA-256 with
the desk name and times. A session is good while its row is open, used within the idle
limit and younger than a shift: logging out (or expiring) closes the row, and a copy of the
cookie captured earlier is refused from then on, by every server process on the database.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.claims.redemptions import RedemptionStore

LOGOUT = "logout"
IDLE = "idle"
TOO_LONG = "too_long"


@dataclass(frozen=True)
class StaffSession:
    desk: str
    started_at: float


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class StaffSessions:
    def __init__(
        self,
        store: RedemptionStore,
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
        now = self.clock()
        self.store.connection().execute(
            "INSERT INTO desk_sessions (token_hash, desk, started_at, seen_at) VALUES (?, ?, ?, ?)",
            [_hash(token), desk, now, now],
        )
        return token

    def check(self, token: str | None) -> tuple[StaffSession | None, str]:
        """The open session behind ``token`` (touching its idle timer), or ``None`` and why
        not: ``""`` (no such session), ``"logout"``, ``"idle"`` or ``"too_long"``."""
        if not token:
            return None, ""
        conn = self.store.connection()
        key = _hash(token)
        row = conn.execute(
            "SELECT desk, started_at, seen_at, ended_why FROM desk_sessions WHERE token_hash = ?",
            [key],
        ).fetchone()
        if row is None:
            return None, ""
        desk, started_at, seen_at, ended_why = row
        if ended_why is not None:
            return None, ended_why
        now = self.clock()
        why = (
            IDLE
            if now - seen_at > self.idle_s
            else TOO_LONG
            if now - started_at > self.max_s
            else ""
        )
        if why:
            self.end(token, why)
            return None, why
        conn.execute("UPDATE desk_sessions SET seen_at = ? WHERE token_hash = ?", [now, key])
        return StaffSession(desk, started_at), ""

    def end(self, token: str | None, why: str = LOGOUT) -> None:
        """Close the session for good (a no-op for an unknown or closed one)."""
        if not token:
            return
        self.store.connection().execute(
            "UPDATE desk_sessions SET ended_at = ?, ended_why = ? "
            "WHERE token_hash = ? AND ended_why IS NULL",
            [self.clock(), why, _hash(token)],
        )
