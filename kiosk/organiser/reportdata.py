"""The numbers behind ``smartizen report``, from two aggregate passes over ``plays``.

Every chart and table of the report is a sum over the same few dimensions, so instead of one
query per chart (each a full scan and sort of a million plays) the report asks SQLite twice:
plays per local hour × game × outcome × prize tier × score band, and plays per local hour ×
kiosk × outcome. Python adds up the few thousand rows that come back. Local hours are found
from the stored UTC text without parsing each timestamp (as in :mod:`kiosk.organiser.tally`):
the group key is the UTC hour, split at the minute where the zone's local hour turns.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kiosk.organiser.tally import ALL_PLAYS, GameStats, Period, Stats, Zone

OUTCOMES = ("completed", "abandoned", "error", "in_progress")


@dataclass
class ReportData:
    stats: Stats
    hourly: list[tuple[int, str, int]]  # (local hour, game, plays), as tally.counts gives
    daily: list[tuple[str, int, int, int, int]]  # (day, plays, completed, prizes, kiosks)
    score_bands: dict[int, int]  # band 0–9 (90–100 is band 9) → completed plays
    prizes: list[tuple[str, int]]  # tier → prizes, best tier (highest mean score) first
    kiosks: list[tuple[str, dict[str, int]]]  # kiosk → plays per outcome, by kiosk id
    days: list[str] = field(default_factory=list)


def hour_key_sql(zone: Zone, column: str = "started_at") -> str:
    """A group key naming the UTC hour of ``column``, split where the local hour turns."""
    key = f"substr({column}, 1, 13)"
    turn = (60 - zone.offset_min % 60) % 60
    if turn:
        key += f" || (CASE WHEN substr({column}, 15, 2) >= '{turn:02d}' THEN '+' ELSE '' END)"
    return key


def local_hour(key: str, zone: Zone) -> tuple[str, int]:
    """``(local day, local hour)`` of an :func:`hour_key_sql` key."""
    start = datetime.strptime(key[:13], "%Y-%m-%dT%H")
    if key.endswith("+"):
        start += timedelta(minutes=(60 - zone.offset_min % 60) % 60)
    local = start + timedelta(minutes=zone.offset_min)
    return local.date().isoformat(), local.hour


def read(conn: sqlite3.Connection, zone: Zone, period: Period = ALL_PLAYS) -> ReportData:
    clauses, params = period.where()
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    key = hour_key_sql(zone)
    places: dict[str, tuple[str, int]] = {}

    def place(k: str) -> tuple[str, int]:
        if k not in places:
            places[k] = local_hour(k, zone)
        return places[k]

    games: dict[str, GameStats] = {}
    hourly: Counter[tuple[int, str]] = Counter()
    day_plays: Counter[str] = Counter()
    day_done: Counter[str] = Counter()
    day_prizes: Counter[str] = Counter()
    bands: Counter[int] = Counter()
    tiers: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0])  # prizes, Σscore, scored
    for k, game, outcome, tier, band, n, score_sum, scored in conn.execute(
        f"SELECT {key}, game, outcome, prize_tier, CASE WHEN outcome = 'completed' AND score "
        "IS NOT NULL THEN min(score / 10, 9) END, count(*), total(score), count(score) "
        f"FROM plays {where} GROUP BY 1, 2, 3, 4, 5",
        params,
    ):
        day, hour = place(k)
        g = games.setdefault(game, GameStats(game))
        g.plays += n
        if outcome in OUTCOMES:
            setattr(g, outcome, getattr(g, outcome) + n)
        hourly[hour, game] += n
        day_plays[day] += n
        if outcome == "completed":
            g.score_sum += int(score_sum)
            g.scored += scored
            day_done[day] += n
        if tier is not None:
            g.prizes += n
            day_prizes[day] += n
            t = tiers[tier]
            t[0] += n
            t[1] += score_sum
            t[2] += scored
        if band is not None:
            bands[band] += n

    kiosk_outcomes: dict[str, Counter[str]] = defaultdict(Counter)
    day_kiosks: dict[str, set[str]] = defaultdict(set)
    for k, kiosk, outcome, n in conn.execute(
        f"SELECT {key}, kiosk_id, outcome, count(*) FROM plays {where} GROUP BY 1, 2, 3", params
    ):
        kiosk_outcomes[kiosk][outcome] += n
        day_kiosks[place(k)[0]].add(kiosk)

    stats = Stats([games[name] for name in sorted(games)])
    for g in stats.games:
        stats.total.add(g)
    days = sorted(day_plays)

    def best_first(item: tuple[str, list[float]]) -> tuple:
        tier, (_, total, scored) = item
        mean = total / scored if scored else None  # SQL's avg(): NULL sorts last, descending
        return (mean is None, -(mean or 0.0), tier)

    return ReportData(
        stats=stats,
        hourly=sorted((h, g, n) for (h, g), n in hourly.items()),
        daily=[(d, day_plays[d], day_done[d], day_prizes[d], len(day_kiosks[d])) for d in days],
        score_bands=dict(bands),
        prizes=[(t, int(v[0])) for t, v in sorted(tiers.items(), key=best_first)],
        kiosks=[(k, dict(kiosk_outcomes[k])) for k in sorted(kiosk_outcomes)],
        days=days,
    )
