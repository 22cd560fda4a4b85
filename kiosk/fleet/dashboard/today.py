"""The carnival's day so far, in numbers: plays by booth × game × hour, the visitors' funnel,
prizes issued vs collected, and each booth's downtime (gaps in its heartbeats).

"Today" is the carnival's local day (kiosk/localday.py), turned into a UTC range once. The
numbers come from the running totals of migration 0004 (per half hour, kept by triggers as
rows arrive), so a day costs a few thousand small rows however many plays it had. Hours are
counted from the local midnight (``hour 10`` is 10:00–10:59 local).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from psycopg_pool import ConnectionPool

from kiosk.fleet.dashboard.stock import StockCell, stock_of_day
from kiosk.funnel import STAGES as FUNNEL
from kiosk.localday import day_bounds


@dataclass
class Downtime:
    gaps: int = 0
    seconds: float = 0.0
    longest_s: float = 0.0


@dataclass
class Today:
    day: date
    start: datetime  # UTC
    computed_at: datetime
    # (kiosk_id, game, hour) → [plays, completed]
    cells: dict[tuple[str, str, int], list[int]] = field(default_factory=dict)
    funnel: dict[str, int] = field(default_factory=dict)
    issued: dict[str, int] = field(default_factory=dict)  # tier → prizes given today
    collected: dict[str, int] = field(default_factory=dict)  # tier → of those, collected
    downtime: dict[str, Downtime] = field(default_factory=dict)
    # (kiosk_id, tier) → the day's stock from the store's data (kiosk/fleet/dashboard/stock.py)
    stock: dict[tuple[str, str], StockCell] = field(default_factory=dict)
    query_ms: float = 0.0

    @property
    def plays(self) -> int:
        return sum(v[0] for v in self.cells.values())

    @property
    def completed(self) -> int:
        return sum(v[1] for v in self.cells.values())

    def by(self, axis: str) -> dict[tuple[str, int], int]:
        """Plays per (booth or game, hour); axis is "booth" or "game"."""
        out: dict[tuple[str, int], int] = defaultdict(int)
        for (kiosk, game, hour), (n, _) in self.cells.items():
            out[kiosk if axis == "booth" else game, hour] += n
        return dict(out)

    def per_booth(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for (kiosk, _, _), (n, _) in self.cells.items():
            out[kiosk] += n
        return dict(out)

    def per_booth_game(self, kiosk_id: str) -> dict[tuple[str, int], int]:
        return {(g, h): v[0] for (k, g, h), v in self.cells.items() if k == kiosk_id}

    def hours(self, now_hour: int) -> list[int]:
        """The hours worth a column: from the first with plays (or 10:00) to the later of the
        last with plays and the current one."""
        used = [h for (_, _, h) in self.cells]
        first = min([*used, 10, now_hour])
        last = max([*used, now_hour])
        return list(range(max(0, first), min(23, last) + 1))


def compute(pool: ConnectionPool, day: date, offset_hours: float, now: datetime) -> Today:
    """Every aggregate of local ``day`` (a few index-only range scans)."""
    start, end = day_bounds(day, offset_hours)
    span = {"start": start, "end": end}
    today = Today(day=day, start=start, computed_at=now)
    began = datetime.now()
    with pool.connection() as conn:
        # Hours since the local midnight; buckets are half hours, aligned with any whole- or
        # half-hour offset.
        for kiosk, game, hour, n, done in conn.execute(
            "SELECT kiosk_id, game,"
            " floor(extract(epoch FROM bucket - %(start)s) / 3600)::int AS hour,"
            " sum(plays)::int, sum(completed)::int"
            " FROM dash_plays WHERE bucket >= %(start)s AND bucket < %(end)s"
            " GROUP BY 1, 2, 3 HAVING sum(plays) > 0",
            span,
        ):
            today.cells[kiosk, game, hour] = [n, done]

        row = conn.execute(
            "SELECT coalesce(sum(touched), 0), coalesce(sum(language), 0),"
            " coalesce(sum(game), 0), coalesce(sum(started), 0), coalesce(sum(completed), 0),"
            " coalesce(sum(qr), 0)"
            " FROM dash_visits WHERE bucket >= %(start)s AND bucket < %(end)s",
            span,
        ).fetchone()
        today.funnel = dict(zip(FUNNEL, (int(x) for x in row), strict=True))

        for tier, issued, collected in conn.execute(
            "SELECT tier, sum(issued)::int, sum(collected)::int FROM dash_prizes"
            " WHERE bucket >= %(start)s AND bucket < %(end)s GROUP BY 1 HAVING sum(issued) > 0",
            span,
        ):
            today.issued[tier] = issued
            today.collected[tier] = collected

        # Silences within the day: one across midnight is a booth closed for the night.
        for kiosk, n, seconds, longest in conn.execute(
            "SELECT kiosk_id, count(*), sum(extract(epoch FROM to_at - from_at)),"
            " max(extract(epoch FROM to_at - from_at))"
            " FROM dash_gaps WHERE from_at >= %(start)s AND to_at < %(end)s GROUP BY 1",
            span,
        ):
            today.downtime[kiosk] = Downtime(int(n), float(seconds), float(longest))

        today.stock = stock_of_day(conn, day, offset_hours)
    today.query_ms = (datetime.now() - began).total_seconds() * 1000
    return today


def gaps(
    pool: ConnectionPool, kiosk_id: str, day: date, offset_hours: float, limit: int = 20
) -> list[tuple[datetime, datetime]]:
    """One booth's silences longer than a minute today, latest first: (last beat, next beat)."""
    start, end = day_bounds(day, offset_hours)
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT from_at, to_at FROM dash_gaps WHERE kiosk_id = %s AND from_at >= %s"
            " AND to_at < %s ORDER BY to_at DESC LIMIT %s",
            (kiosk_id, start, end, limit),
        ).fetchall()
    return [(r[0], r[1]) for r in rows]
