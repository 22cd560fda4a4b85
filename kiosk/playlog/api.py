"""What the booth and the prizes may ask of the play log: the :class:`PlayLog` protocol.

Both :class:`kiosk.playlog.store.PlayStore` (one SQLite file) and
:class:`kiosk.playlog.resilient.ResilientStore` (the booth's: buffers writes a bad moment
refused) satisfy it, so code written against ``PlayLog`` runs on either and a test can
hand it a plain store.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

#: ``issue(serial, awarded_per_tier, adjustments_per_tier)`` -> prize columns, or None.
PrizeIssuer = Callable[[int, dict[str, int], dict[str, int]], dict[str, Any] | None]


class PlayLog(Protocol):
    """The play log as the booth and the prizes use it. Times are timezone-aware; days are
    local dates as ``YYYY-MM-DD`` text."""

    kiosk_id: str
    path: Path  # the database file (files beside it, like the prize state, are named after it)

    # -- plays ---------------------------------------------------------------------------
    def start_play(
        self,
        game: str,
        language: str,
        difficulty: str,
        started_at: datetime,
        play_id: str | None = None,
    ) -> str:
        """Record a play as in progress (committed at once); returns its id (``play_id`` when
        the caller made it, so it knows the id before the write has run)."""
        ...

    def finish_play(
        self,
        play_id: str,
        outcome: str,
        ended_at: datetime,
        score: int | None = None,
        details: dict | None = None,
    ) -> None:
        """Close a play (completed, abandoned or error), once."""
        ...

    def close_stale(self, ended_at: datetime) -> int:
        """At start-up: this kiosk's plays left in progress become abandoned; how many."""
        ...

    def get(self, play_id: str) -> dict | None: ...

    def plays(self, **where: Any) -> list[dict]: ...

    def outcomes_by_game(self, since: datetime, until: datetime) -> dict[str, dict[str, int]]: ...

    # -- visits (one row per visitor, no personal data) -----------------------------------
    def start_visit(self, visit_id: str, touched_at: datetime) -> None:
        """A visitor touched the attract screen (a replay of the same id changes nothing)."""
        ...

    def update_visit(self, visit_id: str, stage: str, at: datetime, value: str = "") -> None:
        """The visit reached ``stage`` (kiosk/playlog/schema.py ``VISIT_STAGES``) at ``at``;
        ``value`` is its language, game, play id or play outcome."""
        ...

    # -- staff ---------------------------------------------------------------------------
    def audit(self, action: str, at: datetime, detail: str = "") -> None: ...

    def last_audit(self, action: str) -> dict | None:
        """This kiosk's latest audit row of ``action``, or None."""
        ...

    def game_switches(self, day: str) -> dict[str, bool]: ...

    def set_game_enabled(self, day: str, game: str, enabled: bool) -> None: ...

    # -- prizes --------------------------------------------------------------------------
    def award_prize(
        self, play_id: str, since: datetime, until: datetime, day: str, issue: PrizeIssuer
    ) -> dict | None:
        """Give a completed play its prize, at most once, in one transaction."""
        ...

    def record_prize(self, play_id: str, prize: dict[str, Any]) -> dict | None:
        """Write a prize the booth already gave (kiosk/prizes/awards.py) on its play, once."""
        ...

    def issued_prizes(self) -> list[dict]:
        """This kiosk's prizes on record (serial, tier, code), for the prize ledger."""
        ...

    def prizes_awarded(self, since: datetime, until: datetime) -> dict[str, int]: ...

    def adjust_stock(
        self, day: str, tier: str, delta: int, at: datetime, note: str = ""
    ) -> None: ...

    def stock_adjustments(self, day: str) -> dict[str, int]: ...

    def record_daily_stock(self, day: str, stock: dict[str, int], at: datetime) -> None:
        """Each tier's configured daily stock for local ``day`` (tier → prizes), as data."""
        ...

    def daily_stock(self, day: str) -> dict[str, int]: ...

    def stock_notes(self, prefix: str) -> set[str]:
        """Notes of this kiosk's stock adjustments that start with ``prefix``."""
        ...

    # -- the file's health, and writes waiting for it --------------------------------------
    def health(self) -> dict[str, Any]: ...

    @property
    def notices(self) -> list[str]:
        """Problems for the staff panel, until acknowledged."""
        ...

    @property
    def pending(self) -> int:
        """Writes buffered because the database refused them, waiting for :meth:`flush`."""
        ...

    def flush(self) -> int:
        """Write what is buffered; returns how many writes went in."""
        ...

    def check_file(self) -> bool:
        """Between visitors: follow the database file if it was deleted or replaced under
        the kiosk (noticed for staff, nothing lost) and warn of a nearly full disk; returns
        whether the log moved to a new file."""
        ...

    def acknowledge(self) -> None:
        """Staff have seen the notices: clear them."""
        ...

    def close(self) -> None: ...
