"""Smart Commute's pictures: the look of each mode's line, the map pin, stars, the mode
badges (a disc with a white pictogram) and the menu icon; and the map's colours. Each
function draws with pygame shapes into what it is given and keeps no state.
"""

from __future__ import annotations

import math
from itertools import pairwise

import pygame

from games.smart_commute.network import RGB
from kiosk.ui import theme
from kiosk.ui.blend import lerp, shade
from kiosk.ui.shapes import draw_star, point, sub_rect

WATER: RGB = (19, 62, 112)
WAVE: RGB = (34, 84, 140)
LAND: RGB = (33, 56, 92)
HILL: RGB = (40, 68, 108)
LED_BG: RGB = (12, 16, 24)
LED_AMBER: RGB = (255, 184, 40)
PRESSED: RGB = (40, 74, 128)  # a card under a finger (white text stays ≥ 4.5:1)
DIM: tuple[int, int, int, int] = (14, 30, 58, 150)  # over the cards not chosen


MODE_ORDER = ("mtr", "tram", "bus", "ferry", "bike", "walk", "taxi")  # drawing order, MTR on top


def along(pts: list[tuple[int, int]], f: float) -> tuple[float, float]:
    """The point a fraction ``f`` of the way along a polyline."""
    lengths = [math.dist(a, b) for a, b in pairwise(pts)]
    todo = f * sum(lengths)
    for (a, b), seg in zip(pairwise(pts), lengths, strict=True):
        if seg > 0 and todo <= seg:
            return (lerp(a[0], b[0], todo / seg), lerp(a[1], b[1], todo / seg))
        todo -= seg
    return (float(pts[-1][0]), float(pts[-1][1]))


def draw_route(
    s: pygame.Surface, mode: str, colour: RGB, a, b, scale: float, solid: bool = False
) -> None:
    """A link in its mode's style: thick MTR, tram and bus lines, dashed ferry and bike,
    dotted walks, and a dashed taxi line (drawn only when a taxi is offered)."""
    ax, ay = a
    bx, by = b
    length = math.hypot(bx - ax, by - ay) or 1.0
    if mode == "mtr":
        pygame.draw.line(s, colour, (ax, ay), (bx, by), round(10 * scale))
    elif mode in ("tram", "bus"):
        pygame.draw.line(s, colour, (ax, ay), (bx, by), round(7 * scale))
        if mode == "tram":
            pygame.draw.line(s, shade(colour, 1.5), (ax, ay), (bx, by), max(1, round(2 * scale)))
    elif mode == "walk":
        step = 16
        for k in range(int(length // step) + 1):
            f = k * step / length
            pygame.draw.circle(
                s,
                theme.MIST if not solid else theme.INK,
                (round(lerp(ax, bx, f)), round(lerp(ay, by, f))),
                round((4 if solid else 3) * scale),
            )
    else:  # ferry, bike, taxi: dashes
        dash, gap = (22, 12) if mode != "bike" else (14, 10)
        width = round((6 if mode == "ferry" else 5) * scale)
        pos = 0.0
        while pos < length:
            f0, f1 = pos / length, min(1.0, (pos + dash) / length)
            pygame.draw.line(
                s,
                colour if mode != "ferry" else shade(colour, 1.6),
                (lerp(ax, bx, f0), lerp(ay, by, f0)),
                (lerp(ax, bx, f1), lerp(ay, by, f1)),
                width,
            )
            pos += dash + gap


def draw_pin(s: pygame.Surface, tip: tuple[int, int], size: int) -> None:
    """A coral map pin whose point rests on ``tip``."""
    x, y = tip
    head = (x, y - size)
    r = round(size * 0.55)
    pygame.draw.polygon(
        s, theme.CORAL, [(x, y), (x - r * 0.8, y - size * 0.8), (x + r * 0.8, y - size * 0.8)]
    )
    pygame.draw.circle(s, theme.CORAL, head, r)
    pygame.draw.circle(s, theme.INK, head, r, 3)
    pygame.draw.circle(s, theme.WHITE, head, max(3, r // 2))


def draw_score_star(s: pygame.Surface, centre: tuple[int, int], r: int, filled: bool) -> None:
    """One of a trip's three stars: gold when earned, an outline when not."""
    draw_star(s, centre, r, theme.SUN if filled else theme.NAVY)
    draw_star(s, centre, r, theme.SUN, 4)


def render_glyph(glyph: str, colour: RGB, radius: int) -> pygame.Surface:
    """A mode badge: a disc in the line's colour with a white pictogram."""
    size = radius * 2
    surf = pygame.Surface((size, size), pygame.SRCALPHA)
    pygame.draw.circle(surf, colour, (radius, radius), radius)
    pygame.draw.circle(surf, shade(colour, 0.7), (radius, radius), radius, max(2, radius // 14))
    box = pygame.Rect(0, 0, round(size * 0.64), round(size * 0.64))
    box.center = (radius, radius)
    fg = theme.INK if sum(colour) > 560 else theme.WHITE
    GLYPHS.get(glyph, _g_default)(surf, box, fg, colour)
    return surf


def _g_train(s, r, fg, bg):
    body = sub_rect(r, 0.18, 0.02, 0.64, 0.78)
    pygame.draw.rect(s, fg, body, border_radius=max(4, r.w // 6))
    pygame.draw.rect(s, bg, sub_rect(r, 0.28, 0.14, 0.44, 0.28), border_radius=max(2, r.w // 14))
    for fx in (0.33, 0.67):
        pygame.draw.circle(s, bg, point(r, fx, 0.6), max(2, r.w // 14))
    lw = max(2, r.w // 12)
    pygame.draw.line(s, fg, point(r, 0.32, 0.82), point(r, 0.2, 1.0), lw)
    pygame.draw.line(s, fg, point(r, 0.68, 0.82), point(r, 0.8, 1.0), lw)


def _g_bus(s, r, fg, bg):
    body = sub_rect(r, 0.04, 0.08, 0.92, 0.74)
    pygame.draw.rect(s, fg, body, border_radius=max(4, r.w // 8))
    for row, (y, hgt) in enumerate(((0.18, 0.2), (0.48, 0.18))):
        for k in range(3):
            x = 0.12 + k * 0.22 + (0.1 if row else 0)
            pygame.draw.rect(s, bg, sub_rect(r, x, y, 0.16, hgt), border_radius=2)
    pygame.draw.rect(s, bg, sub_rect(r, 0.12, 0.48, 0.1, 0.3))  # door
    for fx in (0.26, 0.74):
        pygame.draw.circle(s, bg, point(r, fx, 0.84), max(3, r.w // 8))
        pygame.draw.circle(s, fg, point(r, fx, 0.84), max(2, r.w // 14))


def _g_tram(s, r, fg, bg):
    lw = max(2, r.w // 14)
    pygame.draw.line(s, fg, point(r, 0.5, 0.16), point(r, 0.7, -0.04), lw)
    body = sub_rect(r, 0.22, 0.14, 0.56, 0.72)
    pygame.draw.rect(s, fg, body, border_radius=max(3, r.w // 10))
    for y in (0.22, 0.5):
        for fx in (0.3, 0.54):
            pygame.draw.rect(s, bg, sub_rect(r, fx, y, 0.16, 0.18), border_radius=2)
    pygame.draw.rect(s, fg, sub_rect(r, 0.14, 0.84, 0.72, 0.08), border_radius=2)
    for fx in (0.34, 0.66):
        pygame.draw.circle(s, fg, point(r, fx, 0.96), max(2, r.w // 14))


def _g_ferry(s, r, fg, bg):
    pygame.draw.polygon(
        s, fg, [point(r, 0.0, 0.5), point(r, 1.0, 0.5), point(r, 0.84, 0.76), point(r, 0.16, 0.76)]
    )
    pygame.draw.rect(s, fg, sub_rect(r, 0.22, 0.28, 0.56, 0.2), border_radius=3)
    pygame.draw.rect(s, fg, sub_rect(r, 0.16, 0.2, 0.68, 0.08), border_radius=2)
    for k in range(3):
        pygame.draw.rect(s, bg, sub_rect(r, 0.28 + k * 0.17, 0.32, 0.1, 0.1))
    lw = max(2, r.w // 14)
    for k in range(3):
        x = 0.1 + k * 0.3
        pygame.draw.arc(s, fg, sub_rect(r, x, 0.82, 0.3, 0.16), math.pi, 2 * math.pi, lw)


def _g_walk(s, r, fg, bg):
    lw = max(3, r.w // 9)
    pygame.draw.circle(s, fg, point(r, 0.56, 0.12), max(3, r.w // 9))
    hip = point(r, 0.48, 0.58)
    neck = point(r, 0.54, 0.3)
    pygame.draw.line(s, fg, neck, hip, lw)
    pygame.draw.line(s, fg, hip, point(r, 0.3, 0.96), lw)
    pygame.draw.line(s, fg, hip, point(r, 0.56, 0.76), lw)
    pygame.draw.line(s, fg, point(r, 0.56, 0.76), point(r, 0.72, 0.96), lw)
    pygame.draw.line(s, fg, point(r, 0.52, 0.36), point(r, 0.3, 0.52), lw)
    pygame.draw.line(s, fg, point(r, 0.52, 0.36), point(r, 0.74, 0.48), lw)
    for pt in (neck, hip, point(r, 0.56, 0.76), point(r, 0.52, 0.36)):
        pygame.draw.circle(s, fg, pt, lw // 2)


def _g_bike(s, r, fg, bg):
    lw = max(2, r.w // 14)
    wr = round(r.w * 0.2)
    back, front = point(r, 0.22, 0.68), point(r, 0.78, 0.68)
    pygame.draw.circle(s, fg, back, wr, lw)
    pygame.draw.circle(s, fg, front, wr, lw)
    crank = point(r, 0.48, 0.68)
    seat = point(r, 0.4, 0.34)
    bar = point(r, 0.7, 0.3)
    pygame.draw.lines(s, fg, False, [back, seat, crank, back], lw)
    pygame.draw.line(s, fg, seat, point(r, 0.68, 0.4), lw)
    pygame.draw.line(s, fg, crank, point(r, 0.68, 0.4), lw)
    pygame.draw.line(s, fg, point(r, 0.68, 0.4), front, lw)
    pygame.draw.line(s, fg, point(r, 0.68, 0.4), bar, lw)
    pygame.draw.line(s, fg, point(r, 0.32, 0.3), point(r, 0.48, 0.3), lw + 1)
    pygame.draw.line(s, fg, bar, point(r, 0.82, 0.3), lw + 1)


def _g_taxi(s, r, fg, bg):
    pygame.draw.polygon(
        s,
        fg,
        [point(r, 0.24, 0.46), point(r, 0.34, 0.24), point(r, 0.68, 0.24), point(r, 0.8, 0.46)],
    )
    pygame.draw.rect(s, fg, sub_rect(r, 0.02, 0.44, 0.96, 0.3), border_radius=max(3, r.w // 10))
    pygame.draw.rect(s, fg, sub_rect(r, 0.4, 0.1, 0.2, 0.12), border_radius=2)  # roof sign
    for fx in (0.38, 0.56):
        pygame.draw.rect(s, bg, sub_rect(r, fx, 0.3, 0.14, 0.14))
    for fx in (0.24, 0.76):
        pygame.draw.circle(s, bg, point(r, fx, 0.76), max(3, r.w // 8))
        pygame.draw.circle(s, fg, point(r, fx, 0.76), max(2, r.w // 14))


def _g_default(s, r, fg, bg):
    pygame.draw.circle(s, fg, r.center, min(r.w, r.h) // 3)


GLYPHS = {
    "train": _g_train,
    "bus": _g_bus,
    "tram": _g_tram,
    "ferry": _g_ferry,
    "walk": _g_walk,
    "bike": _g_bike,
    "taxi": _g_taxi,
}


def draw_icon(surface: pygame.Surface, rect: pygame.Rect) -> None:
    """Menu icon: a bright little harbour map, two MTR lines, a pin and a train badge."""
    radius = max(6, rect.w // 8)
    pygame.draw.rect(surface, theme.SKY, rect, border_radius=radius)
    pale: RGB = (236, 240, 226)
    top = sub_rect(rect, 0.0, 0.0, 1.0, 0.34)
    pygame.draw.rect(
        surface, pale, top, border_top_left_radius=radius, border_top_right_radius=radius
    )
    bottom = sub_rect(rect, 0.0, 0.66, 1.0, 0.34)
    pygame.draw.rect(
        surface, pale, bottom, border_bottom_left_radius=radius, border_bottom_right_radius=radius
    )
    for k in range(3):  # waves
        pygame.draw.arc(
            surface,
            theme.WHITE,
            sub_rect(rect, 0.08 + k * 0.3, 0.44, 0.16, 0.1),
            0.3,
            2.8,
            max(2, rect.w // 60),
        )
    a, b, c, d = (
        point(rect, 0.1, 0.82),
        point(rect, 0.46, 0.82),
        point(rect, 0.6, 0.3),
        point(rect, 0.9, 0.82),
    )
    lw = max(4, rect.w // 16)
    pygame.draw.line(surface, (0, 117, 194), a, b, lw)
    pygame.draw.line(surface, (0, 117, 194), b, d, lw)
    pygame.draw.line(surface, (227, 0, 25), b, c, lw)
    r = max(4, rect.w // 18)
    for pt in (a, b, c, d):
        pygame.draw.circle(surface, theme.WHITE, pt, r)
        pygame.draw.circle(surface, theme.INK, pt, r, max(2, rect.w // 70))
    draw_pin(surface, c, max(12, rect.w // 6))
    badge = render_glyph("train", (227, 0, 25), max(10, rect.w // 6))
    surface.blit(badge, badge.get_rect(center=point(rect, 0.84, 0.4)))
