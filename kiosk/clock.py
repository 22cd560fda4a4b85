"""Real and simulated time.

Everything that depends on time (idle limits, game timers, animations) reads a
:class:`Clock`, so tests and ``--fast`` runs can drive a 60-second game in milliseconds.
"""

from __future__ import annotations

import time
from typing import Protocol

FRAME_DT = 1 / 60


class Clock(Protocol):
    def now(self) -> float: ...

    def tick(self) -> float:
        """Wait for the next frame if pacing, and return the seconds since the last tick."""
        ...


class RealClock:
    """Wall time, paced to ``fps`` frames per second."""

    def __init__(self, fps: int = 60) -> None:
        import pygame

        self._pg_clock = pygame.time.Clock()
        self._fps = fps
        self._last = time.monotonic()

    def now(self) -> float:
        return time.monotonic()

    def tick(self) -> float:
        self._pg_clock.tick(self._fps)
        now = time.monotonic()
        # A stall (window drag, slow disk) must not teleport a game forward.
        dt, self._last = min(now - self._last, 0.1), now
        return dt


class SimClock:
    """Simulated time: every tick advances exactly one frame, as fast as the CPU allows."""

    def __init__(self, start: float = 0.0, dt: float = FRAME_DT) -> None:
        self._t = start
        self.dt = dt

    def now(self) -> float:
        return self._t

    def advance(self, seconds: float) -> None:
        self._t += seconds

    def tick(self) -> float:
        self._t += self.dt
        return self.dt
