"""The SQL that differs between a kiosk's SQLite file and the central PostgreSQL store.

Every tally is written once (:mod:`kiosk.organiser.tally`, :mod:`kiosk.organiser.reportdata`,
:mod:`kiosk.organiser.visits`) in the SQL both engines share; only the pieces below differ.
The big difference is time: a kiosk stores UTC as fixed-width ISO text
(``2026-07-18T02:03:04.567Z``), so its local hour and day are arithmetic on the digits,
while the centre stores ``timestamptz``, which PostgreSQL shifts by the zone's fixed offset.
Both give the same local hour and day, and the tests hold them to it.

Queries use ``?`` placeholders; :meth:`Dialect.prepare` turns them into the driver's own.
"""

from __future__ import annotations

from typing import Protocol


class Zone(Protocol):
    """What the SQL needs of :class:`kiosk.organiser.tally.Zone` (a fixed UTC offset)."""

    @property
    def offset_min(self) -> int: ...

    @property
    def offset_text(self) -> str: ...


class Dialect(Protocol):
    name: str

    def hour(self, zone: Zone, column: str) -> str:
        """The local hour of day (0-23) of a stored instant."""
        ...

    def day(self, zone: Zone, column: str) -> str:
        """The local date (``YYYY-MM-DD`` text) of a stored instant."""
        ...

    def hour_key(self, zone: Zone, column: str) -> str:
        """``YYYY-MM-DDTHH`` of the UTC hour, ``+`` appended past the minute at which the
        zone's local hour turns (:func:`kiosk.organiser.reportdata.local_hour` reads it)."""
        ...

    def local_iso(self, zone: Zone, column: str) -> str:
        """A stored instant as local ISO text with its offset (``…T10:03:04.567+08:00``)."""
        ...

    def utc_text(self, column: str) -> str:
        """A stored instant as the booth's UTC text, so exports read alike from either."""
        ...

    def instant(self, placeholder: str) -> str:
        """A placeholder bound to UTC ISO text, as a value comparable with a stored instant."""
        ...

    def total(self, expr: str) -> str:
        """The sum of ``expr``, 0 when no row has a value."""
        ...

    def least(self, a: str, b: str) -> str: ...

    def prepare(self, sql: str) -> str:
        """``sql`` with ``?`` placeholders, as the driver wants it."""
        ...


def group_and_order(n: int) -> str:
    """``GROUP BY`` the first ``n`` output columns and sort by them, empty values first on
    either engine (SQLite sorts NULL first by default, PostgreSQL last)."""
    if n == 0:
        return ""
    positions = [str(i + 1) for i in range(n)]
    return f"GROUP BY {', '.join(positions)} ORDER BY " + ", ".join(
        f"{p} NULLS FIRST" for p in positions
    )


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _turn(zone: Zone) -> int:
    """The minute past each UTC hour at which the zone's local hour turns (0: on the hour)."""
    return (60 - zone.offset_min % 60) % 60


class SQLiteDialect:
    """Timestamps are UTC ISO text: local hours and days are found from the digits, which
    SQLite does several times faster than parsing each one with ``strftime``."""

    name = "sqlite"

    def hour(self, zone: Zone, column: str = "started_at") -> str:
        hour = f"CAST(substr({column}, 12, 2) AS INTEGER)"
        if zone.offset_min == 0:
            return hour
        if zone.offset_min % 60 == 0:
            return f"(({hour} + {(zone.offset_min // 60) % 24}) % 24)"
        minute = f"CAST(substr({column}, 15, 2) AS INTEGER)"
        return f"((({hour} * 60 + {minute} + {zone.offset_min % 1440}) % 1440) / 60)"

    def day(self, zone: Zone, column: str = "started_at") -> str:
        # The UTC date is the first ten characters; it moves a day only for instants past
        # the UTC time at which local midnight falls, and only those rows pay for date().
        utc_day = f"substr({column}, 1, 10)"
        if zone.offset_min == 0:
            return utc_day
        clock = f"substr({column}, 12, 5)"
        if zone.offset_min > 0:
            rollover = _clock(1440 - zone.offset_min)
            return (
                f"(CASE WHEN {clock} >= '{rollover}' THEN date({utc_day}, '+1 day') "
                f"ELSE {utc_day} END)"
            )
        rollover = _clock(-zone.offset_min)
        return (
            f"(CASE WHEN {clock} < '{rollover}' THEN date({utc_day}, '-1 day') ELSE {utc_day} END)"
        )

    def hour_key(self, zone: Zone, column: str = "started_at") -> str:
        key = f"substr({column}, 1, 13)"
        turn = _turn(zone)
        if turn:
            key += f" || (CASE WHEN substr({column}, 15, 2) >= '{turn:02d}' THEN '+' ELSE '' END)"
        return key

    def local_iso(self, zone: Zone, column: str = "started_at") -> str:
        return (
            f"CASE WHEN {column} IS NULL THEN NULL ELSE "
            f"strftime('%Y-%m-%dT%H:%M:%f', {column}, '{zone.offset_min:+d} minutes') "
            f"|| '{'Z' if zone.offset_min == 0 else zone.offset_text}' END"
        )

    def utc_text(self, column: str) -> str:
        return column

    def instant(self, placeholder: str) -> str:
        return placeholder

    def total(self, expr: str) -> str:
        return f"total({expr})"

    def least(self, a: str, b: str) -> str:
        return f"min({a}, {b})"

    def prepare(self, sql: str) -> str:
        return sql


class PostgresDialect:
    """Timestamps are ``timestamptz``: shifted to the zone's wall clock by its fixed offset
    (never ``AT TIME ZONE '+08:00'``, which POSIX reads as eight hours *west*)."""

    name = "postgresql"

    def _utc(self, column: str) -> str:
        return f"({column} AT TIME ZONE 'UTC')"

    def _local(self, zone: Zone, column: str) -> str:
        return f"({self._utc(column)} + interval '{zone.offset_min} minutes')"

    def hour(self, zone: Zone, column: str = "started_at") -> str:
        return f"CAST(extract(hour FROM {self._local(zone, column)}) AS integer)"

    def day(self, zone: Zone, column: str = "started_at") -> str:
        return f"to_char({self._local(zone, column)}, 'YYYY-MM-DD')"

    def hour_key(self, zone: Zone, column: str = "started_at") -> str:
        key = f"to_char({self._utc(column)}, 'YYYY-MM-DD\"T\"HH24')"
        turn = _turn(zone)
        if turn:
            key += (
                f" || (CASE WHEN extract(minute FROM {self._utc(column)}) >= {turn} "
                "THEN '+' ELSE '' END)"
            )
        return key

    def local_iso(self, zone: Zone, column: str = "started_at") -> str:
        suffix = "Z" if zone.offset_min == 0 else zone.offset_text
        # NULL || text is NULL, as SQLite's CASE gives.
        return f"to_char({self._local(zone, column)}, 'YYYY-MM-DD\"T\"HH24:MI:SS.MS') || '{suffix}'"

    def utc_text(self, column: str) -> str:
        return f'to_char({self._utc(column)}, \'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"\')'

    def instant(self, placeholder: str) -> str:
        return f"CAST({placeholder} AS timestamptz)"

    def total(self, expr: str) -> str:
        return f"coalesce(sum({expr}), 0)"

    def least(self, a: str, b: str) -> str:
        return f"least({a}, {b})"

    def prepare(self, sql: str) -> str:
        # psycopg's placeholders are %s, so a literal % must be doubled; the tallies pass
        # every value as a parameter, so no ? is ever inside a literal.
        return sql.replace("%", "%%").replace("?", "%s")


SQLITE = SQLiteDialect()
POSTGRES = PostgresDialect()
