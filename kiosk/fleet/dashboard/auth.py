"""The dashboard's door: organiser accounts, server-side sessions, and password back-off.

Accounts live in ``dashboard_users`` (``smartizen fleet add-organiser NAME``), passwords hashed
with kiosk/pin.py's salted PBKDF2. A login gives a random token in an HttpOnly, SameSite=Strict
cookie; the database keeps only its sha256, the user, a CSRF token and the times, so logout or
expiry ends that session on every service process at once.

Wrong passwords slow down the client that typed them: the first few cost nothing, then each one
doubles that client's wait (1 s, 2 s, 4 s … up to ``max_delay_s``), counted in the database so
all processes and restarts share it. An unknown name costs the same PBKDF2 time as a known one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from psycopg_pool import ConnectionPool

from kiosk.pin import hash_pin, pin_matches
from kiosk.tokens import token_hash

MIN_PASSWORD = 8
FORGET_FAILURES = timedelta(hours=24)
TOUCH_EVERY = timedelta(minutes=1)
# Compared against when the name is unknown, so timing does not tell which names exist.
_DUMMY_HASH = hash_pin("not-a-password", salt=b"smartizen-dummy!")


@dataclass(frozen=True)
class Session:
    username: str
    csrf: str


def add_organiser(pool: ConnectionPool, username: str, password: str, iterations: int = 0) -> bool:
    """Create the account, or set a new password on it (and re-enable it); True if new."""
    username = username.strip()
    if not username or len(username) > 40 or any(c.isspace() for c in username):
        raise ValueError("an organiser name is 1 to 40 characters without spaces")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password needs at least {MIN_PASSWORD} characters")
    hashed = hash_pin(password, iterations=iterations) if iterations else hash_pin(password)
    with pool.connection() as conn:
        row = conn.execute(
            "INSERT INTO dashboard_users (username, password_hash) VALUES (%s, %s)"
            " ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash,"
            " disabled_at = NULL RETURNING (xmax = 0)",
            (username, hashed),
        ).fetchone()
        # A new password ends every session the old one opened.
        conn.execute(
            "UPDATE dashboard_sessions SET ended_at = now()"
            " WHERE username = %s AND ended_at IS NULL",
            (username,),
        )
    return bool(row and row[0])


def disable_organiser(pool: ConnectionPool, username: str) -> bool:
    """Refuse this account from now on and end its sessions; False if there is none."""
    with pool.connection() as conn:
        done = conn.execute(
            "UPDATE dashboard_users SET disabled_at = now() WHERE username = %s", (username,)
        ).rowcount
        conn.execute(
            "UPDATE dashboard_sessions SET ended_at = now()"
            " WHERE username = %s AND ended_at IS NULL",
            (username,),
        )
    return bool(done)


class Door:
    """Password checks with back-off, and the sessions they open."""

    def __init__(
        self,
        pool: ConnectionPool,
        *,
        free_failures: int = 5,
        max_delay_s: float = 600.0,
        idle: timedelta = timedelta(hours=4),
        longest: timedelta = timedelta(hours=16),
    ) -> None:
        self.pool = pool
        self.free_failures = max(1, free_failures)
        self.max_delay_s = max_delay_s
        self.idle = idle
        self.longest = longest

    # -- back-off ---------------------------------------------------------------------------

    def delay(self, failures: int) -> float:
        """Seconds a client with this many recent wrong passwords waits between tries."""
        if failures < self.free_failures:
            return 0.0
        return min(self.max_delay_s, 2.0 ** (failures - self.free_failures))

    def attempt(self, client: str, now: datetime) -> float:
        """Claim one try for ``client``: 0 when it may try now, else the seconds to wait.
        The try counts as a failure until :meth:`succeeded` forgives it, so a burst of
        parallel guesses is counted one by one."""
        with self.pool.connection() as conn, conn.transaction():
            row = conn.execute(
                "SELECT failures, last_at FROM dashboard_login_failures WHERE client = %s"
                " FOR UPDATE",
                (client,),
            ).fetchone()
            failures, last_at = (
                (0, now) if row is None or now - row[1] > FORGET_FAILURES else row
            )
            wait = self.delay(failures) - (now - last_at).total_seconds()
            if failures and wait > 0:
                return wait
            conn.execute(
                "INSERT INTO dashboard_login_failures (client, failures, last_at)"
                " VALUES (%s, %s, %s) ON CONFLICT (client) DO UPDATE"
                " SET failures = EXCLUDED.failures, last_at = EXCLUDED.last_at",
                (client, failures + 1, now),
            )
            conn.execute(
                "DELETE FROM dashboard_login_failures WHERE last_at < %s",
                (now - FORGET_FAILURES,),
            )
        return 0.0

    def failures(self, client: str) -> int:
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT failures FROM dashboard_login_failures WHERE client = %s", (client,)
            ).fetchone()
        return 0 if row is None else int(row[0])

    def succeeded(self, client: str) -> None:
        with self.pool.connection() as conn:
            conn.execute("DELETE FROM dashboard_login_failures WHERE client = %s", (client,))

    # -- passwords and sessions -------------------------------------------------------------

    def check_password(self, username: str, password: str) -> bool:
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT password_hash FROM dashboard_users"
                " WHERE username = %s AND disabled_at IS NULL",
                (username.strip(),),
            ).fetchone()
        if row is None:
            pin_matches(password, _DUMMY_HASH)
            return False
        return pin_matches(password, row[0])

    def start(self, username: str, now: datetime) -> str:
        """A new session for ``username``; returns the cookie's token."""
        token = secrets.token_urlsafe(32)
        with self.pool.connection() as conn:
            conn.execute(
                "INSERT INTO dashboard_sessions (token_hash, username, csrf, started_at,"
                " last_seen_at) VALUES (%s, %s, %s, %s, %s)",
                (token_hash(token), username.strip(), secrets.token_urlsafe(32), now, now),
            )
        return token

    def session(self, token: str | None, now: datetime) -> Session | None:
        """The open session of this cookie (touching its idle timer), or None."""
        if not token:
            return None
        digest = token_hash(token)
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT s.username, s.csrf, s.last_seen_at FROM dashboard_sessions s"
                " JOIN dashboard_users u USING (username)"
                " WHERE s.token_hash = %s AND s.ended_at IS NULL"
                " AND s.last_seen_at > %s AND s.started_at > %s AND u.disabled_at IS NULL",
                (digest, now - self.idle, now - self.longest),
            ).fetchone()
            if row is not None and now - row[2] > TOUCH_EVERY:
                # The idle timer to the minute is plenty; a page every 10 s from twenty
                # tablets need not wait for twenty disk flushes.
                with conn.transaction():
                    conn.execute("SET LOCAL synchronous_commit TO off")
                    conn.execute(
                        "UPDATE dashboard_sessions SET last_seen_at = %s WHERE token_hash = %s",
                        (now, digest),
                    )
        return None if row is None else Session(row[0], row[1])

    def end(self, token: str | None, now: datetime) -> None:
        if token:
            with self.pool.connection() as conn:
                conn.execute(
                    "UPDATE dashboard_sessions SET ended_at = %s"
                    " WHERE token_hash = %s AND ended_at IS NULL",
                    (now, token_hash(token)),
                )
