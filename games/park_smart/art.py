"""Park Smart's palette and its pictures drawn with shapes: road signs and markings, the
bays' symbols, the cars seen from above, and the menu icon.
"""

from __future__ import annotations

import functools
import math

import pygame

from games.base import RGB
from kiosk.ui import theme
from kiosk.ui.blend import shade
from kiosk.ui.shapes import point

# Colours (text pairs are checked for contrast in the tests).
PANEL_FILL: RGB = (22, 42, 76)
BOARD_FILL: RGB = (8, 14, 26)
FLOOR_FILL: RGB = (60, 74, 100)
ROAD: RGB = (36, 48, 70)
BAY_FILL: RGB = (52, 66, 92)
EV_FILL: RGB = (26, 104, 86)
ACCESSIBLE_FILL: RGB = (30, 76, 158)
PAINT: RGB = (222, 228, 238)
WALL: RGB = (88, 104, 134)
SENSOR_FREE: RGB = (48, 232, 112)
SENSOR_TAKEN: RGB = (244, 58, 58)
HOUSING: RGB = (14, 20, 32)
ACCESSIBLE_BLUE: RGB = (26, 96, 214)
GLASS: RGB = (34, 50, 76)
PUFF: RGB = (196, 202, 212)


def _rot(
    points: list[tuple[float, float]], centre: tuple[float, float], heading: int, scale: float
) -> list[tuple[float, float]]:
    """Unit-shape points (facing right, around 0,0) turned to a heading and placed."""
    cx, cy = centre
    a = math.radians(heading)
    ca, sa = math.cos(a), math.sin(a)
    return [(cx + (x * ca + y * sa) * scale, cy + (-x * sa + y * ca) * scale) for x, y in points]


def draw_chevron(
    s: pygame.Surface, centre: tuple[float, float], heading: int, size: float, color: RGB
) -> None:
    pts = _rot([(-0.6, -1.0), (0.4, 0.0), (-0.6, 1.0)], centre, heading, size)
    pygame.draw.lines(s, color, False, pts, 6)


def draw_arrow(
    s: pygame.Surface, centre: tuple[float, float], heading: int, size: float, color: RGB
) -> None:
    pts = _rot(
        [(-1.0, -0.3), (0.1, -0.3), (0.1, -0.9), (1.0, 0.0), (0.1, 0.9), (0.1, 0.3), (-1.0, 0.3)],
        centre,
        heading,
        size,
    )
    pygame.draw.polygon(s, color, pts)


def dashed_line(
    s: pygame.Surface,
    color: RGB,
    a: tuple[float, float],
    b: tuple[float, float],
    width: int,
    dash: float,
) -> None:
    length = math.hypot(b[0] - a[0], b[1] - a[1])
    if length < 1:
        return
    ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    d = 0.0
    while d < length:
        e = min(length, d + dash)
        pygame.draw.line(
            s, color, (a[0] + ux * d, a[1] + uy * d), (a[0] + ux * e, a[1] + uy * e), width
        )
        d += dash * 1.8


def draw_cloud(s: pygame.Surface, centre: tuple[float, float], r: float, color: RGB) -> None:
    cx, cy = centre
    for fx, fy, fr in ((-0.7, 0.2, 0.55), (0.0, -0.15, 0.75), (0.75, 0.2, 0.55), (0.1, 0.35, 0.6)):
        pygame.draw.circle(s, color, (round(cx + fx * r), round(cy + fy * r)), round(fr * r))


def draw_bolt(s: pygame.Surface, r: pygame.Rect, color: RGB) -> None:
    pts = [
        (0.58, 0.0),
        (0.16, 0.58),
        (0.46, 0.58),
        (0.36, 1.0),
        (0.84, 0.38),
        (0.54, 0.38),
        (0.7, 0.0),
    ]
    pygame.draw.polygon(s, color, [(r.x + fx * r.w, r.y + fy * r.h) for fx, fy in pts])


def draw_wheelchair(s: pygame.Surface, r: pygame.Rect, color: RGB) -> None:
    """The international symbol of access, in shapes."""
    lw = max(3, r.w // 11)
    p = functools.partial(point, r)
    pygame.draw.circle(s, color, p(0.42, 0.12), max(3, round(r.w * 0.1)))
    pygame.draw.line(s, color, p(0.4, 0.26), p(0.4, 0.56), lw)  # back
    pygame.draw.line(s, color, p(0.4, 0.38), p(0.62, 0.38), lw)  # arms
    pygame.draw.line(s, color, p(0.4, 0.56), p(0.7, 0.56), lw)  # seat
    pygame.draw.line(s, color, p(0.7, 0.56), p(0.82, 0.84), lw)  # leg
    pygame.draw.line(s, color, p(0.82, 0.84), p(0.94, 0.8), lw)
    wheel = pygame.Rect(0, 0, round(r.w * 0.56), round(r.h * 0.56))
    wheel.center = p(0.4, 0.68)
    pygame.draw.arc(s, color, wheel, math.radians(100), math.radians(400), lw)


def draw_p_glyph(s: pygame.Surface, r: pygame.Rect, color: RGB, bg: RGB) -> None:
    """A bold letter P (the parking symbol) filling ``r``, cut out of ``bg``."""
    lw = max(3, round(r.w * 0.26))
    bowl_h = round(r.h * 0.6)
    rad = bowl_h // 2
    xb = max(r.x + lw, r.right - rad)
    yc = r.y + rad
    pygame.draw.circle(s, color, (xb, yc), rad)
    pygame.draw.rect(s, color, (r.x, r.y, xb - r.x, bowl_h))
    pygame.draw.circle(s, bg, (xb, yc), max(1, rad - lw))
    pygame.draw.rect(s, bg, (r.x + lw, r.y + lw, xb - r.x - lw, bowl_h - 2 * lw))
    pygame.draw.rect(s, color, (r.x, r.y, lw, r.h))


def p_sign_chip(s: pygame.Surface, box: pygame.Rect) -> None:
    draw_p_sign(s, pygame.Rect(box.x + 16, box.y + 14, 44, 44))


def draw_p_sign(s: pygame.Surface, r: pygame.Rect) -> None:
    """A blue parking sign with a white P, drawn with shapes."""
    pygame.draw.rect(s, ACCESSIBLE_BLUE, r, border_radius=max(4, r.w // 6))
    pygame.draw.rect(s, theme.WHITE, r, max(2, r.w // 18), border_radius=max(4, r.w // 6))
    inner = pygame.Rect(0, 0, round(r.w * 0.4), round(r.h * 0.62))
    inner.center = (r.centerx, r.centery)
    draw_p_glyph(s, inner, theme.WHITE, ACCESSIBLE_BLUE)


def render_car(
    color: RGB, kind: str, length: int, width: int, badge: bool = True
) -> pygame.Surface:
    """A car seen from above, facing right, with a soft shadow; EVs and permit cars badged."""
    pad = 8
    s = pygame.Surface((length + 2 * pad, width + 2 * pad), pygame.SRCALPHA)
    body = pygame.Rect(pad, pad, length, width)

    def p(fx: float, fy: float) -> tuple[float, float]:
        return (body.x + fx * length, body.y + fy * width)

    pygame.draw.rect(s, (0, 0, 0, 90), body.move(5, 6), border_radius=round(width * 0.34))
    tyre = (20, 22, 28)
    for fx in (0.14, 0.7):
        for fy in (-0.06, 0.9):
            pygame.draw.rect(s, tyre, (*p(fx, fy), length * 0.16, width * 0.16), border_radius=4)
    edge = shade(color, 0.62)
    pygame.draw.rect(s, color, body, border_radius=round(width * 0.34))
    pygame.draw.rect(s, edge, body, 3, border_radius=round(width * 0.34))
    # Bonnet crease lines, windscreen, roof, rear window.
    pygame.draw.line(s, shade(color, 0.85), p(0.78, 0.3), p(0.95, 0.32), 2)
    pygame.draw.line(s, shade(color, 0.85), p(0.78, 0.7), p(0.95, 0.68), 2)
    pygame.draw.polygon(s, GLASS, [p(0.6, 0.16), p(0.75, 0.1), p(0.75, 0.9), p(0.6, 0.84)])
    pygame.draw.polygon(s, GLASS, [p(0.14, 0.2), p(0.25, 0.16), p(0.25, 0.84), p(0.14, 0.8)])
    roof = pygame.Rect(*p(0.27, 0.14), length * 0.32, width * 0.72)
    pygame.draw.rect(s, shade(color, 1.12), roof, border_radius=round(width * 0.16))
    pygame.draw.rect(s, edge, roof, 2, border_radius=round(width * 0.16))
    pygame.draw.line(s, (120, 150, 190), p(0.64, 0.2), p(0.7, 0.6), 3)  # glint
    # Mirrors, headlights, tail lights.
    for fy in (-0.08, 0.98):
        pygame.draw.ellipse(s, edge, (*p(0.56, fy), length * 0.06, width * 0.12))
    for fy in (0.08, 0.74):
        pygame.draw.ellipse(s, (255, 244, 190), (*p(0.92, fy), length * 0.06, width * 0.18))
        pygame.draw.rect(
            s, (220, 40, 40), (*p(0.0, fy), length * 0.04, width * 0.18), border_radius=3
        )
    if badge:
        draw_badge(s, (roof.centerx, roof.centery), kind, width)
    return s


def draw_badge(s: pygame.Surface, centre: tuple[float, float], kind: str, width: int) -> None:
    """The roof badge, always upright: a charging bolt for EVs, the access symbol for permits."""
    badge = pygame.Rect(0, 0, round(width * 0.52), round(width * 0.52))
    badge.center = (round(centre[0]), round(centre[1]))
    if kind == "ev":
        pygame.draw.circle(s, theme.MINT, badge.center, badge.w // 2 + 2)
        pygame.draw.circle(s, theme.INK, badge.center, badge.w // 2 + 2, 3)
        draw_bolt(s, badge.inflate(-badge.w // 4, -badge.h // 5), theme.INK)
    elif kind == "accessible":
        pygame.draw.rect(s, ACCESSIBLE_BLUE, badge.inflate(6, 6), border_radius=8)
        pygame.draw.rect(s, theme.WHITE, badge.inflate(6, 6), 2, border_radius=8)
        draw_wheelchair(s, badge.inflate(-badge.w // 5, -badge.h // 5), theme.WHITE)


def draw_icon(surface: pygame.Surface, rect: pygame.Rect) -> None:
    """Menu icon: two bays seen from above, one taken (red light) and one free (green)."""
    floor = rect.inflate(-rect.w // 20, -rect.h // 20)
    pygame.draw.rect(surface, ROAD, floor, border_radius=max(6, rect.w // 10))
    bw = floor.w * 0.36
    bays = []
    for k in range(2):
        bay = pygame.Rect(
            round(floor.x + floor.w * 0.12 + k * (bw + floor.w * 0.04)),
            round(floor.y + floor.h * 0.1),
            round(bw),
            round(floor.h * 0.62),
        )
        bays.append(bay)
        pygame.draw.rect(surface, BAY_FILL, bay)
        lw = max(2, rect.w // 60)
        for x in (bay.left, bay.right - lw):
            pygame.draw.rect(surface, PAINT, (x, bay.y, lw, bay.h))
        pygame.draw.rect(surface, PAINT, (bay.x, bay.y, bay.w, lw))
    car_w, car_l = round(bw * 0.62), round(floor.h * 0.5)
    car = pygame.transform.smoothscale(
        pygame.transform.rotate(render_car((226, 64, 64), "regular", 168, 92), 90), (car_w, car_l)
    )
    surface.blit(car, car.get_rect(center=(bays[0].centerx, bays[0].centery + rect.h // 14)))
    r = max(4, rect.w // 18)
    for bay, color in ((bays[0], SENSOR_TAKEN), (bays[1], SENSOR_FREE)):
        centre = (bay.centerx, bay.y + r + rect.h // 40)
        pygame.draw.circle(surface, HOUSING, centre, r + 3)
        pygame.draw.circle(surface, color, centre, r)
    sign = pygame.Rect(0, 0, round(rect.w * 0.3), round(rect.w * 0.3))
    sign.midbottom = (bays[1].centerx, floor.bottom - rect.h // 30)
    draw_p_sign(surface, sign)
