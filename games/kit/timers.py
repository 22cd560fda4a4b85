"""Callbacks on a game's own clock, as Pygame Zero's ``clock`` schedules them.

A game advances its ``Timers`` by the ``dt`` it is given, so a round driven by a simulated
clock fires the same callbacks in the same order as one played in real time, however large
each step: a 5-second step fires a 1-second interval five times, in order.

A game's timers hold its own methods, so they hold them weakly (see games/kit/weak.py): a round
that ends is freed the moment the kiosk lets go of it, with its surfaces, instead of lingering
in a reference cycle until Python's cyclic collector happens to run.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from games.kit.weak import held_weakly, same_callback

Callback = Callable[[], object]


@dataclass(order=True)
class _Entry:
    due: float
    seq: int
    callback: Callable[[], Callback | None] = field(compare=False)  # held_weakly
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
        for entry in self._waiting(callback):
            entry.cancelled = True

    def pending(self, callback: Callback) -> bool:
        return bool(self._waiting(callback))

    def time_left(self, callback: Callback) -> float | None:
        """Seconds until ``callback`` next fires, or ``None`` if it is not scheduled."""
        dues = [e.due for e in self._waiting(callback)]
        return max(0.0, min(dues) - self.now) if dues else None

    def _waiting(self, callback: Callback) -> list[_Entry]:
        return [e for e in self._queue if not e.cancelled and same_callback(e.callback, callback)]

    def clear(self) -> None:
        self._queue.clear()

    def update(self, dt: float) -> None:
        """Advance ``dt`` seconds, firing what falls due; a callback may schedule more."""
        end = self.now + max(0.0, dt)
        while self._queue and self._queue[0].due <= end:
            entry = heapq.heappop(self._queue)
            if entry.cancelled:
                continue
            callback = entry.callback()
            if callback is None:  # its owner is gone
                continue
            self.now = max(self.now, entry.due)
            if entry.interval is not None:
                self._push(callback, entry.interval, entry.interval)
            callback()
        self.now = end

    def _push(self, callback: Callback, delay: float, interval: float | None) -> None:
        entry = _Entry(self.now + max(0.0, delay), next(self._seq), held_weakly(callback), interval)
        heapq.heappush(self._queue, entry)
