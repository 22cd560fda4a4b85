"""How a card is painted: the painter (which can also only measure), the cards' own colours,
and wrapping text for them.

Fitting a card's text tries sizes from large to small; each try runs the card's whole layout
through a :class:`Painter` without a surface, which measures every line and draws nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pygame

from games.base import RGB
from kiosk.ui import theme, typeset
from kiosk.ui.shapes import CARD_FILL, SHADOW
from kiosk.ui.text import TextRenderer

LINK: RGB = (0, 82, 204)
PAPER = CARD_FILL
MUTED_INK: RGB = (84, 92, 110)  # small print on white cards (≥ 4.5:1 on white and PAPER)

CARD_RADIUS = 34
CARD_SHADOW = (SHADOW, (8, 14))  # the colour and offset of a card's drop shadow
STATUS_H = 40
PAD = 28


class Painter:
    """Draws onto a card, or only measures when there is no surface (fitting text sizes)."""

    def __init__(self, text: TextRenderer, surface: pygame.Surface | None) -> None:
        self.text = text
        self.surface = surface

    def rect(self, color: Any, rect: pygame.Rect, width: int = 0, radius: int = 0) -> None:
        if self.surface is not None:
            pygame.draw.rect(self.surface, color, rect, width, border_radius=radius)

    def circle(
        self, color: Any, centre: tuple[float, float], radius: float, width: int = 0
    ) -> None:
        if self.surface is not None:
            pygame.draw.circle(self.surface, color, centre, radius, width)

    def polygon(self, color: Any, points: list[tuple[float, float]], width: int = 0) -> None:
        if self.surface is not None:
            pygame.draw.polygon(self.surface, color, points, width)

    def line(
        self, color: Any, a: tuple[float, float], b: tuple[float, float], width: int = 1
    ) -> None:
        if self.surface is not None:
            pygame.draw.line(self.surface, color, a, b, width)

    def call(self, fn: Callable[..., None], *args: Any) -> None:
        if self.surface is not None:
            fn(self.surface, *args)

    def lines(
        self,
        lines: list[str],
        size: int,
        color: RGB,
        x: float,
        y: float,
        *,
        weight: str = "regular",
        align: str = "left",
        width: int = 0,
        underline: bool = False,
        gap: float = 1.3,
    ) -> pygame.Rect:
        """Draw lines from (x, y) (align centre: x is the middle); returns the area used."""
        font = self.text.font(size, weight)
        line_h = round(size * gap)
        area: pygame.Rect | None = None
        for k, line in enumerate(lines):
            w_px = font.size(line)[0]
            left = x - w_px / 2 if align == "center" else x
            r = pygame.Rect(round(left), round(y + k * line_h), w_px, line_h)
            if self.surface is not None and line:
                surf = self.text.render(line, size, color, weight)
                self.surface.blit(surf, surf.get_rect(midleft=(r.x, r.centery)))
                if underline:
                    uy = r.centery + round(size * 0.62)
                    pygame.draw.line(
                        self.surface, color, (r.x, uy), (r.right, uy), max(2, size // 16)
                    )
            area = r if area is None else area.union(r)
        return area or pygame.Rect(round(x), round(y), 0, 0)


def wrap_words(
    text: TextRenderer, value: str, size: int, width: int, weight: str = "regular"
) -> list[str]:
    """Word wrap as every screen does it (``TextRenderer.wrap``: Unicode line breaking,
    so no Chinese line starts with a comma or full stop)."""
    return text.wrap(value, size, width, weight)


def wrap_chars(
    text: TextRenderer, value: str, size: int, width: int, weight: str = "regular"
) -> list[str]:
    """Break a web address anywhere (it has no spaces), preferring after / . - ?"""
    font = text.font(size, weight)
    lines: list[str] = []
    line = ""
    for ch in value:
        if line and font.size(line + ch)[0] > width:
            cut = max(line.rfind(c) for c in "/.-?")
            if cut >= len(line) // 2:
                lines.append(line[: cut + 1])
                line = line[cut + 1 :]
            else:
                lines.append(line)
                line = ""
        line += ch
    if line or not lines:
        lines.append(line)
    return lines


def fit_lines(
    text: TextRenderer,
    value: str,
    size: int,
    width: int,
    max_lines: int,
    weight: str = "regular",
    floor: int = 24,
) -> tuple[int, list[str]]:
    """The largest size (down to ``floor``) at which ``value`` wraps into ``max_lines``,
    wrapped as :func:`wrap_words` does (no Chinese line starts with punctuation)."""

    def wrap(v: str, s: int, w: int, wt: str) -> list[str]:
        return wrap_words(text, v, s, w, wt)

    return typeset.fit_lines(text, value, size, width, max_lines, weight, floor, wrap)


def ink_on(color: RGB) -> RGB:
    """White or ink, whichever reads better on ``color``."""
    white = theme.contrast_ratio(theme.WHITE, color)
    ink = theme.contrast_ratio(theme.INK, color)
    return theme.WHITE if white >= ink else theme.INK
