"""Helpers shared by the benchmark scripts: headless set-up, percentiles, output, a kiosk
file filled with plays."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def emit(data: dict, table: list[tuple], header: tuple, as_json: bool) -> None:
    if as_json:
        print(json.dumps(data))
        return
    widths = [max(len(str(r[i])) for r in [header, *table]) for i in range(len(header))]
    for row in [header, *table]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def fill_plays(path: Path, count: int, day: date = date(2026, 7, 18), kiosk_id: str = "K01") -> int:
    """``count`` completed rounds of local ``day`` (from 10:00 HKT, one a second) written into
    the kiosk file at ``path`` in bulk, through the PlayStore that makes its schema and the
    fleet outbox's triggers (so each row is versioned as a booth's would be). Returns the
    file's sync backlog."""
    from kiosk.playlog.schema import utc_iso
    from kiosk.playlog.store import PlayStore
    from kiosk.sync import outbox

    first = datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)  # 10:00 in Hong Kong
    with PlayStore(path, kiosk_id) as store:
        rows = []
        for i in range(count):
            start = first + timedelta(seconds=i % 36_000)
            rows.append(
                {
                    "id": f"{i:032x}",
                    "kiosk_id": kiosk_id,
                    "game": "recycle_right",
                    "language": "en" if i % 2 else "zh-HK",
                    "difficulty": "normal",
                    "started_at": utc_iso(start),
                    "ended_at": utc_iso(start + timedelta(seconds=45.5)),
                    "duration_s": 45.5,
                    "score": i % 100,
                    "outcome": "completed",
                    "details": '{"taps": 12, "hits": 9}',
                }
            )
        store.db["plays"].insert_all(rows, batch_size=5000)
        return outbox.backlog(store.db)
