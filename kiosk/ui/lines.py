"""A line centred where it fits on one line, wrapped round the same centre where it does not.

Landscape screens have room for every visitor string on one line; a portrait totem is
1080 px wide, so a long praise or subtitle there takes two lines instead of running off.
"""

from __future__ import annotations

import pygame

from kiosk.ui.text import Color, TextRenderer


def draw_centred(
    surface: pygame.Surface,
    text: TextRenderer,
    value: str,
    size: int,
    colour: Color,
    centre: tuple[float, float],
    width: int,
    weight: str = "regular",
) -> pygame.Rect:
    """``value`` centred on ``centre`` if it fits ``width``, else wrapped into lines whose
    block is centred there. Returns the area drawn."""
    if text.font(size, weight).size(value)[0] <= width:
        return text.draw(surface, value, size, colour, center=centre, weight=weight)
    lines = len(text.wrap(value, size, width, weight))
    top = centre[1] - (lines * size * 1.35) / 2
    return text.draw_block(
        surface, value, size, colour, midtop=(centre[0], top), width=width, weight=weight
    )
