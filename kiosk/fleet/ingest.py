"""The version-guarded upsert of one booth's batch into the central store.

The fleet service (``POST /fleet/v1/sync``) and the after-hours import of a kiosk file
(``smartizen fleet import``) both write through :func:`ingest`, so neither can count a row
the other already holds: every row is keyed by ``(kiosk_id, the booth's own key)`` and only
replaces the stored copy when its ``version`` (the booth's monotonic outbox counter) is
higher. A repeated or out-of-order batch therefore changes nothing.

Speed: each table's rows go to PostgreSQL as ONE JSON document parameter, unpacked by
``jsonb_to_recordset`` into typed columns and upserted by a single ``INSERT … SELECT … ON
CONFLICT … DO UPDATE … WHERE version < EXCLUDED.version``: one statement per table, whatever
the batch size, with PostgreSQL (not Python) parsing the timestamps; pipelined, the whole
batch is one network round trip and its COMMIT a second.

Version 0 is reserved for rows read from a kiosk file that predates the outbox (no
``version`` column): such a row never replaces a versioned one, so a later live push wins,
but it does replace a different version-0 copy, so importing a newer copy of an old file
updates a round that was still in progress at the first import (an identical copy is left
alone, so a re-import reports nothing new).

``audit`` and ``stock_adjustments`` ids count from 1 in each booth file, so those two tables
are keyed by ``(kiosk_id, file_id, id)``: the booth sends its file's identity with every
batch (the import reads it from the file), and a replaced file's audit row 1 sits beside
the old file's. Rows from before file ids (migration 0006, an old booth, an old file) have
``file_id ''``; when a file sends the very same row (same id, same ``at``) it is adopted
into that file first, so a file pushed before the centre knew file ids and imported after
still counts each row once.

Durable-position acknowledgement (:func:`ingest_unflushed`, docs/fleet-contract.md
``"ack": "durable-lsn"``): the batch commits without waiting for its log flush
(``synchronous_commit = off`` for that transaction only) and the caller learns the log
position the commit must reach the disk at, the position already flushed, and the WAL epoch
(migration 0009). The booth keeps the rows "sent, not yet safe" until a later answer's
``flushed`` passes that position in the same epoch, so a disk that stalls its flush for most
of a second stalls no push, and a power cut at the centre still loses nothing the booth has
forgotten.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from psycopg.pq import TransactionStatus

from kiosk.config import CODE_TEXT

KIOSK_ID = re.compile(f"^{CODE_TEXT}$")


class BatchRefused(Exception):
    """The batch cannot be stored; ``status`` is the HTTP answer (400 or 403), the message
    one line saying why. Nothing of the batch was written. ``bad_rows``: a row's own values
    are at fault (a missing key, a value PostgreSQL will not take), not the batch's shape,
    so a booth may narrow the batch down to that row and set it aside."""

    def __init__(self, message: str, status: int = 400, *, bad_rows: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.bad_rows = bad_rows


@dataclass(frozen=True)
class Table:
    """One synced table: its central columns (name → PostgreSQL type) and conflict key."""

    name: str
    columns: tuple[tuple[str, str], ...]  # without kiosk_id; includes version
    key: tuple[str, ...]  # without kiosk_id (and file_id)
    per_file: bool = False  # keyed by (kiosk_id, file_id, key): ids re-used by each file

    @property
    def column_names(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.columns)


def _cols(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(tuple(part.split(":")) for part in text.split())  # type: ignore[misc]


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "plays",
            _cols(
                "id:text game:text language:text difficulty:text started_at:timestamptz "
                "ended_at:timestamptz duration_s:float8 score:int4 outcome:text details:text "
                "prize_tier:text earned_tier:text prize_serial:int4 prize_ref:text "
                "prize_code:text version:int8"
            ),
            ("id",),
        ),
        Table(
            "visits",
            _cols(
                "id:text touched_at:timestamptz language_chosen_at:timestamptz language:text "
                "game_chosen_at:timestamptz game:text play_started_at:timestamptz "
                "play_id:text finished_at:timestamptz qr_shown_at:timestamptz "
                "left_at:timestamptz last_stage:text version:int8"
            ),
            ("id",),
        ),
        Table(
            "audit",
            _cols("id:int8 at:timestamptz action:text detail:text version:int8"),
            ("id",),
            per_file=True,
        ),
        Table(
            "stock_adjustments",
            _cols("id:int8 at:timestamptz day:date tier:text delta:int4 note:text version:int8"),
            ("id",),
            per_file=True,
        ),
        Table(
            "game_switches",
            _cols("day:date game:text enabled:bool version:int8"),
            ("day", "game"),
        ),
        Table(  # migration 0005: each tier's configured stock per local day
            "daily_stock",
            _cols("day:date tier:text configured:int4 set_at:timestamptz version:int8"),
            ("day", "tier"),
        ),
    )
}

# Tables with a received_at column record when the latest version arrived.
_RECEIVED_AT = {"plays", "visits"}
# A booth file's identity as sent (kiosk/sync/outbox.py makes 32 hex digits); '' = unknown.
FILE_ID = re.compile(r"^[0-9A-Za-z_.:-]{0,64}$")


def _upsert_sql(table: Table) -> sql.Composed:
    names = [name for name, _ in table.columns]
    record = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(t)) for n, t in table.columns
    )
    key = [sql.Identifier(k) for k in table.key]
    updates = [
        sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(n)) for n in names if n not in table.key
    ]
    if table.name in _RECEIVED_AT:
        updates.append(sql.SQL("received_at = now()"))
    target = sql.Identifier(table.name)
    owner = sql.SQL("kiosk_id, file_id" if table.per_file else "kiosk_id")
    given = sql.SQL("%(kiosk)s, %(file)s" if table.per_file else "%(kiosk)s")
    # A row from a file of unknown identity that a known file already sent (the same id at
    # the same moment) is that row: an old copy of a booth's file adds nothing.
    where = sql.SQL(
        "WHERE %(file)s <> '' OR NOT EXISTS (SELECT 1 FROM {t} AS o WHERE o.kiosk_id ="
        " %(kiosk)s AND o.file_id <> '' AND o.id = r.id AND o.at = r.at) "
        if table.per_file
        else ""
    ).format(t=target)
    # DISTINCT ON keeps the newest copy when a batch names one row twice: ON CONFLICT may
    # not touch a row twice in one statement.
    return sql.SQL(
        "INSERT INTO {target} ({owner}, {cols}) "
        "SELECT DISTINCT ON ({key}) {given}, {cols} "
        "FROM jsonb_to_recordset(%(rows)s::jsonb) AS r({record}) {where}"
        "ORDER BY {key}, version DESC "
        "ON CONFLICT ({owner}, {key}) DO UPDATE SET {updates} "
        "WHERE {target}.version < EXCLUDED.version "
        "OR (EXCLUDED.version = 0 AND {target}.version = 0"
        " AND ({mine}) IS DISTINCT FROM ({theirs}))"
    ).format(
        target=target,
        owner=owner,
        given=given,
        where=where,
        mine=sql.SQL(", ").join(sql.SQL("{}.{}").format(target, sql.Identifier(n)) for n in names),
        theirs=sql.SQL(", ").join(sql.SQL("EXCLUDED.{}").format(sql.Identifier(n)) for n in names),
        cols=sql.SQL(", ").join(sql.Identifier(n) for n in names),
        key=sql.SQL(", ").join(key),
        record=record,
        updates=sql.SQL(", ").join(updates),
    )


def _adopt_sql(table: Table) -> str:
    """A row from before file ids (``file_id ''``) that this file sends again, the same id
    at the same moment, becomes this file's, unless the file already has that id."""
    return (
        sql.SQL(
            "UPDATE {t} AS t SET file_id = %(file)s "
            "FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(id int8, at timestamptz) "
            "WHERE t.kiosk_id = %(kiosk)s AND t.file_id = '' AND t.id = r.id AND t.at = r.at "
            "AND NOT EXISTS (SELECT 1 FROM {t} AS o "
            "WHERE o.kiosk_id = t.kiosk_id AND o.file_id = %(file)s AND o.id = t.id)"
        )
        .format(t=sql.Identifier(table.name))
        .as_string()
    )


# Rendered once: composing the statement on every push cost more CPU than the push.
_UPSERTS = {name: _upsert_sql(table).as_string() for name, table in TABLES.items()}
_ADOPTS = {name: _adopt_sql(table) for name, table in TABLES.items() if table.per_file}


def check_batch(kiosk_id: str, rows: Any) -> dict[str, list[dict[str, Any]]]:
    """``rows`` (the body's ``rows`` object) checked: known tables and columns only, every row
    a JSON object with an integer ``version`` and, if it names one, this ``kiosk_id``.

    :raises BatchRefused: 400 for a malformed batch, 403 for another booth's rows
    """
    if not isinstance(rows, Mapping):
        raise BatchRefused('"rows" must be an object of table name → list of rows')
    checked: dict[str, list[dict[str, Any]]] = {}
    for name, table_rows in rows.items():
        table = TABLES.get(name)
        if table is None:
            raise BatchRefused(f"unknown table {name!r} (known: {', '.join(TABLES)})")
        if not isinstance(table_rows, list):
            raise BatchRefused(f"rows.{name} must be a list of rows")
        allowed = table.column_names | {"kiosk_id"}
        for i, row in enumerate(table_rows):
            if not isinstance(row, dict):
                raise BatchRefused(f"rows.{name}[{i}] is not an object")
            if not row.keys() <= allowed:
                extra = ", ".join(sorted(row.keys() - allowed))
                raise BatchRefused(f"rows.{name}[{i}]: unknown column(s) {extra}")
            version = row.get("version")
            if type(version) is not int or version < 0:
                raise BatchRefused(
                    f"rows.{name}[{i}]: version must be a whole number ≥ 0, got {version!r}",
                    bad_rows=True,
                )
            for k in table.key:
                if row.get(k) is None:
                    raise BatchRefused(f"rows.{name}[{i}]: {k} is missing", bad_rows=True)
            if row.get("kiosk_id", kiosk_id) != kiosk_id:
                raise BatchRefused(
                    f"rows.{name}[{i}] belongs to kiosk {row['kiosk_id']!r}, not {kiosk_id!r}",
                    status=403,
                )
        if table_rows:
            checked[name] = table_rows
    return checked


def ingest(
    conn: psycopg.Connection[Any],
    kiosk_id: str,
    rows: Mapping[str, Sequence[Mapping[str, Any]]],
    through: int | None = None,
    file_id: str = "",
) -> dict[str, int]:
    """Upsert ``rows`` (already passed through :func:`check_batch`) for ``kiosk_id`` in one
    transaction (a savepoint if one is open); with ``through``, also record that the booth's
    changes up to that version arrived. ``file_id`` is the booth file's identity ('' for a
    file without one): the key of its audit and stock rows. Returns how many rows each
    table took (inserted or replaced by a newer version; repeats count 0).

    :raises BatchRefused: a value PostgreSQL will not take (wrong type, missing column);
        the whole batch is rolled back
    """
    return _apply_or_refuse(conn, kiosk_id, file_id, rows, through)


def _apply_or_refuse(
    conn: psycopg.Connection[Any],
    kiosk_id: str,
    file_id: str,
    rows: Mapping[str, Sequence[Mapping[str, Any]]],
    through: int | None,
    position: list[WalPosition] | None = None,
) -> dict[str, int]:
    """The pipelined batch; when PostgreSQL refuses a value, :func:`_diagnose` names it."""
    try:
        return _apply(conn, kiosk_id, file_id, rows, through, pipelined=True, position=position)
    except (psycopg.errors.DataError, psycopg.errors.IntegrityError):
        return _diagnose(conn, kiosk_id, file_id, rows, through)


def _diagnose(
    conn: psycopg.Connection[Any],
    kiosk_id: str,
    file_id: str,
    rows: Mapping[str, Sequence[Mapping[str, Any]]],
    through: int | None,
) -> dict[str, int]:
    # The pipelined error does not say which statement failed: run the batch again, one
    # statement at a time (it fails again, all rolled back), to name the table.
    try:
        return _apply(conn, kiosk_id, file_id, rows, through, pipelined=False)
    except _TableError as exc:
        cause = exc.__cause__
        assert isinstance(cause, psycopg.Error)
        reason = (cause.diag.message_primary or str(cause)).splitlines()[0]
        raise BatchRefused(f"{exc}: {reason}", bad_rows=True) from None


@dataclass(frozen=True)
class WalPosition:
    """Where the centre's log stands, as whole bytes since ``0/0`` (``lsn - '0/0'``), so a
    booth compares plain numbers. ``lsn``: a position at or past the end of the batch's
    commit record (0 when only the flush was asked); ``flushed``: the log on disk up to
    here; ``epoch``: changes after every crash of PostgreSQL (migration 0009)."""

    lsn: int
    flushed: int
    epoch: str


# Read AFTER the COMMIT, in the same session: the commit record was inserted before COMMIT
# returned, so the insert position now is at or past its end; once the flush reaches it,
# the commit is on disk. (Read before COMMIT it would be a LOWER bound: the commit record
# comes after it, and a flush up to it could still leave the transaction uncommitted after
# a crash.) It may include other sessions' later log too; that only delays the booth's
# confirmation by one flush, never makes it early.
POSITION_SQL = (
    "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::int8,"
    " (pg_current_wal_flush_lsn() - '0/0'::pg_lsn)::int8, fleet_wal_epoch()"
)
FLUSHED_SQL = (
    "SELECT 0::int8, (pg_current_wal_flush_lsn() - '0/0'::pg_lsn)::int8, fleet_wal_epoch()"
)


def flushed(conn: psycopg.Connection[Any]) -> WalPosition:
    """The flushed position and epoch alone (``lsn`` 0): the answer to an empty push."""
    row = conn.execute(FLUSHED_SQL).fetchone()
    assert row is not None
    return WalPosition(*row)


def ingest_unflushed(
    conn: psycopg.Connection[Any],
    kiosk_id: str,
    rows: Mapping[str, Sequence[Mapping[str, Any]]],
    through: int | None = None,
    file_id: str = "",
) -> tuple[dict[str, int], WalPosition]:
    """:func:`ingest`, committed without waiting for the log flush, on an autocommit
    connection outside a transaction (the service's). Returns the counts and the
    :class:`WalPosition` the booth must see flushed before it forgets these rows.

    :raises BatchRefused: as :func:`ingest`
    """
    if not conn.autocommit or conn.info.transaction_status != TransactionStatus.IDLE:
        raise ValueError("ingest_unflushed needs an autocommit connection outside a transaction")
    position: list[WalPosition] = []
    counts = _apply_or_refuse(conn, kiosk_id, file_id, rows, through, position)
    if not position:  # the one-statement-at-a-time path committed (synchronously)
        position.append(WalPosition(*conn.execute(POSITION_SQL).fetchone()))  # type: ignore[misc]
    return counts, position[0]


class _TableError(Exception):
    """Carries the table whose statement failed; the psycopg error is its cause."""


def _apply(
    conn: psycopg.Connection[Any],
    kiosk_id: str,
    file_id: str,
    rows: Mapping[str, Sequence[Mapping[str, Any]]],
    through: int | None,
    *,
    pipelined: bool,
    position: list[WalPosition] | None = None,
) -> dict[str, int]:
    """``position`` (a list): commit without waiting for the flush and append where the
    log stands after the COMMIT (:data:`POSITION_SQL`, in the COMMIT's round trip)."""
    cursors: dict[str, psycopg.Cursor[Any]] = {}
    if pipelined and conn.autocommit and conn.info.transaction_status == TransactionStatus.IDLE:
        # BEGIN, the upserts and the UPDATE go out together and their answers come back
        # after one sync; then COMMIT: two waits on the network (the service's case).
        # Under conn.transaction() a pipeline syncs at every nesting level, five round trips,
        # each a wake-up of this thread and of the backend: on a busy machine, the tail.
        # COMMIT waits for the answers so that a service killed mid-batch leaves nothing
        # committed behind it (tests/test_fleet_crash.py).
        try:
            with conn.pipeline() as pipeline:
                conn.execute("BEGIN")
                if position is not None:  # this transaction only; sent with BEGIN
                    conn.execute("SET LOCAL synchronous_commit = off")
                _statements(conn, kiosk_id, file_id, rows, through, cursors, pipelined=True)
                pipeline.sync()
                conn.execute("COMMIT")
                where = conn.execute(POSITION_SQL) if position is not None else None
            if where is not None and position is not None:
                position.append(WalPosition(*where.fetchone()))  # type: ignore[misc]
        except Exception:
            conn.rollback()  # a failed statement leaves the transaction aborted: end it
            raise
    else:
        with conn.pipeline() if pipelined else nullcontext(), conn.transaction():
            _statements(conn, kiosk_id, file_id, rows, through, cursors, pipelined=pipelined)
    return {name: max(cur.rowcount, 0) for name, cur in cursors.items()}


def _statements(
    conn: psycopg.Connection[Any],
    kiosk_id: str,
    file_id: str,
    rows: Mapping[str, Sequence[Mapping[str, Any]]],
    through: int | None,
    cursors: dict[str, psycopg.Cursor[Any]],
    *,
    pipelined: bool,
) -> None:
    for name, table_rows in rows.items():
        if not table_rows:
            continue
        params = {
            "kiosk": kiosk_id,
            "file": file_id,
            "rows": json.dumps(table_rows, ensure_ascii=False),
        }
        try:
            if file_id and name in _ADOPTS:
                conn.execute(_ADOPTS[name], params)
            cursors[name] = conn.execute(_UPSERTS[name], params)
        except (psycopg.errors.DataError, psycopg.errors.IntegrityError) as exc:
            if pipelined:  # may be an earlier statement's error, arriving now
                raise
            raise _TableError(name) from exc
    if through is not None:
        conn.execute(
            "UPDATE kiosks SET synced_through = GREATEST(synced_through, %s),"
            " last_push_at = now() WHERE kiosk_id = %s",
            (through, kiosk_id),
        )
