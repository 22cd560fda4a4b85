"""Recycle Right drawn: the navy play panel, the top bar, the bins, the falling cards,
the feedback line and the ticks rising over the bins. Reads the round; never changes it."""

from __future__ import annotations

import math
import random
import weakref

import pygame

from games.base import RGB
from games.kit.backdrop import Backdrop
from games.kit.gamebar import Chip, FeedbackLine, draw_top_bar, mark_icon
from games.recycle_right.art import draw_bin, render_card
from games.recycle_right.content import ItemSpec
from games.recycle_right.rules import (
    BANNER_Y,
    FLASH_S,
    FLOOR_Y,
    MARGIN,
    MISS_S,
    PLAY_TOP,
    POP_S,
    SORT_S,
    Item,
    RecycleRound,
)
from kiosk.ui import theme
from kiosk.ui.blend import ease
from kiosk.ui.shapes import SHADOW, draw_mark
from kiosk.ui.typeset import fit_size

PANEL: RGB = (20, 40, 74)
PANEL_DOT: RGB = (30, 56, 98)
HOVER_FILL: RGB = (40, 74, 128)  # a bin tile under a carried item (white text stays ≥ 4.5:1)


class RecycleView:
    """Draws ``game``; keeps what is costly to make: the backdrop, one card per item."""

    def __init__(self, game: RecycleRound) -> None:
        # A proxy, not the game: the game owns its view, and a reference back would make a
        # cycle keeping a finished round's surfaces alive until the cyclic collector runs.
        self.game = weakref.proxy(game)
        self._cards: dict[str, pygame.Surface] = {}
        self._backdrop = Backdrop(_build_backdrop)
        width = game.ctx.size[0]
        self._banner = FeedbackLine((width / 2, BANNER_Y), width - 2 * MARGIN - 80)

    def draw(self, surface: pygame.Surface) -> None:
        game = self.game
        surface.blit(self._backdrop.get(game.ctx.size), (0, 0))
        self._draw_top_bar(surface)
        self._draw_bins(surface)
        for item in game.items:
            if item.state != "held":
                self._draw_item(surface, item)
        self._banner.draw(surface, game.ctx.text, game.feedback)
        for x, y, good, age in game.marks:
            f = age / FLASH_S
            draw_mark(surface, (x, y - 40 * f), 34, good, fade=1 - f)
        for item in game.items:
            if item.state == "held":
                self._draw_item(surface, item)

    def _draw_top_bar(self, surface: pygame.Surface) -> None:
        game = self.game
        chip = Chip(game.ctx.tr("tally", correct=game.correct, total=game.offered), mark_icon)
        duration = game.pace.duration_s
        draw_top_bar(surface, game.ctx, game.time_left, duration, game.finished, [chip])

    def _draw_bins(self, surface: pygame.Surface) -> None:
        text, tr = self.game.ctx.text, self.game.ctx.tr
        for slot in self.game.bins:
            rect = slot.rect.copy()
            shake = 0
            if slot.flash > 0 and not slot.flash_good:
                shake = round(math.sin(slot.flash * 40) * 8 * (slot.flash / FLASH_S))
            if slot.hover:
                rect.y -= 10
            rect.x += shake
            pygame.draw.rect(surface, SHADOW, rect.move(0, 10), border_radius=theme.RADIUS)
            fill = HOVER_FILL if slot.hover else theme.CARD
            pygame.draw.rect(surface, fill, rect, border_radius=theme.RADIUS)
            edge, edge_w = None, 0
            if slot.flash > 0:
                edge, edge_w = (theme.GOOD if slot.flash_good else theme.BAD), 8
            elif slot.hover:
                edge, edge_w = slot.color, 8
            elif slot.hint > 0:  # where the last wrong or missed item belonged
                edge, edge_w = theme.GOOD, 6
            if edge is not None:
                pygame.draw.rect(surface, edge, rect, width=edge_w, border_radius=theme.RADIUS)
            glyph = pygame.Rect(0, 0, rect.w * 0.52, rect.h * 0.66)
            glyph.midtop = (rect.centerx, rect.y + 16)
            draw_bin(surface, glyph, slot.id, slot.color, open_lid=slot.hover)
            label = tr(f"bin_{slot.id}")
            size = fit_size(text, label, 40, rect.w - 24, 26)
            text.draw(
                surface,
                label,
                size,
                theme.TEXT,
                center=(rect.centerx, rect.bottom - 42),
                weight="bold",
            )

    def _card(self, spec: ItemSpec) -> pygame.Surface:
        card = self._cards.get(spec.id)
        if card is None:
            card = render_card(self.game.ctx, spec, self.game.pace)
            self._cards[spec.id] = card
        return card

    def _draw_item(self, surface: pygame.Surface, item: Item) -> None:
        card = self._card(item.spec)
        scale, lift, alpha = 1.0, 6, 255
        if item.state == "held":
            over_bin = self.game.bin_at(*item.finger) is not None
            scale, lift = (0.78, 12) if over_bin else (1.1, 18)
        elif item.state == "sorting":
            f = min(1.0, item.anim / SORT_S)
            scale, lift = 1.0 - 0.7 * f, 0
        elif item.state == "missed":
            f = min(1.0, item.anim / MISS_S)
            scale, alpha, lift = 1.0 - 0.3 * f, round(255 * (1 - f)), 0
        elif item.age < POP_S:
            scale = 0.6 + 0.4 * ease(item.age / POP_S)
        if scale != 1.0:
            w, h = card.get_size()
            card = pygame.transform.smoothscale(
                card, (max(1, round(w * scale)), max(1, round(h * scale)))
            )
        rect = card.get_rect(center=(round(item.x), round(item.y)))
        if lift:
            shadow = rect.move(lift // 2, lift)
            pygame.draw.rect(surface, SHADOW, shadow, border_radius=22)
        if alpha < 255:
            card = card.copy()
            card.set_alpha(alpha)
        surface.blit(card, rect)
        if item.state == "held":
            pygame.draw.rect(surface, theme.SUN, rect.inflate(8, 8), width=6, border_radius=26)
        elif item.state == "missed":
            draw_mark(surface, rect.center, 30, False, fade=alpha / 255)


def _build_backdrop(size: tuple[int, int]) -> pygame.Surface:
    """The navy play panel with its scattered dots and the dashed floor line."""
    w, h = size
    bg = pygame.Surface((w, h))
    bg.fill(theme.BACKGROUND)
    panel = pygame.Rect(MARGIN - 16, PLAY_TOP - 6, w - 2 * (MARGIN - 16), FLOOR_Y - PLAY_TOP + 12)
    pygame.draw.rect(bg, PANEL, panel, border_radius=theme.RADIUS)
    rng = random.Random(7)  # fixed decoration, not the game's randomness
    for _ in range(46):
        x = rng.randrange(panel.left + 20, panel.right - 20)
        y = rng.randrange(panel.top + 20, panel.bottom - 30)
        pygame.draw.circle(bg, PANEL_DOT, (x, y), rng.choice((2, 3, 4)))
    for x in range(panel.left + 24, panel.right - 24, 36):  # dashed floor line
        pygame.draw.line(bg, theme.NAVY, (x, FLOOR_Y), (x + 18, FLOOR_Y), 4)
    return bg
