"""The database file deleted or replaced under a running kiosk: keep what it held, let it go.

After ``rm scores.db`` a kiosk's connection still writes to the unlinked file, where every
later play is lost at exit; after ``mv other.db scores.db`` it writes to a file nobody will
look at. :func:`detach` saves the open copy (SQLite's backup API reads it, WAL included,
through the connection), closes it, clears the ``-wal``/``-shm`` it leaves at the path, and
for a deleted file puts the copy back at the path, so the kiosk carries on with every play.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from kiosk.playlog.store import PlayStore

log = logging.getLogger(__name__)


def free_name(path: Path, kind: str, now: datetime) -> Path:
    """``scores.db.<kind>-<UTC time>``, numbered if taken: a name that keeps a file aside."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{kind}-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.{kind}-{stamp}-{n}")
    return target


def detach(store: PlayStore, change: str, now: datetime) -> str:
    """Let go of ``store``, whose path was ``change``d ("deleted" or "replaced"), keeping
    every play it holds; returns the notice for staff.

    :raises OSError, sqlite3.Error: the open copy could not be saved (a full disk); the
        store is then still open and holds everything, so the caller can try again later
    """
    path = store.path
    kept = free_name(path, change, now)
    try:
        plays = store.save_copy(kept)
    except (OSError, sqlite3.Error):
        kept.unlink(missing_ok=True)
        kept.with_name(kept.name + "-journal").unlink(missing_ok=True)
        raise
    store.close()
    # SQLite does not checkpoint or remove the WAL of a file whose path has moved, so its
    # -wal/-shm stay at the path; every page in them is in the copy, and left there they
    # would be read as the WAL of whatever file the path names next.
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    if change == "deleted":
        try:
            os.link(kept, path)  # never over a file someone put there meanwhile
        except FileExistsError:
            change = "replaced"
        else:
            kept.unlink()
            return (
                f"{path.name} was deleted while the kiosk ran; "
                f"put back from the kiosk's open copy ({plays} plays)"
            )
    return (
        f"{path.name} was {change} while the kiosk ran; the kiosk's copy ({plays} plays) "
        f"kept as {kept.name}, new plays go to the new file"
    )
