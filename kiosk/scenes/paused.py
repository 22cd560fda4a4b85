"""Paused by staff: "Back soon / 稍後回來". Visitors' touches do nothing here."""

from __future__ import annotations

import pygame

from kiosk.scenes.base import Scene
from kiosk.ui import theme
from kiosk.ui.decor import draw_backdrop


class PausedScene(Scene):
    name = "paused"
    idle = None

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(surface, self.t, lights=False)
        text = self.app.text
        for i, lang in enumerate(("zh-HK", "en")):
            tr = self.app.tr_for(lang)
            y = 330 + i * 300
            text.draw(surface, tr("paused.title"), 110, theme.SUN, center=(960, y), weight="bold")
            text.draw_block(
                surface,
                tr("paused.subtitle"),
                theme.BODY,
                theme.TEXT,
                midtop=(960, y + 80),
                width=1400,
            )

    def autopilot_target(self, rng):
        return None
