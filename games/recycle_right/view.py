"""Recycle Right drawn: the navy play panel, the top bar, the bins, the falling cards,
the feedback line and the ticks rising over the bins. Reads the round; never changes it."""

from __future__ import annotations

import math
import random
import weakref
from functools import partial

import pygame

from games.base import RGB
from games.kit.backdrop import Backdrop
from games.kit.gamebar import (
    Chip,
    FeedbackLine,
    draw_top_bar,
    is_detached,
    mark_icon,
    top_bar_pieces,
)
from games.kit.redraw import Piece, Redraw, circle_rect
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
    BinSlot,
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
        self._redraw = Redraw()
        self._held: dict[tuple[str, tuple[int, int]], pygame.Surface] = {}

    def surface_moved(self, old: pygame.Surface, new: pygame.Surface) -> bool:
        """(Game.surface_moved.)"""
        return self._redraw.moved(old, new)

    def draw(self, surface: pygame.Surface, kept: bool = False) -> list[pygame.Rect] | None:
        """The frame; on a ``kept`` surface (this view's last frame on it, nothing drawn
        over it since) only what changed is painted again (games/kit/redraw.py). Returns
        the rectangles painted (None: all of it)."""
        backdrop = self._backdrop.get(self.game.ctx.size)
        return self._redraw.draw(surface, backdrop, self.pieces(), kept)

    def pieces(self) -> list[Piece]:
        """Everything the next draw paints over the backdrop, in order."""
        game = self.game
        detached = is_detached()
        pieces: list[Piece] = []
        if detached:  # the portrait frame draws the bar and the line round the playfield
            self._draw_top_bar(pygame.Surface((0, 0)))
            self._banner.draw(pygame.Surface((0, 0)), game.ctx.text, game.feedback)
        else:
            chip = Chip(game.ctx.tr("tally", correct=game.correct, total=game.offered), mark_icon)
            duration = game.pace.duration_s
            pieces += top_bar_pieces(game.ctx, game.time_left, duration, game.finished, [chip])
        pieces += [self._bin(slot) for slot in game.bins]
        pieces += [self._item(item) for item in game.items if item.state != "held"]
        banner = None if detached else self._banner.piece(game.ctx.text, game.feedback)
        if banner is not None:
            pieces.append(banner)
        for i, (x, y, good, age) in enumerate(game.marks):
            f = age / FLASH_S
            centre = (x, y - 40 * f)
            key = (round(centre[0]), round(centre[1]), good, 1 - f)
            draw = partial(draw_mark, centre=centre, radius=34, good=good, fade=1 - f)
            pieces.append(Piece(("mark", i), key, circle_rect(centre, 34), draw))
        pieces += [self._item(item) for item in game.items if item.state == "held"]
        return pieces

    def _draw_top_bar(self, surface: pygame.Surface) -> None:
        game = self.game
        chip = Chip(game.ctx.tr("tally", correct=game.correct, total=game.offered), mark_icon)
        duration = game.pace.duration_s
        draw_top_bar(surface, game.ctx, game.time_left, duration, game.finished, [chip])

    def _bin(self, slot: BinSlot) -> Piece:
        text, tr = self.game.ctx.text, self.game.ctx.tr
        rect = slot.rect.copy()
        shake = 0
        if slot.flash > 0 and not slot.flash_good:
            shake = round(math.sin(slot.flash * 40) * 8 * (slot.flash / FLASH_S))
        if slot.hover:
            rect.y -= 10
        rect.x += shake
        edge, edge_w = None, 0
        if slot.flash > 0:
            edge, edge_w = (theme.GOOD if slot.flash_good else theme.BAD), 8
        elif slot.hover:
            edge, edge_w = slot.color, 8
        elif slot.hint > 0:  # where the last wrong or missed item belonged
            edge, edge_w = theme.GOOD, 6
        hover = slot.hover

        def draw(surface: pygame.Surface) -> None:
            pygame.draw.rect(surface, SHADOW, rect.move(0, 10), border_radius=theme.RADIUS)
            fill = HOVER_FILL if hover else theme.CARD
            pygame.draw.rect(surface, fill, rect, border_radius=theme.RADIUS)
            if edge is not None:
                pygame.draw.rect(surface, edge, rect, width=edge_w, border_radius=theme.RADIUS)
            glyph = pygame.Rect(0, 0, rect.w * 0.52, rect.h * 0.66)
            glyph.midtop = (rect.centerx, rect.y + 16)
            draw_bin(surface, glyph, slot.id, slot.color, open_lid=hover)
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

        area = rect.union(rect.move(0, 10)).inflate(4, 4)
        key = (tuple(rect), hover, edge, edge_w)
        return Piece(("bin", slot.id), key, area, draw, still=True)

    def render_cards(self, specs: list[ItemSpec]) -> None:
        """Every card the deck may deal, made now (1-2 ms each, in a frame otherwise)."""
        for spec in specs:
            self._card(spec)

    def _card(self, spec: ItemSpec) -> pygame.Surface:
        card = self._cards.get(spec.id)
        if card is None:
            card = render_card(self.game.ctx, spec, self.game.pace)
            self._cards[spec.id] = card
        return card

    def _scaled(
        self, spec: ItemSpec, card: pygame.Surface, size: tuple[int, int], keep: bool
    ) -> pygame.Surface:
        """``card`` at ``size``; a held card's two sizes (over a bin or not) are kept."""
        if not keep:
            return pygame.transform.smoothscale(card, size)
        scaled = self._held.get((spec.id, size))
        if scaled is None:
            if len(self._held) > 16:
                self._held.clear()
            scaled = self._held[(spec.id, size)] = pygame.transform.smoothscale(card, size)
        return scaled

    def _item(self, item: Item) -> Piece:
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
        w, h = card.get_size()
        size = (max(1, round(w * scale)), max(1, round(h * scale))) if scale != 1.0 else (w, h)
        rect = pygame.Rect((0, 0), size)
        rect.center = (round(item.x), round(item.y))
        shadow = rect.move(lift // 2, lift)
        area = rect.union(shadow) if lift else rect.copy()
        held, missed = item.state == "held", item.state == "missed"
        if held:
            area.union_ip(rect.inflate(8, 8))
        elif missed:
            area.union_ip(circle_rect(rect.center, 30))

        def draw(surface: pygame.Surface) -> None:
            shown = card if scale == 1.0 else self._scaled(item.spec, card, size, held)
            if lift:
                pygame.draw.rect(surface, SHADOW, shadow, border_radius=22)
            if alpha < 255:
                shown = shown.copy()
                shown.set_alpha(alpha)
            surface.blit(shown, rect)
            if held:
                pygame.draw.rect(surface, theme.SUN, rect.inflate(8, 8), width=6, border_radius=26)
            elif missed:
                draw_mark(surface, rect.center, 30, False, fade=alpha / 255)

        key = (item.spec.id, tuple(rect), scale, lift, alpha, held, missed)
        return Piece(("item", id(item)), key, area, draw)


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
