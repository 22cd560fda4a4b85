"""Failsafe: where any exception lands. Friendly, bilingual, and back to start on its own."""

from __future__ import annotations

import pygame

from kiosk.input import PointerEvent
from kiosk.scenes.base import Scene
from kiosk.ui import theme
from kiosk.ui.decor import draw_backdrop

FAILSAFE_S = 6.0


class FailsafeScene(Scene):
    name = "failsafe"
    idle = None

    def update(self, dt: float) -> None:
        super().update(dt)
        if self.t >= FAILSAFE_S:
            self.app.end_visit()

    def on_background_tap(self, ev: PointerEvent) -> None:
        self.app.end_visit()

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(surface, self.t, lights=False)
        text = self.app.text
        for i, lang in enumerate(("zh-HK", "en")):
            tr = self.app.tr_for(lang)
            y = 330 + i * 300
            text.draw(
                surface,
                tr("failsafe.title"),
                theme.TITLE,
                theme.SUN,
                center=(960, y),
                weight="bold",
            )
            text.draw_block(
                surface,
                tr("failsafe.subtitle"),
                theme.BODY,
                theme.TEXT,
                midtop=(960, y + 70),
                width=1400,
            )

    def autopilot_target(self, rng):
        return None
