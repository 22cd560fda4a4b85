"""Healthy Steps' stick figures: one friendly figure per stretch, drawn between two
keyframes so a lit tile can do its stretch (0 → keyframe A, 1 → keyframe B)."""

from __future__ import annotations

import math

import pygame

from games.base import RGB
from kiosk.ui import theme
from kiosk.ui.blend import lerp

Point = tuple[float, float]

CREAM: RGB = (255, 250, 238)  # the face's features, and the disc behind a figure


# Joints in a unit square, two keyframes per stretch (A → B while lit).

_BASE: dict[str, Point] = {
    "head": (0.5, 0.16), "neck": (0.5, 0.29), "hip": (0.5, 0.58),
    "le": (0.40, 0.42), "lh": (0.36, 0.56), "re": (0.60, 0.42), "rh": (0.64, 0.56),
    "lk": (0.44, 0.75), "lf": (0.41, 0.93), "rk": (0.56, 0.75), "rf": (0.59, 0.93),
}  # fmt: skip

_KEYS: dict[str, tuple[dict[str, Point], dict[str, Point]]] = {
    "arms_up": (
        {"le": (0.36, 0.34), "lh": (0.25, 0.27), "re": (0.64, 0.34), "rh": (0.75, 0.27)},
        {"le": (0.39, 0.17), "lh": (0.36, 0.03), "re": (0.61, 0.17), "rh": (0.64, 0.03)},
    ),
    "shoulders": (
        {"le": (0.34, 0.40), "lh": (0.43, 0.30), "re": (0.66, 0.40), "rh": (0.57, 0.30)},
        {"le": (0.31, 0.22), "lh": (0.43, 0.29), "re": (0.69, 0.22), "rh": (0.57, 0.29)},
    ),
    "march": (
        {"le": (0.42, 0.43), "lh": (0.41, 0.57), "re": (0.64, 0.38), "rh": (0.70, 0.27),
         "lk": (0.36, 0.62), "lf": (0.37, 0.79), "rk": (0.54, 0.76), "rf": (0.55, 0.94)},
        {"re": (0.58, 0.43), "rh": (0.59, 0.57), "le": (0.36, 0.38), "lh": (0.30, 0.27),
         "rk": (0.64, 0.62), "rf": (0.63, 0.79), "lk": (0.46, 0.76), "lf": (0.45, 0.94)},
    ),
    "twist": (  # hands on hips, turning: the far elbow looks shorter
        {"le": (0.31, 0.44), "lh": (0.43, 0.57), "re": (0.62, 0.46), "rh": (0.56, 0.57),
         "head": (0.47, 0.16), "lf": (0.38, 0.93), "rf": (0.62, 0.93)},
        {"le": (0.38, 0.46), "lh": (0.44, 0.57), "re": (0.69, 0.44), "rh": (0.57, 0.57),
         "head": (0.53, 0.16), "lf": (0.38, 0.93), "rf": (0.62, 0.93)},
    ),
    "breathe": (
        {"le": (0.41, 0.43), "lh": (0.39, 0.57), "re": (0.59, 0.43), "rh": (0.61, 0.57)},
        {"le": (0.34, 0.27), "lh": (0.19, 0.23), "re": (0.66, 0.27), "rh": (0.81, 0.23)},
    ),
    "wave": (
        {"re": (0.68, 0.24), "rh": (0.72, 0.08)},
        {"re": (0.68, 0.24), "rh": (0.84, 0.13)},
    ),
}  # fmt: skip

FIGURE_REST = {"arms_up": 1.0, "shoulders": 1.0, "march": 0.0, "twist": 0.0, "breathe": 1.0,
               "wave": 0.0}  # fmt: skip
FIGURES = tuple(_KEYS)


def figure_joints(figure: str, phase: float) -> dict[str, Point]:
    a, b = _KEYS.get(figure, ({}, {}))
    out = {}
    for name, base in _BASE.items():
        pa, pb = a.get(name, base), b.get(name, base)
        out[name] = (lerp(pa[0], pb[0], phase), lerp(pa[1], pb[1], phase))
    return out


def draw_figure(
    surface: pygame.Surface, rect: pygame.Rect, figure: str, phase: float, color: RGB = theme.INK
) -> None:
    """A friendly stick figure doing ``figure`` at ``phase`` (0 → keyframe A, 1 → B)."""
    j = figure_joints(figure, max(0.0, min(1.0, phase)))
    side = rect.w

    def p(name: str) -> tuple[int, int]:
        x, y = j[name]
        return (round(rect.x + x * side), round(rect.y + y * side))

    lw = max(5, round(side * 0.055))
    for chain in (("neck", "hip"), ("neck", "le", "lh"), ("neck", "re", "rh"),
                  ("hip", "lk", "lf"), ("hip", "rk", "rf")):  # fmt: skip
        pts = [p(n) for n in chain]
        pygame.draw.lines(surface, color, False, pts, lw)
        for pt in pts:
            pygame.draw.circle(surface, color, pt, lw // 2)
    for hand in ("lh", "rh"):
        pygame.draw.circle(surface, color, p(hand), round(lw * 0.9))
    head = p("head")
    hr = round(side * 0.085)
    pygame.draw.circle(surface, color, head, hr)
    pygame.draw.circle(surface, CREAM, (head[0] - hr // 3, head[1] - hr // 6), max(2, hr // 7))
    pygame.draw.circle(surface, CREAM, (head[0] + hr // 3, head[1] - hr // 6), max(2, hr // 7))
    smile = pygame.Rect(0, 0, hr, hr * 0.8)
    smile.center = (head[0], head[1] + hr // 6)
    pygame.draw.arc(surface, CREAM, smile, math.pi * 1.15, math.pi * 1.85, max(2, hr // 7))
    thin = max(3, lw // 2)
    if figure == "twist":  # a two-way curved arrow round the waist
        arc = pygame.Rect(0, 0, round(side * 0.6), round(side * 0.18))
        arc.center = (rect.x + side // 2, p("hip")[1] - round(side * 0.03))
        pygame.draw.arc(surface, color, arc, math.pi, 2 * math.pi, thin)
        d = round(side * 0.045)
        for x in (arc.x + thin // 2, arc.right - thin // 2):
            y = arc.centery
            pygame.draw.polygon(
                surface, color, [(x, y - round(d * 1.5)), (x - d, y + 2), (x + d, y + 2)]
            )
    elif figure == "breathe":  # air coming in: three puffs growing above the arm
        for k, (fx, fy) in enumerate(((0.615, 0.115), (0.695, 0.085), (0.79, 0.065))):
            c = (rect.x + round(side * fx), rect.y + round(side * fy))
            pygame.draw.circle(surface, color, c, round(side * (0.02 + 0.009 * k)), thin // 2 + 1)
    elif figure == "wave":  # motion lines either side of the waving hand
        hx, hy = p("rh")
        for r in (0.07, 0.11):
            box = pygame.Rect(0, 0, round(side * r * 2), round(side * r * 2))
            box.center = (hx, hy)
            pygame.draw.arc(surface, color, box, -0.55, 0.55, thin // 2 + 1)
            pygame.draw.arc(surface, color, box, math.pi - 0.55, math.pi + 0.55, thin // 2 + 1)
    elif figure == "march":  # a little ground line
        y = rect.y + round(side * 0.97)
        pygame.draw.line(surface, color, (rect.x + side * 0.3, y), (rect.x + side * 0.7, y), thin)
