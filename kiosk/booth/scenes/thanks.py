"""Thanks: a short goodbye, then the attract loop for the next visitor."""

from __future__ import annotations

import pygame

from kiosk.background import Lane
from kiosk.booth.scenes.base import Scene
from kiosk.i18n import Tr
from kiosk.input import PointerEvent
from kiosk.ui import theme
from kiosk.ui.decor import LitScreen, draw_backdrop
from kiosk.ui.frame import is_portrait
from kiosk.ui.lines import draw_centred
from kiosk.ui.text import TextRenderer

THANKS_S = 5.0
# The title and subtitle: their sizes in landscape, then on a portrait totem (bigger, the
# subtitle wrapped as a block under the title).
LANDSCAPE_SIZES = (110, theme.HEADING)
PORTRAIT_SIZES = (130, 64)
_worker = Lane("thanks-text", "rendering the thanks screen ahead")


def render_ahead(text: TextRenderer, tr: Tr, size: tuple[int, int]) -> None:
    """Start rendering the thanks screen's title and subtitle in a worker, into the text
    cache, as its paint will want them (the claim screen asks: the thanks screen's first
    frame rendered both, 1-2 ms)."""
    _worker.start(_render, text, tr, size, if_idle=True)


def wait_for_text(timeout_s: float = 10.0) -> None:
    """Block until the text being rendered ahead is done (tests, benchmarks)."""
    _worker.wait(timeout_s)


def _render(text: TextRenderer, tr: Tr, size: tuple[int, int]) -> None:
    # Should it fail (logged by the worker), the thanks screen renders them itself.
    room = size[0] - 80
    title, subtitle = tr("thanks.title"), tr("thanks.subtitle")
    if not is_portrait(size):
        title_px, subtitle_px = LANDSCAPE_SIZES
        _centred_ahead(text, title, title_px, theme.SUN, room, "bold")
        _centred_ahead(text, subtitle, subtitle_px, theme.TEXT, room, "regular")
    else:
        title_px, subtitle_px = PORTRAIT_SIZES
        _centred_ahead(text, title, title_px, theme.SUN, room, "bold")
        _lines_ahead(text, subtitle, subtitle_px, theme.TEXT, room, "regular")


def _centred_ahead(
    text: TextRenderer, value: str, px: int, colour: theme.RGB, width: int, weight: str
) -> None:
    """What kiosk/ui/lines.py ``draw_centred`` renders: one line where it fits, else lines."""
    if text.font(px, weight).size(value)[0] <= width:
        text.render(value, px, colour, weight)
    else:
        _lines_ahead(text, value, px, colour, width, weight)


def _lines_ahead(
    text: TextRenderer, value: str, px: int, colour: theme.RGB, width: int, weight: str
) -> None:
    for line in text.wrap(value, px, width, weight):
        if line:
            text.render(line, px, colour, weight)


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
            title_px, subtitle_px = LANDSCAPE_SIZES
            draw_centred(surface, text, title, title_px, theme.SUN, (cx, 420), room, "bold")
            draw_centred(surface, text, subtitle, subtitle_px, theme.TEXT, (cx, 560), room)
        else:
            # A portrait totem is narrow but tall: bigger words, on two lines where needed.
            title_px, subtitle_px = PORTRAIT_SIZES
            area = draw_centred(surface, text, title, title_px, theme.SUN, (cx, 760), room, "bold")
            text.draw_block(
                surface, subtitle, subtitle_px, theme.TEXT, midtop=(cx, area.bottom + 60),
                width=room,
            )  # fmt: skip
        self.draw_buttons(surface)

    def autopilot_target(self, rng):
        return None  # let it time out, as most visitors do
