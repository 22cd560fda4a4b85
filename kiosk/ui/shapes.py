"""Pictures in fractions of a rectangle, and the small glyphs every mini-game shares.

Every game draws its pictures in fractions of a rectangle and shows the same tick/cross
marks and clock glyph; one copy here keeps the six games looking like one kiosk and lets a
fix reach all of them. Nothing here uses a font glyph for a symbol: the shipped font is a
subset, and shapes scale cleanly on any screen. (Colour blending is in ``kiosk.ui.blend``.)
"""

from __future__ import annotations

import math

import pygame

from kiosk.ui import theme

RGB = theme.RGB
Point = tuple[float, float]

SHADOW: RGB = (6, 14, 30)  # the drop shadow under cards, tiles and panels
CARD_FILL: RGB = (250, 248, 240)  # the warm white of picture cards (ink text stays ≥ 4.5:1)


# --------------------------------------------------------------------------- fractions of a rect


def sub_rect(r: pygame.Rect, fx: float, fy: float, fw: float, fh: float) -> pygame.Rect:
    """The part of ``r`` given in fractions of its size (never narrower than a pixel)."""
    return pygame.Rect(
        round(r.x + fx * r.w),
        round(r.y + fy * r.h),
        max(1, round(fw * r.w)),
        max(1, round(fh * r.h)),
    )


def point(r: pygame.Rect, fx: float, fy: float) -> tuple[int, int]:
    """The pixel a fraction ``fx`` across and ``fy`` down ``r``."""
    return (round(r.x + fx * r.w), round(r.y + fy * r.h))


def poly(s: pygame.Surface, r: pygame.Rect, color: RGB, pts: list[Point], width: int = 0) -> None:
    """A polygon whose corners are fractions of ``r``; ``width`` > 0 draws the outline."""
    pygame.draw.polygon(s, color, [point(r, x, y) for x, y in pts], width)


# --------------------------------------------------------------------------- glyphs


def leaf(
    s: pygame.Surface, centre: Point, length: float, width: float, angle: float, color: RGB
) -> None:
    """A pointed leaf (or banana flap, or flame) along ``angle`` radians, centred on ``centre``."""
    ca, sa = math.cos(angle), math.sin(angle)
    pts = []
    for k in range(13):
        t = -1 + 2 * k / 12
        pts.append((t * length / 2, width / 2 * (1 - t * t)))
    for k in range(13):
        t = 1 - 2 * k / 12
        pts.append((t * length / 2, -width / 2 * (1 - t * t)))
    pygame.draw.polygon(
        s, color, [(centre[0] + x * ca - y * sa, centre[1] + x * sa + y * ca) for x, y in pts]
    )


def draw_mark(
    surface: pygame.Surface, centre: Point, radius: float, good: bool, fade: float = 1.0
) -> None:
    """A tick in a mint disc or a cross in a coral disc: every game's right/wrong sign.

    ``fade`` below 1 draws it see-through (a mark floating away after a drop).
    """
    cx, cy = round(centre[0]), round(centre[1])
    radius = round(radius)
    if fade < 1.0:
        layer = pygame.Surface((radius * 2 + 4, radius * 2 + 4), pygame.SRCALPHA)
        draw_mark(layer, (radius + 2, radius + 2), radius, good)
        layer.set_alpha(max(0, min(255, round(255 * fade))))
        surface.blit(layer, (cx - radius - 2, cy - radius - 2))
        return
    pygame.draw.circle(surface, theme.GOOD if good else theme.BAD, (cx, cy), radius)
    w = max(3, radius // 4)
    r = radius
    if good:
        pts = [
            (cx - r * 0.48, cy + r * 0.02),
            (cx - r * 0.12, cy + r * 0.38),
            (cx + r * 0.5, cy - r * 0.34),
        ]
        pygame.draw.lines(surface, theme.INK, False, pts, w)
        for p in pts:
            pygame.draw.circle(surface, theme.INK, p, w // 2)
    else:
        d = r * 0.38
        pygame.draw.line(surface, theme.INK, (cx - d, cy - d), (cx + d, cy + d), w)
        pygame.draw.line(surface, theme.INK, (cx - d, cy + d), (cx + d, cy - d), w)


def draw_clock(surface: pygame.Surface, centre: tuple[int, int], r: int, color: RGB) -> None:
    """A clock face at ten past twelve: the timer's glyph (and a board's clock)."""
    pygame.draw.circle(surface, color, centre, r, 5)
    cx, cy = centre
    pygame.draw.line(surface, color, centre, (cx, cy - r * 0.6), 4)
    pygame.draw.line(surface, color, centre, (cx + r * 0.45, cy), 4)


def draw_star(surface: pygame.Surface, centre: Point, r: float, color: RGB, width: int = 0) -> None:
    """A five-pointed star (inner radius 45 %); ``width`` > 0 draws only its outline."""
    cx, cy = centre
    pts = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        rr = r if k % 2 == 0 else r * 0.45
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    pygame.draw.polygon(surface, color, pts, width)


def draw_speaker(surface: pygame.Surface, r: pygame.Rect, color: RGB, muted: bool) -> None:
    """A loudspeaker in the square ``r``: sending out two sound waves, or crossed out (muted)."""
    poly(surface, r, color, [(0.04, 0.36), (0.24, 0.36), (0.52, 0.1), (0.52, 0.9), (0.24, 0.64),
                             (0.04, 0.64)])  # fmt: skip
    width = max(3, r.width // 11)
    if muted:
        for a, b in (((0.64, 0.32), (0.96, 0.68)), ((0.64, 0.68), (0.96, 0.32))):
            pygame.draw.line(surface, color, point(r, *a), point(r, *b), width)
        return
    for reach in (0.28, 0.46):  # arcs centred on the cone's mouth
        side = round(r.width * reach * 2)
        arc = pygame.Rect(0, 0, side, side)
        arc.center = point(r, 0.52, 0.5)
        pygame.draw.arc(surface, color, arc, -math.pi / 4, math.pi / 4, width)
