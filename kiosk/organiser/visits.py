"""The visitors' funnel from the ``visits`` table, on a kiosk's file or the central store,
split by day, hour, kiosk, game or language.

The stages and what reaching each means are kiosk/funnel.py (the one definition the
dashboard counts with too): touched → language → game → started → completed → QR shown.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.funnel import STAGE_TESTS, STAGES
from kiosk.organiser.dialect import Dialect, group_and_order
from kiosk.organiser.source import Source, as_source
from kiosk.organiser.tally import ALL_PLAYS, Period, Zone

VISITS = "visits"
STAGE_LABELS = {
    "touched": ("Touched the screen", "觸碰螢幕"),
    "language": ("Chose a language", "選擇語言"),
    "game": ("Chose a game", "選擇遊戲"),
    "started": ("Started playing", "開始遊戲"),
    "completed": ("Completed the game", "完成遊戲"),
    "qr": ("Saw a prize QR code", "看到領獎二維碼"),
}
FUNNEL_DIMENSIONS = ("day", "hour", "kiosk", "game", "language")


@dataclass(frozen=True)
class FunnelRow:
    key: tuple  # the values of the chosen dimensions, () for the whole period
    counts: tuple[int, ...]  # visitors reaching each of STAGES

    def as_dict(self) -> dict[str, int]:
        return dict(zip(STAGES, self.counts, strict=True))


def has_visits(conn: Source | sqlite3.Connection) -> bool:
    return as_source(conn).has_table(VISITS)


def funnel_query(
    d: Dialect, dims: Sequence[str], zone: Zone, period: Period
) -> tuple[str, list[str], list[str]]:
    """``(sql, params, key column names)`` of the funnel per combination of ``dims``."""
    for dim in dims:
        if dim not in FUNNEL_DIMENSIONS:
            raise ValueError(
                f"the funnel can be split by {', '.join(FUNNEL_DIMENSIONS)}, not {dim!r}"
            )
    columns = {
        "day": (d.day(zone, "v.touched_at"), f"day_{zone.suffix}"),
        "hour": (d.hour(zone, "v.touched_at"), f"hour_{zone.suffix}"),
        "kiosk": ("v.kiosk_id", "kiosk_id"),
        "game": ("v.game", "game"),
        "language": ("v.language", "language"),
    }
    exprs = [columns[dim] for dim in dims]
    clauses, params = period.where("v.touched_at", d)
    where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
    keys = "".join(f'{expr} AS "{name}", ' for expr, name in exprs)
    group = group_and_order(len(exprs))
    counts = ", ".join(f"count(CASE WHEN {test} THEN 1 END)" for _, test in STAGE_TESTS)
    sql = f"SELECT {keys}{counts} FROM {VISITS} v {where}{group}"
    return sql, params, [name for _, name in exprs]


def funnel(
    conn: Source | sqlite3.Connection,
    zone: Zone,
    period: Period = ALL_PLAYS,
    dims: Sequence[str] = (),
) -> list[FunnelRow]:
    """The funnel per combination of ``dims`` (one row for the whole period without)."""
    source = as_source(conn)
    sql, params, _ = funnel_query(source.dialect, dims, zone, period)
    n = len(dims)
    rows = [
        FunnelRow(tuple(r[:n]), tuple(int(v) for v in r[n:])) for r in source.execute(sql, params)
    ]
    return rows or ([FunnelRow((), (0,) * len(STAGES))] if not dims else [])
