"""Paused by staff: "Back soon / 稍後回來". Visitors' touches do nothing here."""

from __future__ import annotations

import pygame

from kiosk.booth.scenes.base import Scene


class PausedScene(Scene):
    name = "paused"
    idle = None

    def draw(self, surface: pygame.Surface) -> None:
        self.draw_bilingual_notice(surface, "paused", 110)

    def autopilot_target(self, rng):
        return None
