"""Appliance glyphs: each draws one appliance into a rect, bright when on and dim when off.

:func:`draw_glyph` picks the glyph for an appliance kind (an air-con also shows its mode).
"""

from __future__ import annotations

import math

import pygame

from kiosk.ui.blend import shade
from kiosk.ui.shapes import leaf, point, poly, sub_rect


def _g_light(s, r, on):
    c = (250, 214, 60) if on else (136, 146, 166)
    cx, cy = point(r, 0.5, 0.4)
    if on:
        for k in range(8):
            ang = k * math.pi / 4 + math.pi / 8
            pygame.draw.line(
                s,
                (245, 170, 30),
                (cx + r.w * 0.3 * math.cos(ang), cy + r.w * 0.3 * math.sin(ang)),
                (cx + r.w * 0.42 * math.cos(ang), cy + r.w * 0.42 * math.sin(ang)),
                max(3, r.w // 24),
            )
    pygame.draw.circle(s, c, (cx, cy), round(r.w * 0.24))
    poly(s, r, c, [(0.36, 0.5), (0.64, 0.5), (0.6, 0.66), (0.4, 0.66)])
    pygame.draw.circle(s, shade(c, 1.5), point(r, 0.42, 0.32), max(3, round(r.w * 0.06)))
    if on:
        pygame.draw.lines(
            s,
            (220, 120, 20),
            False,
            [
                point(r, 0.44, 0.56),
                point(r, 0.47, 0.44),
                point(r, 0.5, 0.5),
                point(r, 0.53, 0.44),
                point(r, 0.56, 0.56),
            ],
            3,
        )
    pygame.draw.rect(s, (130, 136, 150), sub_rect(r, 0.39, 0.66, 0.22, 0.16), border_radius=4)
    for k in range(2):
        y = 0.71 + 0.05 * k
        pygame.draw.line(s, (96, 102, 118), point(r, 0.4, y), point(r, 0.6, y), 2)
    pygame.draw.rect(s, (80, 86, 100), sub_rect(r, 0.45, 0.82, 0.1, 0.06), border_radius=3)


def _g_tv(s, r, on):
    pygame.draw.line(s, (60, 66, 80), point(r, 0.3, 0.7), point(r, 0.22, 0.88), max(3, r.w // 20))
    pygame.draw.line(s, (60, 66, 80), point(r, 0.7, 0.7), point(r, 0.78, 0.88), max(3, r.w // 20))
    pygame.draw.rect(s, (34, 38, 50), sub_rect(r, 0.04, 0.14, 0.92, 0.6), border_radius=8)
    screen = sub_rect(r, 0.09, 0.19, 0.82, 0.5)
    if on:
        pygame.draw.rect(s, (110, 190, 255), screen, border_radius=4)
        pygame.draw.circle(s, (255, 214, 60), point(r, 0.7, 0.32), round(r.w * 0.07))
        clip = s.get_clip()
        s.set_clip(screen)
        pygame.draw.ellipse(s, (70, 180, 90), sub_rect(r, 0.0, 0.52, 0.7, 0.34))
        pygame.draw.ellipse(s, (50, 150, 80), sub_rect(r, 0.4, 0.56, 0.7, 0.34))
        s.set_clip(clip)
    else:
        pygame.draw.rect(s, (18, 22, 30), screen, border_radius=4)
        pygame.draw.line(s, (60, 66, 84), point(r, 0.2, 0.6), point(r, 0.4, 0.26), 3)


def _g_ac(s, r, mode):
    on = mode != "off"
    body = sub_rect(r, 0.04, 0.1, 0.92, 0.5)
    pygame.draw.rect(s, (244, 247, 250) if on else (150, 160, 178), body, border_radius=12)
    pygame.draw.rect(s, (170, 180, 196) if on else (112, 122, 140), body, 3, border_radius=12)
    pygame.draw.rect(
        s,
        (150, 160, 176) if on else (100, 110, 128),
        sub_rect(r, 0.1, 0.46, 0.8, 0.07),
        border_radius=3,
    )
    led = (64, 214, 170) if on else (96, 104, 120)
    pygame.draw.circle(s, led, point(r, 0.86, 0.24), max(3, round(r.h * 0.05)))
    if on:
        color = (60, 140, 250) if mode == "cold" else (40, 180, 100)
        for k, fx in enumerate((0.28, 0.5, 0.72)):
            pts = [point(r, fx + 0.03 * math.sin(j * 1.4 + k), 0.64 + 0.07 * j) for j in range(5)]
            pygame.draw.lines(s, color, False, pts, max(3, r.h // 22))


def _g_fan(s, r, on):
    blade = (80, 160, 240) if on else (124, 134, 152)
    centre = point(r, 0.5, 0.38)
    pygame.draw.rect(s, (150, 160, 176), sub_rect(r, 0.46, 0.6, 0.08, 0.26))
    pygame.draw.ellipse(s, (150, 160, 176), sub_rect(r, 0.26, 0.82, 0.48, 0.12))
    pygame.draw.circle(s, (226, 234, 244) if on else (96, 108, 130), centre, round(r.w * 0.32))
    for k in range(3):
        ang = k * 2 * math.pi / 3 + 0.4
        tip = (centre[0] + r.w * 0.15 * math.cos(ang), centre[1] + r.w * 0.15 * math.sin(ang))
        leaf(s, tip, r.w * 0.3, r.w * 0.15, ang, blade)
    pygame.draw.circle(s, (170, 180, 196), centre, round(r.w * 0.32), 3)
    pygame.draw.circle(s, (90, 100, 120), centre, max(4, round(r.w * 0.06)))
    if on:
        for k in range(2):
            box = sub_rect(r, 0.66 + 0.08 * k, 0.16 - 0.04 * k, 0.3, 0.44 + 0.08 * k)
            pygame.draw.arc(s, (80, 160, 240), box, -0.8, 0.8, 3)


def _g_computer(s, r, on):
    pygame.draw.rect(s, (40, 44, 58), sub_rect(r, 0.08, 0.08, 0.84, 0.56), border_radius=6)
    screen = sub_rect(r, 0.12, 0.12, 0.76, 0.46)
    if on:
        pygame.draw.rect(s, (40, 120, 200), screen, border_radius=3)
        pygame.draw.rect(s, (240, 246, 255), sub_rect(r, 0.18, 0.18, 0.36, 0.26), border_radius=3)
        for k in range(3):
            pygame.draw.line(
                s,
                (120, 150, 190),
                point(r, 0.22, 0.24 + 0.06 * k),
                point(r, 0.48, 0.24 + 0.06 * k),
                2,
            )
        pygame.draw.rect(s, (255, 200, 40), sub_rect(r, 0.6, 0.2, 0.2, 0.14), border_radius=3)
        pygame.draw.rect(s, (64, 214, 170), sub_rect(r, 0.6, 0.38, 0.2, 0.14), border_radius=3)
    else:
        pygame.draw.rect(s, (16, 20, 28), screen, border_radius=3)
    pygame.draw.rect(s, (90, 96, 112), sub_rect(r, 0.44, 0.64, 0.12, 0.1))
    pygame.draw.rect(
        s,
        (200, 206, 216) if on else (120, 128, 144),
        sub_rect(r, 0.14, 0.76, 0.72, 0.12),
        border_radius=5,
    )
    for k in range(6):
        pygame.draw.rect(
            s,
            (150, 156, 170) if on else (96, 104, 120),
            sub_rect(r, 0.18 + 0.11 * k, 0.79, 0.07, 0.05),
            border_radius=2,
        )


def _g_fridge(s, r, on):
    body = sub_rect(r, 0.24, 0.04, 0.52, 0.92)
    pygame.draw.rect(s, (232, 240, 250) if on else (150, 160, 178), body, border_radius=10)
    pygame.draw.rect(s, (160, 172, 192), body, 3, border_radius=10)
    pygame.draw.line(s, (160, 172, 192), point(r, 0.24, 0.36), point(r, 0.76, 0.36), 3)
    for box in ((0.66, 0.12, 0.04, 0.16), (0.66, 0.44, 0.04, 0.26)):
        pygame.draw.rect(s, (120, 130, 150), sub_rect(r, *box), border_radius=3)
    led = (60, 150, 250) if on else (96, 104, 120)
    c = point(r, 0.38, 0.2)
    d = max(4, round(r.w * 0.06))
    for ang in (0, math.pi / 3, 2 * math.pi / 3):  # a little snowflake
        pygame.draw.line(
            s,
            led,
            (c[0] - d * math.cos(ang), c[1] - d * math.sin(ang)),
            (c[0] + d * math.cos(ang), c[1] + d * math.sin(ang)),
            3,
        )


def _g_rice_cooker(s, r, on):
    if on:
        for fx in (0.4, 0.6):
            pts = [point(r, fx + 0.04 * math.sin(j * 1.6), 0.2 - 0.045 * j) for j in range(5)]
            pygame.draw.lines(s, (150, 166, 194), False, pts, 3)
    pygame.draw.rect(
        s,
        (250, 244, 236) if on else (150, 158, 176),
        sub_rect(r, 0.12, 0.38, 0.76, 0.46),
        border_radius=16,
    )
    pygame.draw.ellipse(
        s, (226, 230, 238) if on else (128, 138, 156), sub_rect(r, 0.16, 0.24, 0.68, 0.24)
    )
    pygame.draw.rect(s, (120, 130, 150), sub_rect(r, 0.43, 0.22, 0.14, 0.07), border_radius=3)
    pygame.draw.rect(s, (60, 70, 90), sub_rect(r, 0.32, 0.56, 0.36, 0.16), border_radius=5)
    pygame.draw.circle(
        s,
        (255, 150, 40) if on else (100, 108, 124),
        point(r, 0.42, 0.64),
        max(3, round(r.w * 0.04)),
    )
    pygame.draw.rect(s, (96, 104, 120), sub_rect(r, 0.5, 0.62, 0.12, 0.04))
    for fx in (0.2, 0.72):
        pygame.draw.rect(s, (90, 96, 112), sub_rect(r, fx, 0.84, 0.08, 0.06), border_radius=2)


def _g_water_heater(s, r, on):
    pygame.draw.line(s, (220, 80, 60), point(r, 0.4, 0.74), point(r, 0.4, 0.94), max(4, r.w // 18))
    pygame.draw.line(s, (60, 120, 220), point(r, 0.6, 0.74), point(r, 0.6, 0.94), max(4, r.w // 18))
    tank = sub_rect(r, 0.28, 0.04, 0.44, 0.72)
    pygame.draw.rect(s, (240, 244, 248) if on else (150, 160, 178), tank, border_radius=18)
    pygame.draw.rect(s, (160, 172, 192), tank, 3, border_radius=18)
    c = point(r, 0.5, 0.26)
    pygame.draw.circle(s, (255, 255, 255), c, round(r.w * 0.1))
    pygame.draw.circle(s, (90, 100, 120), c, round(r.w * 0.1), 2)
    pygame.draw.line(s, (220, 60, 50), c, (c[0] + r.w * 0.06, c[1] - r.w * 0.04), 3)
    pygame.draw.circle(
        s, (235, 70, 50) if on else (100, 108, 124), point(r, 0.5, 0.54), max(4, round(r.w * 0.05))
    )
    if on:
        for fx in (0.14, 0.8):
            pts = [point(r, fx + 0.03 * math.sin(j * 1.6), 0.6 - 0.1 * j) for j in range(5)]
            pygame.draw.lines(s, (250, 120, 50), False, pts, 3)


def _g_exhaust_fan(s, r, on):
    frame = sub_rect(r, 0.14, 0.14, 0.72, 0.72)
    pygame.draw.rect(s, (226, 232, 240) if on else (140, 150, 168), frame, border_radius=12)
    pygame.draw.rect(s, (150, 160, 178), frame, 3, border_radius=12)
    centre = frame.center
    pygame.draw.circle(s, (70, 80, 100), centre, round(r.w * 0.28))
    for k in range(4):
        ang = k * math.pi / 2 + 0.5
        tip = (centre[0] + r.w * 0.13 * math.cos(ang), centre[1] + r.w * 0.13 * math.sin(ang))
        leaf(s, tip, r.w * 0.26, r.w * 0.12, ang, (150, 200, 240) if on else (120, 130, 150))
    pygame.draw.circle(s, (200, 206, 216), centre, max(4, round(r.w * 0.05)))
    if on:
        for k in range(3):
            y = 0.3 + 0.18 * k
            pygame.draw.line(s, (100, 170, 230), point(r, 0.88, y), point(r, 0.98, y - 0.04), 3)


def _g_default(s, r, on):
    pygame.draw.circle(s, (250, 214, 60) if on else (136, 146, 166), r.center, min(r.w, r.h) // 3)


GLYPHS = {
    "light": _g_light,
    "tv": _g_tv,
    "fan": _g_fan,
    "computer": _g_computer,
    "fridge": _g_fridge,
    "rice_cooker": _g_rice_cooker,
    "water_heater": _g_water_heater,
    "exhaust_fan": _g_exhaust_fan,
    "ac": None,
}


def draw_glyph(surface: pygame.Surface, kind: str, rect: pygame.Rect, on: bool | str) -> None:
    """Draw an appliance; ``on`` is a bool, or an air-con mode (cold / eco / off)."""
    if kind == "ac":
        mode = on if isinstance(on, str) else ("cold" if on else "off")
        _g_ac(surface, rect, mode)
        return
    fn = GLYPHS.get(kind) or _g_default
    fn(surface, rect, on is True or on in ("on", "cold", "eco"))
