"""Booth process faults (issue 11, items 7, 8, 10, 11): a stop signal mid-play, the wall clock
stepped back mid-game, 0-byte font files, NaN finger coordinates."""

from __future__ import annotations

import signal
import sqlite3
import sys
import time
from pathlib import Path

from faultkit import Booth, Row, audit

WRAPPER = Path(__file__).resolve().parent / "_booth_fault.py"
STOP_BUDGET_S = 2.0


class FaultyBooth(Booth):
    """A booth run through ``_booth_fault.py``, which injects ``fault`` from outside."""

    def __init__(self, db: Path, fault: str, **kw) -> None:
        super().__init__(db, **kw)
        self.fault = fault

    def command(self) -> list[str]:
        cmd = super().command()  # [python, launch.py, args…]
        return [sys.executable, str(WRAPPER), self.fault, *cmd[2:]]


def rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def count(db: Path, where: str) -> int:
    """Plays matching ``where`` (0 while the database has no plays table yet)."""
    try:
        return rows(db, f"SELECT count(*) FROM plays WHERE {where}")[0][0]
    except sqlite3.Error:
        return 0


def in_progress(db: Path) -> int:
    return count(db, "outcome = 'in_progress'")


def logged(booth: Booth, text: str) -> int:
    """Lines of the booth's output containing ``text``."""
    return sum(text in line for line in booth.log)


def sigterm_mid_play(folder: Path) -> Row:
    db = folder / "scores.db"
    booth = Booth(db, seed=4).start()
    booth.wait_plays(2, timeout=120)
    playing = booth.wait_for(lambda: in_progress(db) > 0, timeout=60)
    time.sleep(0.2)
    code = booth.stop(signal.SIGTERM, timeout=10)
    left = in_progress(db)
    abandoned = count(db, "outcome = 'abandoned'")
    stopped = booth.stop_seconds or 0.0
    return audit(
        "SIGTERM mid-play (systemctl stop)",
        db,
        [booth],
        recovered=code == 0 and playing and left == 0 and stopped <= STOP_BUDGET_S,
        note=f"exit {code} in {stopped:.2f} s (budget {STOP_BUDGET_S:.0f} s); "
        f"{abandoned} abandoned, {left} left in progress",
    )


def clock_stepped_back(folder: Path) -> Row:
    db = folder / "scores.db"
    booth = FaultyBooth(db, "clock-step-back", journeys=3, seed=5).start()
    code = booth.wait(timeout=240)
    backwards = count(db, "ended_at < started_at OR duration_s <= 0")
    noticed = logged(booth, "clock: the wall clock jumped back by 1:00:00") > 0
    return audit(
        "wall clock stepped back 1 h mid-game",
        db,
        [booth],
        recovered=code == 0 and backwards == 0 and noticed,
        note=f"exit {code}; {backwards} plays ending before they began; "
        f"jump {'logged' if noticed else 'NOT logged'}",
    )


def empty_font_files(folder: Path) -> Row:
    fonts = folder / "fonts"
    fonts.mkdir()
    for name in ("NotoSansHK-Subset-Regular.otf", "NotoSansHK-Subset-Bold.otf"):
        (fonts / name).write_bytes(b"")
    db = folder / "scores.db"
    booth = Booth(db, journeys=3, seed=6, env={"SMARTIZEN_FONT_DIR": str(fonts)}).start()
    code = booth.wait(timeout=240)
    log_bytes = sum(len(line) + 1 for line in booth.log)
    tracebacks, unusable = logged(booth, "Traceback"), logged(booth, "unusable")
    completed = count(db, "outcome = 'completed'")
    return audit(
        "0-byte font files",
        db,
        [booth],
        recovered=code == 0 and completed == 3 and tracebacks == 0,
        note=f"exit {code}; {completed} completed; log {log_bytes / 1024:.0f} KB, "
        f"{unusable} font lines, {tracebacks} tracebacks",
    )


def nan_fingers(folder: Path) -> Row:
    db = folder / "scores.db"
    config = 'games = ["smart_commute", "smart_home_saver"]\n'
    booth = FaultyBooth(db, "nan-fingers", journeys=4, seed=7, config_text=config).start()
    code = booth.wait(timeout=240)
    errors = count(db, "outcome = 'error'")
    games = ", ".join(g for (g,) in rows(db, "SELECT DISTINCT game FROM plays ORDER BY game"))
    dropped = logged(booth, "non-finite") > 0
    note = f"exit {code}; {errors} error plays; games {games}"
    return audit("NaN finger coordinates", db, [booth], code == 0 and errors == 0 and dropped, note)


CASES = [sigterm_mid_play, clock_stepped_back, empty_font_files, nan_fingers]
