"""Recycle Right's art: the item card, the five bins and the menu icon."""

from __future__ import annotations

import pygame

from games.base import RGB, GameContext
from games.recycle_right.content import ItemSpec, Pace
from games.recycle_right.glyphs import draw_glyph
from kiosk.ui import theme
from kiosk.ui.blend import shade
from kiosk.ui.shapes import CARD_FILL, leaf, point, poly, sub_rect
from kiosk.ui.typeset import fit_name

CARD_EDGE: RGB = (214, 208, 192)


def render_card(ctx: GameContext, spec: ItemSpec, pace: Pace) -> pygame.Surface:
    """An item card: picture on top, its name in dark ink below, on a warm white card."""
    w, h = pace.card_w, pace.card_h
    card = pygame.Surface((w, h), pygame.SRCALPHA)
    rect = card.get_rect()
    pygame.draw.rect(card, CARD_FILL, rect, border_radius=20)
    pygame.draw.rect(card, CARD_EDGE, rect, width=3, border_radius=20)
    text = ctx.text
    size, lines = fit_name(text, spec.name_in(ctx.lang), pace.name_size, w - 20)
    line_h = round(size * 1.18)
    text_h = line_h * len(lines)
    glyph_h = h - text_h - 22
    side = min(w - 40, glyph_h)
    draw_glyph(
        card, spec.glyph, pygame.Rect((w - side) // 2, 10, side, side), spec.color, spec.accent
    )
    y = h - 10 - text_h
    for line in lines:
        surf = text.render(line, size, theme.INK, "bold")
        card.blit(surf, surf.get_rect(midtop=(w // 2, y - round(size * 0.08))))
        y += line_h
    return card


def draw_bin(
    surface: pygame.Surface, rect: pygame.Rect, bin_id: str, color: RGB, open_lid: bool = False
) -> None:
    """A lidded bin in its colour with its symbol on the front; the lid lifts when open."""
    r = rect
    dark = shade(color, 0.72)
    body = [(0.1, 0.24), (0.9, 0.24), (0.82, 0.98), (0.18, 0.98)]
    poly(surface, r, color, body)
    for fx in (0.34, 0.5, 0.66):  # ribs
        pygame.draw.line(
            surface, shade(color, 0.86), point(r, fx, 0.34), point(r, fx, 0.9), max(2, r.w // 60)
        )
    if open_lid:
        poly(surface, r, dark, [(0.08, 0.2), (0.2, -0.04), (0.96, 0.06), (0.9, 0.22)])
        pygame.draw.rect(surface, (10, 16, 30), sub_rect(r, 0.14, 0.2, 0.72, 0.06))
    else:
        pygame.draw.rect(surface, dark, sub_rect(r, 0.04, 0.1, 0.92, 0.14), border_radius=8)
        pygame.draw.rect(
            surface, shade(color, 0.5), sub_rect(r, 0.32, 0.14, 0.36, 0.05), border_radius=4
        )
    sym = theme.INK if sum(color) > 480 else (255, 255, 255)
    icon = sub_rect(r, 0.3, 0.42, 0.4, 0.42)
    _bin_symbol(surface, icon, bin_id, sym, color)


def _bin_symbol(s: pygame.Surface, r: pygame.Rect, bin_id: str, fg: RGB, bg: RGB) -> None:
    lw = max(3, r.w // 14)
    if bin_id == "paper":
        page = sub_rect(r, 0.15, 0.0, 0.7, 1.0)
        pygame.draw.rect(s, fg, page, lw, border_radius=4)
        for k in range(3):
            y = 0.3 + 0.2 * k
            pygame.draw.line(s, fg, point(r, 0.3, y), point(r, 0.7, y), max(2, lw - 1))
    elif bin_id == "plastic":
        pygame.draw.rect(s, fg, sub_rect(r, 0.24, 0.34, 0.52, 0.66), border_radius=8)
        poly(s, r, fg, [(0.24, 0.4), (0.4, 0.16), (0.6, 0.16), (0.76, 0.4)])
        pygame.draw.rect(s, fg, sub_rect(r, 0.38, 0.0, 0.24, 0.2), border_radius=3)
        pygame.draw.rect(s, bg, sub_rect(r, 0.24, 0.56, 0.52, 0.14))
    elif bin_id == "metal":
        pygame.draw.rect(s, fg, sub_rect(r, 0.2, 0.06, 0.6, 0.9), border_radius=8)
        pygame.draw.ellipse(s, bg, sub_rect(r, 0.3, 0.12, 0.4, 0.12))
        pygame.draw.rect(s, bg, sub_rect(r, 0.2, 0.46, 0.6, 0.12))
    elif bin_id == "food":
        pygame.draw.circle(s, fg, point(r, 0.38, 0.6), round(r.w * 0.3))
        pygame.draw.circle(s, fg, point(r, 0.62, 0.6), round(r.w * 0.3))
        pygame.draw.line(s, fg, point(r, 0.5, 0.32), point(r, 0.56, 0.08), lw)
        leaf(s, point(r, 0.72, 0.14), r.w * 0.34, r.w * 0.16, -0.5, fg)
    else:
        poly(s, r, fg, [(0.14, 0.26), (0.86, 0.26), (0.78, 1.0), (0.22, 1.0)])
        pygame.draw.rect(s, fg, sub_rect(r, 0.08, 0.1, 0.84, 0.1), border_radius=3)
        pygame.draw.rect(s, fg, sub_rect(r, 0.4, 0.0, 0.2, 0.1))
        for fx in (0.38, 0.62):
            pygame.draw.line(s, bg, point(r, fx, 0.38), point(r, fx, 0.88), max(2, lw - 1))


def draw_icon(surface: pygame.Surface, rect: pygame.Rect) -> None:
    """Menu icon: the three Hong Kong recycling bins with a bottle dropping in."""
    w = rect.w / 3.3
    for k, (bin_id, color) in enumerate(
        (("paper", (20, 102, 204)), ("plastic", (139, 90, 48)), ("metal", (244, 196, 30)))
    ):
        r = pygame.Rect(0, 0, round(w * 0.92), round(rect.h * 0.62))
        r.bottomleft = (round(rect.x + rect.w * 0.05 + k * w * 1.07), rect.bottom)
        draw_bin(surface, r, bin_id, color, open_lid=k == 1)
    bottle = pygame.Rect(0, 0, round(rect.w * 0.26), round(rect.h * 0.34))
    bottle.midbottom = (rect.centerx, round(rect.y + rect.h * 0.38))
    draw_glyph(surface, "bottle", bottle, (150, 210, 240), (30, 100, 200))
