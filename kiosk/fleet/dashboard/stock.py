"""Stock per booth and tier for one local day, from the central store's data alone.

Each booth records the stock it was configured with per day (``daily_stock``, migration
0005); with the stock corrections, the prizes given and the ``sold_out`` audit rows the
store's ``stock_of_day`` function gives configured, adjusted, given, left and the sell-out
times. Nothing here depends on the fleet service's memory or on a booth being online, so
the numbers survive a restart of either. A booth that never recorded its stock (software
from before daily stock was data) has ``configured`` None: the overview shows its
heartbeat's count instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import psycopg

from kiosk.fleet.dashboard.status import Booth
from kiosk.localday import day_bounds


@dataclass(frozen=True)
class StockCell:
    """One booth × tier on one day."""

    kiosk_id: str
    tier: str
    configured: int | None  # None: the booth never recorded its daily stock
    adjusted: int  # staff and remote corrections, ±
    given: int  # prizes of this tier handed out (codes issued)
    left: int | None
    downgraded: int  # earned this tier, given a lower one
    missed: int  # earned this tier, got nothing: every tier down from it was gone
    first_sold_out: datetime | None
    last_sold_out: datetime | None

    @property
    def total(self) -> int | None:
        """The day's stock after corrections."""
        return None if self.configured is None else self.configured + self.adjusted

    @property
    def sold_out_at(self) -> datetime | None:
        """When the tier ran out, if it is out now (the latest sell-out: staff may have
        restocked it in between)."""
        return self.last_sold_out if self.left == 0 else None

    @property
    def restocked_after(self) -> datetime | None:
        """When it first ran out, if it has stock again now."""
        return self.first_sold_out if self.left and self.first_sold_out else None


def stock_of_day(
    conn: psycopg.Connection[Any], day: date, offset_hours: float
) -> dict[tuple[str, str], StockCell]:
    """(kiosk_id, tier) → the day's stock, for every booth with any stock data that day."""
    start, end = day_bounds(day, offset_hours)
    rows = conn.execute(
        "SELECT kiosk_id, tier, configured, adjusted, given, left_now, downgraded, missed,"
        " first_sold_out, last_sold_out FROM stock_of_day(%s, %s, %s)",
        (day, start, end),
    ).fetchall()
    return {(r[0], r[1]): StockCell(*r) for r in rows}


def fill_booths(booths: list[Booth], cells: dict[tuple[str, str], StockCell]) -> None:
    """Where a booth's last heartbeat says nothing about a tier (it never sent one, or its
    sell-out times went with a restart of the booth), the store's numbers stand in, so tiles
    and alerts agree with the stock section. A heartbeat's own numbers are kept: they are
    the booth's ledger at that moment, never behind a sync."""
    for b in booths:
        for tier in {t for (k, t) in cells if k == b.kiosk_id}:
            cell = cells[b.kiosk_id, tier]
            if cell.left is None:
                continue
            b.stock_left.setdefault(tier, cell.left)
            if b.stock_left[tier] <= 0 and cell.left == 0 and cell.sold_out_at is not None:
                b.sold_out.setdefault(tier, cell.sold_out_at)
