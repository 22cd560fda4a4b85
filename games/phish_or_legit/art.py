"""Phish or Legit's pictures drawn with shapes: look-alike QR codes, the posters' icons, the
answer buttons' warning triangle and shield, and the menu icon.
"""

from __future__ import annotations

import math
import random
import zlib

import pygame

from games.base import RGB
from games.phish_or_legit.painter import LINK, ink_on
from kiosk.ui import theme
from kiosk.ui.shapes import draw_mark


def draw_fake_qr(surface: pygame.Surface, rect: pygame.Rect, seed: int) -> None:
    """A QR-like pattern that is deliberately not a QR code: no phone can open a link here
    (it has finder squares but random modules and no format data)."""
    n = 25
    module = max(1, (rect.w - 16) // n)
    size = module * n
    ox, oy = rect.centerx - size // 2, rect.centery - size // 2
    pygame.draw.rect(surface, (255, 255, 255), pygame.Rect(ox - 8, oy - 8, size + 16, size + 16))
    rng = random.Random(seed)
    for y in range(n):
        for x in range(n):
            in_finder = any(
                fx <= x < fx + 8 and fy <= y < fy + 8 for fx, fy in ((0, 0), (n - 8, 0), (0, n - 8))
            )
            if not in_finder and rng.random() < 0.5:
                surface.fill((0, 0, 0), (ox + x * module, oy + y * module, module, module))
    for fx, fy in ((0, 0), (n - 7, 0), (0, n - 7)):
        outer = pygame.Rect(ox + fx * module, oy + fy * module, 7 * module, 7 * module)
        surface.fill((0, 0, 0), outer)
        surface.fill((255, 255, 255), outer.inflate(-2 * module, -2 * module))
        surface.fill((0, 0, 0), outer.inflate(-4 * module, -4 * module))


def draw_sticker_qr(surface: pygame.Surface, rect: pygame.Rect, card_id: str) -> None:
    """The meter's own QR, with a scammer's sticker pasted crookedly over most of it."""
    draw_fake_qr(surface, rect, zlib.crc32(b"meter"))
    side = round(rect.w * 0.86)
    sticker = pygame.Surface((side + 20, side + 20), pygame.SRCALPHA)
    pygame.draw.rect(sticker, (255, 255, 255), sticker.get_rect(), border_radius=10)
    draw_fake_qr(sticker, sticker.get_rect().inflate(-14, -14), zlib.crc32(card_id.encode()))
    pygame.draw.polygon(
        sticker,
        (214, 214, 206),
        [(side + 20, side - 24), (side + 20, side + 20), (side - 24, side + 20)],
    )
    tilted = pygame.transform.rotate(sticker, -6)
    at = tilted.get_rect(center=(rect.centerx + rect.w * 0.12, rect.centery + rect.h * 0.08))
    shadow = pygame.Surface(tilted.get_size(), pygame.SRCALPHA)
    shadow.fill((0, 0, 0, 70))
    surface.blit(shadow, at.move(6, 8), special_flags=0)
    surface.blit(tilted, at)


def draw_poster_icon(surface: pygame.Surface, rect: pygame.Rect, brand: RGB, card_id: str) -> None:
    """A phone handset for hotlines, a parking meter for meters, a shield otherwise."""
    cx, cy = rect.center
    r = rect.w * 0.42
    pygame.draw.circle(surface, brand, (cx, cy), r)
    fg = ink_on(brand)
    if "meter" in card_id:
        head = pygame.Rect(0, 0, r * 0.9, r * 0.8)
        head.midbottom = (cx, cy + r * 0.05)
        pygame.draw.rect(surface, fg, head, border_radius=round(r * 0.2))
        pygame.draw.rect(
            surface, brand, head.inflate(-r * 0.3, -r * 0.4).move(0, -r * 0.08), border_radius=6
        )
        pygame.draw.rect(surface, fg, pygame.Rect(cx - r * 0.08, cy, r * 0.16, r * 0.62))
    elif "hotline" in card_id:
        body = pygame.Rect(0, 0, r * 0.8, r * 1.3)
        body.center = (cx, cy)
        pygame.draw.rect(surface, fg, body, border_radius=round(r * 0.16))
        pygame.draw.rect(surface, brand, body.inflate(-r * 0.2, -r * 0.42), border_radius=6)
        pygame.draw.circle(surface, brand, (cx, body.bottom - r * 0.12), r * 0.07)
    else:
        draw_shield_tick(surface, (cx, cy), r * 1.2, fg, brand)


def draw_warning(
    surface: pygame.Surface, centre: tuple[float, float], size: float, fg: RGB, bg: RGB
) -> None:
    """A warning triangle with an exclamation mark: the scam button's picture."""
    cx, cy = centre
    h = size
    pygame.draw.polygon(
        surface,
        fg,
        [(cx, cy - h * 0.58), (cx - h * 0.64, cy + h * 0.5), (cx + h * 0.64, cy + h * 0.5)],
    )
    pygame.draw.polygon(
        surface,
        bg,
        [(cx, cy - h * 0.32), (cx - h * 0.43, cy + h * 0.38), (cx + h * 0.43, cy + h * 0.38)],
    )
    w = max(5, round(h / 9))
    pygame.draw.line(surface, fg, (cx, cy - h * 0.14), (cx, cy + h * 0.12), w)
    pygame.draw.circle(surface, fg, (cx, cy + h * 0.25), w * 0.6)


def draw_shield_tick(
    surface: pygame.Surface, centre: tuple[float, float], size: float, fg: RGB, bg: RGB
) -> None:
    cx, cy = centre
    h = size
    shield = [
        (cx - h * 0.45, cy - h * 0.42),
        (cx, cy - h * 0.56),
        (cx + h * 0.45, cy - h * 0.42),
        (cx + h * 0.4, cy + h * 0.1),
        (cx, cy + h * 0.56),
        (cx - h * 0.4, cy + h * 0.1),
    ]
    pygame.draw.polygon(surface, fg, shield)
    w = max(4, round(h / 9))
    pygame.draw.lines(
        surface,
        bg,
        False,
        [(cx - h * 0.2, cy), (cx - h * 0.04, cy + h * 0.17), (cx + h * 0.22, cy - h * 0.17)],
        w,
    )


def draw_icon(surface: pygame.Surface, rect: pygame.Rect) -> None:
    """Menu icon: a phone showing a message with a link, and a fish hook biting at it."""
    phone = pygame.Rect(0, 0, round(rect.w * 0.52), round(rect.h * 0.9))
    phone.center = (round(rect.x + rect.w * 0.42), rect.centery)
    pygame.draw.rect(surface, (30, 34, 48), phone, border_radius=max(6, phone.w // 7))
    screen = phone.inflate(-phone.w * 0.14, -phone.h * 0.14)
    pygame.draw.rect(surface, (240, 242, 248), screen, border_radius=max(4, phone.w // 12))
    bubble = pygame.Rect(
        screen.x + screen.w * 0.08, screen.y + screen.h * 0.14, screen.w * 0.8, screen.h * 0.42
    )
    pygame.draw.rect(surface, (214, 218, 228), bubble, border_radius=max(4, bubble.h // 5))
    for k in range(3):
        y = bubble.y + bubble.h * (0.25 + 0.25 * k)
        color = LINK if k == 2 else theme.INK
        pygame.draw.line(
            surface,
            color,
            (bubble.x + bubble.w * 0.12, y),
            (bubble.x + bubble.w * (0.86 if k < 2 else 0.7), y),
            max(2, rect.h // 60),
        )
    lw = max(4, rect.w // 28)
    hook = pygame.Rect(0, 0, rect.w * 0.2, rect.h * 0.2)
    hook.midtop = (rect.x + rect.w * 0.7, rect.y + rect.h * 0.42)
    shank_x, eye_y = hook.right - lw // 2, rect.y + rect.h * 0.26
    pygame.draw.line(
        surface,
        theme.MIST,
        (shank_x, rect.y + rect.h * 0.02),
        (shank_x, eye_y),
        max(3, rect.w // 40),
    )
    pygame.draw.line(surface, theme.SUN, (shank_x, eye_y), (shank_x, hook.centery), lw)
    pygame.draw.arc(surface, theme.SUN, hook, math.pi, 2 * math.pi, lw)
    pygame.draw.line(
        surface,
        theme.SUN,
        (hook.x + lw // 2, hook.centery),
        (hook.x + rect.w * 0.05, hook.centery - rect.h * 0.07),
        lw,
    )
    draw_mark(
        surface,
        (screen.right - screen.w * 0.12, screen.bottom - screen.h * 0.12),
        max(8, rect.w * 0.1),
        False,
    )
