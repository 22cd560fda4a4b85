"""The prize state file beside the database (``scores.db.state.json``): what must outlive it.

A fresh database (after corruption recovery, or a file replaced by hand) knows no serials
and no stock given today, so references would repeat (``K07-0001`` again) and the day's
stock would be handed out a second time. This small JSON file keeps the high-water marks:
the highest serial reserved, the prizes issued and stock corrections per local day, the
latest local day seen, and awards not yet written to the database. It is replaced
atomically (temporary file, fsync, rename, fsync of the folder), so a power cut leaves the
old version or the new one, never a torn one.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
VERSION = 1


def path_for(database: str | Path) -> Path:
    database = Path(database)
    return database.with_name(database.name + ".state.json")


def load(path: Path) -> dict[str, Any]:
    """The saved state, or ``{}`` when there is none. An unreadable file is renamed aside
    (kept for staff) and logged; the database's own records then have to do."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = path.with_name(f"{path.name}.corrupt-{stamp}")
        log.error("prize state %s unreadable (%s); kept as %s", path, exc, aside.name)
        with contextlib.suppress(OSError):
            path.rename(aside)
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION:
        log.error("prize state %s has an unknown format; ignored", path)
        return {}
    return data


def save(path: Path, data: dict[str, Any]) -> None:
    """Replace ``path`` with ``data`` durably. Raises ``OSError`` (disk full, read-only)."""
    tmp = path.with_name(path.name + ".tmp")
    text = json.dumps({**data, "version": VERSION}, sort_keys=True, separators=(",", ":"))
    with tmp.open("w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the rename itself must survive a power cut
    finally:
        os.close(folder)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside ``path`` while a serial block is read and reserved."""
    with path.with_name(path.name + ".lock").open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
