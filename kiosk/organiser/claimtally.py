"""Prizes issued vs collected: issued = plays with a ``prize_ref``; collected = those whose
prize a desk handed over.

Where the hand-overs are depends on the source: the central store keeps them as
``claim_events`` (``event = 'collected'``); a single desk's ``claims.db`` keeps them as
``redemptions`` (attach it with :meth:`kiosk.organiser.source.Source.attach_claims`).
Without either, only issued prizes are known and ``collected`` is ``None``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.organiser.dialect import Dialect, group_and_order
from kiosk.organiser.source import Source, as_source
from kiosk.organiser.tally import ALL_PLAYS, HKT, Period, Zone, dimension_column

CLAIM_DIMENSIONS = ("tier", "game", "kiosk", "day", "difficulty")


@dataclass(frozen=True)
class ClaimRow:
    key: tuple
    issued: int
    collected: int | None  # None: this source does not know which prizes were collected

    @property
    def rate(self) -> float | None:
        if self.collected is None or not self.issued:
            return None
        return self.collected / self.issued


def claims_query(
    d: Dialect,
    collected: str | None,
    dims: Sequence[str],
    zone: Zone = HKT,
    period: Period = ALL_PLAYS,
) -> tuple[str, list[str], list[str]]:
    """``(sql, params, key column names)``: prizes issued and collected per ``dims``;
    ``collected`` is a query of collected prizes' ``prize_ref`` (``None``: unknown)."""
    for dim in dims:
        if dim not in CLAIM_DIMENSIONS:
            raise ValueError(f"claims can be split by {', '.join(CLAIM_DIMENSIONS)}, not {dim!r}")
    exprs = [dimension_column(dim, zone, d) for dim in dims]
    clauses, params = period.where("plays.started_at", d)
    clauses.insert(0, "plays.prize_ref IS NOT NULL")
    keys = "".join(f'{expr} AS "{name}", ' for expr, name in exprs)
    group = f" {group_and_order(len(exprs))}" if exprs else ""
    if collected is None:
        sql = f"SELECT {keys}count(*), NULL FROM plays WHERE {' AND '.join(clauses)}{group}"
    else:
        sql = (
            f"SELECT {keys}count(*), count(c.prize_ref) FROM plays "
            f"LEFT JOIN ({collected}) c ON c.prize_ref = plays.prize_ref "
            f"WHERE {' AND '.join(clauses)}{group}"
        )
    return sql, params, [name for _, name in exprs]


def claims(
    conn: Source | sqlite3.Connection,
    zone: Zone = HKT,
    period: Period = ALL_PLAYS,
    dims: Sequence[str] = ("tier",),
) -> list[ClaimRow]:
    source = as_source(conn)
    sql, params, _ = claims_query(source.dialect, source.collected_refs_sql(), dims, zone, period)
    n = len(dims)
    return [
        ClaimRow(tuple(r[:n]), int(r[n]), None if r[n + 1] is None else int(r[n + 1]))
        for r in source.execute(sql, params)
    ]
