"""The layout of a new merged (fleet) file: a kiosk database without the booth's write-path
indexes on plays.

A merged file is an organiser's archive: ``stats``, ``export``, ``report``, ``funnel`` and
``reset`` read it, and ``merge`` may add to it; no booth records plays in it. So its plays
table keeps only the indexes those use (:data:`KEPT_INDEXES`, checked query by query in
tests/test_fleetfile.py):

* ``idx_plays_id``, unique: a play is counted once, and a later merge upserts by id;
* ``idx_plays_prize_serial``, unique: two booths set to one kiosk id are caught;
* ``idx_plays_report_hour`` and ``idx_plays_kiosk_outcome_started``: ``report`` walks them
  instead of sorting a million plays; ``stats`` and ``export`` read the first instead of
  the table.

Left out are the booth's indexes by start, by game and start, by outcome, by kiosk and end
(today's prizes) and by outbox version (what to push next): each costs a sorted build of
every play and no organiser query needs it. The booth's own schema is unchanged.

The id is unique through an index of its own rather than the booth's ``PRIMARY KEY``:
SQLite builds a primary key's index along with the table, one random UUID at a time, while
an index created after the rows are in is built once, sorted, for less than half the time. Pages
are 64 KiB (a booth's are 4 KiB): a file written once and then scanned does best with few
large pages. Everything else (tables, the outbox's triggers, migrations) is the kiosk schema as
:class:`~kiosk.playlog.store.PlayStore` makes it, so every tool opens the file as it
opens a booth's.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from kiosk.playlog.schema import KIOSK_OUTCOME_INDEX, PLAYS, REPORT_HOUR_INDEX
from kiosk.playlog.store import PlayStore
from kiosk.playlog.transaction import immediate

PAGE_SIZE = 65536
ID_INDEX = "idx_plays_id"
SERIAL_INDEX = "idx_plays_prize_serial"
#: The plays indexes a merged file keeps, in the order they are built (the id first: it is
#: the one a duplicate can fail, and the others need not be built twice).
KEPT_INDEXES = (ID_INDEX, SERIAL_INDEX, REPORT_HOUR_INDEX, KIOSK_OUTCOME_INDEX)


@dataclass
class Pending:
    """What a new merged file's plays table gets once its rows are in."""

    indexes: list[tuple[str, str]]  # (name, CREATE INDEX sql), in KEPT_INDEXES order
    triggers: list[str]  # the outbox's plays triggers (kiosk/sync/outbox.py), as created

    def add_triggers(self, conn: sqlite3.Connection) -> None:
        """The outbox's triggers, left out while rows were appended (called for every row,
        they cost as much as the copy itself). Plays from a file older than the outbox
        came without a version: an update that changes nothing makes the outbox's own
        trigger stamp one on each, oldest row first, as it would have on insert."""
        for sql in self.triggers:
            conn.execute(sql)
        conn.execute(f"UPDATE {PLAYS} SET version = NULL WHERE version IS NULL")


def create(path: Path) -> Pending:
    """Create an empty merged file at ``path`` (nothing there yet) whose plays table has
    neither indexes nor triggers yet; return them, to add once the rows are in."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
        conn.execute("VACUUM")  # writes the empty file at that page size
    PlayStore(path, kiosk_id="fleet").close()  # the kiosk schema, by its own migrations
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        booth = dict(_plays_indexes(conn))
        triggers = [
            sql
            for (sql,) in conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", [PLAYS]
            )
        ]
        info = conn.execute(f"PRAGMA table_info({PLAYS})").fetchall()
        key = [name for _, name, *_, pk in sorted(info, key=lambda row: row[5]) if pk]
        strict = conn.execute(f"PRAGMA table_list({PLAYS})").fetchone()[5]
        columns = ", ".join(
            f'"{name}" {kind}'
            + (" NOT NULL" if notnull or pk else "")
            + (f" DEFAULT {default}" if default is not None else "")
            for _, name, kind, notnull, default, pk in info
        )
        with immediate(conn):
            conn.execute(f"DROP TABLE {PLAYS}")  # empty; its triggers go with it
            conn.execute(f"CREATE TABLE {PLAYS} ({columns}){' STRICT' if strict else ''}")
    unique_key = ", ".join(f'"{name}"' for name in key)
    wanted = {ID_INDEX: f'CREATE UNIQUE INDEX "{ID_INDEX}" ON {PLAYS} ({unique_key})', **booth}
    return Pending([(name, wanted[name]) for name in KEPT_INDEXES], triggers)


def _plays_indexes(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL",
        [PLAYS],
    ).fetchall()
