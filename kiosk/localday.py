"""The carnival's local day, from UTC plus a fixed offset (Hong Kong has no daylight saving).

Stock, game switches and "today's plays" belong to the local day on which something
happened; the play log stores UTC. Every room turns one into the other here, so a day
begins at the same instant for the booth, the prize desk and the organisers' tools.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


def local_time(moment: datetime, offset_hours: float) -> datetime:
    """``moment`` (aware, any zone; naive is taken as UTC) as naive local wall time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment.astimezone(UTC) + timedelta(hours=offset_hours)).replace(tzinfo=None)


def local_date(moment: datetime, offset_hours: float) -> date:
    """The local calendar day ``moment`` falls on."""
    return local_time(moment, offset_hours).date()


def day_bounds(day: date, offset_hours: float) -> tuple[datetime, datetime]:
    """The UTC instants at which local ``day`` begins and the next one begins."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=offset_hours)
    return start, start + timedelta(days=1)
