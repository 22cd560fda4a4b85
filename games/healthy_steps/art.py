"""Healthy Steps' art: the picture tiles, the smart pill-box panel with its clock, bell
and capsules, the top bar's star chip and the menu icon."""

from __future__ import annotations

import math

import pygame

from games.base import RGB, GameContext
from games.healthy_steps.figures import CREAM, FIGURE_REST, draw_figure
from games.healthy_steps.layout import PANEL, PANEL_BOX, PANEL_CLOCK, PANEL_LED
from games.healthy_steps.rules import Tile
from kiosk.ui import theme
from kiosk.ui.blend import mix, shade
from kiosk.ui.shapes import SHADOW, draw_star
from kiosk.ui.typeset import fit_name

GLOW_FILL: RGB = (255, 226, 120)  # the pulsing pill box (dark ink text stays ≥ 4.5:1)


def render_tile(ctx: GameContext, tile: Tile, label_size: int, lit: bool) -> pygame.Surface:
    """A picture tile: the stretch as a stick figure on a cream disc, and its name.

    At rest the tile is its deep colour with a white name; lit, it is bright with a white
    rim and a dark name, and its figure is drawn each frame (it moves), so it is left out.
    """
    w, h = tile.rect.size
    card = pygame.Surface((w, h), pygame.SRCALPHA)
    pose = tile.pose
    fill = pose.color if lit else pose.deep
    pygame.draw.rect(card, fill, card.get_rect(), border_radius=theme.RADIUS)
    edge = theme.WHITE if lit else shade(pose.deep, 1.25)
    pygame.draw.rect(
        card, edge, card.get_rect(), width=10 if lit else 4, border_radius=theme.RADIUS
    )
    fig = tile.figure_rect.move(-tile.rect.x, -tile.rect.y)
    disc = (255, 255, 255) if lit else mix(CREAM, pose.deep, 0.12)
    pygame.draw.circle(card, disc, fig.center, round(fig.w * 0.5))
    pygame.draw.ellipse(
        card,
        mix(pose.color, pose.deep, 0.5),
        pygame.Rect(fig.x + fig.w * 0.26, fig.y + fig.h * 0.9, fig.w * 0.48, fig.h * 0.07),
    )
    if not lit:
        draw_figure(card, fig, pose.figure, FIGURE_REST.get(pose.figure, 1.0))
    ink = theme.INK if lit else theme.WHITE
    text = ctx.text
    name = ctx.pick(tile.pose.name)
    if w > 1.5 * h:  # name to the right of the picture
        area = pygame.Rect(fig.right + 20, 20, w - fig.right - 40, h - 40)
        size, lines = fit_name(text, name, label_size, area.w)
        line_h = round(size * 1.22)
        y = area.centery - line_h * len(lines) / 2
        for line in lines:
            surf = text.render(line, size, ink, "bold")
            card.blit(surf, surf.get_rect(midtop=(area.centerx, round(y))))
            y += line_h
    else:
        size, lines = fit_name(text, name, label_size, w - 36)
        if len(lines) > 1:  # one line under the picture reads best from afar
            while size > 26 and text.font(size, "bold").size(name)[0] > w - 36:
                size -= 2
            lines = text.wrap(name, size, w - 36, "bold")
        line_h = round(size * 1.18)
        y = h - 22 - line_h * len(lines)
        for line in lines:
            surf = text.render(line, size, ink, "bold")
            card.blit(surf, surf.get_rect(midtop=(w // 2, y)))
            y += line_h
    return card


def render_panel(ctx: GameContext, glow: bool) -> pygame.Surface:
    """The smart pill box card: title, clock face and a four-slot pill box."""
    w, h = PANEL.size
    panel = pygame.Surface((w, h), pygame.SRCALPHA)
    fill = GLOW_FILL if glow else theme.CARD
    pygame.draw.rect(panel, fill, panel.get_rect(), border_radius=theme.RADIUS)
    pygame.draw.rect(panel, theme.SUN, panel.get_rect(), width=6, border_radius=theme.RADIUS)
    text = ctx.text
    title = ctx.tr("pill_title")
    size = 40
    while size > 26 and text.font(size, "bold").size(title)[0] > w - 40:
        size -= 2
    text.draw(
        panel, title, size, theme.INK if glow else theme.SUN, center=(w // 2, 58), weight="bold"
    )
    # Clock face: the coral dot at twelve marks medicine time.
    c = PANEL_CLOCK
    pygame.draw.circle(panel, SHADOW if not glow else shade(GLOW_FILL, 0.8), (c[0], c[1] + 6), 112)
    pygame.draw.circle(panel, CREAM, c, 110)
    pygame.draw.circle(panel, theme.INK, c, 110, 6)
    for k in range(12):
        a = k * math.pi / 6
        r0 = 84 if k % 3 else 74
        p0 = (c[0] + r0 * math.sin(a), c[1] - r0 * math.cos(a))
        p1 = (c[0] + 96 * math.sin(a), c[1] - 96 * math.cos(a))
        pygame.draw.line(panel, theme.INK, p0, p1, 6 if k % 3 == 0 else 3)
    pygame.draw.circle(panel, theme.CORAL, (c[0], c[1] - 96), 9)
    # Pill box: a lid with a light and a speaker, four slots (morning to night) below.
    box = PANEL_BOX
    body = (120, 200, 255) if glow else (84, 150, 230)
    pygame.draw.rect(panel, shade(body, 0.6), box.move(0, 8), border_radius=22)
    pygame.draw.rect(panel, body, box, border_radius=22)
    pygame.draw.rect(
        panel,
        shade(body, 0.7),
        (box.x, box.y, box.w, 42),
        border_top_left_radius=22,
        border_top_right_radius=22,
    )
    for k in range(3):
        pygame.draw.circle(panel, shade(body, 0.45), (box.x + 30 + 16 * k, box.y + 21), 4)
    pygame.draw.circle(panel, (50, 60, 80), PANEL_LED, 12)
    pygame.draw.circle(panel, theme.WHITE, PANEL_LED, 12, 2)
    pills = ((255, 128, 112), (255, 255, 255), (255, 200, 40), (64, 214, 170))
    slot_w = (box.w - 50) // 4
    for k, pill in enumerate(pills):
        slot = pygame.Rect(box.x + 10 + k * (slot_w + 10), box.y + 52, slot_w, box.h - 64)
        pygame.draw.rect(panel, CREAM, slot, border_radius=14)
        cap = pygame.Rect(0, 0, slot_w - 24, 30)
        cap.center = slot.center
        draw_capsule(panel, cap, pill, shade(pill, 0.75))
    return panel


def draw_capsule(s: pygame.Surface, r: pygame.Rect, color: RGB, edge: RGB) -> None:
    """A two-tone pill lying in ``r``."""
    half = r.copy()
    half.w = r.w // 2 + 1
    pygame.draw.rect(s, color, r, border_radius=r.h // 2)
    pygame.draw.rect(
        s,
        (250, 250, 250) if color != (255, 255, 255) else (110, 190, 255),
        half,
        border_top_left_radius=r.h // 2,
        border_bottom_left_radius=r.h // 2,
    )
    pygame.draw.rect(s, edge, r, width=3, border_radius=r.h // 2)


def draw_hands(s: pygame.Surface, c: tuple[int, int], r: int, minute: float) -> None:
    """Clock hands: the hour hand at eight, the minute hand at angle ``minute`` (0 = 12)."""
    hour = 8 * math.pi / 6 + minute / 12
    for angle, length, width in ((hour, 0.5, 12), (minute, 0.78, 8)):
        tip = (c[0] + r * length * math.sin(angle), c[1] - r * length * math.cos(angle))
        pygame.draw.line(s, theme.INK, c, tip, width)
        pygame.draw.circle(s, theme.INK, (round(tip[0]), round(tip[1])), width // 2)
    pygame.draw.circle(s, theme.CORAL, c, 10)


def draw_bell(s: pygame.Surface, c: tuple[int, int], r: int, color: RGB, swing: float) -> None:
    """A ringing bell ``swing`` radians off upright, with ring lines either side."""
    ca, sa = math.cos(swing), math.sin(swing)

    def rot(x: float, y: float) -> tuple[float, float]:
        return (c[0] + (x * ca - y * sa) * r, c[1] + (x * sa + y * ca) * r)

    body = [rot(-1.0, 0.6), rot(-0.7, -0.3), rot(-0.4, -0.8), rot(0.4, -0.8), rot(0.7, -0.3),
            rot(1.0, 0.6)]  # fmt: skip
    pygame.draw.polygon(s, color, body)
    pygame.draw.circle(s, color, [round(v) for v in rot(0, 0.85)], max(3, r // 4))
    for k in (1, 2):  # ring lines
        box = pygame.Rect(0, 0, r * (1.6 + 0.8 * k), r * (1.6 + 0.8 * k))
        box.center = c
        pygame.draw.arc(s, color, box, -0.5, 0.3, 3)
        pygame.draw.arc(s, color, box, math.pi - 0.3, math.pi + 0.5, 3)


def star_chip(s: pygame.Surface, box: pygame.Rect) -> None:
    """The top bar's "best list" chip icon."""
    draw_star(s, (box.x + 40, box.centery), 22, theme.SUN)


def draw_icon(surface: pygame.Surface, rect: pygame.Rect) -> None:
    """Menu icon: a yellow stretch tile with a figure reaching up, and a pill beside it."""
    tile = pygame.Rect(rect.x, rect.y, round(rect.w * 0.82), round(rect.h * 0.82))
    pygame.draw.rect(surface, shade(theme.SUN, 0.7), tile.move(0, 6), border_radius=22)
    pygame.draw.rect(surface, theme.SUN, tile, border_radius=22)
    fig = tile.inflate(-round(tile.w * 0.16), -round(tile.h * 0.16))
    pygame.draw.circle(surface, CREAM, fig.center, fig.w // 2)
    draw_figure(surface, fig, "arms_up", 1.0)
    cap = pygame.Rect(0, 0, round(rect.w * 0.44), round(rect.h * 0.18))
    cap.center = (round(rect.x + rect.w * 0.74), round(rect.y + rect.h * 0.84))
    rotated = pygame.Surface((cap.w + 8, cap.h + 8), pygame.SRCALPHA)
    draw_capsule(rotated, pygame.Rect(4, 4, cap.w, cap.h), theme.CORAL, shade(theme.CORAL, 0.6))
    rotated = pygame.transform.rotate(rotated, 30)
    surface.blit(rotated, rotated.get_rect(center=cap.center))
