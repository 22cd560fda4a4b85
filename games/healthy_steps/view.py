"""Healthy Steps drawn: the status banner with its progress dots, the picture tiles (a lit
one does its stretch), the smart pill box and the top bar. Reads the round; never changes it.

The frame is built once (:class:`~games.kit.backdrop.Backdrop`) with every card at rest
baked in; a frame then draws only what differs from rest: a lit, shaking or pressed card,
the pill box when it glows or is pressed, and the words.
"""

from __future__ import annotations

import math
import weakref
from typing import Any

import pygame

from games.base import RGB
from games.healthy_steps.art import draw_bell, draw_hands, render_panel, render_tile, star_chip
from games.healthy_steps.figures import FIGURE_REST, draw_figure
from games.healthy_steps.layout import BANNER, PANEL, PANEL_CLOCK, PANEL_LED
from games.healthy_steps.rules import FLASH_S, HealthyRound, Tile
from games.kit.backdrop import Backdrop
from games.kit.changes import Changes, Part
from games.kit.gamebar import (
    Chip,
    draw_top_bar,
    is_detached,
    mark_icon,
    tone_colour,
    top_bar_pieces,
)
from games.kit.redraw import circle_rect
from kiosk.ui import theme
from kiosk.ui.blend import ease, mix
from kiosk.ui.shapes import SHADOW, draw_mark
from kiosk.ui.typeset import fit_size

ANIM_PERIOD_S = 1.2  # a lit figure does its stretch: from its picture pose and back
ANIM_SWING = 0.7  # how far towards the other keyframe (the picture stays recognisable)
TOP_BAR: dict[str, Any] = {"pill_w": 250, "pill_dx": -120, "track_y": 100}  # two chips
# What the banner's words and dots and the pill box (its halo, pressed 5 px lower) may touch.
BANNER_AREA = BANNER.inflate(8, 8)
PANEL_AREA = PANEL.inflate(60, 60).union(PANEL.move(0, 5))
HANDS_REACH = 100  # the clock's hands (92 px at most, 12 px wide) round its centre
FIGURE_REACH = 16  # a figure's limbs past its box
TILE_REACH = 60  # a tile's halo (34), its shake (10) and its edge, each side, with room


class HealthyView:
    """Draws ``game``; keeps the frame, the cards (at rest and lit) and wrapped lines."""

    def __init__(self, game: HealthyRound) -> None:
        # A proxy, not the game: the game owns its view, and a reference back would make a
        # cycle keeping a finished round's surfaces alive until the cyclic collector runs.
        self.game = weakref.proxy(game)
        self._plain = Backdrop(self._build_plain)  # to wipe under a card that moves
        self._backdrop = Backdrop(self._build_backdrop)
        self._cards: dict[tuple[int, bool], pygame.Surface] = {}
        self._panels: dict[str, pygame.Surface] = {}
        self._wraps: dict[tuple[str, int, int], list[str]] = {}
        self._changes = Changes()

    def draw(self, surface: pygame.Surface, kept: bool = False) -> list[pygame.Rect] | None:
        """The whole frame; returns where it may differ from the last one drawn on a
        ``kept`` surface (None: not known), each part keyed by what it shows."""
        self._changes.start()
        backdrop = self._backdrop.get(self.game.ctx.size)
        surface.blit(backdrop, (0, 0))
        parts = self._draw_top_bar(surface)
        parts.append(("banner", self._draw_banner(surface), BANNER_AREA))
        for tile in self.game.tiles:
            parts += self._draw_tile(surface, tile)
        parts += self._draw_pill(surface)
        return self._changes.report(surface, kept, (backdrop, theme.high_contrast), parts)

    def _build_plain(self, size: tuple[int, int]) -> pygame.Surface:
        """The bare frame: background, the banner card and the shadows under every card."""
        plain = pygame.Surface(size)
        plain.fill(theme.BACKGROUND)
        pygame.draw.rect(plain, SHADOW, BANNER.move(0, 8), border_radius=theme.RADIUS)
        pygame.draw.rect(plain, theme.CARD, BANNER, border_radius=theme.RADIUS)
        for tile in self.game.tiles:
            pygame.draw.rect(plain, SHADOW, tile.rect.move(0, 10), border_radius=theme.RADIUS)
        pygame.draw.rect(plain, SHADOW, PANEL.move(0, 10), border_radius=theme.RADIUS)
        if pygame.display.get_surface() is not None:
            plain = plain.convert()  # the display's pixel format: the fastest blits
        return plain

    def _build_backdrop(self, size: tuple[int, int]) -> pygame.Surface:
        """The bare frame with every card at rest baked in (and the lit ones made up front:
        no hitch when one first lights)."""
        bg = self._plain.get(size).copy()
        for tile in self.game.tiles:
            bg.blit(self._card(tile, False), tile.rect)
            self._card(tile, True)
        bg.blit(self._panel(False), PANEL)
        self._panel(True)
        return bg

    def _opaque(self, art: pygame.Surface, rect: pygame.Rect) -> pygame.Surface:
        """``art`` over the bare frame it sits on: an opaque surface blits much faster."""
        plain = self._plain.get(self.game.ctx.size)
        out = plain.subsurface(rect.clip(plain.get_rect())).copy()
        out.blit(art, (0, 0))
        return out

    def _wipe(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """Paint the bare frame over ``rect`` (where a resting card was baked in)."""
        plain = self._plain.get(self.game.ctx.size)
        area = rect.clip(plain.get_rect())
        surface.blit(plain, area, area)

    def _wrap(self, text: str, size: int, width: int) -> list[str]:
        key = (text, size, width)
        lines = self._wraps.get(key)
        if lines is None:
            lines = self.game.ctx.text.wrap(text, size, width, "bold")
            if len(self._wraps) > 64:
                self._wraps.clear()
            self._wraps[key] = lines
        return lines

    def _draw_top_bar(self, surface: pygame.Surface) -> list[Part]:
        """The bar (as parts: none when the portrait frame draws it round the playfield)."""
        game = self.game
        tr = game.ctx.tr
        chips = [  # steps right, then the best list, as pills on the right
            Chip(tr("tally", correct=game.steps_right, total=game.steps_asked), mark_icon),
            Chip(tr("best", n=game.longest), star_chip),
        ]
        duration = game.level.duration_s
        if is_detached():
            draw_top_bar(surface, game.ctx, game.time_left, duration, game.finished, chips)
            return []
        pieces = top_bar_pieces(game.ctx, game.time_left, duration, game.finished, chips, **TOP_BAR)
        for piece in pieces:
            piece.draw(surface)
        return [(p.name, p.key, p.rect) for p in pieces]

    def _draw_banner(self, surface: pygame.Surface) -> tuple:
        """The status line and the sub line or the dots; returns what they show."""
        game = self.game
        text = game.ctx.text
        color = tone_colour(game.status_tone)
        max_w = BANNER.w - 80
        size = fit_size(text, game.status, 46, max_w, 28)
        text.draw(
            surface, game.status, size, color, center=(BANNER.centerx, BANNER.y + 40), weight="bold"
        )
        look: tuple = (game.status, size, color)
        y = BANNER.y + 88
        sub = game.nudge if game.nudge_t > 0 else game.sub
        if sub:
            size = fit_size(text, sub, 32, max_w, 22, "regular")
            tone = theme.SUN if game.nudge_t > 0 else theme.TEXT_MUTED
            text.draw(surface, sub, size, tone, center=(BANNER.centerx, y))
            return (*look, sub, size, tone)
        if game.phase in ("show", "reply", "fail"):
            dots = self._dots(y)
            for c, r, fill, ring in dots:
                if fill is not None:
                    pygame.draw.circle(surface, fill, c, r)
                else:
                    pygame.draw.circle(surface, theme.TEXT_MUTED, c, r, 3)
                if ring:
                    pygame.draw.circle(surface, theme.SUN, c, r + 5, 3)
            return (*look, tuple(dots))
        return look

    def _dots(self, y: int) -> list[tuple[tuple[int, int], int, RGB | None, bool]]:
        """One dot per stretch in the list: lit while shown, green once tapped right
        (centre, radius, fill or None for a hollow one, ringed as the next to tap)."""
        game = self.game
        n = len(game.sequence)
        step = min(50, (BANNER.w - 120) // max(1, n))
        r = max(6, min(16, step // 2 - 6))
        x0 = BANNER.centerx - step * (n - 1) / 2
        lit = game.lit_index()
        shown = (lit + 1) if lit is not None else 0
        if game.phase == "show" and lit is None and game.last_lit >= 0:
            shown = game.last_lit + 1
        dots = []
        for k in range(n):
            c = (round(x0 + k * step), y)
            fill: RGB | None
            if game.phase == "show":
                fill = game.tiles[game.sequence[k]].pose.color if k < shown else None
            elif k < game.pos:
                fill = theme.GOOD
            elif game.phase == "fail" and k == game.pos:
                fill = theme.BAD
            else:
                fill = None
            dots.append((c, r, fill, game.phase == "reply" and k == game.pos))
        return dots

    def _card(self, tile: Tile, lit: bool) -> pygame.Surface:
        game = self.game
        key = (tile.index, lit)
        card = self._cards.get(key)
        if card is None:
            card = self._opaque(render_tile(game.ctx, tile, game.level.label_size, lit), tile.rect)
            self._cards[key] = card
        return card

    def _draw_tile(self, surface: pygame.Surface, tile: Tile) -> list[Part]:
        """One picture tile; returns it as parts keyed by what they show: the tile, and
        apart from it the stretching figure of a lit one."""
        game = self.game
        rect = tile.rect
        hint_on = tile.hint > 0 and game.phase == "fail"
        lit = tile.lit_t >= 0 or hint_on
        if tile.flash > 0 and not tile.flash_good:
            shake = round(math.sin(tile.flash * 40) * 10 * (tile.flash / FLASH_S))
            rect = rect.move(shake, 0)
        if tile.press > 0:
            rect = rect.move(0, 5)
        if rect != tile.rect:
            self._wipe(surface, tile.rect)
            surface.blit(self._card(tile, lit), rect)
        elif lit:
            surface.blit(self._card(tile, True), rect)  # else: already in the backdrop
        phase, figure = None, None
        if lit:
            t = tile.lit_t if tile.lit_t >= 0 else game.phase_t
            rest = FIGURE_REST.get(tile.pose.figure, 1.0)
            swing = ANIM_SWING * (0.5 - 0.5 * math.cos(2 * math.pi * t / ANIM_PERIOD_S))
            phase = rest + (1.0 - 2.0 * rest) * swing  # from the picture's pose and back
            figure = tile.figure_rect.move(rect.x - tile.rect.x, rect.y - tile.rect.y)
            draw_figure(surface, figure, tile.pose.figure, phase)
        edge: RGB | None = None
        if tile.flash > 0:
            edge = theme.GOOD if tile.flash_good else theme.BAD
        elif hint_on:
            edge = theme.GOOD if int(game.phase_t * 4) % 2 == 0 else theme.TEXT
        elif tile.lit_t >= 0:
            edge = theme.SUN
            pygame.draw.rect(
                surface,
                mix(theme.SUN, theme.BACKGROUND, 0.55),
                rect.inflate(34, 34),
                width=6,
                border_radius=theme.RADIUS + 16,
            )
        elif tile.press > 0:
            edge = theme.TEXT
        if edge is not None:
            pygame.draw.rect(
                surface, edge, rect.inflate(16, 16), width=10, border_radius=theme.RADIUS + 8
            )
        mark = None
        if tile.flash > 0:
            f = 1 - tile.flash / FLASH_S
            mark = (rect.right - 52, rect.y + 52 - 16 * f)
            draw_mark(surface, mark, 34, tile.flash_good)
        look = (tuple(rect), lit, edge, tile.lit_t >= 0, mark, tile.flash_good)
        parts: list[Part] = [
            (("tile", tile.index), look, tile.rect.inflate(2 * TILE_REACH, 2 * TILE_REACH))
        ]
        if figure is not None:  # it stretches every frame: only its own box each time
            reach = figure.inflate(2 * FIGURE_REACH, 2 * FIGURE_REACH)
            parts.append((("figure", tile.index), (tuple(figure), phase), reach))
        return parts

    def _panel(self, glow: bool) -> pygame.Surface:
        game = self.game
        key = "glow" if glow else "rest"
        panel = self._panels.get(key)
        if panel is None:
            panel = self._opaque(render_panel(game.ctx, glow), PANEL)
            self._panels[key] = panel
        return panel

    def _draw_pill(self, surface: pygame.Surface) -> list[Part]:
        """The pill box; returns it as parts: the clock's hands (they turn every frame)
        apart from the rest."""
        game = self.game
        text, tr = game.ctx.text, game.ctx.tr
        rect = PANEL.move(0, 5) if game.pill_press > 0 else PANEL
        glow = game.phase == "remind_glow"
        pulse = None
        if glow:  # a pulsing halo the eye cannot miss
            pulse = 0.5 + 0.5 * math.sin(game.phase_t * 7)
            for k, width in enumerate((10, 6)):
                grow = round(4 + 6 * pulse) + 8 * k
                color = mix(theme.SUN, theme.BACKGROUND, 0.3 + 0.3 * k)
                pygame.draw.rect(
                    surface,
                    color,
                    rect.inflate(grow * 2, grow * 2),
                    width=width,
                    border_radius=theme.RADIUS + grow,
                )
        if rect != PANEL:
            self._wipe(surface, PANEL)
        if rect != PANEL or glow:
            surface.blit(self._panel(glow), rect)
        ink = theme.INK if glow else theme.TEXT
        # Clock hands: run up to medicine time (12 o'clock on the minute hand) while waiting.
        centre = (rect.x + PANEL_CLOCK[0], rect.y + PANEL_CLOCK[1])
        if game.phase == "remind_wait":
            f = min(1.0, game.phase_t / max(0.1, game.remind_wait_s))
            minute = -math.pi / 3 * (1 - ease(f))
        elif game.phase in ("remind_glow", "remind_done"):
            minute = 0.0
        else:
            minute = game.elapsed * 0.35
        draw_hands(surface, centre, 92, minute)
        hands = pygame.Rect(0, 0, 2 * HANDS_REACH, 2 * HANDS_REACH)
        hands.center = centre
        swing = None
        if game.phase == "remind_wait":
            bell = (rect.right - 62, rect.y + 140)
            swing = math.sin(game.phase_t * 10) * 0.3
            draw_bell(surface, bell, 26, theme.SUN, swing)
        # The pill box's light.
        on = None
        if glow:
            on = int(game.phase_t * 4) % 2 == 0
            led = (rect.x + PANEL_LED[0], rect.y + PANEL_LED[1])
            pygame.draw.circle(surface, theme.CORAL if on else theme.WHITE, led, 12)
        # Status words.
        color = tone_colour(game.pill_tone)
        if glow:
            color = theme.INK
        size = 44 if glow else 34
        lines = self._wrap(game.pill_msg, size, rect.w - 48)[:3]
        y = rect.y + 630 - (len(lines) - 1) * size * 0.6
        for line in lines:
            text.draw(surface, line, size, color, center=(rect.centerx, y), weight="bold")
            y += size * 1.25
        marks = game.pill_history[-7:]
        x0 = rect.centerx - (len(marks) - 1) * 27
        for k, good in enumerate(marks):
            draw_mark(surface, (x0 + 54 * k, rect.bottom - 130), 21, good)
        count = tr("pill_count", caught=game.reminders_caught, total=game.reminders)
        text.draw(
            surface,
            count,
            34,
            ink,
            center=(rect.centerx, rect.bottom - 60),
            weight="bold",
        )
        look = (tuple(rect), glow, pulse, swing, on, tuple(lines), color, y, tuple(marks))
        parts: list[Part] = [
            ("pill", (*look, count, ink), PANEL_AREA),
            ("pill.hands", (centre, minute), hands),
        ]
        if game.pill_mark is not None:
            good, age = game.pill_mark
            at = (rect.centerx, rect.y + 440 - 30 * min(1.0, age))
            fade = max(0.0, 1.0 - max(0.0, age - 0.6) / 0.6)
            draw_mark(surface, at, 48, good, fade=fade)
            parts.append(("pill.mark", (at, good, fade), circle_rect(at, 48)))
        return parts
