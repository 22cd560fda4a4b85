"""Smart Home Saver's pictures: rooms in cut-away, appliance tiles, the family, badges and
the menu icon. Each function draws with pygame shapes into the surface or rect it is given;
none keeps state (the view caches what it renders). Appliance glyphs are in :mod:`.glyphs`.
"""

from __future__ import annotations

import math

import pygame

from games.base import GameContext
from games.smart_home_saver.content import RGB, ApplianceSpec, PersonSpec, RoomSpec
from games.smart_home_saver.flat import FLOOR_H
from games.smart_home_saver.glyphs import draw_glyph
from kiosk.ui import theme
from kiosk.ui.blend import mix, shade
from kiosk.ui.shapes import leaf, point, poly, sub_rect

TILE_ON: RGB = (255, 244, 204)
TILE_ON_EDGE: RGB = (255, 200, 40)
TILE_OFF: RGB = (52, 66, 92)
TILE_OFF_EDGE: RGB = (104, 120, 150)
COLD_TEXT: RGB = (20, 84, 190)
ECO_TEXT: RGB = (16, 112, 60)
BUILDING: RGB = (64, 80, 108)
DARK_ROOM: RGB = (8, 14, 32)  # blended over a room whose light is off
DISPLAY: RGB = theme.NAVY  # the meter's LCD insets: known-good text pairs


# --------------------------------------------------------------------------- shapes


def draw_bolt(s: pygame.Surface, r: pygame.Rect, color: RGB) -> None:
    poly(
        s,
        r,
        color,
        [
            (0.58, 0.0),
            (0.12, 0.58),
            (0.46, 0.58),
            (0.36, 1.0),
            (0.88, 0.38),
            (0.54, 0.38),
            (0.7, 0.0),
        ],
    )


def draw_bolt_badge(s: pygame.Surface, topleft: tuple[int, int]) -> None:
    x, y = topleft
    pygame.draw.circle(s, theme.CORAL, (x + 16, y + 16), 18)
    draw_bolt(s, pygame.Rect(x + 5, y + 2, 22, 28), theme.INK)


def _draw_leaf_badge(s: pygame.Surface, centre: tuple[int, int], r: int) -> None:
    pygame.draw.circle(s, theme.MINT, centre, r)
    leaf(s, centre, r * 1.3, r * 0.7, -0.8, theme.INK)
    pygame.draw.line(
        s,
        theme.MINT,
        (centre[0] - r * 0.4, centre[1] + r * 0.4),
        (centre[0] + r * 0.35, centre[1] - r * 0.35),
        2,
    )


def leaf_chip(s: pygame.Surface, box: pygame.Rect) -> None:
    _draw_leaf_badge(s, (box.x + 40, box.centery), 22)


def draw_heart(s: pygame.Surface, centre: tuple[float, float], r: int, full: bool) -> None:
    cx, cy = round(centre[0]), round(centre[1])
    color = theme.CORAL if full else (70, 86, 118)
    pts = []
    for k in range(33):
        t = 2 * math.pi * k / 32
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        pts.append((cx + x * r / 16, cy - y * r / 16))
    pygame.draw.polygon(s, color, pts)
    if not full:
        pygame.draw.polygon(s, (110, 124, 150), pts, 2)


def draw_bubble(s: pygame.Surface, anchor: tuple[float, float], side: int = 1) -> None:
    """A speech bubble with a "!" drawn in shapes, up and to one ``side`` of ``anchor``."""
    ax, ay = round(anchor[0]), round(anchor[1])
    box = pygame.Rect(0, 0, 56, 60)
    box.bottomleft = (ax + 14, ay - 6) if side > 0 else (ax - 14 - 56, ay - 6)
    near = box.x + 10 if side > 0 else box.right - 10
    pygame.draw.polygon(
        s,
        theme.CORAL,
        [(near - 9 * side, box.bottom - 16), (near + 9 * side, box.bottom + 1), (ax, ay + 4)],
    )
    pygame.draw.rect(s, (255, 255, 255), box, border_radius=18)
    pygame.draw.rect(s, theme.CORAL, box, 4, border_radius=18)
    cx = box.centerx
    pygame.draw.rect(s, theme.CORAL, (cx - 5, box.y + 10, 10, 26), border_radius=4)
    pygame.draw.circle(s, theme.CORAL, (cx, box.y + 46), 6)


def rule_icon(s: pygame.Surface, r: pygame.Rect, key: str) -> None:
    pygame.draw.rect(s, theme.CARD, r, border_radius=12)
    inner = r.inflate(-10, -10)
    if key == "rule_empty":
        pygame.draw.circle(s, (120, 130, 148), inner.center, inner.w // 2 - 2)
        pygame.draw.circle(s, (226, 232, 242), inner.center, inner.w // 2 - 2, 3)
        _draw_power(s, inner.center, inner.w // 4, theme.TEXT)
    elif key == "rule_fridge":
        draw_glyph(s, "fridge", inner, True)
    else:
        leaf(s, inner.center, inner.w * 0.9, inner.w * 0.46, -0.8, theme.MINT)


def _draw_power(s: pygame.Surface, centre: tuple[int, int], r: int, color: RGB) -> None:
    """The power symbol: a ring open at the top with a bar through the gap."""
    cx, cy = centre
    width = max(2, r // 3)
    box = pygame.Rect(cx - r, cy - r, 2 * r, 2 * r)
    pygame.draw.arc(s, color, box, math.pi / 2 + 0.6, math.pi / 2 - 0.6 + 2 * math.pi, width)
    pygame.draw.line(s, color, (cx, cy - r - 1), (cx, cy + 1), width)


def draw_room(s: pygame.Surface, r: pygame.Rect, spec: RoomSpec) -> None:
    """A room in cut-away: wall, skirting, floorboards and a piece of furniture."""
    wall = spec.wall
    pygame.draw.rect(s, wall, r)
    pygame.draw.rect(s, shade(wall, 0.93), (r.x, r.y, r.w, 10))  # cornice
    floor = pygame.Rect(r.x, r.bottom - FLOOR_H, r.w, FLOOR_H)
    pygame.draw.rect(s, (176, 128, 84), floor)
    for x in range(floor.x + 40, floor.right, 90):
        pygame.draw.line(s, (150, 106, 68), (x, floor.y + 4), (x, floor.bottom), 2)
    pygame.draw.rect(s, shade(wall, 0.8), (r.x, floor.y - 10, r.w, 10))  # skirting
    base = floor.y - 10
    dark = shade(wall, 0.84)
    deep = shade(wall, 0.7)
    if spec.decor == "sofa":
        sofa = pygame.Rect(r.x + r.w * 0.06, base - 86, min(300, r.w * 0.34), 86)
        pygame.draw.rect(s, dark, (sofa.x, sofa.y, sofa.w, 56), border_radius=18)
        pygame.draw.rect(s, deep, (sofa.x, sofa.y + 36, sofa.w, sofa.h - 36), border_radius=14)
        for ax in (sofa.x - 12, sofa.right - 22):
            pygame.draw.rect(s, dark, (ax, sofa.y + 26, 34, sofa.h - 26), border_radius=12)
        plant = (round(r.right - r.w * 0.08), base)
        pygame.draw.rect(s, deep, (plant[0] - 18, plant[1] - 40, 36, 40), border_radius=6)
        for ang in (-2.2, -1.57, -0.9):
            leaf(
                s,
                (plant[0] + 30 * math.cos(ang), plant[1] - 46 + 26 * math.sin(ang)),
                62,
                22,
                ang,
                shade(wall, 0.76),
            )
    elif spec.decor == "bed":
        bed = pygame.Rect(
            r.right - r.w * 0.06 - min(320, r.w * 0.4), base - 64, min(320, r.w * 0.4), 64
        )
        pygame.draw.rect(s, deep, (bed.right - 16, bed.y - 50, 16, bed.h + 50), border_radius=6)
        pygame.draw.rect(s, dark, bed, border_radius=14)
        pygame.draw.rect(
            s, shade(wall, 0.92), (bed.right - 90, bed.y - 16, 66, 26), border_radius=10
        )
        pygame.draw.rect(s, deep, (bed.x, bed.y + 8, bed.w - 100, bed.h - 8), border_radius=12)
    elif spec.decor == "counter":
        counter = pygame.Rect(r.x + r.w * 0.05, base - 80, min(340, r.w * 0.42), 80)
        pygame.draw.rect(s, dark, counter, border_radius=6)
        pygame.draw.rect(
            s, deep, (counter.x - 6, counter.y - 10, counter.w + 12, 14), border_radius=6
        )
        for k in range(3):
            door = pygame.Rect(
                counter.x + 10 + k * (counter.w - 20) / 3,
                counter.y + 16,
                (counter.w - 20) / 3 - 8,
                counter.h - 24,
            )
            pygame.draw.rect(s, shade(wall, 0.9), door, border_radius=4)
            pygame.draw.line(
                s, deep, (door.centerx - 10, door.y + 10), (door.centerx + 10, door.y + 10), 3
            )
        pot = pygame.Rect(counter.x + counter.w * 0.62, counter.y - 42, 64, 32)
        pygame.draw.rect(s, deep, pot, border_radius=8)
        pygame.draw.line(s, deep, (pot.right, pot.y + 8), (pot.right + 22, pot.y + 4), 5)
    elif spec.decor == "bath":
        tub = pygame.Rect(r.x + r.w * 0.05, base - 58, min(300, r.w * 0.38), 58)
        for y in range(r.y + 40, base, 34):  # wall tiles
            pygame.draw.line(s, shade(wall, 0.94), (r.x, y), (r.right, y), 2)
        for x in range(r.x + 34, r.right, 34):
            pygame.draw.line(s, shade(wall, 0.94), (x, r.y + 40), (x, base), 2)
        pygame.draw.rect(s, shade(wall, 1.5), tub, border_radius=22)
        pygame.draw.rect(s, deep, tub, 4, border_radius=22)
        pygame.draw.line(s, deep, (tub.x + 40, tub.y), (tub.x + 40, tub.y - 80), 5)
        pygame.draw.arc(s, deep, (tub.x + 40, tub.y - 100, 44, 40), 0, math.pi, 5)
        pygame.draw.circle(s, deep, (tub.x + 84, tub.y - 76), 10)


# Appliance glyphs: each draws into a rect, bright when on and dim when off.


def render_tile(
    ctx: GameContext, spec: ApplianceSpec, mode: str, size: tuple[int, int]
) -> pygame.Surface:
    """An appliance tile: warm and outlined in sun yellow when on, dark slate when off."""
    w, h = size
    tile = pygame.Surface((w, h), pygame.SRCALPHA)
    rect = tile.get_rect()
    on = mode != "off"
    pygame.draw.rect(tile, TILE_ON if on else TILE_OFF, rect, border_radius=22)
    pygame.draw.rect(
        tile, TILE_ON_EDGE if on else TILE_OFF_EDGE, rect, 5 if on else 3, border_radius=22
    )
    if spec.is_ac:
        draw_glyph(tile, "ac", pygame.Rect(10, 8, w - 20, round(h * 0.58)), mode)
        if mode == "off":
            label, color = ctx.tr("ac_off"), theme.TEXT_MUTED
        else:
            t = "20" if mode == "cold" else "25.5"
            label, color = ctx.tr("ac_temp", t=t), COLD_TEXT if mode == "cold" else ECO_TEXT
        size_px = max(22, round(h * 0.24))
        font = ctx.text.font(size_px, "bold")
        while size_px > 18 and font.size(label)[0] > w - 64:
            size_px -= 2
            font = ctx.text.font(size_px, "bold")
        surf = ctx.text.render(label, size_px, color, "bold")
        cy = round(h * 0.8)
        text_rect = surf.get_rect(center=(w // 2 + 14, cy))
        icon_c = (text_rect.x - 20, cy)
        if mode == "cold":
            d = round(h * 0.08)
            for ang in (0, math.pi / 3, 2 * math.pi / 3):
                pygame.draw.line(
                    tile,
                    COLD_TEXT,
                    (icon_c[0] - d * math.cos(ang), icon_c[1] - d * math.sin(ang)),
                    (icon_c[0] + d * math.cos(ang), icon_c[1] + d * math.sin(ang)),
                    3,
                )
        elif mode == "eco":
            leaf(tile, icon_c, h * 0.2, h * 0.1, -0.8, ECO_TEXT)
        else:
            _draw_power(tile, icon_c, round(h * 0.07), theme.TEXT_MUTED)
        tile.blit(surf, text_rect)
    else:
        side = min(w, h) - 24
        draw_glyph(tile, spec.kind, pygame.Rect((w - side) // 2, (h - side) // 2, side, side), on)
    if not spec.is_ac:
        badge = (w - 20, 20)
        if on:
            pygame.draw.circle(tile, theme.MINT, badge, 13)
            _draw_power(tile, badge, 6, theme.INK)
        else:
            pygame.draw.circle(tile, TILE_OFF_EDGE, badge, 13, 2)
            _draw_power(tile, badge, 6, TILE_OFF_EDGE)
    return tile


def render_person(spec: PersonSpec, scale: float, upset: bool) -> pygame.Surface:
    """A simple figure: head, hair, shirt, trousers, a face that smiles (or frowns)."""
    tall = {"adult": 132, "child": 100, "elder": 124}.get(spec.build, 132) * scale
    w, h = round(tall * 0.62), round(tall)
    s = pygame.Surface((w + 24, h + 2), pygame.SRCALPHA)
    cx = (w + 24) / 2
    head_r = tall * (0.15 if spec.build == "child" else 0.125)
    head_c = (cx, head_r + 2)
    neck = head_c[1] + head_r
    hip = h * 0.64
    legs_w = w * 0.16
    if spec.long_hair:  # behind the head and shoulders, so it frames the face
        pygame.draw.rect(
            s,
            spec.hair,
            (head_c[0] - head_r * 1.12, head_c[1] - head_r * 0.3, head_r * 2.24, head_r * 1.9),
            border_radius=round(head_r),
        )
    for side in (-1, 1):  # legs and shoes
        leg = pygame.Rect(0, 0, legs_w, h - hip - 6)
        leg.midtop = (round(cx + side * w * 0.12), round(hip - 4))
        pygame.draw.rect(s, spec.trousers, leg, border_radius=round(legs_w / 2))
        pygame.draw.ellipse(
            s, (40, 40, 48), (leg.centerx - legs_w * 0.7 + side * 3, h - 12, legs_w * 1.4, 12)
        )
    body = pygame.Rect(0, 0, w * 0.56, hip - neck + 6)
    body.midtop = (round(cx), round(neck - 2))
    pygame.draw.rect(s, spec.shirt, body, border_radius=round(w * 0.16))
    arm_w = w * 0.13
    for side in (-1, 1):
        arm = pygame.Rect(0, 0, arm_w, body.h * 0.8)
        arm.midtop = (round(cx + side * (body.w / 2 + arm_w * 0.3)), body.y + 6)
        pygame.draw.rect(s, shade(spec.shirt, 0.82), arm, border_radius=round(arm_w / 2))
        pygame.draw.circle(s, spec.skin, arm.midbottom, round(arm_w * 0.55))
    if spec.build == "elder":  # a walking stick
        hand = (round(cx + body.w / 2 + arm_w * 0.3), round(body.y + 6 + body.h * 0.8))
        pygame.draw.line(s, (120, 84, 50), hand, (hand[0] + 8, h - 2), 5)
        pygame.draw.arc(s, (120, 84, 50), (hand[0] - 10, hand[1] - 8, 20, 16), 0, math.pi, 5)
    pygame.draw.circle(s, spec.skin, (round(head_c[0]), round(head_c[1])), round(head_r))
    hair_box = pygame.Rect(0, 0, round(head_r * 2.2), round(head_r * 1.5))
    hair_box.midtop = (round(head_c[0]), round(head_c[1] - head_r * 1.08))
    pygame.draw.ellipse(s, spec.hair, hair_box)
    pygame.draw.circle(
        s, spec.skin, (round(head_c[0]), round(head_c[1] + head_r * 0.22)), round(head_r * 0.86)
    )
    if spec.build == "elder":  # a bun
        pygame.draw.circle(
            s, spec.hair, (round(head_c[0]), round(head_c[1] - head_r * 1.05)), round(head_r * 0.4)
        )
    eye = max(2, round(head_r * 0.13))
    for side in (-1, 1):
        pygame.draw.circle(
            s,
            theme.INK,
            (round(head_c[0] + side * head_r * 0.36), round(head_c[1] + head_r * 0.1)),
            eye,
        )
    mouth = pygame.Rect(0, 0, round(head_r * 0.8), round(head_r * 0.5))
    if upset:
        mouth.midtop = (round(head_c[0]), round(head_c[1] + head_r * 0.5))
        pygame.draw.arc(s, theme.INK, mouth, 0.3, math.pi - 0.3, max(2, eye))
    else:
        mouth.midbottom = (round(head_c[0]), round(head_c[1] + head_r * 0.72))
        pygame.draw.arc(s, theme.INK, mouth, math.pi + 0.3, 2 * math.pi - 0.3, max(2, eye))
        for side in (-1, 1):
            pygame.draw.circle(
                s,
                mix(spec.skin, (240, 110, 110), 0.45),
                (round(head_c[0] + side * head_r * 0.58), round(head_c[1] + head_r * 0.42)),
                max(2, round(head_r * 0.14)),
            )
    return s


def draw_icon(surface: pygame.Surface, rect: pygame.Rect) -> None:
    """Menu icon: a little flat with a glowing bulb, an air-con at 25.5 and a leaf."""
    house = sub_rect(rect, 0.08, 0.36, 0.84, 0.6)
    poly(surface, rect, (240, 98, 80), [(0.02, 0.4), (0.5, 0.06), (0.98, 0.4)])
    pygame.draw.rect(surface, (250, 224, 190), house, border_radius=8)
    pygame.draw.rect(surface, (176, 128, 84), sub_rect(rect, 0.08, 0.88, 0.84, 0.08))
    draw_glyph(surface, "ac", sub_rect(rect, 0.14, 0.42, 0.42, 0.24), "eco")
    draw_glyph(surface, "light", sub_rect(rect, 0.56, 0.42, 0.34, 0.34), True)
    leaf(surface, point(rect, 0.3, 0.8), rect.w * 0.3, rect.w * 0.14, -0.7, (46, 158, 74))
    pygame.draw.circle(surface, theme.MINT, point(rect, 0.8, 0.8), round(rect.w * 0.07))
