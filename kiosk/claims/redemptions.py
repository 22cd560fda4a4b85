"""The claim server's SQLite database (the embedded single-desk default of
:class:`kiosk.claims.store.ClaimStore`): which codes were handed over, which phones opened.

* ``redemptions``: one row per prize handed over. ``code`` is UNIQUE, and a hand-over is a
  single INSERT, so of any number of concurrent attempts on one code exactly one succeeds;
  the rest get the existing row back ("already collected").
* ``opened``: genuine codes whose claim page a phone has opened, with their typeable desk
  code, so staff can type ``K07-0153-7KQ4`` when a scanner cannot read a cracked screen.
* ``opened_by``: which phones opened each code, as the random id of a first-opening cookie
  (kiosk/claims/phones.py), so the desk sees when a code was opened on more than one phone.
* ``login_failures``, ``desk_sessions``, ``server_secrets``: the desk's door
  (kiosk/claims/security.py, sessions.py), here so every server process shares them.

Nothing about visitors: no addresses, no user agents, no names; a phone is a random id it
was given. (Staff clients' addresses are kept for a day in ``login_failures`` to slow PIN
guessing.) WAL mode and ``synchronous=FULL``, like the kiosk's log; one connection per thread
(waitress's workers).
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from kiosk.claims.store import MAX_PHONES, Redemption, SessionRow
from kiosk.playlog.schema import utc_iso
from kiosk.playlog.transaction import immediate

__all__ = ["MAX_PHONES", "Redemption", "RedemptionStore"]

MIGRATIONS = Migrations("smartizen-claims")


@MIGRATIONS()
def create_redemptions(db: Database) -> None:
    db.execute(
        """CREATE TABLE redemptions (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            ref TEXT NOT NULL,
            tier TEXT NOT NULL,
            kiosk TEXT NOT NULL,
            event INTEGER NOT NULL,
            redeemed_at TEXT NOT NULL,
            desk TEXT NOT NULL
        ) STRICT"""
    )
    db.execute("CREATE INDEX idx_redemptions_redeemed_at ON redemptions (redeemed_at)")
    db.execute(
        """CREATE TABLE opened (
            code TEXT PRIMARY KEY,
            desk_key TEXT NOT NULL,
            first_opened_at TEXT NOT NULL
        ) STRICT"""
    )
    db.execute("CREATE INDEX idx_opened_desk_key ON opened (desk_key)")


@MIGRATIONS()
def create_desk_door(db: Database) -> None:
    db.execute(
        """CREATE TABLE opened_by (
            code TEXT NOT NULL,
            phone TEXT NOT NULL,
            first_opened_at TEXT NOT NULL,
            PRIMARY KEY (code, phone)
        ) STRICT, WITHOUT ROWID"""
    )
    db.execute(
        """CREATE TABLE login_failures (
            client TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            last_at REAL NOT NULL
        ) STRICT"""
    )
    db.execute("CREATE INDEX idx_login_failures_last_at ON login_failures (last_at)")
    db.execute(
        """CREATE TABLE desk_sessions (
            token_hash TEXT PRIMARY KEY,
            desk TEXT NOT NULL,
            started_at REAL NOT NULL,
            seen_at REAL NOT NULL,
            ended_at REAL,
            ended_why TEXT
        ) STRICT"""
    )
    db.execute(
        """CREATE TABLE server_secrets (
            name TEXT PRIMARY KEY,
            value BLOB NOT NULL
        ) STRICT"""
    )


class RedemptionStore:
    def __init__(self, path: str | Path, busy_timeout_s: float = 10.0) -> None:
        self.path = Path(path)
        self.busy_timeout_s = busy_timeout_s
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        conn = self._conn()
        conn.execute("PRAGMA journal_mode=WAL")
        with immediate(conn):  # two servers starting on a fresh file: one migrates
            MIGRATIONS.apply(Database(conn))

    def _conn(self, durable: bool = True) -> sqlite3.Connection:
        """This thread's connection. ``durable=False``: one that commits without fsync
        (``synchronous=NORMAL``), for notes a power cut may lose (which phones opened a
        page), so a phone's first visit does not wait for the disk."""
        name = "conn" if durable else "notes"
        conn = getattr(self._local, name, None)
        if conn is None:
            conn = sqlite3.connect(
                self.path,
                timeout=self.busy_timeout_s,
                isolation_level=None,  # autocommit: each statement is its own transaction
                check_same_thread=False,  # only so close() can close them all at shutdown
            )
            conn.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
            setattr(self._local, name, conn)
            with self._lock:
                self._all.append(conn)
        return conn

    def redemption(self, code: str) -> Redemption | None:
        row = (
            self._conn()
            .execute(
                "SELECT code, ref, tier, redeemed_at, desk FROM redemptions WHERE code = ?",
                [code],
            )
            .fetchone()
        )
        return None if row is None else _redemption(row)

    def redeem(
        self, *, code: str, ref: str, tier: str, kiosk: str, event: int, at: datetime, desk: str
    ) -> tuple[bool, Redemption]:
        """Record a hand-over. ``(True, row)`` for the one that counts, ``(False, existing)``
        for every other attempt on the same code, however concurrent."""
        try:
            self._conn().execute(
                "INSERT INTO redemptions (code, ref, tier, kiosk, event, redeemed_at, desk) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [code, ref, tier, kiosk, event, utc_iso(at), desk],
            )
        except sqlite3.IntegrityError:
            existing = self.redemption(code)
            if existing is None:  # cannot happen: rows are never deleted
                raise
            return False, existing
        return True, Redemption(code, ref, tier, datetime.fromisoformat(utc_iso(at)), desk)

    def note_refused(self, *, ref: str, kiosk: str, desk: str, reason: str, at: datetime) -> None:
        """Nothing to do: a single desk's refusals are in its log; only the central store
        keeps claim events for the dashboard."""

    def note_opened(self, code: str, desk_key: str, at: datetime, *, ref: str, kiosk: str) -> None:
        self._conn().execute(
            "INSERT OR IGNORE INTO opened (code, desk_key, first_opened_at) VALUES (?, ?, ?)",
            [code, desk_key, utc_iso(at)],
        )

    def note_phones(self, notes: list[tuple[str, str, datetime]]) -> set[str]:
        """Record which phone opened which code, in one transaction; at most ``MAX_PHONES``
        per code (a client refusing cookies is a new phone at every request). Returns the
        codes that have reached it."""
        conn = self._conn(durable=False)
        with immediate(conn):
            for code, phone, at in notes:
                conn.execute(
                    "INSERT OR IGNORE INTO opened_by (code, phone, first_opened_at) "
                    "SELECT ?, ?, ? WHERE (SELECT count(*) FROM opened_by WHERE code = ?) < ?",
                    [code, phone, utc_iso(at), code, MAX_PHONES],
                )
        return {code for code, _, _ in notes if self.phones(code) >= MAX_PHONES}

    def phones(self, code: str) -> int:
        """How many different phones have opened ``code``'s claim page."""
        return (
            self._conn()
            .execute("SELECT count(*) FROM opened_by WHERE code = ?", [code])
            .fetchone()[0]
        )

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (for inspection; the server uses the methods)."""
        return self._conn()

    # -- the desk's door ----------------------------------------------------------------------
    def count_login_attempt(
        self, client: str, now: float, forget_s: float, wait: Callable[[int, float], float]
    ) -> float:
        conn = self._conn()
        with immediate(conn):  # the write lock: parallel guesses are counted one by one
            row = conn.execute(
                "SELECT failures, last_at FROM login_failures WHERE client = ?", [client]
            ).fetchone()
            failures, last_at = (0, now) if row is None or now - row[1] > forget_s else row
            waiting = wait(failures, last_at)
            if waiting > 0:
                return waiting
            conn.execute(
                "INSERT INTO login_failures (client, failures, last_at) VALUES (?, ?, ?) "
                "ON CONFLICT (client) DO UPDATE SET failures = excluded.failures, "
                "last_at = excluded.last_at",
                [client, failures + 1, now],
            )
            # Bounded under a spray of addresses: old rows go as new ones come.
            conn.execute("DELETE FROM login_failures WHERE last_at < ?", [now - forget_s])
        return 0.0

    def login_failures(self, client: str) -> tuple[int, float] | None:
        row = (
            self._conn()
            .execute("SELECT failures, last_at FROM login_failures WHERE client = ?", [client])
            .fetchone()
        )
        return None if row is None else (row[0], row[1])

    def forget_login_failures(self, client: str) -> None:
        self._conn().execute("DELETE FROM login_failures WHERE client = ?", [client])

    def start_session(self, token_hash: str, desk: str, now: float) -> None:
        self._conn().execute(
            "INSERT INTO desk_sessions (token_hash, desk, started_at, seen_at) VALUES (?, ?, ?, ?)",
            [token_hash, desk, now, now],
        )

    def session(self, token_hash: str) -> SessionRow | None:
        row = (
            self._conn()
            .execute(
                "SELECT desk, started_at, seen_at, ended_why FROM desk_sessions "
                "WHERE token_hash = ?",
                [token_hash],
            )
            .fetchone()
        )
        return None if row is None else SessionRow(*row)

    def touch_session(self, token_hash: str, now: float) -> None:
        self._conn().execute(
            "UPDATE desk_sessions SET seen_at = ? WHERE token_hash = ?", [now, token_hash]
        )

    def end_session(self, token_hash: str, now: float, why: str) -> None:
        self._conn().execute(
            "UPDATE desk_sessions SET ended_at = ?, ended_why = ? "
            "WHERE token_hash = ? AND ended_why IS NULL",
            [now, why, token_hash],
        )

    def secret(self, name: str) -> bytes:
        """A random secret made once per database and shared by every server process on it."""
        conn = self._conn()
        conn.execute(
            "INSERT OR IGNORE INTO server_secrets (name, value) VALUES (?, ?)",
            [name, secrets.token_bytes(32)],
        )
        return conn.execute("SELECT value FROM server_secrets WHERE name = ?", [name]).fetchone()[0]

    def codes_for_desk_key(self, desk_key: str) -> list[str]:
        rows = self._conn().execute("SELECT code FROM opened WHERE desk_key = ?", [desk_key])
        return [code for (code,) in rows]

    def count(self) -> int:
        return self._conn().execute("SELECT count(*) FROM redemptions").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

    def __enter__(self) -> RedemptionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _redemption(row: tuple) -> Redemption:
    code, ref, tier, at, desk = row
    return Redemption(code, ref, tier, datetime.fromisoformat(at), desk)
