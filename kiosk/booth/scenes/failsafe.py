"""Failsafe: where any exception lands. Friendly, bilingual, and back to start on its own.

The journey sets how long it holds (``hold_s``: longer for failures in a row, see
kiosk/booth/failures.py). During such a back-off a tap does not cut it short, and if the
screen's own drawing fails it draws plain colour, which cannot fail.
"""

from __future__ import annotations

import pygame

from kiosk.booth.scenes.base import Scene
from kiosk.input import PointerEvent
from kiosk.ui import theme

FAILSAFE_S = 6.0


class FailsafeScene(Scene):
    name = "failsafe"
    idle = None
    hold_s = FAILSAFE_S
    plain = False

    def update(self, dt: float) -> None:
        super().update(dt)
        if self.t >= self.hold_s:
            self.host.advance("done")

    def on_background_tap(self, ev: PointerEvent) -> None:
        if self.hold_s <= FAILSAFE_S:  # a one-off: the visitor may go on at once
            self.host.advance("done")

    def draw(self, surface: pygame.Surface) -> None:
        if self.plain:
            surface.fill(theme.BACKGROUND)
            return
        self.draw_bilingual_notice(surface, "failsafe", theme.TITLE)

    def autopilot_target(self, rng):
        return None
