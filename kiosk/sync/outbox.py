"""The local outbox: every change to a synced row gets a version, in the same transaction.

The contract (docs/fleet-contract.md, "Local outbox"): one counter ``sync_clock(v)``; every
synced table has a ``version`` column that ``AFTER INSERT`` / ``AFTER UPDATE`` triggers set
to the counter's next value; ``sync_state(peer, acked)`` holds the highest version the
centre has acknowledged, so rows with ``version > acked`` are the backlog. Nothing in the
writers changes: the play log's writer thread, :class:`ResilientStore` replays, staff tools
and ``smartizen reset`` all get versions because SQLite itself sets them.

Choices, and why:

* **Which tables.** :func:`install` covers those of :data:`SYNCED_TABLES` that exist and is
  safe to run again: a later play-log migration that creates a synced table (``visits``)
  calls it to add the column, the index and the triggers there, and the play log checks
  :func:`missing` each time it opens a file, so the order migrations land in cannot leave a
  table without triggers.
* **A version given explicitly is kept** (the triggers fire only when an insert leaves
  ``version`` NULL or an update leaves it unchanged or NULL). The booth never writes the
  column, so each of its changes is stamped. ``smartizen merge`` copies the plays' columns,
  so a merged fleet file keeps each kiosk's own play versions and a re-merge of the same
  files changes nothing; staff logs get new ids in a fleet file anyway, so they are compared
  without ``version`` and stamped by the fleet file's own counter. A fleet file is not a
  booth: import each kiosk's own ``scores.db`` into the centre, not a merged file.
* **The counter starts at the wall clock in microseconds**, not at 1. A damaged
  ``scores.db`` is moved aside and a fresh one started (kiosk/playlog/resilient.py); its
  rows must still be newer than the old file's at the centre, or a re-used key (the first
  audit row, today's game switch) would be ignored there as an old version. Counting up by
  one per change, a fresh file's first version is above any version the old file reached
  (unless the clock went back by more than the time between them). Still below 2**53, so
  JSON readers keep every digit.
* Rows that existed before the outbox was installed get versions at once (oldest first), so
  the whole file is the first backlog.
* **Every file has an identity**, ``sync_file(file_id)``: a random id made with the outbox
  (or on the first open of an older file) and sent with each batch. ``audit`` and
  ``stock_adjustments`` ids count from 1 in each file, so the centre keys them by
  (kiosk, file id, id): a replaced ``scores.db`` (disk swap, fresh file after damage) adds
  its audit row 1 beside the old file's instead of overwriting it. Plays and visits have
  uuids and game switches are one per kiosk, day and game: they need no file id.
* **Quarantine**, ``sync_quarantine``: a row the centre refused on its own (kiosk/sync/
  pusher.py narrows a refused batch down to it) is recorded there with the centre's reason
  and the acknowledgement moves past its version, so it is not pushed again and the rest of
  the backlog flows. The row itself stays in its table, untouched; a later change to it
  gives it a new version, and it is offered to the centre again.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # not imported to run: organisers' commands read constants from here
    from sqlite_utils import Database

SYNCED_TABLES = ("plays", "visits", "audit", "stock_adjustments", "game_switches", "daily_stock")
CLOCK = "sync_clock"
STATE = "sync_state"
CENTRE = "centre"  # the one peer a booth pushes to
IDENTITY = "sync_file"
QUARANTINE = "sync_quarantine"
BATCH_ROWS = 500  # the contract's ceiling for one push
# What names one row of a synced table (every other table: its "id").
ROW_KEYS = {"game_switches": ("day", "game")}
# Columns SQLite stores as 0/1 that the centre keeps as booleans.
BOOLEAN_COLUMNS = {"game_switches": ("enabled",)}

_INSERT_TRIGGER = """
CREATE TRIGGER "{name}" AFTER INSERT ON "{table}" WHEN NEW.version IS NULL
BEGIN
    UPDATE sync_clock SET v = v + 1;
    UPDATE "{table}" SET version = (SELECT v FROM sync_clock) WHERE {row};
END
"""
_UPDATE_TRIGGER = """
CREATE TRIGGER "{name}" AFTER UPDATE ON "{table}"
WHEN NEW.version IS OLD.version OR NEW.version IS NULL
BEGIN
    UPDATE sync_clock SET v = v + 1;
    UPDATE "{table}" SET version = (SELECT v FROM sync_clock) WHERE {row};
END
"""


def trigger_names(table: str) -> tuple[str, str]:
    return (f"sync_{table}_inserted", f"sync_{table}_updated")


def _conn(db: Database | sqlite3.Connection) -> sqlite3.Connection:
    return db if isinstance(db, sqlite3.Connection) else db.conn


def present(db: Database | sqlite3.Connection) -> list[str]:
    """The synced tables this file has, in :data:`SYNCED_TABLES` order."""
    names = {
        name for (name,) in _conn(db).execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    return [t for t in SYNCED_TABLES if t in names]


def missing(db: Database | sqlite3.Connection) -> list[str]:
    """Synced tables that exist but lack their triggers (or the outbox is not installed)."""
    triggers = {
        name
        for (name,) in _conn(db).execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    return [t for t in present(db) if not set(trigger_names(t)) <= triggers]


def complete(db: Database | sqlite3.Connection) -> bool:
    """Whether the outbox is whole: every synced table with its triggers, the file's
    identity and the quarantine table (a file from an older booth lacks some)."""
    conn = _conn(db)
    tables = {
        name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    return not missing(conn) and {IDENTITY, QUARANTINE} <= tables and file_id(conn) is not None


def file_id(db: Database | sqlite3.Connection) -> str | None:
    """This file's identity (None: the file predates it, or has no outbox)."""
    try:
        row = _conn(db).execute(f"SELECT file_id FROM {IDENTITY} LIMIT 1").fetchone()
    except sqlite3.OperationalError:  # no such table
        return None
    return None if row is None else row[0]


def install(db: Database | sqlite3.Connection, now_us: int | None = None) -> list[str]:
    """Install (or complete) the outbox in ``db``: the counter, ``sync_state``, the file's
    identity, the quarantine table, and on each synced table present a ``version`` column,
    its index and the two triggers; rows without a version get one. Runs inside the
    caller's transaction (a migration's) and may run again at any time. Returns the tables
    covered.

    ``now_us`` seeds a new counter (default: the wall clock in microseconds; see the module
    docstring)."""
    conn = _conn(db)
    seed = time.time_ns() // 1000 if now_us is None else now_us
    conn.execute(f"CREATE TABLE IF NOT EXISTS {CLOCK} (v INTEGER NOT NULL)")
    conn.execute(
        f"INSERT INTO {CLOCK} (v) SELECT ? WHERE NOT EXISTS (SELECT 1 FROM {CLOCK})", [seed]
    )
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {STATE} (peer TEXT PRIMARY KEY, acked INTEGER NOT NULL)"
    )
    conn.execute(f"CREATE TABLE IF NOT EXISTS {IDENTITY} (file_id TEXT PRIMARY KEY)")
    conn.execute(
        f"INSERT INTO {IDENTITY} (file_id) SELECT ? WHERE NOT EXISTS (SELECT 1 FROM {IDENTITY})",
        [uuid.uuid4().hex],
    )
    _create_quarantine(conn)
    tables = present(conn)
    for table in tables:
        columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
        if "version" not in columns:
            conn.execute(f'ALTER TABLE "{table}" ADD COLUMN version INTEGER')
        conn.execute(f'CREATE INDEX IF NOT EXISTS "idx_{table}_version" ON "{table}" (version)')
        # A merged file may carry versions above this file's own counter.
        conn.execute(
            f'UPDATE {CLOCK} SET v = max(v, coalesce((SELECT max(version) FROM "{table}"), 0))'
        )
        _stamp_unversioned(conn, table)
        inserted, updated = trigger_names(table)
        row = _this_row(conn, table)
        for name, sql in ((inserted, _INSERT_TRIGGER), (updated, _UPDATE_TRIGGER)):
            conn.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            conn.execute(sql.format(name=name, table=table, row=row))
    return tables


def _create_quarantine(conn: sqlite3.Connection) -> None:
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {QUARANTINE} ("
        " tbl TEXT NOT NULL, row_key TEXT NOT NULL, version INTEGER NOT NULL,"
        " reason TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (tbl, row_key))"
    )


def _row_keys(conn: sqlite3.Connection, table: str) -> list[str]:
    """What finds one row of ``table``: its rowid (the fastest), or the primary key of a
    ``WITHOUT ROWID`` table, which has none."""
    sql = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
    ).fetchone()[0]
    if "WITHOUT ROWID" not in " ".join(sql.upper().split()):
        return ["rowid"]
    info = sorted(
        (r for r in conn.execute(f'PRAGMA table_info("{table}")') if r[5]), key=lambda r: r[5]
    )
    return [f'"{r[1]}"' for r in info]


def _this_row(conn: sqlite3.Connection, table: str) -> str:
    return " AND ".join(f"{k} = NEW.{k}" for k in _row_keys(conn, table))


def _stamp_unversioned(conn: sqlite3.Connection, table: str) -> None:
    """One set-based UPDATE, oldest row first: a million rows take seconds, not minutes of
    trigger calls."""
    keys = _row_keys(conn, table)
    picked = ", ".join(f"{k} AS k{i}" for i, k in enumerate(keys))
    order = ", ".join(keys)
    match = " AND ".join(f'"{table}".{k} = numbered.k{i}' for i, k in enumerate(keys))
    count = conn.execute(
        f'UPDATE "{table}" SET version = (SELECT v FROM {CLOCK}) + numbered.n '
        f"FROM (SELECT {picked}, row_number() OVER (ORDER BY {order}) AS n "
        f'FROM "{table}" WHERE version IS NULL) AS numbered WHERE {match}'
    ).rowcount
    if count > 0:
        conn.execute(f"UPDATE {CLOCK} SET v = v + ?", [count])


def clock(db: Database | sqlite3.Connection) -> int:
    """The counter: the version of the latest change."""
    return _conn(db).execute(f"SELECT v FROM {CLOCK}").fetchone()[0]


def acked(db: Database | sqlite3.Connection, peer: str = CENTRE) -> int:
    """The highest version ``peer`` acknowledged (0: nothing yet)."""
    row = _conn(db).execute(f"SELECT acked FROM {STATE} WHERE peer = ?", [peer]).fetchone()
    return 0 if row is None else row[0]


def store_acked(db: Database | sqlite3.Connection, value: int, peer: str = CENTRE) -> None:
    """Record ``peer``'s acknowledgement in one statement (its own transaction); it never
    goes back, so a late answer to an older push cannot reopen the backlog."""
    _conn(db).execute(
        f"INSERT INTO {STATE} (peer, acked) VALUES (?, ?) "
        "ON CONFLICT (peer) DO UPDATE SET acked = max(acked, excluded.acked)",
        [peer, value],
    )


def backlog(
    db: Database | sqlite3.Connection, peer: str = CENTRE, *, after: int | None = None
) -> int:
    """Rows changed since ``peer``'s acknowledgement, or since version ``after`` (the sync
    thread's ``sent``: rows not sent yet), each row once however often it changed."""
    conn = _conn(db)
    if after is None:
        after = acked(conn, peer)
    return sum(
        conn.execute(f'SELECT count(*) FROM "{t}" WHERE version > ?', [after]).fetchone()[0]
        for t in present(conn)
    )


@dataclass
class Batch:
    """Up to ``limit`` of the oldest changes after ``after``. ``through``: every change
    with a version ≤ through is in this batch or an earlier one (the contract's field)."""

    after: int
    through: int
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    file_id: str | None = None  # the file's identity (None: a file without one)

    @property
    def count(self) -> int:
        return sum(len(r) for r in self.rows.values())

    def body(self, kiosk_id: str) -> dict[str, Any]:
        """The JSON body of ``POST /fleet/v1/sync``."""
        body: dict[str, Any] = {"kiosk_id": kiosk_id, "through": self.through, "rows": self.rows}
        if self.file_id is not None:
            body["file_id"] = self.file_id
        return body

    def only(self) -> tuple[str, dict[str, Any]]:
        """The one row of a one-row batch, with its table."""
        [(table, [row])] = self.rows.items()
        return table, row


def read_batch(
    db: Database | sqlite3.Connection, after: int, limit: int = BATCH_ROWS
) -> Batch | None:
    """The oldest ``limit`` changes with a version above ``after``, across every synced
    table, or None when there are none. Call inside one read transaction, so every table is
    read at the same instant."""
    conn = _conn(db)
    found: list[tuple[int, str, dict[str, Any]]] = []
    for table in present(conn):
        cursor = conn.execute(
            f'SELECT * FROM "{table}" WHERE version > ? ORDER BY version LIMIT ?', [after, limit]
        )
        names = [d[0] for d in cursor.description]
        flags = BOOLEAN_COLUMNS.get(table, ())
        for values in cursor:
            row = dict(zip(names, values, strict=True))
            for name in flags:
                if row.get(name) is not None:
                    row[name] = bool(row[name])
            found.append((row["version"], table, row))
    if not found:
        return None
    found.sort(key=lambda item: item[0])
    taken = found[:limit]
    batch = Batch(after=after, through=taken[-1][0], file_id=file_id(conn))
    for _, table, row in taken:
        batch.rows.setdefault(table, []).append(row)
    return batch


def row_key(table: str, row: dict[str, Any]) -> str:
    """The text that names ``row`` of ``table`` in the quarantine."""
    return " ".join(str(row.get(k)) for k in ROW_KEYS.get(table, ("id",)))


def quarantine(
    db: Database | sqlite3.Connection, batch: Batch, reason: str, at: str, peer: str = CENTRE
) -> bool:
    """Set aside the one row of ``batch`` (the oldest of the backlog) that ``peer`` refused:
    record it with ``reason`` and move the acknowledgement to its version, in one
    transaction. The row itself is not touched. True if it is newly quarantined (or refused
    for another reason than before): the caller logs it once."""
    conn = _conn(db)
    table, row = batch.only()
    key = row_key(table, row)
    with _immediate(conn):
        _create_quarantine(conn)  # a file the play log has not opened since file ids
        before = conn.execute(
            f"SELECT reason FROM {QUARANTINE} WHERE tbl = ? AND row_key = ?", [table, key]
        ).fetchone()
        conn.execute(
            f"INSERT INTO {QUARANTINE} (tbl, row_key, version, reason, at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (tbl, row_key) DO UPDATE SET version = excluded.version,"
            " reason = excluded.reason, at = excluded.at",
            [table, key, row["version"], reason, at],
        )
        store_acked(conn, batch.through, peer)
    return before is None or before[0] != reason


def release_mended(db: Database | sqlite3.Connection, through: int) -> int:
    """Forget the quarantine entries of rows changed since they were set aside whose new
    version the centre has now taken (≤ ``through``): someone mended them. Returns how
    many."""
    conn = _conn(db)
    mended = []
    for table, key, version in conn.execute(f"SELECT tbl, row_key, version FROM {QUARANTINE}"):
        names = ROW_KEYS.get(table, ("id",))
        values = key.split(" ", len(names) - 1)
        # A bound text meets an INTEGER column with numeric affinity: the index serves.
        where = " AND ".join(f'"{n}" = ?' for n in names)
        try:
            row = conn.execute(f'SELECT version FROM "{table}" WHERE {where}', values).fetchone()
        except sqlite3.OperationalError:  # a table gone: keep the entry, it says what was
            continue
        if row is not None and row[0] is not None and version < row[0] <= through:
            mended.append((table, key))
    for table, key in mended:
        conn.execute(f"DELETE FROM {QUARANTINE} WHERE tbl = ? AND row_key = ?", [table, key])
    return len(mended)


def quarantined(db: Database | sqlite3.Connection) -> int:
    """How many rows the centre refused and this file keeps aside (0 without the table)."""
    try:
        return _conn(db).execute(f"SELECT count(*) FROM {QUARANTINE}").fetchone()[0]
    except sqlite3.OperationalError:  # an older file, not opened by the play log yet
        return 0


class _immediate:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on error) on an autocommit
    connection, or a savepoint inside a transaction the caller holds."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.nested = conn.in_transaction

    def __enter__(self) -> None:
        self.conn.execute("SAVEPOINT quarantine" if self.nested else "BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        if self.nested:
            if kind is not None:
                self.conn.execute("ROLLBACK TO quarantine")
            self.conn.execute("RELEASE quarantine")
        else:
            self.conn.execute("ROLLBACK" if kind is not None else "COMMIT")
