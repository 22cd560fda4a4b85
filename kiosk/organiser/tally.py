"""Organisers' tallies over ``scores.db`` or the central store: time zones, per-game (or
per-difficulty) stats and the GROUP BY behind ``smartizen export``.

Everything here is a query pushed into the database, so a fleet of a million plays is
counted in well under a second: Python only ever sees one row per group. Each tally is
written once; the few pieces of SQL that differ between a kiosk's SQLite file and the
central PostgreSQL store come from :mod:`kiosk.organiser.dialect`, and the tallies take any
:class:`~kiosk.organiser.source.Source` (or a plain SQLite connection).

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

from kiosk.organiser.dialect import SQLITE, Dialect, group_and_order
from kiosk.organiser.source import Source, as_source
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

    def hour_sql(self, column: str = "started_at", dialect: Dialect = SQLITE) -> str:
        """SQL for the local hour of day (0-23) of a stored UTC instant."""
        return dialect.hour(self, column)

    def day_sql(self, column: str = "started_at", dialect: Dialect = SQLITE) -> str:
        """SQL for the local date (``YYYY-MM-DD``) of a stored UTC instant."""
        return dialect.day(self, column)

    def local_iso_sql(self, column: str = "started_at", dialect: Dialect = SQLITE) -> str:
        """SQL for a stored UTC instant written in this zone, e.g. ``…T10:03:04.567+08:00``
        (raw exports only: it converts every row, which the grouped counts avoid)."""
        return dialect.local_iso(self, column)

    def now(self) -> datetime:
        return datetime.now(self.tzinfo)


def _offset_text(offset_min: int) -> str:
    hours, minutes = divmod(abs(offset_min), 60)
    return f"{'-' if offset_min < 0 else '+'}{hours:02d}:{minutes:02d}"


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

    def where(
        self, column: str = "started_at", dialect: Dialect = SQLITE
    ) -> tuple[list[str], list[str]]:
        clauses, params = [], []
        if self.since is not None:
            clauses.append(f"{column} >= {dialect.instant('?')}")
            params.append(self.since)
        if self.until is not None:
            clauses.append(f"{column} < {dialect.instant('?')}")
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


STATS_KEYS = ("game", "difficulty")  # what ``stats --by`` can split by


@dataclass
class GameStats:
    """One group's tally: a game (``by game``), a difficulty, or both; ``game`` and
    ``difficulty`` are ``None`` for the all-plays total."""

    game: str | None
    plays: int = 0
    completed: int = 0
    abandoned: int = 0
    error: int = 0
    in_progress: int = 0
    prizes: int = 0
    score_sum: int = 0
    scored: int = 0
    difficulty: str | None = None

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
        key: dict = {"game": self.game}
        if self.difficulty is not None:
            key["difficulty"] = self.difficulty
        return {
            **key,
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


def parse_stats_keys(text: str) -> list[str]:
    """``stats --by``: ``game`` (the default), ``difficulty`` or ``game,difficulty``."""
    keys = [k.strip().lower() for k in text.split(",") if k.strip()]
    for key in keys:
        if key not in STATS_KEYS:
            raise ValueError(f"stats can split by {' or '.join(STATS_KEYS)}, not {key!r}")
    if not keys:
        raise ValueError(f"name what to split by: {', '.join(STATS_KEYS)}")
    return [k for k in STATS_KEYS if k in keys]


def stats(
    conn: Source | sqlite3.Connection,
    period: Period = ALL_PLAYS,
    by: Sequence[str] = ("game",),
) -> Stats:
    """Plays, outcomes, mean score (completed plays) and prizes issued, per game (or per
    difficulty, or both: ``by``)."""
    source = as_source(conn)
    d = source.dialect
    clauses, params = period.where(dialect=d)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    keys = [k for k in STATS_KEYS if k in by]
    sql = f"""
        SELECT {", ".join(keys)},
               count(*),
               count(CASE WHEN outcome = 'completed' THEN 1 END),
               count(CASE WHEN outcome = 'abandoned' THEN 1 END),
               count(CASE WHEN outcome = 'error' THEN 1 END),
               count(CASE WHEN outcome = '{IN_PROGRESS}' THEN 1 END),
               count(prize_tier),
               {d.total("CASE WHEN outcome = 'completed' THEN score END")},
               count(CASE WHEN outcome = 'completed' THEN score END)
        FROM {PLAYS} {where}
        {group_and_order(len(keys))}
    """
    result = Stats([])
    for row in source.execute(sql, params):
        named = dict(zip(keys, row, strict=False))
        numbers = (int(v) for v in row[len(keys) :])
        result.games.append(
            GameStats(named.get("game"), *numbers, difficulty=named.get("difficulty"))
        )
    for game in result.games:
        result.total.add(game)
    return result


# -- export ----------------------------------------------------------------------------------

DIMENSIONS = ("game", "day", "hour", "kiosk", "language", "tier", "difficulty")


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


def dimension_column(dim: str, zone: Zone, dialect: Dialect = SQLITE) -> tuple[str, str]:
    """``(SQL expression, output column name)`` for one dimension."""
    if dim == "day":
        return dialect.day(zone, "started_at"), f"day_{zone.suffix}"
    if dim == "hour":
        return dialect.hour(zone, "started_at"), f"hour_{zone.suffix}"
    column = {
        "game": "game",
        "kiosk": "kiosk_id",
        "language": "language",
        "tier": "prize_tier",
        "difficulty": "difficulty",
    }
    return column[dim], column[dim]


def counts_query(
    dims: Sequence[str],
    zone: Zone = HKT,
    period: Period = ALL_PLAYS,
    outcomes: Sequence[str] = (),
    dialect: Dialect = SQLITE,
) -> tuple[str, list[str], list[str]]:
    """``(sql, params, columns)`` counting plays per combination of ``dims``.

    The grouping runs in the database: on a kiosk file, with ``game`` and time dimensions
    it reads only the ``(game, started_at)`` index, never the table.
    """
    exprs = [dimension_column(d, zone, dialect) for d in dims]
    clauses, params = _filters(period, outcomes, dialect)
    where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
    select = ", ".join(f'{expr} AS "{name}"' for expr, name in exprs)
    sql = f"SELECT {select}, count(*) AS plays FROM {PLAYS} {where}{group_and_order(len(exprs))}"
    return sql, params, [name for _, name in exprs] + ["plays"]


def counts(
    conn: Source | sqlite3.Connection,
    dims: Sequence[str],
    zone: Zone = HKT,
    period: Period = ALL_PLAYS,
    outcomes: Sequence[str] = (),
) -> tuple[list[str], list[tuple]]:
    source = as_source(conn)
    sql, params, columns = counts_query(dims, zone, period, outcomes, source.dialect)
    return columns, [tuple(row) for row in source.execute(sql, params)]


TIME_COLUMNS = ("started_at", "ended_at")


def raw_sql(
    zone: Zone = HKT,
    period: Period = ALL_PLAYS,
    outcomes: Sequence[str] = (),
    with_codes: bool = False,
    dialect: Dialect = SQLITE,
) -> tuple[str, list[str]]:
    """Every play row as stored (times in UTC), oldest first, plus its start in ``zone``.

    Without ``with_codes`` the claim code is left out: it is a bearer token (whoever shows
    it at the desk gets the prize), and a spreadsheet travels further than the database.
    """
    clauses, params = _filters(period, outcomes, dialect)
    where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
    local = f"started_{zone.suffix}"
    columns = [c for c in PLAY_COLUMNS if with_codes or c not in SECRET_PLAY_COLUMNS]
    select = ", ".join(
        f'{dialect.utc_text(c)} AS "{c}"' if c in TIME_COLUMNS else f'"{c}"' for c in columns
    )
    sql = (
        f'SELECT {select}, {dialect.local_iso(zone, "started_at")} AS "{local}" '
        f"FROM {PLAYS} {where}ORDER BY started_at, id"
    )
    return sql, params


def raw_query(
    conn: Source | sqlite3.Connection,
    zone: Zone = HKT,
    period: Period = ALL_PLAYS,
    outcomes: Sequence[str] = (),
    with_codes: bool = False,
) -> tuple[list[str], Iterator[tuple]]:
    """Columns and a lazy iterator over :func:`raw_sql`'s rows (a million plays stream)."""
    source = as_source(conn)
    sql, params = raw_sql(zone, period, outcomes, with_codes, source.dialect)
    return source.stream(sql, params)


def _filters(
    period: Period, outcomes: Sequence[str], dialect: Dialect = SQLITE
) -> tuple[list[str], list[str]]:
    clauses, params = period.where(dialect=dialect)
    if outcomes:
        clauses.append(f"outcome IN ({', '.join('?' for _ in outcomes)})")
        params.extend(outcomes)
    return clauses, params
