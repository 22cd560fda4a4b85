"""The "Still playing? / 仲玩嗎？" countdown, drawn over whatever screen went quiet."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from kiosk import DESIGN_SIZE
from kiosk.i18n import LANGUAGES, Tr
from kiosk.ui import theme
from kiosk.ui.frame import pick
from kiosk.ui.text import TextRenderer
from kiosk.ui.typeset import fit_size

_shades: dict[tuple[int, int], pygame.Surface] = {}

# The card's size and, from the card's top, the centres of its lines: title, the other
# language's title, the seconds, touch, the other language's touch, the countdown line.
CARD_LANDSCAPE = ((1300, 640), (100, 195, 335, 460, 520, 580))
CARD_PORTRAIT = ((1000, 820), (110, 215, 380, 540, 610, 680))


def shade(size: tuple[int, int] = DESIGN_SIZE) -> pygame.Surface:
    """A translucent black layer that dims a ``size`` screen under a dialog (built once)."""
    layer = _shades.get(size)
    if layer is None:
        layer = _shades[size] = pygame.Surface(size, pygame.SRCALPHA)
        layer.fill((0, 0, 0, 170))
    return layer


def draw_idle_overlay(
    surface: pygame.Surface,
    text: TextRenderer,
    tr: Tr,
    tr_for: Callable[[str], Tr],
    seconds_left: int,
) -> None:
    size = surface.get_size()
    surface.blit(shade(size), (0, 0))
    card_size, ys = pick(size, CARD_LANDSCAPE, CARD_PORTRAIT)
    card = pygame.Rect((0, 0), card_size)
    card.center = (size[0] // 2, size[1] // 2)
    cx, width = card.centerx, card.width - 80
    y_title, y_second, y_seconds, y_touch, y_touch2, y_count = (card.y + y for y in ys)
    pygame.draw.rect(surface, theme.CARD, card, border_radius=theme.RADIUS)
    pygame.draw.rect(surface, theme.SUN, card, width=6, border_radius=theme.RADIUS)
    # The visitor's language first; the other one too, in case someone new walked up.
    order = [tr.lang] + [lang for lang in LANGUAGES if lang != tr.lang]
    first, second = tr_for(order[0]), tr_for(order[1])
    title = fit_size(text, first("idle.title"), 96, width, 60)
    text.draw(surface, first("idle.title"), title, theme.SUN, center=(cx, y_title), weight="bold")
    second_title = fit_size(text, second("idle.title"), theme.HEADING, width, 40, "regular")
    text.draw(surface, second("idle.title"), second_title, theme.SUN, center=(cx, y_second))
    text.draw(surface, str(seconds_left), 150, theme.TEXT, center=(cx, y_seconds), weight="bold")
    touch = fit_size(text, first("idle.touch"), theme.BODY, width, 28, "regular")
    text.draw(surface, first("idle.touch"), touch, theme.TEXT, center=(cx, y_touch))
    text.draw(surface, second("idle.touch"), theme.SMALL, theme.TEXT_MUTED, center=(cx, y_touch2))
    text.draw(
        surface,
        first("idle.countdown", seconds=seconds_left),
        theme.SMALL,
        theme.TEXT_MUTED,
        center=(cx, y_count),
    )
