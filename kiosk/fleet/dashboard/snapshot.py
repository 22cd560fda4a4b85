"""Values shared by every viewer and refreshed behind their backs: the day's numbers, and the
rendered overview per language.

Twenty organisers refreshing every ten seconds would otherwise run twenty identical
aggregations and renders. The first request for a key makes the value; after that a value
older than ``max_age_s`` is still served at once while one background thread makes the next
one (so no viewer waits for it), unless it is older than ``max_age_s + stale_s``: then the
viewer waits for a fresh one. :meth:`forget` (after an organiser's change) makes the next
request wait for a fresh value too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
KEEP = 8  # keys kept (languages, days): old days go


class Shared(Generic[K, V]):
    def __init__(
        self,
        make: Callable[[K], V],
        max_age_s: float = 5.0,
        stale_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._make = make
        self.max_age_s = max_age_s
        self.stale_s = stale_s
        self._clock = clock
        self._kept: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()  # one synchronous make at a time
        self._refreshing: set[K] = set()

    def get(self, key: K) -> V:
        """The value for ``key``, at most ``max_age_s`` old (or being refreshed right now)."""
        kept = self._kept.get(key)
        if kept is not None:
            age = self._clock() - kept[0]
            if age <= self.max_age_s:
                return kept[1]
            if age <= self.max_age_s + self.stale_s:
                self._refresh_behind(key)
                return kept[1]
        with self._lock:
            kept = self._kept.get(key)
            if kept is None or self._clock() - kept[0] > self.max_age_s:
                kept = self._store(key, self._clock(), self._make(key))
            return kept[1]

    def forget(self) -> None:
        self._kept = {}

    def _store(self, key: K, made_at: float, value: V) -> tuple[float, V]:
        kept = dict(self._kept) if len(self._kept) < KEEP else {}
        kept[key] = (made_at, value)
        self._kept = kept  # replaced whole: readers never see a dict being changed
        return kept[key]

    def _refresh_behind(self, key: K) -> None:
        with self._lock:
            if key in self._refreshing:
                return
            self._refreshing.add(key)

        def run() -> None:
            try:
                began = self._clock()
                value = self._make(key)
                with self._lock:
                    current = self._kept.get(key)
                    if current is None or current[0] < began:
                        self._store(key, began, value)
            except Exception:  # viewers keep the older value; the next request tries again
                log.exception("dashboard: refreshing %r failed", key)
            finally:
                with self._lock:
                    self._refreshing.discard(key)

        threading.Thread(target=run, name="dashboard-refresh", daemon=True).start()
