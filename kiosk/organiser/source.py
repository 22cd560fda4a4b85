"""Where the organisers' numbers come from: a kiosk's SQLite file or the central store.

A :class:`Source` runs the tallies' SQL (``?`` placeholders) and knows its
:mod:`~kiosk.organiser.dialect`. The central store needs psycopg (the ``fleet`` extra),
imported only when a fleet source is opened, so a booth or a claim server with
``smartizen`` but without psycopg never loads it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from kiosk.organiser.dialect import POSTGRES, SQLITE, Dialect

FLEET_ENV = "SMARTIZEN_FLEET_DSN"


class SourceError(RuntimeError):
    """A source could not be opened or read; the message says why (one line)."""


class FleetUnavailable(SourceError):
    """The central store could not be reached or read."""


class Source:
    """A SQLite connection (a kiosk's log, a merged fleet file) as a tally source."""

    dialect: Dialect = SQLITE

    def __init__(self, conn: sqlite3.Connection, name: str = "scores.db") -> None:
        self.conn = conn
        self.name = name
        self._claims_attached = False

    def attach_claims(self, path: Path) -> None:
        """Read a prize desk's ``claims.db`` (read-only) beside the play log, so claims
        tallies know which prizes were collected."""
        from kiosk.playlog.access import check_file, file_uri

        check_file(path)
        self.conn.execute("ATTACH DATABASE ? AS claims", [file_uri(path)])
        if not self.has_table("redemptions", schema="claims"):
            self.conn.execute("DETACH DATABASE claims")
            raise SourceError(f"{path}: not a prize desk's claims database")
        self._claims_attached = True

    def collected_refs_sql(self) -> str | None:
        """A query of the ``prize_ref`` of every collected prize, or ``None`` if unknown."""
        if not self._claims_attached:
            return None
        return "SELECT DISTINCT ref AS prize_ref FROM claims.redemptions"

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """A cursor over ``sql``'s rows (iterable of tuples, with ``description``)."""
        return self.conn.execute(self.dialect.prepare(sql), list(params))

    def stream(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], Iterator[tuple]]:
        """Column names and a lazy iterator over every row (a million plays stream)."""
        cursor = self.execute(sql, params)
        return [d[0] for d in cursor.description], iter(cursor)

    def has_table(self, name: str, schema: str = "main") -> bool:
        row = self.conn.execute(
            f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table' AND name = ?", [name]
        ).fetchone()
        return row is not None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def as_source(conn: Source | sqlite3.Connection) -> Source:
    """A :class:`Source` for a plain SQLite connection (the tallies accept either)."""
    return conn if isinstance(conn, Source) else Source(conn)


class FleetSource(Source):
    """The central PostgreSQL store, read in one read-only transaction (every number of a
    report comes from the same snapshot, even while booths keep pushing)."""

    dialect: Dialect = POSTGRES

    def __init__(self, dsn: str, name: str | None = None) -> None:
        try:
            import psycopg
        except ImportError:
            raise FleetUnavailable(
                "reading the central store needs psycopg: install smartizen-kiosk[fleet]"
            ) from None
        self._errors = psycopg.Error
        try:
            conn = psycopg.connect(dsn, connect_timeout=10)
            conn.read_only = True
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            # The report groups a carnival's plays by hour × game × outcome × tier × score;
            # PostgreSQL's default 4 MB sorts that on disk, 64 MB hashes it in memory.
            conn.execute("SET work_mem = '64MB'")
        except psycopg.Error as exc:
            raise FleetUnavailable(f"central store: {_first_line(exc)}") from None
        self.conn = conn  # type: ignore[assignment]
        info = conn.info
        self.name = name or f"fleet {info.dbname}@{info.host}:{info.port}"
        self._named = 0

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            cursor = self.conn.cursor()
            cursor.execute(self.dialect.prepare(sql), list(params))
        except self._errors as exc:
            raise FleetUnavailable(f"central store: {_first_line(exc)}") from None
        return cursor

    def stream(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], Iterator[tuple]]:
        # A server-side cursor: rows arrive in batches, never all at once.
        self._named += 1
        cursor = self.conn.cursor(name=f"smartizen_stream_{self._named}")
        cursor.itersize = 5000
        try:
            cursor.execute(self.dialect.prepare(sql), list(params))
        except self._errors as exc:
            raise FleetUnavailable(f"central store: {_first_line(exc)}") from None
        return [d.name for d in cursor.description or ()], iter(cursor)

    COLLECTED_SQL = "SELECT DISTINCT prize_ref FROM claim_events WHERE event = 'collected'"

    def collected_refs_sql(self) -> str | None:
        return self.COLLECTED_SQL

    def has_table(self, name: str, schema: str = "public") -> bool:
        row = self.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [schema, name],
        ).fetchone()
        return row is not None

    def close(self) -> None:
        self.conn.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def read_fleet_config(path: Path) -> str:
    """The central store's DSN from ``fleet.toml``, read and checked as the fleet service
    reads it (kiosk/fleet/settings.py), so both always agree on the store."""
    from kiosk.fleet.settings import FleetSettings, SettingsError

    if not path.is_file():
        raise FleetUnavailable(f"{path}: no such file (a fleet.toml with dsn = \"…\")")
    try:
        return FleetSettings.load(path).dsn
    except SettingsError as exc:
        raise FleetUnavailable(str(exc)) from None


def fleet_dsn(value: str) -> str:
    """``--fleet``'s value: a DSN/URL as it is, or a ``fleet.toml`` to read one from."""
    path = Path(value)
    if value.endswith(".toml") or (path.is_file() and "=" not in value and "://" not in value):
        return read_fleet_config(path)
    return value
