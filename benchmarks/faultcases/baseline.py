"""The control row: a booth with no fault at all, and one stopped mid-journey by SIGKILL."""

from __future__ import annotations

import signal
from pathlib import Path

from faultkit import Booth, Row, audit


def no_fault(folder: Path) -> Row:
    db = folder / "scores.db"
    booth = Booth(db, journeys=6).start()
    code = booth.wait(timeout=180)
    return audit("no fault (6 journeys)", db, [booth], recovered=code == 0, note=f"exit {code}")


def killed_then_restarted(folder: Path) -> Row:
    db = folder / "scores.db"
    first = Booth(db, seed=2).start()
    first.wait_plays(3, timeout=120)
    first.stop(signal.SIGKILL)
    second = Booth(db, seed=3, journeys=3).start()
    code = second.wait(timeout=180)
    return audit(
        "SIGKILL mid-journey, restart",
        db,
        [first, second],
        recovered=code == 0 and len(second.reported) >= 3,
        note=f"restart exit {code}",
    )


CASES = [no_fault, killed_then_restarted]
