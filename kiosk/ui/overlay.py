"""The "Still playing? / 仲玩嗎？" countdown, drawn over whatever screen went quiet."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from kiosk import DESIGN_SIZE
from kiosk.i18n import LANGUAGES, Tr
from kiosk.ui import theme
from kiosk.ui.text import TextRenderer

_shade: pygame.Surface | None = None


def shade() -> pygame.Surface:
    """A translucent black layer that dims the screen under a dialog (built once)."""
    global _shade
    if _shade is None:
        _shade = pygame.Surface(DESIGN_SIZE, pygame.SRCALPHA)
        _shade.fill((0, 0, 0, 170))
    return _shade


def draw_idle_overlay(
    surface: pygame.Surface,
    text: TextRenderer,
    tr: Tr,
    tr_for: Callable[[str], Tr],
    seconds_left: int,
) -> None:
    surface.blit(shade(), (0, 0))
    card = pygame.Rect(0, 0, 1300, 640)
    card.center = (960, 540)
    pygame.draw.rect(surface, theme.CARD, card, border_radius=theme.RADIUS)
    pygame.draw.rect(surface, theme.SUN, card, width=6, border_radius=theme.RADIUS)
    # The visitor's language first; the other one too, in case someone new walked up.
    order = [tr.lang] + [lang for lang in LANGUAGES if lang != tr.lang]
    first, second = tr_for(order[0]), tr_for(order[1])
    text.draw(surface, first("idle.title"), 96, theme.SUN, center=(960, 320), weight="bold")
    text.draw(surface, second("idle.title"), theme.HEADING, theme.SUN, center=(960, 415))
    text.draw(surface, str(seconds_left), 150, theme.TEXT, center=(960, 555), weight="bold")
    text.draw(surface, first("idle.touch"), theme.BODY, theme.TEXT, center=(960, 680))
    text.draw(surface, second("idle.touch"), theme.SMALL, theme.TEXT_MUTED, center=(960, 740))
    text.draw(
        surface,
        first("idle.countdown", seconds=seconds_left),
        theme.SMALL,
        theme.TEXT_MUTED,
        center=(960, 800),
    )
