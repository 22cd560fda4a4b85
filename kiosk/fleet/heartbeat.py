"""A booth's heartbeat: its status replaces the last one, its arrival is logged, and the
answer tells it the centre's time, how many rounds the whole carnival played today and
what organisers want it to do (kiosk/fleet/desired.py).

``seen_at`` and ``at`` are the centre's clock, never the booth's: a booth with a skewed
clock must not look online (or offline) because of it. Its own clock is kept beside, so the
dashboard can show the skew.
"""

from __future__ import annotations

import threading
import time
from dataclasses import field
from datetime import UTC, date, datetime
from typing import Annotated, Any

import psycopg
from psycopg.types.json import Jsonb
from pydantic import ConfigDict, Field
from pydantic.dataclasses import dataclass

from kiosk import typedtoml
from kiosk.fleet.desired import DESIRED_SQL, desired_answer
from kiosk.fleet.ingest import BatchRefused
from kiosk.localday import day_bounds, local_date
from kiosk.playlog.schema import utc_iso

_Text = Annotated[str | None, Field(max_length=2000, description="text up to 2000 characters")]


# Unknown keys are ignored, not refused: a booth with newer software that reports one more
# field must still be seen as online by an older centre.
@dataclass(config=ConfigDict(extra="ignore"))
class Status:
    kiosk_id: str
    booth_clock: datetime | None = None
    software_version: _Text = None
    uptime_s: float | None = None
    screen: _Text = None
    db_health: _Text = None
    speech_health: _Text = None
    backlog: Annotated[int | None, Field(ge=0, description="a whole number ≥ 0")] = None
    # Rows the centre refused that the booth keeps aside (kiosk/sync/pusher.py).
    quarantined: Annotated[int | None, Field(ge=0, description="a whole number ≥ 0")] = None
    stock_left: dict[str, int | None] | None = None  # None: a tier without a limit
    sold_out: dict[str, str | None] | None = None
    paused: bool = False
    applied_revision: Annotated[int, Field(ge=0, description="a whole number ≥ 0")] = 0
    warnings: list[str] = field(default_factory=list)


def parse_status(body: Any) -> Status:
    """The heartbeat body checked; :class:`BatchRefused` (400) with one line if wrong."""
    if not isinstance(body, dict):
        raise BatchRefused("the heartbeat must be a JSON object")
    return typedtoml.build(Status, body, "heartbeat", BatchRefused)


def played_today(conn: psycopg.Connection[Any], now: datetime, utc_offset_hours: float) -> int:
    """Rounds started on the carnival's local day of ``now``, across every booth."""
    bounds = day_bounds(local_date(now, utc_offset_hours), utc_offset_hours)
    row = conn.execute(_PLAYED, bounds).fetchone()
    return int(row[0]) if row else 0


# The dashboard's "plays today" (kiosk/fleet/dashboard/today.py) is the same sum of the same
# half-hour totals over the same local day, so the attract loop and the dashboard never show
# two numbers; a few hundred small rows instead of a day's plays, too.
_PLAYED = (
    "SELECT coalesce(sum(plays), 0) FROM dash_plays WHERE bucket >= %s AND bucket < %s"
)
_STATUS = (
    "INSERT INTO booth_status (kiosk_id, seen_at, booth_clock, software_version,"
    " uptime_s, screen, db_health, speech_health, backlog, stock_left, sold_out,"
    " paused, applied_revision, warnings, quarantined)"
    " VALUES (%s, now(), %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (kiosk_id) DO UPDATE SET seen_at = EXCLUDED.seen_at,"
    " booth_clock = EXCLUDED.booth_clock,"
    " software_version = EXCLUDED.software_version, uptime_s = EXCLUDED.uptime_s,"
    " screen = EXCLUDED.screen, db_health = EXCLUDED.db_health,"
    " speech_health = EXCLUDED.speech_health, backlog = EXCLUDED.backlog,"
    " stock_left = EXCLUDED.stock_left, sold_out = EXCLUDED.sold_out,"
    " paused = EXCLUDED.paused, applied_revision = EXCLUDED.applied_revision,"
    " warnings = EXCLUDED.warnings, quarantined = EXCLUDED.quarantined"
    " RETURNING seen_at"
)


class TodayCount:
    """Today's rounds across the fleet, counted at most once every ``ttl_s`` seconds and
    shared by every heartbeat: a hundred booths asking every 15 s would otherwise count a
    whole day's plays several times a second. ``ttl_s = 0`` counts every time."""

    def __init__(self, ttl_s: float) -> None:
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        self._kept: tuple[date, float, int] | None = None  # (local day, monotonic, count)

    def get(self, day: date) -> int | None:
        with self._lock:
            kept = self._kept
        if kept and kept[0] == day and time.monotonic() - kept[1] < self.ttl_s:
            return kept[2]
        return None

    def put(self, day: date, count: int) -> None:
        with self._lock:
            self._kept = (day, time.monotonic(), count)


def record(
    conn: psycopg.Connection[Any],
    status: Status,
    utc_offset_hours: float,
    today: TodayCount | None = None,
) -> dict[str, Any]:
    """Store the heartbeat and return the answer the booth gets (docs/fleet-contract.md).

    One pipelined transaction: the four statements travel together, so a heartbeat costs
    one round trip to the database. ``now()`` is the transaction's start on the database's
    clock, the same instant in both tables and in ``server_time``; today's bounds are taken
    from the service's clock (the two differ only for a query straddling local midnight).
    """
    status_row = (
        status.kiosk_id,
        status.booth_clock,
        status.software_version,
        status.uptime_s,
        status.screen,
        status.db_health,
        status.speech_health,
        status.backlog,
        None if status.stock_left is None else Jsonb(status.stock_left),
        None if status.sold_out is None else Jsonb(status.sold_out),
        status.paused,
        status.applied_revision,
        Jsonb(status.warnings),
        status.quarantined or 0,
    )
    day = local_date(datetime.now(UTC), utc_offset_hours)
    known = today.get(day) if today else None
    seen, played, desired = conn.cursor(), conn.cursor(), conn.cursor()
    with conn.pipeline(), conn.transaction():
        seen.execute(_STATUS, status_row)
        conn.execute(
            "INSERT INTO heartbeats (kiosk_id, at, screen, backlog) VALUES (%s, now(), %s, %s)",
            (status.kiosk_id, status.screen, status.backlog),
        )
        if known is None:
            played.execute(_PLAYED, day_bounds(day, utc_offset_hours))
        desired.execute(DESIRED_SQL, (status.kiosk_id,))
    if known is None:
        known = int(played.fetchone()[0])  # type: ignore[index]
        if today:
            today.put(day, known)
    now: datetime = seen.fetchone()[0]  # type: ignore[index]
    answer: dict[str, Any] = {"server_time": utc_iso(now), "played_today": known}
    row = desired.fetchone()
    if row is not None:
        answer["desired"] = desired_answer(row)
    return answer
