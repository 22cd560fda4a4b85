"""Recycle Right's item pictures: one small drawing per glyph name in the content.

Each ``_g_<glyph>(surface, rect, colour, accent)`` draws into ``rect`` with the item's colour
and accent (``assets/games/recycle_right.toml`` names the glyph and picks the colours);
:func:`draw_glyph` looks one up, falling back to a plain disc for an unknown name.
"""

from __future__ import annotations

import math
import random

import pygame

from games.base import RGB
from kiosk.ui.blend import shade
from kiosk.ui.shapes import CARD_FILL, leaf, point, poly, sub_rect


def _g_sheet(s, r, c, a):
    poly(s, r, shade(c, 0.8), [(0.26, 0.1), (0.86, 0.1), (0.86, 0.92), (0.26, 0.92)])
    page = sub_rect(r, 0.16, 0.04, 0.6, 0.86)
    pygame.draw.rect(s, c, page, border_radius=4)
    pygame.draw.rect(s, shade(c, 0.7), page, 2, border_radius=4)
    pygame.draw.rect(s, a, sub_rect(r, 0.22, 0.12, 0.48, 0.14))
    pygame.draw.rect(s, shade(c, 0.72), sub_rect(r, 0.22, 0.32, 0.2, 0.2))
    for k in range(5):
        y = 0.34 + 0.1 * k
        x0 = 0.46 if k < 2 else 0.22
        pygame.draw.line(s, shade(c, 0.55), point(r, x0, y), point(r, 0.7, y), 3)


def _g_book(s, r, c, a):
    cover = sub_rect(r, 0.2, 0.04, 0.6, 0.9)
    pygame.draw.rect(s, shade(c, 1.7), cover.move(5, 4), border_radius=6)
    pygame.draw.rect(s, c, cover, border_radius=6)
    pygame.draw.rect(s, shade(c, 0.7), sub_rect(r, 0.2, 0.04, 0.1, 0.9), border_radius=4)
    pygame.draw.rect(s, a, sub_rect(r, 0.38, 0.16, 0.34, 0.14), border_radius=3)
    pygame.draw.rect(s, a, sub_rect(r, 0.38, 0.38, 0.26, 0.07), border_radius=3)
    pygame.draw.circle(s, shade(c, 1.4), point(r, 0.56, 0.7), round(r.w * 0.1))


def _g_box(s, r, c, a):
    poly(s, r, shade(c, 1.25), [(0.1, 0.32), (0.28, 0.14), (0.92, 0.14), (0.74, 0.32)])
    poly(s, r, shade(c, 0.75), [(0.74, 0.32), (0.92, 0.14), (0.92, 0.74), (0.74, 0.92)])
    pygame.draw.rect(s, c, sub_rect(r, 0.1, 0.32, 0.64, 0.6))
    poly(s, r, a, [(0.44, 0.32), (0.62, 0.14), (0.7, 0.14), (0.52, 0.32)])
    pygame.draw.rect(s, a, sub_rect(r, 0.44, 0.32, 0.08, 0.22))
    for k in range(3):
        pygame.draw.line(
            s, shade(c, 0.6), point(r, 0.18, 0.66 + 0.07 * k), point(r, 0.36, 0.66 + 0.07 * k), 2
        )


def _g_pizza_box(s, r, c, a):
    poly(s, r, shade(c, 1.2), [(0.04, 0.5), (0.22, 0.26), (0.96, 0.26), (0.8, 0.5)])
    poly(s, r, shade(c, 0.75), [(0.8, 0.5), (0.96, 0.26), (0.96, 0.5), (0.8, 0.74)])
    pygame.draw.rect(s, c, sub_rect(r, 0.04, 0.5, 0.76, 0.24))
    for fx, fy, fr in (
        (0.36, 0.36, 0.07),
        (0.6, 0.33, 0.05),
        (0.28, 0.62, 0.06),
        (0.62, 0.6, 0.08),
    ):
        pygame.draw.ellipse(s, a, sub_rect(r, fx - fr, fy - fr * 0.6, fr * 2, fr * 1.2))
    poly(s, r, (220, 60, 40), [(0.44, 0.3), (0.52, 0.46), (0.36, 0.46)])
    pygame.draw.circle(s, (250, 220, 120), point(r, 0.45, 0.41), max(2, round(r.w * 0.02)))


def _g_envelope(s, r, c, a):
    body = sub_rect(r, 0.08, 0.2, 0.84, 0.6)
    pygame.draw.rect(s, c, body, border_radius=6)
    pygame.draw.rect(s, shade(c, 0.7), body, 3, border_radius=6)
    pygame.draw.lines(
        s, a, False, [point(r, 0.1, 0.22), point(r, 0.5, 0.56), point(r, 0.9, 0.22)], 4
    )
    pygame.draw.rect(s, (220, 70, 60), sub_rect(r, 0.72, 0.28, 0.12, 0.14))


def _g_packet(s, r, c, a):
    body = sub_rect(r, 0.26, 0.04, 0.48, 0.9)
    pygame.draw.rect(s, c, body, border_radius=6)
    poly(s, r, shade(c, 0.75), [(0.26, 0.1), (0.74, 0.1), (0.5, 0.3)])
    pygame.draw.circle(s, a, point(r, 0.5, 0.56), round(r.w * 0.13))
    pygame.draw.circle(s, c, point(r, 0.5, 0.56), round(r.w * 0.08), 3)
    pygame.draw.rect(s, a, sub_rect(r, 0.34, 0.8, 0.32, 0.04))


def _g_bag(s, r, c, a):
    pygame.draw.arc(s, a, sub_rect(r, 0.32, 0.06, 0.36, 0.46), 0, math.pi, max(3, r.w // 22))
    poly(s, r, c, [(0.18, 0.3), (0.82, 0.3), (0.88, 0.94), (0.12, 0.94)])
    poly(s, r, shade(c, 0.8), [(0.18, 0.3), (0.82, 0.3), (0.8, 0.4), (0.2, 0.4)])
    pygame.draw.circle(s, shade(c, 0.7), point(r, 0.5, 0.62), round(r.w * 0.1), 3)


_BAG_OUTLINE = [
    (0.18, 0.08), (0.34, 0.08), (0.38, 0.3), (0.62, 0.3),
    (0.66, 0.08), (0.82, 0.08), (0.86, 0.9), (0.14, 0.9),
]  # fmt: skip


def _g_plastic_bag(s, r, c, a):
    poly(s, r, c, _BAG_OUTLINE)
    poly(s, r, a, _BAG_OUTLINE, 3)
    for k in range(3):
        x = 0.34 + 0.14 * k
        pygame.draw.line(s, a, point(r, x, 0.5), point(r, x + 0.04, 0.8), 2)


def _g_tube(s, r, c, a):
    pygame.draw.rect(s, c, sub_rect(r, 0.3, 0.16, 0.4, 0.72))
    pygame.draw.ellipse(s, shade(c, 0.85), sub_rect(r, 0.3, 0.78, 0.4, 0.16))
    pygame.draw.ellipse(s, shade(c, 1.25), sub_rect(r, 0.3, 0.08, 0.4, 0.16))
    pygame.draw.ellipse(s, a, sub_rect(r, 0.36, 0.11, 0.28, 0.1))
    pygame.draw.line(s, shade(c, 0.7), point(r, 0.3, 0.4), point(r, 0.7, 0.6), 3)


def _g_bottle(s, r, c, a):
    pygame.draw.rect(s, c, sub_rect(r, 0.3, 0.3, 0.4, 0.64), border_radius=max(4, r.w // 10))
    poly(s, r, c, [(0.3, 0.36), (0.41, 0.2), (0.59, 0.2), (0.7, 0.36)])
    pygame.draw.rect(s, c, sub_rect(r, 0.41, 0.12, 0.18, 0.12))
    pygame.draw.rect(s, a, sub_rect(r, 0.38, 0.03, 0.24, 0.1), border_radius=3)
    pygame.draw.rect(s, a, sub_rect(r, 0.3, 0.5, 0.4, 0.2))
    pygame.draw.line(s, shade(c, 1.5), point(r, 0.37, 0.74), point(r, 0.37, 0.88), 3)
    pygame.draw.rect(
        s, shade(c, 0.7), sub_rect(r, 0.3, 0.3, 0.4, 0.64), 2, border_radius=max(4, r.w // 10)
    )


def _g_cup(s, r, c, a):
    poly(s, r, c, [(0.26, 0.22), (0.74, 0.22), (0.66, 0.94), (0.34, 0.94)])
    poly(s, r, a, [(0.28, 0.42), (0.72, 0.42), (0.69, 0.66), (0.31, 0.66)])
    poly(s, r, shade(c, 0.7), [(0.26, 0.22), (0.74, 0.22), (0.66, 0.94), (0.34, 0.94)], 2)
    pygame.draw.rect(s, shade(a, 1.3), sub_rect(r, 0.2, 0.12, 0.6, 0.11), border_radius=5)
    pygame.draw.rect(s, shade(a, 0.8), sub_rect(r, 0.2, 0.12, 0.6, 0.11), 2, border_radius=5)


def _g_bubble_tea(s, r, c, a):
    pygame.draw.line(s, a, point(r, 0.58, 0.0), point(r, 0.5, 0.34), max(4, r.w // 14))
    poly(s, r, c, [(0.28, 0.24), (0.72, 0.24), (0.64, 0.96), (0.36, 0.96)])
    pygame.draw.ellipse(s, (235, 240, 246), sub_rect(r, 0.25, 0.14, 0.5, 0.16))
    pygame.draw.ellipse(s, (160, 170, 190), sub_rect(r, 0.25, 0.14, 0.5, 0.16), 2)
    for k, (fx, fy) in enumerate(
        (
            (0.42, 0.86),
            (0.5, 0.88),
            (0.58, 0.86),
            (0.46, 0.79),
            (0.55, 0.79),
            (0.4, 0.72),
            (0.6, 0.72),
        )
    ):
        pygame.draw.circle(
            s, (60, 36, 26) if k % 2 else (80, 50, 34), point(r, fx, fy), max(3, round(r.w * 0.045))
        )


def _g_lunchbox(s, r, c, a):
    """A clear plastic takeaway box with a snap-on lid."""
    body = sub_rect(r, 0.1, 0.42, 0.8, 0.42)
    pygame.draw.rect(s, c, body, border_radius=8)
    pygame.draw.rect(s, a, body, 3, border_radius=8)
    lid = sub_rect(r, 0.06, 0.26, 0.88, 0.18)
    pygame.draw.rect(s, shade(c, 0.95), lid, border_radius=8)
    pygame.draw.rect(s, a, lid, 3, border_radius=8)
    pygame.draw.line(s, a, point(r, 0.5, 0.46), point(r, 0.5, 0.8), 2)
    pygame.draw.line(s, (255, 255, 255), point(r, 0.18, 0.5), point(r, 0.26, 0.74), 3)


def _g_foam_box(s, r, c, a):
    """A white foam clamshell with a greasy stain."""
    lid = [(0.1, 0.5), (0.18, 0.24), (0.82, 0.24), (0.9, 0.5)]
    base = [(0.1, 0.52), (0.9, 0.52), (0.84, 0.82), (0.16, 0.82)]
    poly(s, r, c, base)
    poly(s, r, a, base, 3)
    poly(s, r, c, lid)
    poly(s, r, a, lid, 3)
    pygame.draw.rect(s, a, sub_rect(r, 0.44, 0.48, 0.12, 0.1), border_radius=3)
    pygame.draw.ellipse(s, (226, 196, 120), sub_rect(r, 0.58, 0.3, 0.16, 0.1))
    rng = random.Random(5)
    for _ in range(16):
        pygame.draw.circle(
            s, shade(c, 0.88), point(r, rng.uniform(0.2, 0.8), rng.uniform(0.3, 0.78)), 2
        )


def _g_can(s, r, c, a):
    body = sub_rect(r, 0.3, 0.12, 0.4, 0.8)
    pygame.draw.rect(s, c, body, border_radius=max(4, r.w // 12))
    pygame.draw.rect(s, a, sub_rect(r, 0.3, 0.4, 0.4, 0.24))
    pygame.draw.ellipse(s, (200, 204, 210), sub_rect(r, 0.3, 0.06, 0.4, 0.12))
    pygame.draw.ellipse(s, (150, 156, 166), sub_rect(r, 0.4, 0.08, 0.14, 0.06))
    pygame.draw.line(s, shade(c, 1.5), point(r, 0.37, 0.2), point(r, 0.37, 0.84), 3)
    pygame.draw.rect(s, shade(c, 0.6), body, 2, border_radius=max(4, r.w // 12))


def _g_tin(s, r, c, a):
    body = sub_rect(r, 0.1, 0.36, 0.8, 0.5)
    pygame.draw.rect(s, c, body, border_radius=10)
    pygame.draw.rect(s, shade(c, 0.7), body, 2, border_radius=10)
    pygame.draw.rect(s, a, sub_rect(r, 0.06, 0.24, 0.88, 0.16), border_radius=8)
    pygame.draw.circle(s, a, point(r, 0.5, 0.62), round(r.w * 0.13), 4)
    pygame.draw.circle(s, a, point(r, 0.5, 0.62), round(r.w * 0.05))


def _g_egg_shells(s, r, c, a):
    for cx, tilt in ((0.32, -1), (0.68, 1)):
        pts = []
        for k in range(13):
            ang = math.pi * k / 12
            pts.append((cx + 0.2 * math.cos(ang), 0.56 + 0.3 * math.sin(ang)))
        for k in range(6):  # zigzag broken edge, right to left
            x = cx - 0.2 + 0.4 * (k / 5)
            pts.append((x, 0.56 - (0.08 if k % 2 else 0.0) + 0.02 * tilt))
        pts = pts[:13] + list(reversed(pts[13:]))
        poly(s, r, c, pts)
        poly(s, r, a, pts, 2)


def _g_peel(s, r, c, a):
    w = max(6, r.w // 9)
    for box, start, stop in (
        ((0.1, 0.14, 0.5, 0.5), 0.3, 2.6),
        ((0.42, 0.3, 0.48, 0.48), 3.3, 5.8),
        ((0.2, 0.46, 0.5, 0.44), 3.6, 6.0),
    ):
        rr = sub_rect(r, *box)
        pygame.draw.arc(s, c, rr, start, stop, w)
        pygame.draw.arc(s, a, rr.inflate(-w * 2 + 4, -w * 2 + 4), start, stop, 3)


def _g_banana(s, r, c, a):
    # A peeled banana skin: three flaps hanging from the stem.
    for cx, ang in ((0.3, 2.0), (0.5, 1.57), (0.7, 1.14)):
        leaf(s, point(r, cx, 0.58), r.h * 0.62, r.w * 0.22, ang, c)
    for cx, ang in ((0.3, 2.0), (0.5, 1.57), (0.7, 1.14)):
        tip = (cx + 0.3 * math.cos(ang), 0.58 + 0.3 * math.sin(ang))
        pygame.draw.circle(s, a, point(r, *tip), max(3, r.w // 26))
    pygame.draw.rect(s, shade(c, 0.8), sub_rect(r, 0.4, 0.22, 0.2, 0.14), border_radius=6)
    pygame.draw.rect(s, a, sub_rect(r, 0.45, 0.08, 0.1, 0.16), border_radius=3)


def _g_bowl(s, r, c, a):
    pygame.draw.ellipse(s, a, sub_rect(r, 0.18, 0.2, 0.64, 0.34))
    for fx, fy in ((0.34, 0.32), (0.46, 0.26), (0.58, 0.31), (0.66, 0.38), (0.42, 0.4)):
        pygame.draw.ellipse(s, shade(a, 0.88), sub_rect(r, fx, fy, 0.06, 0.035))
    pts = [
        (0.5 + 0.42 * math.cos(t), 0.5 + 0.4 * math.sin(t))
        for t in (math.pi * k / 12 for k in range(13))
    ]
    poly(s, r, c, pts)
    pygame.draw.rect(s, shade(c, 0.75), sub_rect(r, 0.38, 0.86, 0.24, 0.07), border_radius=3)
    pygame.draw.line(s, shade(c, 1.6), point(r, 0.18, 0.62), point(r, 0.82, 0.62), 3)


def _g_broken_bowl(s, r, c, a):
    crack = [(0.5, 0.8), (0.55, 0.68), (0.47, 0.58), (0.53, 0.48), (0.5, 0.4)]
    arc_right = [
        (0.5 + 0.4 * math.cos(t), 0.4 + 0.4 * math.sin(t))
        for t in (math.pi / 2 * k / 8 for k in range(9))
    ]
    arc_left = [
        (0.5 + 0.4 * math.cos(t), 0.4 + 0.4 * math.sin(t))
        for t in (math.pi / 2 + math.pi / 2 * k / 8 for k in range(9))
    ]
    right = [*arc_right, *crack[1:]]
    left = [*arc_left, *reversed(crack[:-1])]
    for piece, dx, dy in ((left, -0.06, 0.04), (right, 0.06, -0.02)):
        pts = [(x + dx, y + dy) for x, y in piece]
        poly(s, r, c, pts)
        poly(s, r, shade(c, 0.7), pts, 2)
    pygame.draw.line(s, a, point(r, 0.08, 0.54), point(r, 0.42, 0.54), 4)
    pygame.draw.line(s, a, point(r, 0.6, 0.46), point(r, 0.94, 0.46), 4)
    poly(s, r, shade(c, 0.8), [(0.72, 0.86), (0.84, 0.82), (0.8, 0.96)])


def _g_leaves(s, r, c, a):
    pygame.draw.ellipse(s, a, sub_rect(r, 0.12, 0.6, 0.76, 0.3))
    for fx, fy, ang in (
        (0.3, 0.56, 0.4),
        (0.5, 0.5, -0.6),
        (0.68, 0.58, 0.9),
        (0.4, 0.7, -0.2),
        (0.6, 0.72, 0.3),
        (0.5, 0.36, 1.2),
    ):
        leaf(s, point(r, fx, fy), r.w * 0.3, r.w * 0.12, ang, shade(c, 0.8 + 0.1 * (fx > 0.5)))


def _g_vegetable(s, r, c, a):
    for ang, length in ((-1.1, 0.62), (-1.6, 0.7), (-2.1, 0.62)):
        cx = 0.5 + 0.28 * math.cos(ang)
        cy = 0.7 + 0.36 * math.sin(ang)
        leaf(s, point(r, cx, cy), r.w * length, r.w * 0.3, ang, c)
    pygame.draw.rect(s, a, sub_rect(r, 0.4, 0.6, 0.2, 0.32), border_radius=8)
    pygame.draw.rect(s, shade(a, 0.85), sub_rect(r, 0.4, 0.6, 0.2, 0.32), 2, border_radius=8)


def _g_grounds(s, r, c, a):
    pygame.draw.ellipse(s, a, sub_rect(r, 0.08, 0.56, 0.84, 0.34))
    poly(s, r, c, [(0.18, 0.76), (0.34, 0.44), (0.5, 0.34), (0.66, 0.44), (0.82, 0.76)])
    rng = random.Random(3)
    for _ in range(14):
        dot = point(r, rng.uniform(0.3, 0.7), rng.uniform(0.48, 0.72))
        pygame.draw.circle(s, shade(c, 0.6), dot, 2)


def _g_bread(s, r, c, a):
    # A slice of toast whose soft middle is gone: only the crust is left.
    slice_pts = [
        (0.18, 0.92),
        (0.18, 0.4),
        (0.12, 0.28),
        (0.2, 0.12),
        (0.5, 0.06),
        (0.8, 0.12),
        (0.88, 0.28),
        (0.82, 0.4),
        (0.82, 0.92),
    ]
    poly(s, r, c, slice_pts)
    inner = [
        (0.3, 0.82),
        (0.3, 0.44),
        (0.26, 0.32),
        (0.32, 0.22),
        (0.5, 0.18),
        (0.68, 0.22),
        (0.74, 0.32),
        (0.7, 0.44),
        (0.7, 0.82),
    ]
    poly(s, r, CARD_FILL, inner)
    poly(s, r, shade(c, 0.7), slice_pts, 3)
    poly(s, r, a, inner, 2)


def _g_tissue(s, r, c, a):
    blobs = (
        (0.4, 0.5, 0.2),
        (0.6, 0.44, 0.18),
        (0.54, 0.66, 0.2),
        (0.32, 0.68, 0.15),
        (0.72, 0.64, 0.15),
    )
    for fx, fy, fr in blobs:
        pygame.draw.circle(s, a, point(r, fx, fy), round(r.w * fr) + 3)
    for fx, fy, fr in blobs:
        pygame.draw.circle(s, c, point(r, fx, fy), round(r.w * fr))
    for fx, fy, fr, st in (
        (0.4, 0.5, 0.12, 0.5),
        (0.56, 0.64, 0.1, 2.0),
        (0.62, 0.42, 0.1, 3.5),
        (0.32, 0.68, 0.08, 4.0),
    ):
        pygame.draw.arc(s, a, sub_rect(r, fx - fr, fy - fr, fr * 2, fr * 2), st, st + 2.2, 3)


def _g_carton(s, r, c, a):
    poly(s, r, shade(c, 0.78), [(0.64, 0.3), (0.76, 0.22), (0.76, 0.86), (0.64, 0.94)])
    poly(s, r, shade(c, 1.2), [(0.28, 0.3), (0.4, 0.14), (0.52, 0.14), (0.64, 0.3)])
    pygame.draw.rect(s, c, sub_rect(r, 0.28, 0.3, 0.36, 0.64))
    pygame.draw.rect(s, a, sub_rect(r, 0.28, 0.52, 0.36, 0.18))
    pygame.draw.circle(s, (250, 240, 120), point(r, 0.46, 0.42), round(r.w * 0.06))
    pygame.draw.line(s, (230, 80, 80), point(r, 0.5, 0.0), point(r, 0.46, 0.2), max(3, r.w // 26))


def _g_battery(s, r, c, a):
    body = sub_rect(r, 0.14, 0.3, 0.64, 0.4)
    pygame.draw.rect(s, c, body, border_radius=8)
    pygame.draw.rect(
        s,
        a,
        sub_rect(r, 0.14, 0.3, 0.22, 0.4),
        border_top_left_radius=8,
        border_bottom_left_radius=8,
    )
    pygame.draw.rect(s, (190, 196, 206), sub_rect(r, 0.78, 0.42, 0.07, 0.16), border_radius=3)
    cx, cy = point(r, 0.6, 0.5)
    d = round(r.w * 0.07)
    pygame.draw.line(s, (240, 240, 240), (cx - d, cy), (cx + d, cy), 4)
    pygame.draw.line(s, (240, 240, 240), (cx, cy - d), (cx, cy + d), 4)


def _g_chopsticks(s, r, c, a):
    for dx in (-0.06, 0.06):
        poly(s, r, c, [(0.2 + dx, 0.92), (0.26 + dx, 0.94), (0.8 + dx, 0.08), (0.77 + dx, 0.06)])
        poly(s, r, a, [(0.2 + dx, 0.92), (0.26 + dx, 0.94), (0.32 + dx, 0.84), (0.27 + dx, 0.82)])


def _g_mask(s, r, c, a):
    pygame.draw.ellipse(s, a, sub_rect(r, 0.04, 0.3, 0.24, 0.4), 3)
    pygame.draw.ellipse(s, a, sub_rect(r, 0.72, 0.3, 0.24, 0.4), 3)
    body = sub_rect(r, 0.16, 0.26, 0.68, 0.48)
    pygame.draw.rect(s, c, body, border_radius=14)
    for k in range(3):
        y = 0.38 + 0.12 * k
        pygame.draw.line(s, a, point(r, 0.2, y), point(r, 0.8, y), 3)


def _g_default(s, r, c, a):
    pygame.draw.circle(s, c, r.center, min(r.w, r.h) // 3)
    pygame.draw.circle(s, a, r.center, min(r.w, r.h) // 3, 4)


GLYPHS = {
    "sheet": _g_sheet,
    "book": _g_book,
    "box": _g_box,
    "pizza_box": _g_pizza_box,
    "envelope": _g_envelope,
    "packet": _g_packet,
    "bag": _g_bag,
    "plastic_bag": _g_plastic_bag,
    "tube": _g_tube,
    "bottle": _g_bottle,
    "cup": _g_cup,
    "bubble_tea": _g_bubble_tea,
    "lunchbox": _g_lunchbox,
    "foam_box": _g_foam_box,
    "can": _g_can,
    "tin": _g_tin,
    "egg_shells": _g_egg_shells,
    "peel": _g_peel,
    "banana": _g_banana,
    "bowl": _g_bowl,
    "broken_bowl": _g_broken_bowl,
    "leaves": _g_leaves,
    "vegetable": _g_vegetable,
    "grounds": _g_grounds,
    "bread": _g_bread,
    "tissue": _g_tissue,
    "carton": _g_carton,
    "battery": _g_battery,
    "chopsticks": _g_chopsticks,
    "mask": _g_mask,
}


def draw_glyph(
    surface: pygame.Surface, glyph: str, rect: pygame.Rect, color: RGB, accent: RGB
) -> None:
    GLYPHS.get(glyph, _g_default)(surface, rect, color, accent)
