"""Faults for the play log's writer thread and the prize ledger (issue 11, items 5 and 3).

* A staff command holds an exclusive lock on the database for 30 s while the booth plays:
  no frame may wait for it, every visitor still gets a code, and what the lock refused is
  written afterwards.
* The database is replaced by a fresh one mid-day (corruption recovery, or by hand): no
  reference may repeat across the old and the new file, and today's small stock must not be
  handed out a second time.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from faultkit import Booth, Row, audit

from kiosk.prizes import claimcode

LOCK_S = 30.0
SMALL_STOCK = 2  # per tier and day, so the replaced-database case runs out of it


def small_stock_config() -> str:
    return "".join(
        f'[[prizes.tiers]]\nid = "{tier}"\nmin_score = {low}\ndaily_stock = {SMALL_STOCK}\n'
        for tier, low in (("gold", 85), ("silver", 60), ("thanks", 0))
    )


def prizes_in(db: Path) -> list[tuple[str, str, str]]:
    """(ref, tier, local day of issue) of every prize on record in ``db``."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT prize_ref, prize_tier, prize_code FROM plays WHERE prize_code IS NOT NULL"
        ).fetchall()
    finally:
        conn.close()
    return [(ref, tier, claimcode.parse(code).claim.issued.isoformat()) for ref, tier, code in rows]


def locked_for_30_s(folder: Path) -> Row:
    db = folder / "scores.db"
    booth = Booth(db, journeys=12, seed=4).start()
    booth.wait_plays(2, timeout=120)
    held = threading.Event()

    def staff_command() -> None:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        held.set()
        time.sleep(LOCK_S)
        conn.execute("COMMIT")
        conn.close()

    locker = threading.Thread(target=staff_command)
    locker.start()
    held.wait(10)
    before = len(booth.reported)
    locker.join()
    code = booth.wait(timeout=240)
    booths = [booth]
    pending = db.with_name(db.name + ".pending.jsonl")
    if pending.exists():  # it finished its journeys during the lock: the next start replays
        again = Booth(db, journeys=1, seed=5).start()
        again.wait(timeout=120)
        booths.append(again)
    during = sum(len(b.reported) for b in booths) - before
    row = audit(
        f"exclusive lock {LOCK_S:.0f} s",
        db,
        booths,
        recovered=code == 0 and not pending.exists(),
        note=f"exit {code}; {during} plays committed during and after the lock",
    )
    return row


def database_replaced(folder: Path) -> Row:
    db = folder / "scores.db"
    first = Booth(db, journeys=5, seed=6, config_text=small_stock_config()).start()
    code_first = first.wait(timeout=180)
    old = prizes_in(db)
    aside = folder / "scores.db.corrupt-by-hand"
    db.rename(aside)
    for suffix in ("-wal", "-shm"):
        side = db.with_name(db.name + suffix)
        if side.exists():
            side.rename(aside.with_name(aside.name + suffix))
    second = Booth(db, journeys=5, seed=7, config_text=small_stock_config()).start()
    code_second = second.wait(timeout=180)
    new = prizes_in(db)
    row = audit("database replaced mid-day", db, [second], recovered=False)
    repeated = len({ref for ref, _, _ in old} & {ref for ref, _, _ in new})
    per_day: dict[tuple[str, str], int] = {}
    for _, tier, day in old + new:
        per_day[(day, tier)] = per_day.get((day, tier), 0) + 1
    over = sum(max(0, n - SMALL_STOCK) for n in per_day.values())
    row.duplicated += repeated
    row.plays_reported += len(first.reported)
    row.recovered = code_first == code_second == 0 and repeated == 0 and over == 0
    row.note = (
        f"{len(old)}+{len(new)} prizes, {repeated} references repeated, "
        f"{over} over a stock of {SMALL_STOCK}/tier/day"
    )
    return row


CASES = [locked_for_30_s, database_replaced]
