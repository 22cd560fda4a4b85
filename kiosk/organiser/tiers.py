"""The prizes by tier, from a kiosk's log, a merged fleet file or the central store.

The tier a score earned sits beside the tier given, so downgrades (stock of the earned tier
gone) and visitors who earned a prize when everything was gone are counted, not guessed;
sell-out times come from the audit log (``action = "sold_out"``, ``detail = "<local day>
<tier>"``). One GROUP BY query in the SQL both engines read; a file from before
``earned_tier`` counts given prizes only. (The visitors' funnel beside it in `smartizen
funnel` is :mod:`kiosk.organiser.visits`.)
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from kiosk.organiser.source import Source, as_source
from kiosk.organiser.tally import ALL_PLAYS, Period
from kiosk.playlog.schema import AUDIT, PLAYS


@dataclass(frozen=True)
class TierLine:
    tier: str
    earned: int  # plays whose score earned this tier (files with earned_tier)
    given: int  # prizes of this tier handed out
    downgraded: int  # given this tier though a better one was earned (stock)
    sold_out_earners: int  # earned this tier, got nothing: everything down from it was gone
    sold_out_at: str | None  # the (first) time this tier's last prize went, UTC

    def as_dict(self) -> dict:
        return dict(vars(self))


def _columns(source: Source, table: str) -> set[str]:
    if not source.has_table(table):
        return set()
    cursor = source.execute(f"SELECT * FROM {table} LIMIT 0")
    return {column[0] for column in cursor.description}


def tiers(conn: Source | sqlite3.Connection, period: Period = ALL_PLAYS) -> list[TierLine]:
    """Per tier: earned, given, given instead of a better one, earned but none left, and
    when it sold out; plays started in ``period`` (sell-outs in it)."""
    source = as_source(conn)
    clauses, params = period.where("started_at", source.dialect)
    where = " AND ".join(clauses) or "1 = 1"
    earned = "earned_tier" if "earned_tier" in _columns(source, PLAYS) else "NULL"
    rows = source.execute(
        f"""
        SELECT tier, sum(earned), sum(given), sum(down), sum(none_left) FROM (
            SELECT {earned} AS tier, 1 AS earned, 0 AS given, 0 AS down,
                   CASE WHEN prize_tier IS NULL THEN 1 ELSE 0 END AS none_left
            FROM {PLAYS} WHERE {earned} IS NOT NULL AND {where}
            UNION ALL
            SELECT prize_tier, 0, 1,
                   CASE WHEN {earned} IS NOT NULL AND {earned} != prize_tier THEN 1 ELSE 0 END,
                   0
            FROM {PLAYS} WHERE prize_tier IS NOT NULL AND {where}
        ) t GROUP BY tier ORDER BY tier
        """,
        params + params,
    ).fetchall()
    sold = _sold_out(source, period)
    return [TierLine(t, int(e), int(g), int(d), int(n), sold.get(t)) for t, e, g, d, n in rows]


def _sold_out(source: Source, period: Period) -> dict[str, str]:
    """The first ``sold_out`` audit row per tier (detail ``"<day> <tier>"``) in ``period``."""
    if not source.has_table(AUDIT):
        return {}
    clauses, params = period.where("at", source.dialect)
    where = " AND ".join(["action = 'sold_out'", *clauses])
    rows = source.execute(
        f"SELECT substr(detail, 12) AS tier, {source.dialect.utc_text('min(at)')} FROM {AUDIT}"
        f" WHERE {where} GROUP BY 1",
        params,
    )
    return dict(rows.fetchall())
