"""One copy of the day's aggregates shared by every viewer, refreshed behind their backs.

Twenty organisers refreshing every ten seconds would otherwise run twenty identical
aggregations of the day's plays. The first page view of a process computes the numbers; after
that a page older than ``max_age_s`` is still served at once while one background thread
computes the next copy (so no viewer waits for the aggregation), unless it is older than
``max_age_s + stale_s``: then the viewer waits for a fresh one. A new local day, or
:meth:`forget` (after an organiser's change), always waits for fresh numbers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date, datetime

from kiosk.fleet.dashboard.today import Today

log = logging.getLogger(__name__)


class Snapshot:
    def __init__(
        self,
        compute: Callable[[date, datetime], Today],
        max_age_s: float = 5.0,
        stale_s: float = 60.0,
    ) -> None:
        self._compute = compute
        self.max_age_s = max_age_s
        self.stale_s = stale_s
        self._current: Today | None = None
        self._lock = threading.Lock()  # one computation at a time
        self._refreshing = False

    def get(self, day: date, now: datetime) -> Today:
        """The day's numbers, at most ``max_age_s`` old (or being refreshed right now)."""
        current = self._current
        if current is not None and current.day == day:
            age = (now - current.computed_at).total_seconds()
            if age <= self.max_age_s:
                return current
            if age <= self.max_age_s + self.stale_s:
                self._refresh_behind(day, now)
                return current
        with self._lock:
            current = self._current
            if current is None or current.day != day or (
                (now - current.computed_at).total_seconds() > self.max_age_s
            ):
                current = self._current = self._compute(day, now)
            return current

    def forget(self) -> None:
        self._current = None

    def _refresh_behind(self, day: date, now: datetime) -> None:
        with self._lock:
            if self._refreshing:
                return
            self._refreshing = True

        def run() -> None:
            try:
                fresh = self._compute(day, now)
                with self._lock:
                    if self._current is None or self._current.computed_at < fresh.computed_at:
                        self._current = fresh
            except Exception:  # the page keeps its older numbers; the next view tries again
                log.exception("dashboard: refreshing the day's numbers failed")
            finally:
                self._refreshing = False

        threading.Thread(target=run, name="dashboard-refresh", daemon=True).start()
