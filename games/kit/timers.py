"""Callbacks on a game's own clock, as Pygame Zero's ``clock`` schedules them.

A game advances its ``Timers`` by the ``dt`` it is given, so a round driven by a simulated
clock fires the same callbacks in the same order as one played in real time, however large
each step: a 5-second step fires a 1-second interval five times, in order.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

Callback = Callable[[], object]


@dataclass(order=True)
class _Entry:
    due: float
    seq: int
    callback: Callback = field(compare=False)
    interval: float | None = field(compare=False, default=None)
    cancelled: bool = field(compare=False, default=False)


class Timers:
    """Scheduled callbacks; ``update(dt)`` fires every one that falls due, oldest first."""

    def __init__(self) -> None:
        self.now = 0.0
        self._queue: list[_Entry] = []
        self._seq = itertools.count()

    def schedule(self, callback: Callback, delay: float) -> None:
        """Call ``callback`` once, ``delay`` seconds from now."""
        self._push(callback, delay, None)

    def schedule_unique(self, callback: Callback, delay: float) -> None:
        """Like :meth:`schedule`, replacing any pending call of the same callback."""
        self.unschedule(callback)
        self.schedule(callback, delay)

    def schedule_interval(self, callback: Callback, interval: float) -> None:
        """Call ``callback`` every ``interval`` seconds (> 0), the first one interval away."""
        if interval <= 0:
            raise ValueError(f"interval must be positive, not {interval}")
        self._push(callback, interval, interval)

    def unschedule(self, callback: Callback) -> None:
        """Cancel every pending call of ``callback``."""
        for entry in self._queue:
            if entry.callback == callback:
                entry.cancelled = True

    def pending(self, callback: Callback) -> bool:
        return any(e.callback == callback and not e.cancelled for e in self._queue)

    def time_left(self, callback: Callback) -> float | None:
        """Seconds until ``callback`` next fires, or ``None`` if it is not scheduled."""
        dues = [e.due for e in self._queue if e.callback == callback and not e.cancelled]
        return max(0.0, min(dues) - self.now) if dues else None

    def clear(self) -> None:
        self._queue.clear()

    def update(self, dt: float) -> None:
        """Advance ``dt`` seconds, firing what falls due; a callback may schedule more."""
        end = self.now + max(0.0, dt)
        while self._queue and self._queue[0].due <= end:
            entry = heapq.heappop(self._queue)
            if entry.cancelled:
                continue
            self.now = max(self.now, entry.due)
            if entry.interval is not None:
                self._push(entry.callback, entry.interval, entry.interval)
            entry.callback()
        self.now = end

    def _push(self, callback: Callback, delay: float, interval: float | None) -> None:
        entry = _Entry(self.now + max(0.0, delay), next(self._seq), callback, interval)
        heapq.heappush(self._queue, entry)
