"""The idle watch: after a screen's idle limit, a visible countdown asks "Still playing?".

Pure logic on seconds, so tests drive it with a simulated clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class IdleWatch:
    countdown_s: float
    quiet_s: float = 0.0  # seconds since the last touch

    def touch(self) -> None:
        self.quiet_s = 0.0

    def advance(self, dt: float) -> None:
        self.quiet_s += dt

    def asking(self, limit: float | None) -> bool:
        """Is the "Still playing?" countdown on screen?"""
        return limit is not None and limit <= self.quiet_s < limit + self.countdown_s

    def expired(self, limit: float | None) -> bool:
        return limit is not None and self.quiet_s >= limit + self.countdown_s

    def seconds_left(self, limit: float | None) -> int:
        if limit is None:
            return 0
        return max(0, math.ceil(limit + self.countdown_s - self.quiet_s))
