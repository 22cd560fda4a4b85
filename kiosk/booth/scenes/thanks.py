"""Thanks: a short goodbye, then the attract loop for the next visitor."""

from __future__ import annotations

import pygame

from kiosk.booth.scenes.base import Scene
from kiosk.input import PointerEvent
from kiosk.ui import theme
from kiosk.ui.decor import LitScreen, draw_backdrop
from kiosk.ui.frame import is_portrait
from kiosk.ui.lines import draw_centred

THANKS_S = 5.0


class ThanksScene(Scene):
    name = "thanks"
    idle = None  # it ends by itself sooner than any idle limit

    def __init__(self, host) -> None:
        super().__init__(host)
        self.lit = LitScreen()

    def enter(self) -> None:
        bar = self.add_access_bar()
        if is_portrait(self.host.size):
            bar.place((self.host.size[0] // 2, 1500), anchor="midtop")
        else:
            bar.place((1900, 150), vertical=True, anchor="topright")
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
        # Still but for the lights: only they are drawn again (LitScreen).
        self.damage = self.lit.draw(surface, self.t, self.host.canvas_kept, self.look(surface),
                                    self.paint)  # fmt: skip

    def look(self, surface: pygame.Surface) -> tuple:
        """Everything the still picture depends on."""
        host = self.host
        palette = (theme.high_contrast, theme.TEXT, theme.SUN)
        return (surface.get_size(), host.text, host.text.large, host.tr.lang, host.tr.strings,
                palette, self.buttons_look())  # fmt: skip

    def paint(self, surface: pygame.Surface) -> None:
        """The whole screen but the lights."""
        draw_backdrop(surface, self.t)
        tr, text = self.host.tr, self.host.text
        cx, room = surface.get_width() // 2, surface.get_width() - 80
        title, subtitle = tr("thanks.title"), tr("thanks.subtitle")
        if not is_portrait(surface.get_size()):
            draw_centred(surface, text, title, 110, theme.SUN, (cx, 420), room, "bold")
            draw_centred(surface, text, subtitle, theme.HEADING, theme.TEXT, (cx, 560), room)
        else:
            # A portrait totem is narrow but tall: bigger words, on two lines where needed.
            area = draw_centred(surface, text, title, 130, theme.SUN, (cx, 760), room, "bold")
            text.draw_block(
                surface, subtitle, 64, theme.TEXT, midtop=(cx, area.bottom + 60), width=room
            )
        self.draw_buttons(surface)

    def autopilot_target(self, rng):
        return None  # let it time out, as most visitors do
