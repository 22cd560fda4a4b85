"""Failsafe: where any exception lands. Friendly, bilingual, and back to start on its own."""

from __future__ import annotations

import pygame

from kiosk.booth.scenes.base import Scene
from kiosk.input import PointerEvent
from kiosk.ui import theme

FAILSAFE_S = 6.0


class FailsafeScene(Scene):
    name = "failsafe"
    idle = None

    def update(self, dt: float) -> None:
        super().update(dt)
        if self.t >= FAILSAFE_S:
            self.host.advance("done")

    def on_background_tap(self, ev: PointerEvent) -> None:
        self.host.advance("done")

    def draw(self, surface: pygame.Surface) -> None:
        self.draw_bilingual_notice(surface, "failsafe", theme.TITLE)

    def autopilot_target(self, rng):
        return None
