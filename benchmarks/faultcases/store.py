"""The play log's lifecycle (issue 11, items 1, 2, 4, 6): a replay after the database was
moved aside, the file deleted mid-run, a full disk filled and freed, a second kiosk.

The disk-full row needs root to mount a 2 MB tmpfs; elsewhere it is a failed row saying so.
"""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import time
from pathlib import Path

from faultkit import Booth, Row, audit

from tools.dbfaults import fill, mount_small_disk, move_aside, unmount

# Logs and the speech cache off the small disk: only the play log is on it.
OFF_DISK = 'log_dir = "{0}/logs"\n[audio]\nspeech_cache = "{0}/speech"\n'
WAITING = re.compile(r"(\d+) writes wait")


def _wait_file(path: Path, text: str, timeout: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(encoding="utf-8", errors="replace"):
            return True
        time.sleep(0.05)
    return False


def _lock_during_a_play(db: Path, timeout: float = 120.0) -> sqlite3.Connection | None:
    """Take the write lock at a moment a play is in progress (its start committed), as a
    staff tool might; the connection holding it, or None."""
    locker = sqlite3.connect(db, isolation_level=None, timeout=30)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        locker.execute("BEGIN EXCLUSIVE")
        if locker.execute("SELECT 1 FROM plays WHERE outcome = 'in_progress'").fetchone():
            return locker
        locker.execute("ROLLBACK")
        time.sleep(0.01)
    locker.close()
    return None


def boot_after_replay_lost_its_play(folder: Path) -> Row:
    """The issue's boot loop: a finish buffered during a lock, SIGKILL, the database moved
    aside by staff, a restart (which used to raise KeyError and exit 1, every time)."""
    db = folder / "scores.db"
    first = Booth(db, seed=4).start()
    first.wait_plays(1, timeout=120)
    locker = _lock_during_a_play(db)
    side = folder / "scores.db.pending.jsonl"
    buffered = locker is not None and _wait_file(side, '"finish_play"')
    first.stop(signal.SIGKILL)
    if locker is not None:
        locker.execute("ROLLBACK")
        locker.close()
    waiting = [json.loads(x) for x in side.read_text().splitlines()] if side.exists() else []
    finishes = [(r["args"][0], r["args"][1]) for r in waiting if r["op"] == "finish_play"]
    move_aside(db)
    second = Booth(db, seed=5, journeys=2).start()
    code = second.wait(timeout=180)
    recreated = sum("was missing from the database; recreated it" in x for x in second.log)
    return audit(
        "boot after a replay lost its play",
        db,
        [second],
        recovered=buffered and code == 0 and recreated == len(finishes) > 0,
        note=f"restart exit {code}; {recreated} of {len(finishes)} buffered finishes "
        f"recreated their play; the first run's {len(first.reported)} plays stay in the "
        "moved-aside file",
        reported_extra=finishes,
    )


def database_deleted_mid_run(folder: Path) -> Row:
    db = folder / "scores.db"
    booth = Booth(db, seed=6, journeys=6).start()
    booth.wait_plays(2, timeout=120)
    db.unlink()  # `rm scores.db` while visitors play
    before = len(booth.reported)
    code = booth.wait(timeout=240)
    noticed = any("deleted while the kiosk ran" in line for line in booth.log)
    return audit(
        "scores.db deleted mid-run",
        db,
        [booth],
        recovered=code == 0 and noticed and len(booth.reported) > before,
        note=f"exit {code}; deleted after {before} plays; put back from the open copy",
    )


def _most_waiting(booth: Booth) -> int:
    found = [int(m.group(1)) for x in list(booth.log) if (m := WAITING.search(x))]
    return max(found, default=0)


def disk_full_then_freed(folder: Path) -> Row:
    """The issue's 2 MB filesystem: filled while visitors play, freed a little later."""
    disk = mount_small_disk(folder)
    if isinstance(disk, str):
        return Row("disk full, then freed", 0, 0, 0, 0, 0, None, False, disk)
    try:
        db = disk / "scores.db"
        booth = Booth(db, seed=7, journeys=14, config_text=OFF_DISK.format(folder))
        booth.start()
        booth.wait_plays(2, timeout=120)
        filler = fill(disk)
        full_at = len(booth.reported)
        waited = booth.wait_for(lambda: _most_waiting(booth) >= 6, timeout=120)
        most = _most_waiting(booth)  # three visitors played on the full disk
        filler.unlink()
        code = booth.wait(timeout=240)
        wal = db.with_name(db.name + "-wal")
        wal_kb = wal.stat().st_size // 1024 if wal.exists() else 0
        lost_lines = [x for x in booth.log if "buffered database writes at exit" in x]
        row = audit(
            "disk full (2 MB tmpfs), then freed",
            db,
            [booth],
            recovered=waited and code == 0 and not lost_lines and len(booth.reported) > full_at,
            note=f"exit {code}; full after {full_at} plays, then {most} writes waited; database "
            f"{db.stat().st_size // 1024} KB, WAL {wal_kb} KB at exit",
        )
    finally:
        unmount(disk)
    return row


def second_kiosk_on_the_same_database(folder: Path) -> Row:
    db = folder / "scores.db"
    first = Booth(db, seed=8, journeys=4).start()
    first.wait_plays(1, timeout=120)
    second = Booth(db, seed=9, journeys=2).start()
    second_code = second.wait(timeout=60)
    code = first.wait(timeout=240)
    said = [x for x in second.log if x.strip()]
    one_line = len(said) == 1 and "one kiosk per database" in said[0]
    abandoned = sqlite3.connect(db).execute(
        "SELECT count(*) FROM plays WHERE outcome = 'abandoned'"
    ).fetchone()[0]
    return audit(
        "second kiosk on the same database",
        db,
        [first, second],
        recovered=code == 0 and second_code == 4 and one_line and abandoned == 0,
        note=f"second exit {second_code} with {len(said)} line(s); first exit {code}; "
        f"{abandoned} plays abandoned",
    )


CASES = [
    boot_after_replay_lost_its_play,
    database_deleted_mid_run,
    disk_full_then_freed,
    second_kiosk_on_the_same_database,
]
