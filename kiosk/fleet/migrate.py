"""Versioned migrations of the central store: ``migrations/NNNN_name.sql``, applied in order.

Each file runs once and is recorded in ``schema_migrations``; pending files run in one
transaction (PostgreSQL DDL is transactional: all or nothing), and a
transaction-scoped advisory lock makes two services starting together apply it once. Add a
new numbered file to change the schema; never edit one that has been applied.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import psycopg

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_LOCK_KEY = 0x5A17  # any constant shared by every process migrating this store


def migration_files(folder: Path = MIGRATIONS_DIR) -> list[tuple[int, str, Path]]:
    """(number, name, path) of every migration file, in order; numbers must be unique."""
    found: dict[int, tuple[int, str, Path]] = {}
    for path in sorted(folder.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise ValueError(f"migration file {path.name!r} is not named NNNN_name.sql")
        number = int(match.group(1))
        if number in found:
            other = found[number][2].name
            raise ValueError(f"two migrations numbered {number:04d}: {path.name}, {other}")
        found[number] = (number, match.group(2), path)
    return [found[n] for n in sorted(found)]


def migrate(conninfo: str, folder: Path = MIGRATIONS_DIR, *, upto: int | None = None) -> list[str]:
    """Apply every migration not yet applied (with ``upto``, only those numbered up to it:
    a store as an older release left it, for tests and benchmarks comparing the two);
    returns the names applied now."""
    applied_now: list[str] = []
    with psycopg.connect(conninfo) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version integer PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        for number, name, path in migration_files(folder):
            if number in done or (upto is not None and number > upto):
                continue
            conn.execute(path.read_text(encoding="utf-8"))
            conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                (number, name),
            )
            applied_now.append(f"{number:04d}_{name}")
            log.info("central store: applied migration %04d_%s", number, name)
    return applied_now
