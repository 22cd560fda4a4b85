"""Recycle Right / 環保分類: drag falling household items into the right Hong Kong bin.

Household items fall slowly down the play area; the visitor drags each one into one of five
bins along the bottom (blue paper, brown plastic, yellow metal, food waste, general waste).
Every drop gives a tick or a cross, a sound cue, and for common mistakes a one-line reason.
An item that lands on the floor is missed. Fingers are independent: each can carry an item.

Score (0–100, same meaning at every difficulty)::

    score = 100 × correct ÷ offered,   offered = correct + wrong + missed

where "missed" also counts items still on screen at the end that had a full fall's time
(so holding items to dodge them does not help), while an item that appeared in the final
seconds is not held against the visitor. Items, bins, reasons and the pace per difficulty
live in ``assets/games/recycle_right.toml``; no visitor-facing words are in this package.

    content.py  the items, the pace per difficulty and the seeded deck (no pygame)
    rules.py    the round: falling, carrying, sorting, missing, scoring (draws nothing)
    view.py     the frame: backdrop, top bar, bins, cards, feedback line
    art.py      the item card, the bins and the menu icon
    glyphs.py   the item pictures, one per glyph name in the content
    bot.py      a player that drags cards as a visitor would
"""

from __future__ import annotations

import pygame

from games.base import GameContext, GameSpec
from games.recycle_right.art import draw_icon
from games.recycle_right.bot import RecycleBot
from games.recycle_right.content import ItemSpec, Pace, load_items, load_pace
from games.recycle_right.glyphs import GLYPHS
from games.recycle_right.rules import FLOOR_Y, PLAY_TOP, BinSlot, Item, RecycleRound
from games.recycle_right.view import HOVER_FILL, RecycleView
from kiosk.ui.shapes import CARD_FILL
from kiosk.ui.typeset import fit_name

__all__ = [
    "CARD_FILL",
    "FLOOR_Y",
    "GAME",
    "GLYPHS",
    "HOVER_FILL",
    "PLAY_TOP",
    "BinSlot",
    "Item",
    "ItemSpec",
    "Pace",
    "RecycleBot",
    "RecycleRight",
    "fit_name",
    "load_items",
    "load_pace",
]


class RecycleRight(RecycleRound):
    """The round's rules (:class:`RecycleRound`) drawn by a :class:`RecycleView`."""

    def __init__(self, ctx: GameContext) -> None:
        super().__init__(ctx)
        self.view = RecycleView(self)

    def draw(self, surface: pygame.Surface) -> None:
        self.damage = self.view.draw(surface, self.surface_kept)

    def surface_moved(self, old: pygame.Surface, new: pygame.Surface) -> bool:
        return self.view.surface_moved(old, new)

    def draw_ahead(self) -> None:
        self.view.render_cards(self.deck.plain + self.deck.tricky)


GAME = GameSpec(
    id="recycle_right",
    factory=RecycleRight,
    bot=RecycleBot,
    idle_limit_s=20.0,
    draw_icon=draw_icon,
)
