"""The numbers behind ``smartizen report``, read from indexes and one pass, sorting no play.

Every chart and table of the report is a sum over the same few dimensions. SQLite groups by
sorting, and sorting a million plays is what made the report slow, so the groups are asked for
in the order of an index that already holds them (:data:`~kiosk.playlog.schema.REPORT_HOUR_INDEX`:
UTC hour of the start, game, outcome, prize tier, score): one walk along it yields a few
ten thousand rows, which Python adds up into hours, days, games, score bands and tiers.
Local hours come from the UTC hour without parsing a timestamp (as in
:mod:`kiosk.organiser.tally`); in a zone whose hours turn at a minute past the UTC hour
(UTC+05:30) the walk is made twice, once for the minutes before the turn and once after.
Plays per kiosk come from the ``(kiosk_id, outcome, started_at)`` index, and which kiosks
played on which day from a few lookups in it.

What no index holds (plays per difficulty, prizes issued per tier) is added up in one pass
over the plays into a temporary table keyed by the few groups there are (:func:`_side_pass`),
not by a GROUP BY that would sort every play. A merged fleet file has no kiosk index
(kiosk/organiser/fleetfile.py): the same pass adds up plays per kiosk and UTC date, and the
hour walk says which local day each UTC date's plays fall on (:func:`_day_key`; by UTC hour
instead where plays went on past local midnight). A file from before those indexes
(read-only, so not migrated) is read the same way and gives the same numbers.

The central store (``--fleet``) is asked the same groups in one plain GROUP BY each, its
hour keys from :mod:`kiosk.organiser.dialect`, and gives the same numbers; the report's
day × hour table comes from the same passes and the difficulty split from
:func:`kiosk.organiser.tally.stats`.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kiosk.organiser.claimtally import ClaimRow
from kiosk.organiser.dialect import SQLITE, Dialect
from kiosk.organiser.source import Source, as_source
from kiosk.organiser.tally import ALL_PLAYS, GameStats, Period, Stats, Zone
from kiosk.organiser.tally import stats as stats_by
from kiosk.playlog.schema import HOUR_OF_START, KIOSK_OUTCOME_INDEX, PLAYS, utc_iso

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
    day_hour: dict[tuple[str, int], int] = field(default_factory=dict)  # (day, hour) → plays
    by_difficulty: list[GameStats] = field(default_factory=list)  # game None, difficulty set
    #: Prizes issued (a ``prize_ref``) per tier, as :func:`kiosk.organiser.claimtally.claims`
    #: counts them without knowing which were collected; ``None`` where not read here.
    issued: list[ClaimRow] | None = None


def hour_key_sql(zone: Zone, column: str = "started_at", dialect: Dialect = SQLITE) -> str:
    """A group key naming the UTC hour of ``column``, split where the local hour turns."""
    return dialect.hour_key(zone, column)


def _turn(zone: Zone) -> int:
    """The minute of each UTC hour at which the zone's local hour turns (0: on the hour)."""
    return (60 - zone.offset_min % 60) % 60


def local_hour(key: str, zone: Zone) -> tuple[str, int]:
    """``(local day, local hour)`` of an :func:`hour_key_sql` key."""
    start = datetime.strptime(key[:13], "%Y-%m-%dT%H")
    if key.endswith("+"):
        start += timedelta(minutes=_turn(zone))
    local = start + timedelta(minutes=zone.offset_min)
    return local.date().isoformat(), local.hour


def read(conn: Source | sqlite3.Connection, zone: Zone, period: Period = ALL_PLAYS) -> ReportData:
    source = as_source(conn)
    clauses, params = period.where(dialect=source.dialect)
    day_hour: Counter[tuple[str, int]] = Counter()
    places: dict[str, tuple[str, int]] = {}
    games: dict[str, GameStats] = {}
    hourly: Counter[tuple[int, str]] = Counter()
    day_plays: Counter[str] = Counter()
    day_done: Counter[str] = Counter()
    day_prizes: Counter[str] = Counter()
    bands: Counter[int] = Counter()
    tiers: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # prizes, Σscore, scored
    for k, game, outcome, tier, score, n in _hour_groups(source, zone, period):
        place = places.get(k)
        if place is None:
            place = places[k] = local_hour(k, zone)
        day, hour = place
        g = games.get(game)
        if g is None:
            g = games[game] = GameStats(game)
        g.plays += n
        if outcome in OUTCOMES:
            setattr(g, outcome, getattr(g, outcome) + n)
        hourly[hour, game] += n
        day_hour[day, hour] += n
        day_plays[day] += n
        if outcome == "completed":
            day_done[day] += n
            if score is not None:
                g.score_sum += score * n
                g.scored += n
                bands[min(int(score / 10), 9)] += n  # SQL's score / 10: towards zero
        if tier is not None:
            g.prizes += n
            day_prizes[day] += n
            t = tiers[tier]
            t[0] += n
            if score is not None:
                t[1] += score * n
                t[2] += n

    side = None
    if source.dialect is SQLITE:
        # Plays per kiosk and which kiosks played each day from this pass, where no kiosk
        # index gives them (a merged file, an old one).
        when = None
        if KIOSK_OUTCOME_INDEX not in _indexes(source):
            when = _day_key(zone, places)
        side = _side_pass(source, clauses, params, when)
    days = sorted(day_plays)
    if side is not None and side.kiosk_days is not None:
        kiosk_outcomes, day_kiosks = side.kiosks_and_days(days)
    else:
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        kiosk_outcomes = defaultdict(dict)
        for kiosk, outcome, n in source.execute(
            f"SELECT kiosk_id, outcome, count(*) FROM {PLAYS} {where} GROUP BY 1, 2", params
        ):
            kiosk_outcomes[kiosk][outcome] = n
        day_kiosks = _kiosks_per_day(source, zone, days, kiosk_outcomes, clauses, params)

    stats = Stats([games[name] for name in sorted(games)])
    for g in stats.games:
        stats.total.add(g)

    def best_first(item: tuple[str, list[int]]) -> tuple:
        tier, (_, total, scored) = item
        mean = total / scored if scored else None  # SQL's avg(): NULL sorts last, descending
        return (mean is None, -(mean or 0.0), tier)

    if side is not None:
        by_difficulty, issued = side.by_difficulty, side.issued
    else:
        by_difficulty, issued = stats_by(source, period, ["difficulty"]).games, None
    return ReportData(
        stats=stats,
        hourly=sorted((h, g, n) for (h, g), n in hourly.items()),
        daily=[(d, day_plays[d], day_done[d], day_prizes[d], day_kiosks[d]) for d in days],
        score_bands=dict(bands),
        prizes=[(t, v[0]) for t, v in sorted(tiers.items(), key=best_first)],
        kiosks=[(k, kiosk_outcomes[k]) for k in sorted(kiosk_outcomes)],
        days=days,
        day_hour=dict(day_hour),
        by_difficulty=by_difficulty,
        issued=issued,
    )


#: The temporary table :func:`_side_pass` adds up in: one row per group, the group's
#: columns first, then plays, the sum of scores and how many had a score. A NULL stands as
#: an empty blob, which no text column of the (STRICT) plays table can hold, so it is one
#: group as in GROUP BY (NULLs in a key never conflict): a key column per grouped column,
#: not two (an ``IS NULL`` flag and a value), made the pass a fifth faster.
_GROUPED = ("difficulty", "outcome", "prize_tier")
_GROUPS_TABLE = "temp.report_side_groups"


@dataclass
class SidePass:
    """What the report needs beside the hour walk, from one pass over the plays."""

    by_difficulty: list[GameStats]  # as tally.stats(by=["difficulty"])
    issued: list[ClaimRow]  # as claimtally.claims(dims=["tier"]) without collected prizes
    #: (kiosk, local day, outcome) → plays, where asked for (a file without the kiosk
    #: index); the day is None for a play the hour walk did not see (a booth still
    #: writing the file between the two reads)
    kiosk_days: dict[tuple[str, str | None, str], int] | None = None

    def kiosks_and_days(self, days: list[str]) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
        """Plays per kiosk and outcome, and how many kiosks had a play on each local day."""
        outcomes: dict[str, Counter[str]] = defaultdict(Counter)
        seen: dict[str | None, set[str]] = defaultdict(set)
        for (kiosk, day, outcome), n in (self.kiosk_days or {}).items():
            outcomes[kiosk][outcome] += n
            seen[day].add(kiosk)
        by_kiosk = {k: dict(sorted(c.items())) for k, c in outcomes.items()}
        return by_kiosk, {day: len(seen[day]) for day in days}


@dataclass
class DayKey:
    """SQL naming a group of plays that all start on one local day, and that day for each
    value it takes (:func:`_day_key`)."""

    sql: str
    day: Callable[[str], str | None]


def _day_key(zone: Zone, places: dict[str, tuple[str, int]]) -> DayKey:
    """The cheapest key telling the local day of a play, given the hour walk's ``places``
    (hour key → local day and hour, for every hour with a play): the UTC date, where each
    UTC date with plays falls on one local day (a carnival closed at local midnight; a
    short key, a few groups), else the UTC hour key (:func:`hour_key_sql`)."""
    local: dict[str, set[str]] = defaultdict(set)
    for key, (day, _) in places.items():
        local[key[:10]].add(day)
    if all(len(days) == 1 for days in local.values()):
        by_date = {date: days.pop() for date, days in local.items()}
        return DayKey("substr(started_at, 1, 10)", by_date.get)
    return DayKey(hour_key_sql(zone), lambda key: local_hour(key, zone)[0])


def _indexes(source: Source) -> set[str]:
    return {n for (n,) in source.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def _count_per_day(
    days: list[str],
    zone: Zone,
    kiosk_outcomes: dict[str, dict[str, int]],
    played: Callable[[str, list[str]], object],
) -> dict[str, int]:
    """Per local day, how many kiosks ``played(kiosk, [day's first instant, next day's])``
    says had a play (anything but ``None``)."""
    counts = {}
    for day in days:
        start = datetime.fromisoformat(day).replace(tzinfo=zone.tzinfo)
        bounds = [utc_iso(start), utc_iso(start + timedelta(days=1))]
        counts[day] = sum(played(kiosk, bounds) is not None for kiosk in kiosk_outcomes)
    return counts


def _side_pass(
    source: Source,
    clauses: list[str],
    params: list[str],
    when: DayKey | None = None,
) -> SidePass:
    """Plays per difficulty and prizes issued per tier (and, given ``when``, plays per
    kiosk, local day and outcome) in one pass over the plays.

    None of these has an index to walk (a merged file has no kiosk index:
    kiosk/organiser/fleetfile.py), and a GROUP BY over a million plays sorts them all
    (1.1 s and 0.45 s for the first two here). Added up in a temporary table keyed by the
    few groups there are instead, each play is one look-up in a small tree (0.55 s for
    both; 0.8 s with plays per kiosk and day)."""
    extra = [("kiosk_id", "kk"), (when.sql, "kh")] if when else []
    key = [name for _, name in extra]
    key += [f"k{i}" for i in range(len(_GROUPED))]
    columns = ", ".join([*key, "issued", "n", "s", "c"])
    values = ", ".join([expr for expr, _ in extra] + [f"ifnull({c}, x'')" for c in _GROUPED])
    where = f"WHERE {' AND '.join(clauses)}" if clauses else "WHERE true"
    source.execute(f"DROP TABLE IF EXISTS {_GROUPS_TABLE}")
    source.execute(
        f"CREATE TABLE {_GROUPS_TABLE} ({columns}, PRIMARY KEY ({', '.join(key)}, issued))"
    )
    try:
        source.execute(
            f"INSERT INTO {_GROUPS_TABLE} ({columns}) "
            f"SELECT {values}, prize_ref IS NOT NULL, 1, ifnull(score, 0), score IS NOT NULL "
            f"FROM {PLAYS} {where} "
            "ON CONFLICT DO UPDATE SET n = n + 1, s = s + excluded.s, c = c + excluded.c",
            params,
        )
        groups = source.execute(f"SELECT {columns} FROM {_GROUPS_TABLE}").fetchall()
    finally:
        source.execute(f"DROP TABLE IF EXISTS {_GROUPS_TABLE}")
    levels: dict[str | None, GameStats] = {}
    issued: Counter[str | None] = Counter()
    kiosk_days: Counter[tuple[str, str | None, str]] = Counter()
    for *where_, d, o, t, ref, n, s, c in groups:
        difficulty, outcome, tier = (None if isinstance(v, bytes) else v for v in (d, o, t))
        g = levels.get(difficulty)
        if g is None:
            g = levels[difficulty] = GameStats(None, difficulty=difficulty)
        g.plays += n
        if outcome in OUTCOMES:
            setattr(g, outcome, getattr(g, outcome) + n)
        if tier is not None:
            g.prizes += n
        if outcome == "completed":
            g.score_sum += s
            g.scored += c
        if ref:
            issued[tier] += n
        if when:
            kiosk, key = where_
            kiosk_days[kiosk, when.day(key), outcome] += n
    for g in levels.values():
        g.score_sum = int(g.score_sum)
    return SidePass(
        [levels[d] for d in sorted(levels, key=_nulls_first)],
        [ClaimRow((t,), issued[t], None) for t in sorted(issued, key=_nulls_first)],
        dict(kiosk_days) if when else None,
    )


def _nulls_first(value: str | None) -> tuple[bool, str]:
    """SQLite's order of a text column: NULL first, then by code point (BINARY)."""
    return (value is not None, value or "")


def hour_group_queries(zone: Zone, period: Period = ALL_PLAYS) -> list[tuple[str, list[str], str]]:
    """``(sql, params, key suffix)`` for plays per (hour key, game, outcome, prize tier,
    score), in the order of :data:`~kiosk.playlog.schema.REPORT_HOUR_INDEX`, so SQLite walks
    it instead of sorting. The hour column repeats the index's expression, and the period's
    bounds are also given on it, so a period is a seek into the index. In a zone whose hour
    turns at minute m, the minutes before m and after it are two walks (keys of the second
    get :func:`hour_key_sql`'s ``+``)."""
    hour = HOUR_OF_START
    where, params = period.where()
    for clause, value in zip(list(where), list(params), strict=True):
        op = ">=" if ">" in clause else "<="  # an hour that starts before `until` counts
        where.append(f"{hour} {op} substr(?, 1, 13)")
        params.append(value)
    turn, minute = _turn(zone), "substr(started_at, 15, 2)"
    halves = [([], "")]
    if turn:
        halves = [([f"{minute} < '{turn:02d}'"], ""), ([f"{minute} >= '{turn:02d}'"], "+")]
    queries = []
    for extra, suffix in halves:
        conditions = where + extra
        sql = (
            f"SELECT {hour}, game, outcome, prize_tier, score, count(*) FROM {PLAYS} "
            f"{'WHERE ' + ' AND '.join(conditions) if conditions else ''} GROUP BY 1, 2, 3, 4, 5"
        )
        queries.append((sql, params, suffix))
    return queries


def _hour_groups(
    source: Source, zone: Zone, period: Period
) -> Iterator[tuple[str, str, str, str | None, int | None, int]]:
    if source.dialect is not SQLITE:  # the central store: one plain GROUP BY
        d = source.dialect
        clauses, params = period.where(dialect=d)
        where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
        sql = (
            f"SELECT {d.hour_key(zone, 'started_at')}, game, outcome, prize_tier, score, "
            f"count(*) FROM {PLAYS} {where}GROUP BY 1, 2, 3, 4, 5"
        )
        for k, game, outcome, tier, score, n in source.execute(sql, params):
            yield k, game, outcome, tier, score, int(n)
        return
    for sql, params, suffix in hour_group_queries(zone, period):
        for k, *rest in source.execute(sql, params):
            yield (k + suffix, *rest)


def _kiosks_per_day(
    source: Source,
    zone: Zone,
    days: list[str],
    kiosk_outcomes: dict[str, dict[str, int]],
    clauses: list[str],
    params: list[str],
) -> dict[str, int]:
    """How many kiosks have a play starting on each local day: for each day and kiosk, a
    lookup per outcome in the ``(kiosk_id, outcome, started_at)`` index until one is found;
    in a file without that index, and on the central store, one grouped pass."""
    extra = "".join(f" AND {c}" for c in clauses)
    d = source.dialect
    if (
        d is not SQLITE
        or not source.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", [KIOSK_OUTCOME_INDEX]
        ).fetchone()
    ):
        seen: dict[str, set[str]] = defaultdict(set)
        for k, kiosk in source.execute(
            f"SELECT {hour_key_sql(zone, dialect=d)}, kiosk_id FROM {PLAYS} WHERE true{extra} "
            "GROUP BY 1, 2",
            params,
        ):
            seen[local_hour(k, zone)[0]].add(kiosk)
        return {day: len(seen[day]) for day in days}
    sql = (
        f"SELECT 1 FROM {PLAYS} WHERE kiosk_id = ? AND outcome = ? AND started_at >= ? "
        f"AND started_at < ?{extra} LIMIT 1"
    )

    def played(kiosk: str, bounds: list[str]) -> object:
        for outcome in kiosk_outcomes[kiosk]:
            if source.execute(sql, [kiosk, outcome, *bounds, *params]).fetchone():
                return True
        return None

    return _count_per_day(days, zone, kiosk_outcomes, played)
