"""The hidden staff gesture: one finger held still in the top-left corner for 3 seconds.

Visitors tap and drag; almost nobody rests a finger in a corner for three seconds, and even
then only a PIN pad appears. Pure logic on pointer events and seconds.
"""

from __future__ import annotations

from kiosk.input import PointerEvent

CORNER = 150  # px square at the top-left of the canvas (either orientation)
HOLD_S = 3.0


class CornerHold:
    def __init__(self, corner: int = CORNER, hold_s: float = HOLD_S) -> None:
        self.corner = corner
        self.hold_s = hold_s
        self._held: dict[int, float] = {}  # pointer → seconds held so far

    def _inside(self, ev: PointerEvent) -> bool:
        return ev.x < self.corner and ev.y < self.corner

    def feed(self, ev: PointerEvent) -> None:
        if ev.kind == "down" and self._inside(ev):
            self._held[ev.pointer] = 0.0
        elif ev.kind == "up" or (ev.kind == "move" and not self._inside(ev)):
            self._held.pop(ev.pointer, None)

    def advance(self, dt: float) -> bool:
        """Advance time; True once when a hold completes (that finger must lift to re-arm)."""
        for pointer, held in list(self._held.items()):
            if held < self.hold_s <= held + dt:
                self._held[pointer] = float("inf")  # fired; ignore until lifted
                return True
            self._held[pointer] = held + dt
        return False

    def reset(self) -> None:
        self._held.clear()
