"""What the play-log fault tests share: a fixed instant, and the plays a database file holds
as another program (a fresh connection) sees them."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

T0 = datetime(2026, 7, 18, 2, 0, tzinfo=UTC)


def now() -> datetime:
    return T0


def stored_plays(db: Path) -> list[dict]:
    """Every play in ``db``, oldest first, after checking the file's integrity."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return [dict(r) for r in conn.execute("SELECT * FROM plays ORDER BY started_at, rowid")]
    finally:
        conn.close()
