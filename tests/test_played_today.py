"""The attract loop's "N citizens played today" (the heartbeat's ``played_today``) and the
dashboard's "plays today" are one number: both sum migration 0004's half-hour totals over
the same local day (kiosk/fleet/heartbeat.py, kiosk/fleet/dashboard/today.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from kiosk.fleet.dashboard.today import compute
from kiosk.fleet.heartbeat import played_today
from kiosk.localday import day_bounds, local_date

NOW = datetime(2026, 7, 18, 6, 0, tzinfo=UTC)  # 14:00 in Hong Kong


def _play(conn: psycopg.Connection, n: int, at: datetime, outcome: str = "completed") -> None:
    conn.execute(
        "INSERT INTO plays (kiosk_id, id, game, language, difficulty, started_at, outcome,"
        " version) VALUES (%s, %s, 'recycle_right', 'en', 'normal', %s, %s, 1)",
        (f"K0{n % 3}", f"p{n}", at, outcome),
    )


@pytest.mark.parametrize("offset", [8.0, 5.75])
def test_the_heartbeat_and_the_dashboard_count_the_same_plays(central_db, offset) -> None:
    start, end = day_bounds(local_date(NOW, offset), offset)
    moments = [
        start - timedelta(seconds=1),  # the day before
        start,
        start + timedelta(minutes=10),  # within the day's first half hour
        start + timedelta(hours=5, minutes=29, seconds=59),
        NOW - timedelta(minutes=1),
        end - timedelta(seconds=1),
        end,  # the next day
    ]
    with psycopg.connect(central_db, autocommit=True) as conn:
        for n, at in enumerate(moments):
            _play(conn, n, at, "abandoned" if n % 2 else "completed")
        counted = played_today(conn, NOW, offset)
    with ConnectionPool(central_db, min_size=1, max_size=1) as pool:
        shown = compute(pool, local_date(NOW, offset), offset, NOW)
    assert counted == shown.plays
    if offset == 8.0:  # whole hours: the half hours hold exactly the day's rounds
        assert counted == 5
