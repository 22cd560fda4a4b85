"""The carnival's day so far, in numbers: plays by booth × game × hour, the visitors' funnel,
prizes issued vs collected, and each booth's downtime (gaps in its heartbeats).

"Today" is the carnival's local day (kiosk/localday.py), turned into a UTC range once, so every
query is a range scan on one index of migration 0004 and reads nothing of earlier days. Hours
are counted from the local midnight (``hour 10`` is 10:00–10:59 local), whatever the offset.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from psycopg_pool import ConnectionPool

from kiosk.localday import day_bounds

GAP = timedelta(minutes=1)  # heartbeats come every ~15 s; a longer silence is downtime
FUNNEL = ("touched", "language", "game", "started", "completed", "qr")


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
    span = {"start": start, "end": end, "gap": GAP}
    today = Today(day=day, start=start, computed_at=now)
    began = datetime.now()
    with pool.connection() as conn:
        # The offset is whole hours or halves; local hour = hours since local midnight.
        for kiosk, game, hour, n, done in conn.execute(
            "SELECT kiosk_id, game,"
            " floor(extract(epoch FROM started_at - %(start)s) / 3600)::int AS hour,"
            " count(*), count(*) FILTER (WHERE outcome = 'completed')"
            " FROM plays WHERE started_at >= %(start)s AND started_at < %(end)s"
            " GROUP BY 1, 2, 3",
            span,
        ):
            today.cells[kiosk, game, hour] = [n, done]

        row = conn.execute(
            "SELECT count(*), count(language_chosen_at), count(game_chosen_at),"
            " count(play_started_at), count(qr_shown_at)"
            " FROM visits WHERE touched_at >= %(start)s AND touched_at < %(end)s",
            span,
        ).fetchone()
        # "Completed": the visit's round ended with outcome completed (finished_at alone also
        # counts rounds given up).
        completed = conn.execute(
            "SELECT count(*) FROM visits v JOIN plays p"
            " ON p.kiosk_id = v.kiosk_id AND p.id = v.play_id"
            " WHERE v.touched_at >= %(start)s AND v.touched_at < %(end)s"
            " AND p.started_at >= %(start)s - interval '1 hour' AND p.started_at < %(end)s"
            " AND p.outcome = 'completed'",
            span,
        ).fetchone()[0]
        touched, language, game, started, qr = row
        today.funnel = dict(zip(FUNNEL, (touched, language, game, started, completed, qr),
                                strict=True))

        for tier, issued, collected in conn.execute(
            "WITH got AS (SELECT DISTINCT prize_ref FROM claim_events"
            "  WHERE event = 'collected' AND at >= %(start)s)"
            " SELECT p.prize_tier, count(*), count(got.prize_ref)"
            " FROM plays p LEFT JOIN got ON got.prize_ref = p.prize_ref"
            " WHERE p.started_at >= %(start)s AND p.started_at < %(end)s"
            " AND p.prize_ref IS NOT NULL GROUP BY 1",
            span,
        ):
            today.issued[tier or "?"] = issued
            today.collected[tier or "?"] = collected

        # Per booth, its heartbeats in order straight off (kiosk_id, at): no sort of the day.
        for kiosk, gaps, seconds, longest in conn.execute(
            "SELECT k.kiosk_id, d.gaps, d.seconds, d.longest FROM kiosks k CROSS JOIN LATERAL ("
            "  SELECT count(*) AS gaps, coalesce(sum(g), 0) AS seconds,"
            "   coalesce(max(g), 0) AS longest FROM ("
            "    SELECT extract(epoch FROM at - lag(at) OVER (ORDER BY at)) AS g"
            "    FROM heartbeats h WHERE h.kiosk_id = k.kiosk_id"
            "    AND h.at >= %(start)s AND h.at < %(end)s) x"
            "  WHERE g > extract(epoch FROM %(gap)s::interval)) d",
            span,
        ):
            today.downtime[kiosk] = Downtime(int(gaps), float(seconds), float(longest))
    today.query_ms = (datetime.now() - began).total_seconds() * 1000
    return today


def gaps(
    pool: ConnectionPool, kiosk_id: str, day: date, offset_hours: float, limit: int = 20
) -> list[tuple[datetime, datetime]]:
    """One booth's silences longer than a minute today, latest first: (last beat, next beat)."""
    start, end = day_bounds(day, offset_hours)
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT prev, at FROM (SELECT lag(at) OVER (ORDER BY at) AS prev, at"
            " FROM heartbeats WHERE kiosk_id = %s AND at >= %s AND at < %s) x"
            " WHERE at - prev > %s ORDER BY at DESC LIMIT %s",
            (kiosk_id, start, end, GAP, limit),
        ).fetchall()
    return [(r[0], r[1]) for r in rows]
