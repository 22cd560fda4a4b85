"""The prize ledger: stock, serials and "today" held in memory, so an award never waits.

The booth decides a prize on the frame thread, in microseconds, from this ledger; the
writer thread (kiosk/playlog/writer.py) persists it afterwards. What keeps that safe:

* **Serials** come from a block reserved ahead and saved in the state file before any of
  it is used (:meth:`Ledger.reservation`, :meth:`Ledger.reserved`), so after a crash,
  a replaced database or a lost write the next run starts above the block: a serial is
  never given twice. Unused serials of a block are skipped, which is harmless.
* **Stock** is counted per local day of issue and tier, loaded at start as the larger of
  what the state file and the database say, and decremented here at once. An award is
  shown only after the state file holding it is saved, so a crash can lose an award the
  visitor never saw (stock errs towards staying on the shelf), never one they did.
* **Today** never goes backwards by a day when the wall clock steps back (an NTP step just
  after midnight must not reopen yesterday's stock); a jump of more than a day back is a
  clock being corrected, and is followed.

All methods are safe to call from the frame thread and the writer thread at once: one lock,
held only for the arithmetic.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from kiosk.config import PrizeTier

log = logging.getLogger(__name__)

BLOCK = 32  # serials reserved per state-file write
REFILL_BELOW = 16  # reserve the next block when fewer than this are left
MAX_STEP_BACK_DAYS = 1  # a clock stepping back by at most this keeps today
KEEP_DAYS = 14  # days of counts kept in the state file


class Ledger:
    def __init__(self, state: dict[str, Any] | None = None) -> None:
        state = state or {}
        self._lock = threading.Lock()
        self.serial_reserved: int = int(state.get("serial_reserved", 0))
        self.serial_next: int = self.serial_reserved + 1
        self.issued: dict[str, dict[str, int]] = _counts(state.get("issued"))
        self.adjusted: dict[str, dict[str, int]] = _counts(state.get("adjusted"))
        self.floor: date | None = _date(state.get("floor"))
        self.unrecorded: dict[str, dict[str, Any]] = dict(state.get("unrecorded") or {})

    # -- loading ---------------------------------------------------------------------------
    def merge_records(self, records: Iterable[tuple[int, str, date]]) -> None:
        """Prizes the database has (serial, tier, day issued): counts become the larger of
        the two sources, and serials go on above the highest either has seen."""
        db_counts: dict[str, dict[str, int]] = {}
        top = 0
        for serial, tier, day in records:
            top = max(top, serial)
            tiers = db_counts.setdefault(day.isoformat(), {})
            tiers[tier] = tiers.get(tier, 0) + 1
        with self._lock:
            for day, tiers in db_counts.items():
                mine = self.issued.setdefault(day, {})
                for tier, n in tiers.items():
                    mine[tier] = max(mine.get(tier, 0), n)
            self.serial_next = max(self.serial_next, top + 1)

    def merge_adjustments(self, day: str, adjusted: dict[str, int]) -> None:
        """The database's stock corrections for ``day``, used when the state file has none
        (it has them whenever this booth made them)."""
        with self._lock:
            if day not in self.adjusted and adjusted:
                self.adjusted[day] = dict(adjusted)

    # -- today -----------------------------------------------------------------------------
    def today(self, local: date) -> date:
        """The stock day for a wall-clock local date: never earlier than the latest seen,
        unless the clock went back by more than a day (then it was wrong, and is fixed)."""
        with self._lock:
            if self.floor is None or local >= self.floor:
                self.floor = local
            elif self.floor - local > timedelta(days=MAX_STEP_BACK_DAYS):
                log.warning(
                    "the clock went back from %s to %s; stock follows it", self.floor, local
                )
                self.floor = local
            return self.floor

    # -- stock -----------------------------------------------------------------------------
    def given(self, day: date, tier: str) -> int:
        return self.issued.get(day.isoformat(), {}).get(tier, 0)

    def adjustment(self, day: date, tier: str) -> int:
        return self.adjusted.get(day.isoformat(), {}).get(tier, 0)

    def left(self, day: date, tier: PrizeTier) -> int:
        return max(0, tier.daily_stock + self.adjustment(day, tier.id) - self.given(day, tier.id))

    def take(self, day: date, candidates: list[PrizeTier]) -> tuple[PrizeTier, int] | None:
        """The first candidate tier with stock left on ``day`` and a reserved serial, both
        taken; ``None`` when every candidate is out (or no serial is reserved)."""
        with self._lock:
            if self.serial_next > self.serial_reserved:
                log.error("no reserved prize serial left (state file not writable?)")
                return None
            for tier in candidates:
                if self.left(day, tier) > 0:
                    counts = self.issued.setdefault(day.isoformat(), {})
                    counts[tier.id] = counts.get(tier.id, 0) + 1
                    serial, self.serial_next = self.serial_next, self.serial_next + 1
                    return tier, serial
            return None

    def adjust(self, day: date, tier: str, delta: int) -> None:
        with self._lock:
            tiers = self.adjusted.setdefault(day.isoformat(), {})
            tiers[tier] = tiers.get(tier, 0) + int(delta)

    # -- serial blocks ---------------------------------------------------------------------
    @property
    def serials_left(self) -> int:
        return max(0, self.serial_reserved - self.serial_next + 1)

    def reservation(self) -> int | None:
        """The new high-water mark to save when the block runs low, else ``None``."""
        with self._lock:
            if self.serials_left >= REFILL_BELOW:
                return None
            return max(self.serial_reserved, self.serial_next - 1) + BLOCK

    def skip_to(self, serial: int) -> None:
        """Give no serial below ``serial`` from now on (another process reserved them)."""
        with self._lock:
            if serial > self.serial_next:
                self.serial_next = serial
                self.serial_reserved = max(self.serial_reserved, serial - 1)

    def reserved(self, mark: int) -> None:
        """``mark`` is saved: serials up to it may now be given."""
        with self._lock:
            self.serial_reserved = max(self.serial_reserved, mark)

    # -- awards not yet in the database ----------------------------------------------------
    def pend(self, play_id: str, record: dict[str, Any]) -> None:
        with self._lock:
            self.unrecorded[play_id] = record

    def recorded(self, play_id: str) -> None:
        with self._lock:
            self.unrecorded.pop(play_id, None)

    def waiting(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return dict(self.unrecorded)

    # -- the state file's content ----------------------------------------------------------
    def state(self, serial_reserved: int | None = None) -> dict[str, Any]:
        """A consistent copy for the state file (``serial_reserved``: a mark being saved)."""
        with self._lock:
            keep = {d for d in (*self.issued, *self.adjusted) if self._recent(d)}
            return {
                "serial_reserved": max(self.serial_reserved, serial_reserved or 0),
                "issued": {d: dict(t) for d, t in self.issued.items() if d in keep},
                "adjusted": {d: dict(t) for d, t in self.adjusted.items() if d in keep},
                "floor": self.floor.isoformat() if self.floor else None,
                "unrecorded": dict(self.unrecorded),
            }

    def _recent(self, day: str) -> bool:
        if self.floor is None:
            return True
        return date.fromisoformat(day) >= self.floor - timedelta(days=KEEP_DAYS)


def _counts(raw: Any) -> dict[str, dict[str, int]]:
    if not isinstance(raw, dict):
        return {}
    return {str(d): {str(t): int(n) for t, n in tiers.items()} for d, tiers in raw.items()}


def _date(raw: Any) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None
