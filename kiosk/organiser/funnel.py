"""The visitor funnel and the day's prizes by tier, from a kiosk's log (or a merged fleet file).

The funnel counts visits (kiosk/playlog/schema.py ``visits``: one row per visitor, from the
attract touch) by how far they got: touched → language → game chosen → play started →
completed → claim QR shown. The tiers table puts the tier a score earned beside the tier
given, so downgrades (stock of the earned tier gone) and visitors who earned a prize when
everything was gone are counted, not guessed; sell-out times come from the audit log.

Both are single GROUP BY queries; a file from before visits were recorded has no funnel
(:class:`NoVisits`), and one from before ``earned_tier`` counts given prizes only.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from kiosk.organiser.tally import ALL_PLAYS, Period
from kiosk.playlog.schema import AUDIT, PLAYS, VISITS

#: (stage, what counts as having reached it), in the order a visitor goes.
FUNNEL: tuple[tuple[str, str], ...] = (
    ("touched", "1"),
    ("language", "language_chosen_at IS NOT NULL"),
    ("game", "game_chosen_at IS NOT NULL"),
    ("started", "play_started_at IS NOT NULL"),
    ("completed", "last_stage IN ('completed', 'qr')"),
    ("qr", "qr_shown_at IS NOT NULL"),
)


class NoVisits(Exception):
    """The file was written by a kiosk that did not record visits yet."""


@dataclass(frozen=True)
class Stage:
    stage: str
    visits: int
    of_touched: float | None  # share of all visits that got this far

    def as_dict(self) -> dict:
        return {"stage": self.stage, "visits": self.visits, "of_touched": self.of_touched}


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


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def funnel(conn: sqlite3.Connection, period: Period = ALL_PLAYS) -> list[Stage]:
    """Visits touched in ``period``, by the furthest stage of each.

    :raises NoVisits: the file has no visits table
    """
    if not _columns(conn, VISITS):
        raise NoVisits("this log has no visits (written before the kiosk recorded them)")
    clauses, params = period.where("touched_at")
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    sums = ", ".join(f"total({test})" for _, test in FUNNEL)
    row = conn.execute(f"SELECT {sums} FROM {VISITS} {where}", params).fetchone()
    counts = [int(v) for v in row]
    touched = counts[0]
    return [
        Stage(name, n, (n / touched) if touched else None)
        for (name, _), n in zip(FUNNEL, counts, strict=True)
    ]


def tiers(conn: sqlite3.Connection, period: Period = ALL_PLAYS) -> list[TierLine]:
    """Per tier: earned, given, given instead of a better one, earned but none left, and
    when it sold out; plays started in ``period`` (sell-outs in it)."""
    clauses, params = period.where()
    where = " AND ".join(clauses) or "1"
    earned = "earned_tier" if "earned_tier" in _columns(conn, PLAYS) else "NULL"
    rows = conn.execute(
        f"""
        SELECT tier, sum(earned), sum(given), sum(down), sum(none_left) FROM (
            SELECT {earned} AS tier, 1 AS earned, 0 AS given, 0 AS down,
                   (prize_tier IS NULL) AS none_left
            FROM {PLAYS} WHERE {earned} IS NOT NULL AND {where}
            UNION ALL
            SELECT prize_tier, 0, 1, ({earned} IS NOT NULL AND {earned} != prize_tier), 0
            FROM {PLAYS} WHERE prize_tier IS NOT NULL AND {where}
        ) GROUP BY tier ORDER BY tier
        """,
        params + params,
    ).fetchall()
    sold = _sold_out(conn, period)
    return [TierLine(t, int(e), int(g), int(d), int(n), sold.get(t)) for t, e, g, d, n in rows]


def _sold_out(conn: sqlite3.Connection, period: Period) -> dict[str, str]:
    """The first ``sold_out`` audit row per tier (detail ``"<day> <tier>"``) in ``period``."""
    if not _columns(conn, AUDIT):
        return {}
    clauses, params = period.where("at")
    where = " AND ".join(["action = 'sold_out'", *clauses])
    rows = conn.execute(
        f"SELECT substr(detail, 12) AS tier, min(at) FROM {AUDIT} WHERE {where} GROUP BY tier",
        params,
    )
    return dict(rows.fetchall())
