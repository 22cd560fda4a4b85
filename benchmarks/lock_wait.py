"""Writers queued behind a held SQLite write lock: how long they wait, and that they then write.

Two cases the tests check by order of events (tests/test_store.py, tests/test_tally.py):
the kiosk finishing a play while a staff command holds ``BEGIN IMMEDIATE``, and the
organisers' ``reset`` (tally.end_in_progress) while the kiosk is mid-transaction. Here the
lock is held for ``--hold`` seconds and the wait is timed: it should be the hold plus a few
milliseconds (SQLite's busy handler polls), never an error. ``--json`` prints
{"hold_s": …, "finish_wait_s": {...}, "reset_wait_s": {...}, "within_budget": bool}.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import emit

from kiosk.playlog.maintenance import end_in_progress
from kiosk.playlog.store import PlayStore

SLACK_S = 0.2  # how much longer than the hold a queued writer may take
T0 = datetime(2026, 7, 18, 2, 0, tzinfo=UTC)


def finish_behind_a_staff_command(db: Path, hold_s: float) -> float:
    """Seconds ``finish_play`` takes while another connection holds the write lock."""
    with PlayStore(db, kiosk_id="K01", busy_timeout_s=5.0) as store:
        play_id = store.start_play("recycle_right", "en", "adult", T0)
        locked = threading.Event()

        def staff_command() -> None:
            conn = sqlite3.connect(db, isolation_level=None)
            try:
                conn.execute("BEGIN IMMEDIATE")
                locked.set()
                time.sleep(hold_s)
                conn.execute("COMMIT")
            finally:
                conn.close()

        thread = threading.Thread(target=staff_command)
        thread.start()
        locked.wait(5)
        t0 = time.perf_counter()
        store.finish_play(play_id, "completed", T0 + timedelta(seconds=45), score=90)
        waited = time.perf_counter() - t0
        thread.join()
    return waited


def reset_behind_the_kiosk(db: Path, hold_s: float) -> float:
    """Seconds the organisers' reset takes while the kiosk is mid-transaction."""
    with PlayStore(db, kiosk_id="K01") as kiosk:
        kiosk.start_play("recycle_right", "en", "adult", T0)
        waited: list[float] = []

        def staff_reset() -> None:
            t0 = time.perf_counter()
            end_in_progress(db, datetime.now(UTC))
            waited.append(time.perf_counter() - t0)

        with kiosk._write():  # the kiosk is writing when staff press enter
            staff = threading.Thread(target=staff_reset)
            staff.start()
            time.sleep(hold_s)
        staff.join()
    return waited[0]


def summary(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 3), "max": round(max(values), 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--hold", type=float, default=0.3, help="seconds the lock is held")
    args = parser.parse_args()
    finish, reset = [], []
    for n in range(args.runs):
        folder = Path(tempfile.mkdtemp())
        finish.append(finish_behind_a_staff_command(folder / f"finish{n}.db", args.hold))
        reset.append(reset_behind_the_kiosk(folder / f"reset{n}.db", args.hold))
    data = {
        "hold_s": args.hold,
        "finish_wait_s": summary(finish),
        "reset_wait_s": summary(reset),
        "within_budget": max(finish + reset) <= args.hold + SLACK_S,
    }
    table = [
        ("kiosk finish behind staff", *data["finish_wait_s"].values(), args.hold + SLACK_S),
        ("staff reset behind kiosk", *data["reset_wait_s"].values(), args.hold + SLACK_S),
    ]
    emit(data, table, ("writer", "median s", "max s", "budget s"), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
