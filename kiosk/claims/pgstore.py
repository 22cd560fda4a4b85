"""The claim server's store on the carnival's central PostgreSQL, for several prize desks.

The same :class:`kiosk.claims.store.ClaimStore` as the SQLite file, over the ``claim_*``
tables of ``kiosk/fleet/migrations/0003_claims.sql``; any number of desk processes on any
machines share it through their own connection pools:

* a hand-over is one ``INSERT … ON CONFLICT (code) DO NOTHING``: of concurrent attempts on
  one code the unique index lets exactly one in, the others wait for it to commit and then
  read its row ("already collected");
* a PIN try locks the client's row (``FOR UPDATE``) so parallel guesses on different
  processes are counted one by one;
* each code opened, collected and refused is also a row of ``claim_events``, in the same
  transaction as the fact it counts, so the dashboard's prizes issued vs collected add up.

Which phones opened a code are notes a power cut may lose: their transactions commit
without waiting for the disk (``synchronous_commit = off``), as the SQLite store's do.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import psycopg
from psycopg import Connection
from psycopg_pool import ConnectionPool, PoolTimeout

from kiosk.claims.store import MAX_PHONES, Redemption, SessionRow, StoreDown
from kiosk.fleet.migrate import migrate
from kiosk.playlog.schema import utc_iso

log = logging.getLogger(__name__)

POOL_TIMEOUT_S = 10.0  # a request waits this long for a connection before it fails


def _instant(at: datetime) -> datetime:
    """``at`` as both stores keep it (UTC, millisecond precision), so they answer alike."""
    return datetime.fromisoformat(utc_iso(at))


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


class PgClaimStore:
    def __init__(
        self,
        dsn: str,
        pool_size: int = 6,
        *,
        timeout_s: float = POOL_TIMEOUT_S,
        apply_migrations: bool = True,
    ) -> None:
        self.dsn = dsn
        if apply_migrations:  # idempotent, and safe with other services starting at once
            migrate(dsn)
        self.pool = ConnectionPool(
            dsn,
            min_size=1,
            max_size=max(2, pool_size),
            timeout=timeout_s,
            # After the database restarts every pooled connection is dead: test each one
            # as it is handed out (a round trip on the LAN), so no request inherits one.
            check=ConnectionPool.check_connection,
            # While it is down, give up each reconnecting round after a few seconds (the next
            # request starts a new one): back, it is found within seconds, not minutes.
            reconnect_timeout=5.0,
            name="claims",
            open=True,
        )
        self.pool.wait(timeout=timeout_s)  # a wrong DSN fails here, before serving

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Connection]:
        """A pooled connection, its work one transaction (committed at the end of the block);
        a database that cannot be reached is :class:`StoreDown`, not a crash."""
        try:
            with self.pool.connection() as conn:
                yield conn
        except (psycopg.OperationalError, PoolTimeout) as exc:
            log.error("central database not answering: %s", " ".join(str(exc).split()))
            raise StoreDown(str(exc)) from exc

    # -- hand-overs ---------------------------------------------------------------------------
    def redemption(self, code: str) -> Redemption | None:
        with self._connection() as conn:
            return _redemption_of(conn, code)

    def redeem(
        self, *, code: str, ref: str, tier: str, kiosk: str, event: int, at: datetime, desk: str
    ) -> tuple[bool, Redemption]:
        at = _instant(at)
        with self._connection() as conn:
            won = conn.execute(
                "INSERT INTO claim_redemptions (code, ref, tier, kiosk, event, redeemed_at, desk) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (code) DO NOTHING RETURNING id",
                [code, ref, tier, kiosk, event, at, desk],
            ).fetchone()
            if won is None:
                existing = _redemption_of(conn, code)  # committed by the winner: visible now
                if existing is None:  # cannot happen: rows are never deleted
                    raise RuntimeError(f"claim {ref}: conflict without a redemption row")
                return False, existing
            _event(conn, "collected", ref, kiosk, desk, None, at)
        return True, Redemption(code, ref, tier, at, desk)

    def note_refused(self, *, ref: str, kiosk: str, desk: str, reason: str, at: datetime) -> None:
        with self._connection() as conn:
            _event(conn, "refused", ref, kiosk, desk, reason, _instant(at))

    def count(self) -> int:
        with self._connection() as conn:
            return conn.execute("SELECT count(*) FROM claim_redemptions").fetchone()[0]

    # -- claim pages opened -------------------------------------------------------------------
    def note_opened(self, code: str, desk_key: str, at: datetime, *, ref: str, kiosk: str) -> None:
        at = _instant(at)
        with self._connection() as conn:
            first = conn.execute(
                "INSERT INTO claim_opened (code, desk_key, first_opened_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (code) DO NOTHING RETURNING code",
                [code, desk_key, at],
            ).fetchone()
            if first is not None:  # one "opened" per code, however many phones and desks
                _event(conn, "opened", ref, kiosk, None, None, at)

    def codes_for_desk_key(self, desk_key: str) -> list[str]:
        with self._connection() as conn:
            rows = conn.execute("SELECT code FROM claim_opened WHERE desk_key = %s", [desk_key])
            return [code for (code,) in rows]

    def note_phones(self, notes: list[tuple[str, str, datetime]]) -> set[str]:
        codes = sorted({code for code, _, _ in notes})
        with self._connection() as conn:
            conn.execute("SET LOCAL synchronous_commit = off")
            for code in codes:  # in one order everywhere: two processes cannot deadlock
                conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 5))", [code])
            for code, phone, at in notes:
                conn.execute(
                    "INSERT INTO claim_opened_by (code, phone, first_opened_at) "
                    "SELECT %s, %s, %s WHERE (SELECT count(*) FROM claim_opened_by "
                    "WHERE code = %s) < %s ON CONFLICT DO NOTHING",
                    [code, phone, _instant(at), code, MAX_PHONES],
                )
            full = conn.execute(
                "SELECT code FROM claim_opened_by WHERE code = ANY(%s) "
                "GROUP BY code HAVING count(*) >= %s",
                [codes, MAX_PHONES],
            )
            return {code for (code,) in full}

    def phones(self, code: str) -> int:
        with self._connection() as conn:
            return conn.execute(
                "SELECT count(*) FROM claim_opened_by WHERE code = %s", [code]
            ).fetchone()[0]

    # -- the desk's door ----------------------------------------------------------------------
    def secret(self, name: str) -> bytes:
        with self._connection() as conn:
            conn.execute(
                "INSERT INTO claim_secrets (name, value) VALUES (%s, %s) "
                "ON CONFLICT (name) DO NOTHING",
                [name, secrets.token_bytes(32)],
            )
            row = conn.execute("SELECT value FROM claim_secrets WHERE name = %s", [name]).fetchone()
            return bytes(row[0])

    def count_login_attempt(
        self, client: str, now: float, forget_s: float, wait: Callable[[int, float], float]
    ) -> float:
        with self._connection() as conn:
            # A row to lock even for a new client; failures 0 means "nothing to wait for".
            conn.execute(
                "INSERT INTO claim_login_failures (client, failures, last_at) "
                "VALUES (%s, 0, %s) ON CONFLICT (client) DO NOTHING",
                [client, now],
            )
            failures, last_at = conn.execute(
                "SELECT failures, last_at FROM claim_login_failures WHERE client = %s FOR UPDATE",
                [client],
            ).fetchone()
            if now - last_at > forget_s:
                failures, last_at = 0, now
            waiting = wait(failures, last_at)
            if waiting > 0:
                return waiting
            conn.execute(
                "UPDATE claim_login_failures SET failures = %s, last_at = %s WHERE client = %s",
                [failures + 1, now, client],
            )
            conn.execute("DELETE FROM claim_login_failures WHERE last_at < %s", [now - forget_s])
        return 0.0

    def login_failures(self, client: str) -> tuple[int, float] | None:
        with self._connection() as conn:
            row = conn.execute(
                "SELECT failures, last_at FROM claim_login_failures WHERE client = %s", [client]
            ).fetchone()
        return None if row is None else (row[0], row[1])

    def forget_login_failures(self, client: str) -> None:
        with self._connection() as conn:
            conn.execute("DELETE FROM claim_login_failures WHERE client = %s", [client])

    def start_session(self, token_hash: str, desk: str, now: float) -> None:
        with self._connection() as conn:
            conn.execute(
                "INSERT INTO claim_desk_sessions (token_hash, desk, started_at, seen_at) "
                "VALUES (%s, %s, %s, %s)",
                [token_hash, desk, now, now],
            )

    def session(self, token_hash: str) -> SessionRow | None:
        with self._connection() as conn:
            row = conn.execute(
                "SELECT desk, started_at, seen_at, ended_why FROM claim_desk_sessions "
                "WHERE token_hash = %s",
                [token_hash],
            ).fetchone()
        return None if row is None else SessionRow(*row)

    def touch_session(self, token_hash: str, now: float) -> None:
        with self._connection() as conn:
            conn.execute(
                "UPDATE claim_desk_sessions SET seen_at = %s WHERE token_hash = %s",
                [now, token_hash],
            )

    def end_session(self, token_hash: str, now: float, why: str) -> None:
        with self._connection() as conn:
            conn.execute(
                "UPDATE claim_desk_sessions SET ended_at = %s, ended_why = %s "
                "WHERE token_hash = %s AND ended_why IS NULL",
                [now, why, token_hash],
            )

    def close(self) -> None:
        self.pool.close()

    def __enter__(self) -> PgClaimStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _redemption_of(conn: Connection, code: str) -> Redemption | None:
    row = conn.execute(
        "SELECT code, ref, tier, redeemed_at, desk FROM claim_redemptions WHERE code = %s",
        [code],
    ).fetchone()
    if row is None:
        return None
    code, ref, tier, at, desk = row
    return Redemption(code, ref, tier, _utc(at), desk)


def _event(
    conn: Connection,
    event: str,
    ref: str,
    kiosk: str,
    desk: str | None,
    reason: str | None,
    at: datetime,
) -> None:
    conn.execute(
        "INSERT INTO claim_events (prize_ref, kiosk_id, event, desk, reason, at) "
        "VALUES (%s, %s, %s, %s, %s, %s)",
        [ref, kiosk, event, desk, reason, at],
    )
