"""Opening a kiosk's play log from another program (organisers' tools, the fleet merge),
safely beside a booth that may be writing it.

Reads go through read-only ``file:`` URIs (:func:`file_uri`), which never write to the file
and see the plays a running kiosk has committed to its WAL. Every file is checked before
use, so a typo'd path or a stranger's database is refused with a reason instead of being
silently treated as an empty log.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from kiosk.playlog.schema import PLAYS

REQUIRED_COLUMNS = ("id", "kiosk_id", "game", "language", "difficulty", "started_at", "outcome")
BUSY_TIMEOUT_S = 10.0  # a kiosk's write is a few milliseconds; waiting this long means trouble


class NotAKioskDatabase(Exception):
    """The file cannot be used as a kiosk's play log; the message says which file and why."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


class DatabaseBusy(Exception):
    """Another process held the write lock for longer than the busy timeout."""


def file_uri(path: str | Path, read_only: bool = True) -> str:
    """A ``file:`` URI for ``sqlite3.connect(uri, uri=True)`` or ``ATTACH``.

    Read-only by default, so the file is never written (nor created, if missing). Beside a
    ``-wal`` file (a kiosk is running, or stopped uncleanly) the WAL is read through the
    usual shared-memory index, which SQLite may create. Without one, every committed play
    is in the file itself and it is opened ``immutable``: no lock, no ``-wal``/``-shm``
    appearing beside it, and it works on read-only media such as a write-protected USB
    stick, where SQLite could not create them.
    """
    uri = "file:" + quote(str(Path(path).resolve()))
    if not read_only:
        return uri
    journal = any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal"))
    return uri + ("?mode=ro" if journal else "?mode=ro&immutable=1")


def plays_columns(conn: sqlite3.Connection, path: str | Path, schema: str = "main") -> list[str]:
    """The ``plays`` columns of the database ``schema`` on ``conn``, or
    :class:`NotAKioskDatabase` saying why it is not a kiosk's log."""
    try:
        tables = {
            name
            for (name,) in conn.execute(
                f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'"
            )
        }
    except sqlite3.DatabaseError as exc:  # "file is not a database", unreadable -wal, ...
        reason = str(exc)
        if "not a database" in reason:
            raise NotAKioskDatabase(
                path, "not an SQLite database, so not a kiosk database"
            ) from None
        raise NotAKioskDatabase(path, f"cannot be read ({reason})") from None
    if PLAYS not in tables:
        what = "an SQLite database with no tables" if not tables else "an SQLite database"
        raise NotAKioskDatabase(path, f"{what} without a plays table, so not a kiosk database")
    columns = [row[1] for row in conn.execute(f"PRAGMA {schema}.table_info({PLAYS})")]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise NotAKioskDatabase(
            path, f"its plays table lacks {', '.join(missing)}, so it is not a kiosk database"
        )
    return columns


def check_file(path: str | Path) -> Path:
    """Refuse what SQLite would otherwise silently treat as a new, empty database."""
    path = Path(path)
    if not path.exists():
        raise NotAKioskDatabase(path, "no such file")
    if not path.is_file():
        raise NotAKioskDatabase(path, "not a file")
    if path.stat().st_size == 0:
        raise NotAKioskDatabase(path, "empty file (0 bytes), not a kiosk database")
    return path


def open_read(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to a kiosk log; it never changes the file, even in WAL mode."""
    check_file(path)
    try:
        conn = sqlite3.connect(file_uri(path), uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:
        raise NotAKioskDatabase(path, f"cannot be opened ({exc})") from None
    try:
        plays_columns(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def open_write(path: str | Path) -> sqlite3.Connection:
    """A connection for staff writes in the store's style: no hidden transactions (callers
    write through :func:`kiosk.playlog.transaction.immediate`), ``synchronous=FULL`` and a
    busy timeout."""
    open_read(path).close()  # validate without ever creating or changing a file
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.execute("PRAGMA synchronous=FULL")
    return conn
