"""Every booth's state right now, and the alerts it raises: read on every page view.

One small query over ``kiosks`` ⋈ ``booth_status`` ⋈ ``desired_settings`` (one row per booth,
so a hundred booths cost a millisecond or two); "offline" is the centre's clock against the
last heartbeat it received, never the booth's own clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from psycopg_pool import ConnectionPool

OFFLINE_AFTER = timedelta(minutes=1)
BACKLOG_WARNING = 500  # rows not yet synced: the booth's link is slow or failing
SETTINGS_LATE = timedelta(minutes=5)  # a booth applies settings between visitors
KNOWN_TIERS = ("gold", "silver", "bronze", "thanks")  # shown first, in this order

# Alert severities, most urgent first (sorting and colours use them).
DANGER, WARNING, INFO = "danger", "warning", "info"


@dataclass
class Booth:
    kiosk_id: str
    name: str
    seen_at: datetime | None
    online: bool
    screen: str | None = None
    backlog: int | None = None
    quarantined: int = 0  # rows the centre refused, kept aside in the booth's file
    db_health: str | None = None
    speech_health: str | None = None
    software_version: str | None = None
    paused: bool = False
    warnings: list[str] = field(default_factory=list)
    stock_left: dict[str, int] = field(default_factory=dict)
    sold_out: dict[str, datetime] = field(default_factory=dict)
    applied_revision: int = 0
    revision: int = 0
    desired: dict[str, Any] = field(default_factory=dict)
    desired_at: datetime | None = None

    @property
    def label(self) -> str:
        return self.name or self.kiosk_id

    @property
    def db_ok(self) -> bool:
        return self.db_health in (None, "", "ok")

    @property
    def state(self) -> str:
        """offline | never | paused | warning | ok: the tile's colour."""
        if self.seen_at is None:
            return "never"
        if not self.online:
            return "offline"
        if self.paused:
            return "paused"
        if self.warnings or not self.db_ok or self.out_of_stock:
            return "warning"
        return "ok"

    @property
    def out_of_stock(self) -> list[str]:
        return [t for t, n in self.stock_left.items() if n <= 0]

    @property
    def settings_pending(self) -> bool:
        return self.revision > self.applied_revision


@dataclass(frozen=True)
class Alert:
    severity: str
    kind: str  # a key under [alert] in the strings files
    kiosk_id: str
    booth: str
    detail: dict[str, Any]


def _when(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def booths(pool: ConnectionPool, now: datetime) -> list[Booth]:
    """Every booth that is not revoked, by id."""
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT k.kiosk_id, k.name, s.seen_at, s.screen, s.backlog, s.db_health,"
            " s.speech_health, s.software_version, coalesce(s.paused, false),"
            " coalesce(s.warnings, '[]'::jsonb), coalesce(s.stock_left, '{}'::jsonb),"
            " coalesce(s.sold_out, '{}'::jsonb), coalesce(s.applied_revision, 0),"
            " coalesce(d.revision, 0), coalesce(d.settings, '{}'::jsonb), d.updated_at,"
            " coalesce(s.quarantined, 0)"
            " FROM kiosks k LEFT JOIN booth_status s USING (kiosk_id)"
            " LEFT JOIN desired_settings d USING (kiosk_id)"
            " WHERE k.revoked_at IS NULL ORDER BY k.kiosk_id"
        ).fetchall()
    out = []
    for r in rows:
        stock = {str(t): int(n) for t, n in (r[10] or {}).items() if _is_int(n)}
        sold = {str(t): w for t, v in (r[11] or {}).items() if (w := _when(v)) is not None}
        out.append(
            Booth(
                kiosk_id=r[0], name=r[1] or "", seen_at=r[2],
                online=r[2] is not None and now - r[2] <= OFFLINE_AFTER,
                screen=r[3], backlog=r[4], db_health=r[5], speech_health=r[6],
                software_version=r[7], paused=bool(r[8]),
                warnings=[str(w) for w in (r[9] if isinstance(r[9], list) else [])],
                stock_left=stock, sold_out=sold, applied_revision=int(r[12]),
                revision=int(r[13]), desired=dict(r[14] or {}), desired_at=r[15],
                quarantined=int(r[16]),
            )
        )
    return out


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def tiers(all_booths: list[Booth], also: Iterable[str] = ()) -> list[str]:
    """Every tier any booth reports (and those in ``also``: the store's stock data), the
    known ones first in prize order."""
    seen = {t for b in all_booths for t in (*b.stock_left, *b.sold_out)} | set(also)
    return [t for t in KNOWN_TIERS if t in seen] + sorted(seen - set(KNOWN_TIERS))


def alerts(all_booths: list[Booth], now: datetime) -> list[Alert]:
    """What needs someone now, most urgent first: offline booths, database trouble, stock
    out, the booths' own warnings, a growing backlog, rows the centre refused (set aside at
    the booth), settings not yet applied."""
    found: list[Alert] = []
    for b in all_booths:
        def add(severity: str, kind: str, **detail: Any) -> None:
            found.append(Alert(severity, kind, b.kiosk_id, b.label, detail))  # noqa: B023

        if b.seen_at is None:
            add(WARNING, "never_seen")
            continue
        if not b.online:
            minutes = int((now - b.seen_at).total_seconds() // 60)
            add(DANGER, "offline", since=b.seen_at, minutes=minutes)
        if not b.db_ok:
            add(DANGER, "database", text=b.db_health)
        for tier in b.out_of_stock:
            add(WARNING, "stock_out", tier=tier, at=b.sold_out.get(tier))
        for text in b.warnings:
            add(WARNING, "booth_warning", text=text)
        if b.speech_health not in (None, "", "ok"):
            add(INFO, "speech", text=b.speech_health)
        if b.backlog is not None and b.backlog >= BACKLOG_WARNING:
            add(WARNING, "backlog", n=b.backlog)
        if b.quarantined > 0:  # each needs someone to read the booth's log and mend it
            add(WARNING, "quarantined", n=b.quarantined)
        if b.settings_pending and b.desired_at is not None and now - b.desired_at > SETTINGS_LATE:
            add(INFO, "settings_pending", revision=b.revision)
    order = {DANGER: 0, WARNING: 1, INFO: 2}
    return sorted(found, key=lambda a: (order[a.severity], a.kiosk_id))
