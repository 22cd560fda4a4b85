"""The carnival backdrop: a night-sky gradient, Central's skyline, and drifting data lights.

The static part is rendered once (per screen size and palette) and blitted; only a few
dozen small lights move, so every screen stays far inside its frame budget. The lights are
drawn last (``draw_lights``) and only where the screen still shows bare sky, so they never
sit on or between the letters of a headline, a card or a button. In high contrast
(theme.use_high_contrast) the backdrop is plain and the lights stay off.
"""

from __future__ import annotations

import math
import random

import pygame

from kiosk import DESIGN_SIZE
from kiosk.ui import theme

Light = tuple[float, float, float, int, theme.RGB]
_static: dict[tuple[int, int, bool], pygame.Surface] = {}
_lights: dict[tuple[int, int], list[Light]] = {}  # one set per screen size (orientation)
LIGHT_CLEARANCE = 6  # px of bare sky a light keeps around itself


def _make_lights(size: tuple[int, int] = DESIGN_SIZE) -> list[Light]:
    rng = random.Random(36)  # fixed, so screenshots are repeatable
    colours = (theme.SUN, theme.MINT, theme.SKY, theme.CORAL)
    w, h = size
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


def lights_for(size: tuple[int, int]) -> list[Light]:
    """The lights scattered over a screen of ``size``."""
    if size not in _lights:
        _lights[size] = _make_lights(size)
    return _lights[size]


def _build_static(size: tuple[int, int]) -> pygame.Surface:
    w, h = size
    surf = pygame.Surface(size)
    if theme.high_contrast:
        surf.fill(theme.BACKGROUND)
        return surf
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


def static_backdrop(size: tuple[int, int]) -> pygame.Surface:
    """The still part of the backdrop for a screen of ``size`` in the current palette."""
    key = (*size, theme.high_contrast)
    surf = _static.get(key)
    if surf is None:
        surf = _static[key] = _build_static(size)
    return surf


def draw_backdrop(surface: pygame.Surface, t: float = 0.0) -> None:
    """The sky and skyline; screens with drifting lights add ``draw_lights`` after their text."""
    surface.blit(static_backdrop(surface.get_size()), (0, 0))


def light_positions(t: float, size: tuple[int, int] = DESIGN_SIZE) -> list[tuple[int, int, int]]:
    """Where each light of a ``size`` screen is at ``t``: (x, y, radius)."""
    out = []
    for i, (x0, y0, speed, r, _) in enumerate(lights_for(size)):
        x = (x0 + t * speed) % size[0]
        y = y0 + math.sin(t * 0.6 + i) * 18
        out.append((round(x), round(y), r))
    return out


def draw_lights(surface: pygame.Surface, t: float) -> None:
    """The drifting lights, each only where the screen around it is still bare backdrop.

    Called after the screen's text and buttons: a light whose square (plus a margin) shows
    anything but the backdrop is skipped for this frame, so it passes behind content
    instead of sparkling between letters. 36 small byte compares, a few µs each.
    """
    if theme.high_contrast:
        return
    sky = static_backdrop(surface.get_size())
    bounds = surface.get_rect()
    lights = lights_for(bounds.size)
    for (x, y, r), light in zip(light_positions(t, bounds.size), lights, strict=True):
        box = pygame.Rect(x - r, y - r, 2 * r + 1, 2 * r + 1).inflate(
            2 * LIGHT_CLEARANCE, 2 * LIGHT_CLEARANCE
        )
        box = box.clip(bounds)
        if not box.w or not box.h:
            continue
        if _pixels(surface, box) != _pixels(sky, box):
            continue
        pygame.draw.circle(surface, light[4], (x, y), r)


def _pixels(surface: pygame.Surface, box: pygame.Rect) -> bytes:
    return pygame.image.tobytes(surface.subsurface(box), "RGB")
