"""Organisers' tallies over ``scores.db``: time zones, per-game stats and the GROUP BY
behind ``smartizen export``.

Everything here is a query pushed into SQLite, so a fleet file of a million plays is counted
in well under a second: Python only ever sees one row per group.

Time zones: organisers think in Hong Kong time, so days and hours are HKT (UTC+08:00) unless
a :class:`Zone` says otherwise. Because ``started_at`` is fixed-width UTC text
(``2026-07-18T02:03:04.567Z``), a local hour or day is plain arithmetic on its digits, which
SQLite does several times faster than parsing each timestamp with ``strftime``; the tests
check the arithmetic against Python's own conversion.

Connections come from :func:`kiosk.playlog.access.open_read` (read-only, never changes the
file); ending plays left in progress is :mod:`kiosk.playlog.maintenance`.
"""

from __future__ import annotations

import re
import sqlite3
import zoneinfo
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

from kiosk.playlog.schema import IN_PROGRESS, PLAY_COLUMNS, PLAYS, utc_iso

# -- time zones ------------------------------------------------------------------------------

_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_HKT_NAMES = {"hkt", "hk", "hong kong", "asia/hong_kong", "hongkong"}
_UTC_NAMES = {"utc", "z", "gmt", "etc/utc", "zulu"}


@dataclass(frozen=True)
class Zone:
    """A fixed UTC offset in whole minutes, and how outputs name it."""

    offset_min: int
    label: str  # "HKT", "UTC" or "UTC+05:30": shown in headers and column names

    @property
    def tzinfo(self) -> timezone:
        return timezone(timedelta(minutes=self.offset_min), self.label)

    @property
    def offset_text(self) -> str:
        """``+08:00``"""
        return _offset_text(self.offset_min)

    @property
    def suffix(self) -> str:
        """For column names: ``hour_hkt``, ``day_utc``, ``hour_utc+0530``."""
        return self.label.lower().replace(":", "")

    def describe(self) -> str:
        """``HKT (UTC+08:00)``, ``UTC`` or ``UTC+05:30`` for headers."""
        if self.label.startswith("UTC"):
            return self.label
        return f"{self.label} (UTC{self.offset_text})"

    def hour_sql(self, column: str = "started_at") -> str:
        """SQL for the local hour of day (0-23) of a stored UTC timestamp."""
        hour = f"CAST(substr({column}, 12, 2) AS INTEGER)"
        if self.offset_min == 0:
            return hour
        if self.offset_min % 60 == 0:
            return f"(({hour} + {(self.offset_min // 60) % 24}) % 24)"
        minute = f"CAST(substr({column}, 15, 2) AS INTEGER)"
        return f"((({hour} * 60 + {minute} + {self.offset_min % 1440}) % 1440) / 60)"

    def day_sql(self, column: str = "started_at") -> str:
        """SQL for the local date (``YYYY-MM-DD``) of a stored UTC timestamp.

        The UTC date is the first ten characters; it moves a day only for instants past the
        UTC time at which local midnight falls, and only those few rows pay for ``date()``.
        """
        utc_day = f"substr({column}, 1, 10)"
        if self.offset_min == 0:
            return utc_day
        clock = f"substr({column}, 12, 5)"
        if self.offset_min > 0:
            rollover = _clock(1440 - self.offset_min)
            return (
                f"(CASE WHEN {clock} >= '{rollover}' THEN date({utc_day}, '+1 day') "
                f"ELSE {utc_day} END)"
            )
        rollover = _clock(-self.offset_min)
        return (
            f"(CASE WHEN {clock} < '{rollover}' THEN date({utc_day}, '-1 day') ELSE {utc_day} END)"
        )

    def local_iso_sql(self, column: str = "started_at") -> str:
        """SQL for a stored UTC timestamp written in this zone, e.g. ``…T10:03:04.567+08:00``
        (raw exports only: it parses every row, which the grouped counts avoid)."""
        return (
            f"CASE WHEN {column} IS NULL THEN NULL ELSE "
            f"strftime('%Y-%m-%dT%H:%M:%f', {column}, '{self.offset_min:+d} minutes') "
            f"|| '{'Z' if self.offset_min == 0 else self.offset_text}' END"
        )

    def now(self) -> datetime:
        return datetime.now(self.tzinfo)


def _offset_text(offset_min: int) -> str:
    hours, minutes = divmod(abs(offset_min), 60)
    return f"{'-' if offset_min < 0 else '+'}{hours:02d}:{minutes:02d}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


HKT = Zone(8 * 60, "HKT")
UTC_ZONE = Zone(0, "UTC")


def parse_zone(text: str) -> Zone:
    """``HKT`` (the default), ``UTC``, a fixed offset (``+08:00``, ``UTC-5``, ``+0530``) or an
    IANA name with one offset all year (``Asia/Hong_Kong``, ``Asia/Tokyo``).

    Zones with daylight saving are refused: a carnival day's hours would be ambiguous.
    """
    cleaned = text.strip()
    if cleaned.lower() in _HKT_NAMES:
        return HKT
    if cleaned.lower() in _UTC_NAMES:
        return UTC_ZONE
    match = _OFFSET.match(cleaned)
    if match:
        sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        if hours > 14 or minutes >= 60 or (hours == 14 and minutes):
            raise ValueError(f"{text!r}: offsets run from -14:00 to +14:00")
        offset = (hours * 60 + minutes) * (-1 if sign == "-" else 1)
        return _zone_for_offset(offset)
    try:
        tz = zoneinfo.ZoneInfo(cleaned)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{text!r} is not a time zone; use HKT, UTC, an offset like +08:00, "
            "or a name like Asia/Hong_Kong"
        ) from None
    year = datetime.now(UTC).year
    offsets = {datetime(year, month, 1, tzinfo=tz).utcoffset() for month in (1, 4, 7, 10)}
    if len(offsets) != 1:
        raise ValueError(
            f"{text!r} changes its UTC offset during the year (daylight saving); "
            "give a fixed offset such as +01:00 instead"
        )
    (offset,) = offsets
    return _zone_for_offset(int(offset.total_seconds() // 60))


def _zone_for_offset(offset_min: int) -> Zone:
    if offset_min == HKT.offset_min:
        return HKT
    if offset_min == 0:
        return UTC_ZONE
    return Zone(offset_min, "UTC" + _offset_text(offset_min))


# -- periods ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Plays whose ``started_at`` is in ``[since, until)``; either end may be open."""

    since: str | None = None  # UTC ISO text, as stored
    until: str | None = None
    label: str = "all plays"

    def where(self, column: str = "started_at") -> tuple[list[str], list[str]]:
        clauses, params = [], []
        if self.since is not None:
            clauses.append(f"{column} >= ?")
            params.append(self.since)
        if self.until is not None:
            clauses.append(f"{column} < ?")
            params.append(self.until)
        return clauses, params


SECRET_PLAY_COLUMNS = ("prize_code",)  # bearer claim codes: exported only when asked
ALL_PLAYS = Period()

_LOCAL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(text: str, zone: Zone) -> date:
    """``YYYY-MM-DD``, ``today`` or ``yesterday`` (in ``zone``)."""
    lowered = text.strip().lower()
    if lowered == "today":
        return zone.now().date()
    if lowered == "yesterday":
        return zone.now().date() - timedelta(days=1)
    if not _LOCAL_DATE.match(lowered):
        raise ValueError(f"{text!r} is not a date; use YYYY-MM-DD, today or yesterday")
    return date.fromisoformat(lowered)


def parse_instant(text: str, zone: Zone, end_of_day: bool = False) -> datetime:
    """A date (local midnight; with ``end_of_day`` the next midnight, so the day is
    included) or a date and time, local unless it carries its own offset or ``Z``."""
    stripped = text.strip()
    try:
        day = parse_day(stripped, zone)
    except ValueError:
        pass
    else:
        start = datetime.combine(day, datetime.min.time(), zone.tzinfo)
        return start + timedelta(days=1) if end_of_day else start
    try:
        moment = datetime.fromisoformat(stripped.replace(" ", "T", 1))
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date or time; use YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone.tzinfo)


def make_period(
    zone: Zone, day: str | None = None, since: str | None = None, until: str | None = None
) -> Period:
    """The period named by ``--date`` or by ``--since``/``--until`` (dates include the whole
    local day; a ``--until`` time is exclusive)."""
    if day is not None:
        if since is not None or until is not None:
            raise ValueError("give either a date or since/until, not both")
        local = parse_day(day, zone)
        start = datetime.combine(local, datetime.min.time(), zone.tzinfo)
        return Period(
            utc_iso(start), utc_iso(start + timedelta(days=1)), f"{local.isoformat()} {zone.label}"
        )
    start = parse_instant(since, zone) if since is not None else None
    end = parse_instant(until, zone, end_of_day=True) if until is not None else None
    if start is not None and end is not None and end <= start:
        raise ValueError("the end of the period is not after its start")
    if start is None and end is None:
        return Period()

    def shown(moment: datetime) -> str:
        return moment.astimezone(zone.tzinfo).strftime("%Y-%m-%d %H:%M")

    label = (
        (f"from {shown(start)} " if start is not None else "")
        + (f"until {shown(end)} " if end is not None else "")
        + zone.label
    )
    return Period(
        utc_iso(start) if start is not None else None,
        utc_iso(end) if end is not None else None,
        label,
    )


# -- stats -----------------------------------------------------------------------------------


@dataclass
class GameStats:
    """One game's tally; ``game`` is ``None`` for the all-games total."""

    game: str | None
    plays: int = 0
    completed: int = 0
    abandoned: int = 0
    error: int = 0
    in_progress: int = 0
    prizes: int = 0
    score_sum: int = 0
    scored: int = 0

    @property
    def completion_rate(self) -> float | None:
        """Completed ÷ ended plays; plays still in progress count neither way."""
        ended = self.plays - self.in_progress
        return self.completed / ended if ended else None

    @property
    def mean_score(self) -> float | None:
        return self.score_sum / self.scored if self.scored else None

    def add(self, other: GameStats) -> None:
        for name in ("plays", "completed", "abandoned", "error", "in_progress", "prizes"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.score_sum += other.score_sum
        self.scored += other.scored

    def as_dict(self) -> dict:
        rate, mean = self.completion_rate, self.mean_score
        return {
            "game": self.game,
            "plays": self.plays,
            "completed": self.completed,
            "abandoned": self.abandoned,
            "error": self.error,
            "in_progress": self.in_progress,
            "completion_rate": None if rate is None else round(rate, 4),
            "mean_score": None if mean is None else round(mean, 2),
            "prizes": self.prizes,
        }


@dataclass
class Stats:
    games: list[GameStats]
    total: GameStats = field(default_factory=lambda: GameStats(None))


def stats(conn: sqlite3.Connection, period: Period = ALL_PLAYS) -> Stats:
    """Plays, outcomes, mean score (completed plays) and prizes issued, per game."""
    clauses, params = period.where()
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = f"""
        SELECT game,
               count(*),
               sum(outcome = 'completed'),
               sum(outcome = 'abandoned'),
               sum(outcome = 'error'),
               sum(outcome = '{IN_PROGRESS}'),
               count(prize_tier),
               total(CASE WHEN outcome = 'completed' THEN score END),
               count(CASE WHEN outcome = 'completed' THEN score END)
        FROM {PLAYS} {where}
        GROUP BY game ORDER BY game
    """
    result = Stats(
        [GameStats(row[0], *(int(v) for v in row[1:])) for row in conn.execute(sql, params)]
    )
    for game in result.games:
        result.total.add(game)
    return result


# -- export ----------------------------------------------------------------------------------

DIMENSIONS = ("game", "day", "hour", "kiosk", "language", "tier")


def parse_dimensions(text: str) -> list[str]:
    """``"game,hour"`` → ``["game", "hour"]``; unknown names raise ``ValueError``."""
    dims: list[str] = []
    for part in text.split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name not in DIMENSIONS:
            raise ValueError(f"unknown dimension {name!r}; choose from {', '.join(DIMENSIONS)}")
        if name not in dims:
            dims.append(name)
    if not dims:
        raise ValueError(f"name at least one dimension: {', '.join(DIMENSIONS)}")
    return dims


def dimension_column(dim: str, zone: Zone) -> tuple[str, str]:
    """``(SQL expression, output column name)`` for one dimension."""
    if dim == "day":
        return zone.day_sql(), f"day_{zone.suffix}"
    if dim == "hour":
        return zone.hour_sql(), f"hour_{zone.suffix}"
    column = {"game": "game", "kiosk": "kiosk_id", "language": "language", "tier": "prize_tier"}
    return column[dim], column[dim]


def counts_query(
    dims: Sequence[str],
    zone: Zone = HKT,
    period: Period = ALL_PLAYS,
    outcomes: Sequence[str] = (),
) -> tuple[str, list[str], list[str]]:
    """``(sql, params, columns)`` counting plays per combination of ``dims``.

    The grouping runs in SQLite: with ``game`` and time dimensions it reads only the
    ``(game, started_at)`` index, never the table.
    """
    exprs = [dimension_column(d, zone) for d in dims]
    clauses, params = _filters(period, outcomes)
    where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
    select = ", ".join(f'{expr} AS "{name}"' for expr, name in exprs)
    positions = ", ".join(str(i + 1) for i in range(len(exprs)))
    sql = (
        f"SELECT {select}, count(*) AS plays FROM {PLAYS} {where}"
        f"GROUP BY {positions} ORDER BY {positions}"
    )
    return sql, params, [name for _, name in exprs] + ["plays"]


def counts(
    conn: sqlite3.Connection,
    dims: Sequence[str],
    zone: Zone = HKT,
    period: Period = ALL_PLAYS,
    outcomes: Sequence[str] = (),
) -> tuple[list[str], list[tuple]]:
    sql, params, columns = counts_query(dims, zone, period, outcomes)
    return columns, conn.execute(sql, params).fetchall()


def raw_sql(
    zone: Zone = HKT,
    period: Period = ALL_PLAYS,
    outcomes: Sequence[str] = (),
    with_codes: bool = False,
) -> tuple[str, list[str]]:
    """Every play row as stored (times in UTC), oldest first, plus its start in ``zone``.

    Without ``with_codes`` the claim code is left out: it is a bearer token (whoever shows
    it at the desk gets the prize), and a spreadsheet travels further than the database.
    """
    clauses, params = _filters(period, outcomes)
    where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
    local = f"started_{zone.suffix}"
    columns = [c for c in PLAY_COLUMNS if with_codes or c not in SECRET_PLAY_COLUMNS]
    select = ", ".join(f'"{c}"' for c in columns)
    sql = (
        f'SELECT {select}, {zone.local_iso_sql()} AS "{local}" '
        f"FROM {PLAYS} {where}ORDER BY started_at, id"
    )
    return sql, params


def raw_query(
    conn: sqlite3.Connection,
    zone: Zone = HKT,
    period: Period = ALL_PLAYS,
    outcomes: Sequence[str] = (),
    with_codes: bool = False,
) -> tuple[list[str], Iterator[tuple]]:
    """Columns and a lazy iterator over :func:`raw_sql`'s rows (a million plays stream)."""
    sql, params = raw_sql(zone, period, outcomes, with_codes)
    cursor = conn.execute(sql, params)
    return [d[0] for d in cursor.description], iter(cursor)


def _filters(period: Period, outcomes: Sequence[str]) -> tuple[list[str], list[str]]:
    clauses, params = period.where()
    if outcomes:
        clauses.append(f"outcome IN ({', '.join('?' for _ in outcomes)})")
        params.extend(outcomes)
    return clauses, params
