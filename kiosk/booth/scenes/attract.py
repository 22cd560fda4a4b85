"""The attract loop: what passers-by see. Any touch starts a new visit."""

from __future__ import annotations

import math

import pygame

from kiosk.booth.scenes.base import Scene
from kiosk.input import PointerEvent
from kiosk.ui import theme
from kiosk.ui.decor import draw_backdrop, draw_lights

GAME_CYCLE_S = 3.0


class AttractScene(Scene):
    name = "attract"
    idle = None

    def on_background_tap(self, ev: PointerEvent) -> None:
        self.host.advance("touched")

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(surface, self.t)
        host, text = self.host, self.host.text
        en, zh = host.tr_for("en"), host.tr_for("zh-HK")
        text.draw(surface, en("brand.name"), 120, theme.SUN, center=(960, 190), weight="bold")
        text.draw(
            surface,
            zh("brand.organiser") + " · " + en("brand.organiser"),
            theme.BODY,
            theme.TEXT_MUTED,
            center=(960, 290),
        )
        text.draw(surface, zh("brand.tagline"), theme.HEADING, theme.TEXT, center=(960, 375))

        # The call to action breathes, so the screen reads as alive from across the square.
        pulse = 1.0 + 0.04 * math.sin(self.t * 3.0)
        card = pygame.Rect(0, 0, round(880 * pulse), round(210 * pulse))
        card.center = (960, 565)
        pygame.draw.rect(surface, theme.BUTTON, card, border_radius=theme.RADIUS + 12)
        text.draw(
            surface, en("attract.touch"), 72, theme.BUTTON_TEXT, center=(960, 525), weight="bold"
        )
        text.draw(
            surface, zh("attract.touch"), 64, theme.BUTTON_TEXT, center=(960, 612), weight="bold"
        )

        games = host.games
        if games:
            spec = games[int(self.t / GAME_CYCLE_S) % len(games)]
            label = f"{zh('attract.games_today')} · {en('attract.games_today')}"
            text.draw(surface, label, theme.SMALL, theme.TEXT_MUTED, center=(960, 730))
            title = f"{zh.game(spec.id)('title')} · {en.game(spec.id)('title')}"
            text.draw(surface, title, theme.HEADING, theme.TEXT, center=(960, 795), weight="bold")
        draw_lights(surface, self.t)  # last, and only on bare sky: never over the words

    def autopilot_target(self, rng):
        return (960.0, 565.0)
