"""Thanks: a short goodbye, then the attract loop for the next visitor."""

from __future__ import annotations

import pygame

from kiosk.booth.scenes.base import Scene
from kiosk.input import PointerEvent
from kiosk.ui import theme
from kiosk.ui.decor import draw_backdrop, draw_lights

THANKS_S = 5.0


class ThanksScene(Scene):
    name = "thanks"
    idle = None  # it ends by itself sooner than any idle limit

    def enter(self) -> None:
        self.add_access_bar().place((1900, 150), vertical=True, anchor="topright")
        self.host.say(self.speech_text())

    def speech_text(self) -> str:
        return self.host.tr("thanks.title")

    def update(self, dt: float) -> None:
        super().update(dt)
        if self.t >= THANKS_S:
            self.host.advance("done")

    def on_background_tap(self, ev: PointerEvent) -> None:
        self.host.advance("done")

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(surface, self.t)
        tr, text = self.host.tr, self.host.text
        text.draw(surface, tr("thanks.title"), 110, theme.SUN, center=(960, 420), weight="bold")
        text.draw(surface, tr("thanks.subtitle"), theme.HEADING, theme.TEXT, center=(960, 560))
        self.draw_buttons(surface)
        draw_lights(surface, self.t)  # last, and only on bare sky: never over the words

    def autopilot_target(self, rng):
        return None  # let it time out, as most visitors do
