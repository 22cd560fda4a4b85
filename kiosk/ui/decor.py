"""The carnival backdrop: a night-sky gradient, Central's skyline, and drifting data lights.

The static part is rendered once and blitted; only a few dozen small shapes move, so every
screen stays far inside its frame budget.
"""

from __future__ import annotations

import math
import random

import pygame

from kiosk import DESIGN_SIZE
from kiosk.ui import theme

_static: pygame.Surface | None = None


def _make_lights() -> list[tuple[float, float, float, int, theme.RGB]]:
    rng = random.Random(36)  # fixed, so screenshots are repeatable
    colours = (theme.SUN, theme.MINT, theme.SKY, theme.CORAL)
    w, h = DESIGN_SIZE
    return [
        (
            rng.random() * w,
            rng.random() * (h - 320) + 20,
            12 + rng.random() * 30,
            3 + (i % 4) * 2,
            colours[i % 4],
        )
        for i in range(36)
    ]


_LIGHTS = _make_lights()


def _build_static() -> pygame.Surface:
    w, h = DESIGN_SIZE
    surf = pygame.Surface(DESIGN_SIZE)
    top, bottom = theme.NAVY, (22, 46, 86)
    for y in range(h):
        k = y / h
        colour = tuple(round(a + (b - a) * k) for a, b in zip(top, bottom, strict=True))
        pygame.draw.line(surf, colour, (0, y), (w, y))
    rng = random.Random(2019)
    x = 0
    skyline = (20, 40, 74)
    while x < w:
        bw = rng.randint(60, 150)
        bh = rng.randint(90, 300)
        pygame.draw.rect(surf, skyline, (x, h - bh, bw - 6, bh))
        if rng.random() < 0.3:  # a spire, as on IFC and the Bank of China tower
            pygame.draw.polygon(
                surf, skyline, [(x, h - bh), (x + bw // 2, h - bh - 60), (x + bw - 6, h - bh)]
            )
        for wy in range(h - bh + 20, h - 10, 34):
            for wx in range(x + 12, x + bw - 18, 26):
                if rng.random() < 0.35:
                    surf.fill((44, 72, 118), (wx, wy, 10, 14))
        x += bw
    return surf


def draw_backdrop(surface: pygame.Surface, t: float, lights: bool = True) -> None:
    global _static
    if _static is None:
        _static = _build_static()
    surface.blit(_static, (0, 0))
    if not lights:
        return
    w = DESIGN_SIZE[0]
    for i, (x0, y0, speed, r, colour) in enumerate(_LIGHTS):
        x = (x0 + t * speed) % w
        y = y0 + math.sin(t * 0.6 + i) * 18
        pygame.draw.circle(surface, colour, (round(x), round(y)), r)
