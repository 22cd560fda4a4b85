"""After-hours import of a kiosk's SQLite file into the central store.

Rows go through the same version-guarded upsert as the live sync (kiosk/fleet/ingest.py), so
importing a file the booth already pushed adds nothing, and a live push after an import
replaces only rows the booth changed since.

A file from before the outbox (no ``version`` column, or a row whose version is NULL) is
read with version 0: such rows never replace a row that arrived live with a real version,
and a later live push of the same row always wins. Columns the centre does not know are
left out and reported; tables the file lacks (old files have no ``visits``) are skipped.

Audit and stock rows are keyed by the file's identity (``sync_file``, the one its booth
sends live), so an import and the live push of the same file meet on the same keys; a file
without one is imported with ``file_id ''``, as the centre keyed rows before file ids.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from kiosk.fleet.ingest import TABLES, BatchRefused, ingest
from kiosk.fleet.kiosks import ensure_kiosk
from kiosk.sync import outbox

log = logging.getLogger(__name__)

CHUNK = 5000  # rows per upsert statement: one JSON parameter of a few MB at most


class ImportRefused(Exception):
    """The file cannot be imported; the message says why. Nothing of it was stored."""


@dataclass
class ImportResult:
    read: dict[str, int] = field(default_factory=dict)
    applied: dict[str, int] = field(default_factory=dict)
    kiosks: set[str] = field(default_factory=set)
    file_id: str = ""  # the file's identity ('' for a file from before file ids)
    ignored_columns: dict[str, list[str]] = field(default_factory=dict)


def _open(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise ImportRefused(f"{path}: no such file")
    try:
        db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ImportRefused(f"{path}: not a readable kiosk database ({exc})") from None
    db.row_factory = sqlite3.Row
    return db


def read_tables(
    db: sqlite3.Connection, result: ImportResult
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """kiosk_id → table → rows (central columns only, version 0 where the file has none)."""
    present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "plays" not in present:
        raise ImportRefused("no plays table: not a kiosk database")
    by_kiosk: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(dict)
    for name, table in TABLES.items():
        if name not in present:
            continue
        have = [r[1] for r in db.execute(f'PRAGMA table_info("{name}")')]
        if "kiosk_id" not in have:
            raise ImportRefused(f"table {name} has no kiosk_id column")
        wanted = [c for c in have if c in table.column_names]
        ignored = [c for c in have if c not in table.column_names and c != "kiosk_id"]
        if ignored:
            result.ignored_columns[name] = ignored
        columns = ", ".join(f'"{c}"' for c in ["kiosk_id", *wanted])
        count = 0
        for row in db.execute(f'SELECT {columns} FROM "{name}"'):
            record = dict(row)
            kiosk_id = record.pop("kiosk_id")
            if record.get("version") is None:
                record["version"] = 0
            by_kiosk[kiosk_id].setdefault(name, []).append(record)
            count += 1
        result.read[name] = count
    return by_kiosk


def import_file(conn: psycopg.Connection[Any], path: Path) -> ImportResult:
    """Upsert every row of the kiosk file at ``path``, all or nothing.

    :raises ImportRefused: the file is not a kiosk database or a row does not fit
    """
    result = ImportResult()
    db = _open(path)
    try:
        by_kiosk = read_tables(db, result)
        result.file_id = outbox.file_id(db) or ""
    except sqlite3.DatabaseError as exc:
        raise ImportRefused(f"{path}: {exc}") from None
    finally:
        db.close()
    try:
        with conn.transaction():
            for kiosk_id, tables in sorted(by_kiosk.items()):
                ensure_kiosk(conn, kiosk_id)
                result.kiosks.add(kiosk_id)
                for name, rows in tables.items():
                    for start in range(0, len(rows), CHUNK):
                        chunk = {name: rows[start : start + CHUNK]}
                        applied = ingest(conn, kiosk_id, chunk, file_id=result.file_id)
                        for table, n in applied.items():
                            result.applied[table] = result.applied.get(table, 0) + n
    except BatchRefused as exc:
        raise ImportRefused(f"{path}: {exc}") from None
    return result
