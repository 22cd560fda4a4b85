"""The layout of a new merged (fleet) file: a kiosk database without the booth's write-path
indexes on plays.

A merged file is an organiser's archive: ``stats``, ``export``, ``report``, ``funnel`` and
``reset`` read it, and ``merge`` may add to it; no booth records plays in it. So a new one
is built with the one plays index those reads need (:data:`KEPT_INDEXES`, checked query by
query in tests/test_fleetfile.py): ``idx_plays_report_hour``. ``report`` walks it instead
of sorting a million plays; ``stats`` and ``export`` read it instead of the table. Plays go
in each input's hour order (:data:`APPEND_ORDER`), so the index is built from rows nearly
in its own order (0.8 s on a million plays instead of 1.7 s).

Plays per kiosk, and which kiosks played on a day, come from the report's one pass over
the plays (:mod:`kiosk.organiser.reportdata`: by kiosk and UTC date, which the hour walk
maps to local days). The booth's ``(kiosk_id, outcome, started_at)`` index would give
both, but rows in hour order make it a sort of every play (1.4 s on a million here); even
a ``(kiosk_id, UTC hour)`` index cost 0.4 s to build, while the pass counts them in
0.25 s more (0.8 s for the whole pass on a million plays, as much as it took before with
an ``IS NULL`` flag beside each grouped column).

The two unique indexes a booth has, by id and by kiosk and prize serial
(:data:`UPSERT_INDEXES`), are what merging *into* the file needs (``ON CONFLICT(id)``, a
clash of serials caught by SQLite): :func:`add_upsert_indexes` builds them the first time a
merge adds to the file. A new file needs neither: merge checks it has one row per id and
no serial twice while building it. Each costs a sort of every play (1.2 s and 0.4 s on a
million), which would make a merge several times slower than copying the rows.

Left out too are the booth's indexes by start, by game and start, by outcome, by kiosk and
end (today's prizes) and by outbox version (what to push next). The booth's own schema is
unchanged.

Pages are 64 KiB (a booth's are 4 KiB): a file written once and then scanned does best with
few large pages. Everything else (tables, the outbox's triggers, migrations) is the kiosk
schema as :class:`~kiosk.playlog.store.PlayStore` makes it, so every tool opens the file as
it opens a booth's.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from kiosk.playlog.schema import HOUR_OF_START, PLAYS, REPORT_HOUR_INDEX
from kiosk.playlog.transaction import immediate

PAGE_SIZE = 65536
ID_INDEX = "idx_plays_id"
SERIAL_INDEX = "idx_plays_prize_serial"
#: The plays indexes a new merged file is built with.
KEPT_INDEXES = (REPORT_HOUR_INDEX,)
#: The unique indexes merging into an existing file needs, built by the first such merge.
UPSERT_INDEXES = {
    ID_INDEX: f'CREATE UNIQUE INDEX "{ID_INDEX}" ON {PLAYS} ("id")',
    SERIAL_INDEX: f'CREATE UNIQUE INDEX "{SERIAL_INDEX}" ON {PLAYS} ("kiosk_id", "prize_serial")',
}
#: The order each input's plays are appended in: :data:`REPORT_HOUR_INDEX`'s, which an
#: input walks along its own copy of that index.
APPEND_ORDER = (HOUR_OF_START, "game", "outcome", "prize_tier", "score", "started_at")


@dataclass
class Pending:
    """What a new merged file's plays table gets once its rows are in."""

    indexes: list[tuple[str, str]]  # (name, CREATE INDEX sql), in KEPT_INDEXES order
    triggers: list[str]  # the outbox's plays triggers (kiosk/sync/outbox.py), as created

    def add_triggers(self, conn: sqlite3.Connection, unversioned: bool = True) -> None:
        """The outbox's triggers, left out while rows were appended (called for every row,
        they cost as much as the copy itself). Plays from a file older than the outbox
        came without a version (``unversioned``: some input has such plays): an update
        that changes nothing makes the outbox's own trigger stamp one on each, in the
        file's order, as it would have on insert. Without any, that update would only
        read every play for nothing."""
        for sql in self.triggers:
            conn.execute(sql)
        if unversioned:
            conn.execute(f"UPDATE {PLAYS} SET version = NULL WHERE version IS NULL")


def create(path: Path) -> Pending:
    """Create an empty merged file at ``path`` (nothing there yet) whose plays table has
    neither indexes nor triggers yet; return them, to add once the rows are in."""
    from kiosk.playlog.store import PlayStore  # sqlite_utils: not for every command's import

    # No syncs while the empty file is made: a merge writes it under a temporary name,
    # deletes it on any failure and syncs it once, whole (kiosk/organiser/merge.py); each
    # commit's sync here cost a merge 0.05-0.1 s of waiting.
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
        conn.execute("VACUUM")  # writes the empty file at that page size
    PlayStore(path, kiosk_id="fleet").close()  # the kiosk schema, by its own migrations
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA synchronous=OFF")
        booth = dict(_plays_indexes(conn))
        triggers = [
            sql
            for (sql,) in conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", [PLAYS]
            )
        ]
        info = conn.execute(f"PRAGMA table_info({PLAYS})").fetchall()
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
    return Pending([(name, booth[name]) for name in KEPT_INDEXES], triggers)


def add_upsert_indexes(conn: sqlite3.Connection) -> None:
    """Give an existing file the unique indexes merging into it needs
    (:data:`UPSERT_INDEXES`), where it has no unique index on those columns yet (a booth's
    file, or a fleet file merged into before, has them). Raises ``sqlite3.IntegrityError``
    if its plays break one (a file edited by hand)."""
    have = {tuple(columns) for columns in unique_indexes(conn, "main")}
    with immediate(conn):
        for sql, columns in zip(
            UPSERT_INDEXES.values(), (("id",), ("kiosk_id", "prize_serial")), strict=True
        ):
            if columns not in have:
                conn.execute(sql)


def unique_indexes(conn: sqlite3.Connection, schema: str) -> list[list[str]]:
    """The columns of each unique index (or key) on ``schema``'s plays table."""
    out = []
    for _, name, unique, *_ in conn.execute(f"PRAGMA {schema}.index_list({PLAYS})").fetchall():
        if unique:
            info = conn.execute(f'PRAGMA {schema}.index_info("{name}")').fetchall()
            out.append([column for _, _, column in info])
    return out


def _plays_indexes(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL",
        [PLAYS],
    ).fetchall()
