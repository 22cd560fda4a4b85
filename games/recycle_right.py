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
live in ``assets/games/recycle_right.toml``; no visitor-facing words are in this file.

Public state for bots and tests: ``items`` (:class:`Item`, centre ``x``/``y``, ``rect``,
``state``), ``free_items()``, ``bins`` (:class:`BinSlot` with ``rect`` and ``drop_rect``),
``bin_for(id)``, ``bin_at(x, y)``, the counters ``correct``/``wrong``/``missed`` and
``feedback`` (the line currently shown).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

import pygame

from games.base import Bot, Game, GameContext, GameResult, GameSpec, level_for, rgb
from games.kit.gamebar import Chip, Feedback, FeedbackLine, draw_top_bar, mark_icon, say, tick
from kiosk.input import PointerEvent
from kiosk.ui import theme
from kiosk.ui.blend import ease, lerp, shade
from kiosk.ui.shapes import CARD_FILL, SHADOW, draw_mark, leaf, point, poly, sub_rect
from kiosk.ui.typeset import fit_name, fit_size

RGB = tuple[int, int, int]

TOP_BAR_H = 110
PLAY_TOP = 124
FLOOR_Y = 684  # an item whose bottom reaches this line has landed: missed
BANNER_Y = 730  # centre of the feedback line
BINS_TOP = 778
BINS_BOTTOM = 1062
MARGIN = 40
BIN_GAP = 24

CARD_EDGE: RGB = (214, 208, 192)
PANEL: RGB = (20, 40, 74)
PANEL_DOT: RGB = (30, 56, 98)
HOVER_FILL: RGB = (40, 74, 128)  # a bin tile under a carried item (white text stays ≥ 4.5:1)

GRAB_SLOP = 14  # px around a card that still counts as touching it
RETURN_S = 0.22
SORT_S = 0.3
MISS_S = 0.45
POP_S = 0.18
FLASH_S = 0.9


# --------------------------------------------------------------------------- content


@dataclass(frozen=True)
class ItemSpec:
    id: str
    bin: str
    glyph: str
    color: RGB
    accent: RGB
    tricky: bool
    name: dict[str, str]
    why: dict[str, str]

    def name_in(self, lang: str) -> str:
        return self.name.get(lang) or self.name.get("en") or self.id

    def why_in(self, lang: str) -> str:
        return self.why.get(lang) or self.why.get("en") or ""


@dataclass(frozen=True)
class Pace:
    duration_s: float = 60.0
    spawn_every_s: float = 1.8
    fall_s: float = 7.5
    max_items: int = 5
    card_w: int = 190
    card_h: int = 176
    name_size: int = 27
    tricky_share: float = 0.5
    refill_gap_s: float = 0.6  # nothing left to grab: the next item comes this soon


def load_items(content: dict[str, Any]) -> list[ItemSpec]:
    bins = {b["id"] for b in content.get("bins", [])}
    items = []
    for raw in content.get("items", []):
        if raw.get("bin") not in bins:
            continue  # a content typo must not crash a visitor's game (a test catches it)
        items.append(
            ItemSpec(
                id=str(raw["id"]),
                bin=str(raw["bin"]),
                glyph=str(raw.get("glyph", "")),
                color=rgb(raw.get("color")),
                accent=rgb(raw.get("accent"), (90, 90, 90)),
                tricky=bool(raw.get("tricky", False)),
                name=dict(raw.get("name", {})),
                why=dict(raw.get("why", {})),
            )
        )
    return items


def load_pace(content: dict[str, Any], difficulty: str) -> Pace:
    return level_for(Pace, content, difficulty)


# --------------------------------------------------------------------------- state


@dataclass
class Item:
    """One card on screen. ``x``/``y`` is its centre in design pixels."""

    uid: int
    spec: ItemSpec
    x: float
    y: float
    w: int
    h: int
    state: str = "falling"  # falling | held | returning | sorting | missed
    age: float = 0.0
    anim: float = 0.0  # seconds into the current animation
    pointer: int | None = None
    grab_dx: float = 0.0
    grab_dy: float = 0.0
    finger: tuple[float, float] = (0.0, 0.0)
    home: tuple[float, float] = (0.0, 0.0)  # where a returning item goes back to
    start: tuple[float, float] = (0.0, 0.0)  # where the current animation began
    target: tuple[float, float] = (0.0, 0.0)
    good: bool = False

    @property
    def rect(self) -> pygame.Rect:
        r = pygame.Rect(0, 0, self.w, self.h)
        r.center = (round(self.x), round(self.y))
        return r

    @property
    def grabbable(self) -> bool:
        return self.state in ("falling", "returning")


@dataclass
class BinSlot:
    id: str
    color: RGB
    rect: pygame.Rect  # the tile drawn on screen
    drop_rect: pygame.Rect  # where a finger lifting counts as "in this bin"
    flash: float = 0.0
    flash_good: bool = True
    hint: float = 0.0  # pulses after a wrong drop to show where the item belonged
    hover: bool = False


@dataclass
class _Deck:
    rng: random.Random
    plain: list[ItemSpec]
    tricky: list[ItemSpec]
    share: float
    _plain: list[ItemSpec] = field(default_factory=list)
    _tricky: list[ItemSpec] = field(default_factory=list)
    last: str = ""

    def draw(self) -> ItemSpec:
        use_tricky = bool(self.tricky) and (not self.plain or self.rng.random() < self.share)
        pile, source = (self._tricky, self.tricky) if use_tricky else (self._plain, self.plain)
        if not pile:
            pile.extend(source)
            self.rng.shuffle(pile)
            if len(pile) > 1 and pile[-1].id == self.last:
                pile.insert(0, pile.pop())  # no immediate repeat across a reshuffle
        spec = pile.pop()
        self.last = spec.id
        return spec


# --------------------------------------------------------------------------- the game


class RecycleRight(Game):
    def __init__(self, ctx: GameContext) -> None:
        super().__init__(ctx)
        content = ctx.content
        self.pace = load_pace(content, ctx.difficulty)
        self.duration_s = self.pace.duration_s
        play = content.get("play", {})
        self.no_spawn_last_s = float(play.get("no_spawn_last_s", 2.0))
        self.feedback_s = float(play.get("feedback_s", 3.5))

        self.rng = random.Random(ctx.seed)
        specs = load_items(content)
        self.deck = _Deck(
            self.rng,
            [s for s in specs if not s.tricky],
            [s for s in specs if s.tricky],
            self.pace.tricky_share,
        )
        self.bins = self._layout_bins([(b["id"], rgb(b.get("color"))) for b in content["bins"]])
        self.items: list[Item] = []
        self._held: dict[int, Item] = {}
        self._uid = 0
        self._since_spawn = self.pace.spawn_every_s - 0.4  # first item almost at once
        self.correct = 0
        self.wrong = 0
        self.missed = 0
        self.unresolved = 0  # on screen at the end, too new to count
        self.mistakes: list[str] = []
        self.feedback: Feedback | None = Feedback(
            ctx.tr("hint"), "info", float(play.get("hint_s", 4.0)), weak=True
        )
        self._marks: list[tuple[float, float, bool, float]] = []  # x, y, good, age
        self._card_cache: dict[str, pygame.Surface] = {}
        self._bg: pygame.Surface | None = None
        self._banner = FeedbackLine((ctx.size[0] / 2, BANNER_Y), ctx.size[0] - 2 * MARGIN - 80)

    # -- layout and public queries ----------------------------------------------------

    def _layout_bins(self, bins: list[tuple[str, RGB]]) -> list[BinSlot]:
        width, _ = self.ctx.size
        n = max(1, len(bins))
        w = (width - 2 * MARGIN - (n - 1) * BIN_GAP) // n
        slots = []
        for i, (bin_id, color) in enumerate(bins):
            rect = pygame.Rect(MARGIN + i * (w + BIN_GAP), BINS_TOP, w, BINS_BOTTOM - BINS_TOP)
            # Generous drop zone: half the gap either side and up over the feedback line.
            drop = pygame.Rect(
                rect.x - BIN_GAP // 2, FLOOR_Y + 6, w + BIN_GAP, self.ctx.size[1] - FLOOR_Y - 6
            )
            slots.append(BinSlot(bin_id, color, rect, drop))
        return slots

    @property
    def offered(self) -> int:
        return self.correct + self.wrong + self.missed

    def score(self) -> int:
        return round(100 * self.correct / self.offered) if self.offered else 0

    def free_items(self) -> list[Item]:
        """Items a finger can pick up now, lowest (most urgent) first."""
        return sorted((i for i in self.items if i.grabbable), key=lambda i: -i.y)

    def bin_for(self, bin_id: str) -> BinSlot:
        return next(b for b in self.bins if b.id == bin_id)

    def bin_at(self, x: float, y: float) -> BinSlot | None:
        for b in self.bins:
            if b.drop_rect.collidepoint(x, y):
                return b
        return None

    def item_at(self, x: float, y: float) -> Item | None:
        """The grabbable card under a finger: the one drawn on top, else the nearest."""
        hits = [
            i
            for i in self.items
            if i.grabbable and i.rect.inflate(2 * GRAB_SLOP, 2 * GRAB_SLOP).collidepoint(x, y)
        ]
        if not hits:
            return None
        inside = [i for i in hits if i.rect.collidepoint(x, y)]
        if inside:
            return inside[-1]
        return min(hits, key=lambda i: (i.x - x) ** 2 + (i.y - y) ** 2)

    # -- input ------------------------------------------------------------------------

    def handle(self, event: PointerEvent) -> None:
        if self.finished:
            return
        if event.kind == "down":
            if event.pointer in self._held:  # its "up" got lost: drop what it carried first
                self._release(event.pointer, event.x, event.y)
            item = self.item_at(event.x, event.y)
            if item is not None:
                item.state = "held"
                item.pointer = event.pointer
                item.home = (item.x, item.y) if item.anim == 0 else item.home
                item.anim = 0.0
                item.grab_dx, item.grab_dy = item.x - event.x, item.y - event.y
                item.finger = (event.x, event.y)
                self._held[event.pointer] = item
                self.items.remove(item)
                self.items.append(item)  # held cards draw on top
                self.cue("tap")
        elif event.kind == "move":
            item = self._held.get(event.pointer)
            if item is not None:
                self._follow(item, event.x, event.y)
        elif event.kind == "up":
            self._release(event.pointer, event.x, event.y)

    def _follow(self, item: Item, x: float, y: float) -> None:
        w, h = self.ctx.size
        item.finger = (x, y)
        item.x = min(max(x + item.grab_dx, 0.0), float(w))
        item.y = min(max(y + item.grab_dy, 0.0), float(h))

    def _release(self, pointer: int, x: float, y: float) -> None:
        item = self._held.pop(pointer, None)
        if item is None:
            return  # a finger lifting with nothing held
        self._follow(item, x, y)
        item.pointer = None
        slot = self.bin_at(x, y)
        if slot is None:
            item.state = "returning"
            item.anim = 0.0
            item.start = (item.x, item.y)
            return
        self._sort(item, slot)

    def _sort(self, item: Item, slot: BinSlot) -> None:
        lang = self.ctx.lang
        good = item.spec.bin == slot.id
        item.state = "sorting"
        item.anim = 0.0
        item.good = good
        item.start = (item.x, item.y)
        item.target = (slot.rect.centerx, slot.rect.y + slot.rect.h * 0.36)
        slot.flash, slot.flash_good = FLASH_S, good
        right_bin = self.bin_for(item.spec.bin)
        fmt = {"item": item.spec.name_in(lang), "bin": self.ctx.tr(f"bin_{right_bin.id}")}
        why = item.spec.why_in(lang)
        if good:
            self.correct += 1
            self.cue("good")
            self._say(why or self.ctx.tr("good", **fmt), "good", weak=not why)
        else:
            self.wrong += 1
            self.mistakes.append(item.spec.id)
            right_bin.hint = self.feedback_s
            self.cue("bad")
            self._say(why or self.ctx.tr("wrong", **fmt), "bad")
        self._marks.append((slot.rect.centerx, slot.rect.y - 10, good, 0.0))

    def _say(self, text: str, tone: str, weak: bool = False) -> None:
        self.feedback = say(self.feedback, text, tone, self.feedback_s, weak)

    # -- time -------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        if self.finished:
            return
        dt = min(max(dt, 0.0), 0.25)
        self.elapsed += dt
        p = self.pace
        for item in list(self.items):
            item.age += dt
            if item.state == "falling":
                item.y += self._fall_speed(item) * dt
                if item.y + item.h / 2 >= FLOOR_Y:
                    self._miss(item)
            elif item.state == "returning":
                item.anim += dt
                f = ease(min(1.0, item.anim / RETURN_S))
                item.x = lerp(item.start[0], item.home[0], f)
                item.y = lerp(item.start[1], item.home[1], f)
                if item.anim >= RETURN_S:
                    item.state, item.anim = "falling", 0.0
            elif item.state in ("sorting", "missed"):
                item.anim += dt
                if item.state == "sorting":
                    f = ease(min(1.0, item.anim / SORT_S))
                    item.x = lerp(item.start[0], item.target[0], f)
                    item.y = lerp(item.start[1], item.target[1], f)
                if item.anim >= (SORT_S if item.state == "sorting" else MISS_S):
                    self.items.remove(item)

        self._since_spawn += dt
        live = sum(1 for i in self.items if i.state in ("falling", "held", "returning"))
        free = sum(1 for i in self.items if i.grabbable)
        due = self._since_spawn >= p.spawn_every_s or (
            free == 0 and self._since_spawn >= p.refill_gap_s
        )
        if due and live < p.max_items and self.time_left > self.no_spawn_last_s:
            self._spawn()

        for slot in self.bins:
            slot.flash = max(0.0, slot.flash - dt)
            slot.hint = max(0.0, slot.hint - dt)
            slot.hover = False
        for item in self._held.values():
            slot = self.bin_at(*item.finger)
            if slot is not None:
                slot.hover = True
        self._marks = [(x, y, g, a + dt) for x, y, g, a in self._marks if a + dt < FLASH_S]
        self.feedback = tick(self.feedback, dt)

        if self.elapsed >= p.duration_s:
            self._finish()

    def _fall_speed(self, item: Item) -> float:
        distance = FLOOR_Y - (PLAY_TOP + 8) - item.h
        return max(20.0, distance / self.pace.fall_s)

    def _miss(self, item: Item) -> None:
        self.missed += 1
        item.state, item.anim = "missed", 0.0
        right = self.bin_for(item.spec.bin)
        right.hint = self.feedback_s
        fmt = {"item": item.spec.name_in(self.ctx.lang), "bin": self.ctx.tr(f"bin_{right.id}")}
        self._say(self.ctx.tr("missed", **fmt), "bad", weak=True)
        self.cue("bad")

    def _spawn(self) -> None:
        p = self.pace
        width = self.ctx.size[0]
        top = PLAY_TOP + 8
        lanes = max(1, (width - 2 * MARGIN) // (p.card_w + 24))
        lane_w = (width - 2 * MARGIN) / lanes
        centres = [MARGIN + lane_w * (k + 0.5) for k in range(lanes)]
        clear = [
            cx
            for cx in centres
            if all(
                abs(i.x - cx) > p.card_w + 8 or i.y - i.h / 2 > top + p.card_h + 12
                for i in self.items
                if i.state != "held"
            )
        ]
        if not clear:
            return  # the top is crowded; try again next frame
        cx = self.rng.choice(clear) + self.rng.uniform(-0.15, 0.15) * max(0.0, lane_w - p.card_w)
        self._uid += 1
        item = Item(self._uid, self.deck.draw(), cx, top + p.card_h / 2, p.card_w, p.card_h)
        self.items.insert(0, item)  # new cards draw beneath held ones
        self._since_spawn = 0.0

    def _finish(self) -> None:
        self.finished = True
        for item in self.items:
            if item.state in ("falling", "held", "returning"):
                # A full fall's time on screen (or held that long) counts as missed.
                if item.age >= self.pace.fall_s:
                    self.missed += 1
                else:
                    self.unresolved += 1
        self._held.clear()
        self._say(self.ctx.tr("times_up"), "info")

    def result(self) -> GameResult:
        return self.graded(
            correct=self.correct,
            wrong=self.wrong,
            missed=self.missed,
            offered=self.offered,
            unresolved=self.unresolved,
            mistakes=self.mistakes[:30],
        )

    # -- drawing ----------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        surface.blit(self._background(), (0, 0))
        self._draw_top_bar(surface)
        self._draw_bins(surface)
        for item in self.items:
            if item.state != "held":
                self._draw_item(surface, item)
        self._banner.draw(surface, self.ctx.text, self.feedback)
        for x, y, good, age in self._marks:
            f = age / FLASH_S
            draw_mark(surface, (x, y - 40 * f), 34, good, fade=1 - f)
        for item in self.items:
            if item.state == "held":
                self._draw_item(surface, item)

    def _background(self) -> pygame.Surface:
        if self._bg is None or self._bg.get_size() != self.ctx.size:
            w, h = self.ctx.size
            bg = pygame.Surface((w, h))
            bg.fill(theme.BACKGROUND)
            panel = pygame.Rect(
                MARGIN - 16, PLAY_TOP - 6, w - 2 * (MARGIN - 16), FLOOR_Y - PLAY_TOP + 12
            )
            pygame.draw.rect(bg, PANEL, panel, border_radius=theme.RADIUS)
            rng = random.Random(7)  # fixed decoration, not the game's randomness
            for _ in range(46):
                x = rng.randrange(panel.left + 20, panel.right - 20)
                y = rng.randrange(panel.top + 20, panel.bottom - 30)
                pygame.draw.circle(bg, PANEL_DOT, (x, y), rng.choice((2, 3, 4)))
            for x in range(panel.left + 24, panel.right - 24, 36):  # dashed floor line
                pygame.draw.line(bg, theme.NAVY, (x, FLOOR_Y), (x + 18, FLOOR_Y), 4)
            self._bg = bg
        return self._bg

    def _draw_top_bar(self, surface: pygame.Surface) -> None:
        chip = Chip(self.ctx.tr("tally", correct=self.correct, total=self.offered), mark_icon)
        draw_top_bar(surface, self.ctx, self.time_left, self.pace.duration_s, self.finished, [chip])

    def _draw_bins(self, surface: pygame.Surface) -> None:
        text, tr = self.ctx.text, self.ctx.tr
        for slot in self.bins:
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
        card = self._card_cache.get(spec.id)
        if card is None:
            card = render_card(self.ctx, spec, self.pace)
            self._card_cache[spec.id] = card
        return card

    def _draw_item(self, surface: pygame.Surface, item: Item) -> None:
        card = self._card(item.spec)
        scale, lift, alpha = 1.0, 6, 255
        if item.state == "held":
            over_bin = self.bin_at(*item.finger) is not None
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


# --------------------------------------------------------------------------- the bot


class RecycleBot(Bot):
    """Plays through pointer events only: look, touch a card, drag it to a bin, let go.

    ``skill`` sets reaction time, drag speed, whether it picks the most urgent item, and the
    chance of choosing the right bin (10 % at skill 0, where its wrong picks are spread over
    the other bins; 100 % at skill 1).
    """

    POINTER = 101

    def __init__(self, game: Game, rng: random.Random, skill: float) -> None:
        super().__init__(game, rng, max(0.0, min(1.0, skill)))
        self.phase = "think"
        self.wait = self._reaction()
        self.t = 0.0
        self.travel = 0.5
        self.start = (0.0, 0.0)
        self.end = (0.0, 0.0)

    def _reaction(self) -> float:
        base = 0.3 + 1.9 * (1.0 - self.skill)
        return base * self.rng.uniform(0.8, 1.25)

    def step(self, dt: float) -> list[PointerEvent]:
        game = self.game
        assert isinstance(game, RecycleRight)
        if game.finished:
            return []
        if self.phase == "think":
            self.wait -= dt
            if self.wait > 0:
                return []
            items = game.free_items()
            if not items:
                self.wait = 0.1
                return []
            # A skilled player grabs the most urgent card; a poor one any card.
            urgent = self.rng.random() < 0.3 + 0.7 * self.skill
            item = items[0] if urgent else self.rng.choice(items)
            if self.rng.random() < 0.1 + 0.9 * self.skill:
                slot = game.bin_for(item.spec.bin)
            else:
                slot = self.rng.choice([b for b in game.bins if b.id != item.spec.bin] or game.bins)
            jitter = item.w * 0.25
            self.start = (
                item.x + self.rng.uniform(-jitter, jitter),
                item.y + self.rng.uniform(-jitter, jitter),
            )
            self.end = (
                slot.rect.centerx + self.rng.uniform(-40, 40),
                slot.rect.centery + self.rng.uniform(-40, 40),
            )
            self.travel = (0.3 + 0.7 * (1.0 - self.skill)) * self.rng.uniform(0.85, 1.2)
            self.t = 0.0
            self.phase = "drag"
            return [PointerEvent("down", *self.start, self.POINTER)]
        self.t += dt
        f = min(1.0, self.t / self.travel)
        e = ease(f)
        pos = (lerp(self.start[0], self.end[0], e), lerp(self.start[1], self.end[1], e))
        events = [PointerEvent("move", *pos, self.POINTER)]
        if f >= 1.0:
            events.append(PointerEvent("up", *pos, self.POINTER))
            self.phase = "think"
            self.wait = self._reaction()
        return events


# Item glyphs: each draws into a rect with the item's colour and accent.


def _g_sheet(s, r, c, a):
    poly(s, r, shade(c, 0.8), [(0.26, 0.1), (0.86, 0.1), (0.86, 0.92), (0.26, 0.92)])
    page = sub_rect(r, 0.16, 0.04, 0.6, 0.86)
    pygame.draw.rect(s, c, page, border_radius=4)
    pygame.draw.rect(s, shade(c, 0.7), page, 2, border_radius=4)
    pygame.draw.rect(s, a, sub_rect(r, 0.22, 0.12, 0.48, 0.14))
    pygame.draw.rect(s, shade(c, 0.72), sub_rect(r, 0.22, 0.32, 0.2, 0.2))
    for k in range(5):
        y = 0.34 + 0.1 * k
        x0 = 0.46 if k < 2 else 0.22
        pygame.draw.line(s, shade(c, 0.55), point(r, x0, y), point(r, 0.7, y), 3)


def _g_book(s, r, c, a):
    cover = sub_rect(r, 0.2, 0.04, 0.6, 0.9)
    pygame.draw.rect(s, shade(c, 1.7), cover.move(5, 4), border_radius=6)
    pygame.draw.rect(s, c, cover, border_radius=6)
    pygame.draw.rect(s, shade(c, 0.7), sub_rect(r, 0.2, 0.04, 0.1, 0.9), border_radius=4)
    pygame.draw.rect(s, a, sub_rect(r, 0.38, 0.16, 0.34, 0.14), border_radius=3)
    pygame.draw.rect(s, a, sub_rect(r, 0.38, 0.38, 0.26, 0.07), border_radius=3)
    pygame.draw.circle(s, shade(c, 1.4), point(r, 0.56, 0.7), round(r.w * 0.1))


def _g_box(s, r, c, a):
    poly(s, r, shade(c, 1.25), [(0.1, 0.32), (0.28, 0.14), (0.92, 0.14), (0.74, 0.32)])
    poly(s, r, shade(c, 0.75), [(0.74, 0.32), (0.92, 0.14), (0.92, 0.74), (0.74, 0.92)])
    pygame.draw.rect(s, c, sub_rect(r, 0.1, 0.32, 0.64, 0.6))
    poly(s, r, a, [(0.44, 0.32), (0.62, 0.14), (0.7, 0.14), (0.52, 0.32)])
    pygame.draw.rect(s, a, sub_rect(r, 0.44, 0.32, 0.08, 0.22))
    for k in range(3):
        pygame.draw.line(
            s, shade(c, 0.6), point(r, 0.18, 0.66 + 0.07 * k), point(r, 0.36, 0.66 + 0.07 * k), 2
        )


def _g_pizza_box(s, r, c, a):
    poly(s, r, shade(c, 1.2), [(0.04, 0.5), (0.22, 0.26), (0.96, 0.26), (0.8, 0.5)])
    poly(s, r, shade(c, 0.75), [(0.8, 0.5), (0.96, 0.26), (0.96, 0.5), (0.8, 0.74)])
    pygame.draw.rect(s, c, sub_rect(r, 0.04, 0.5, 0.76, 0.24))
    for fx, fy, fr in (
        (0.36, 0.36, 0.07),
        (0.6, 0.33, 0.05),
        (0.28, 0.62, 0.06),
        (0.62, 0.6, 0.08),
    ):
        pygame.draw.ellipse(s, a, sub_rect(r, fx - fr, fy - fr * 0.6, fr * 2, fr * 1.2))
    poly(s, r, (220, 60, 40), [(0.44, 0.3), (0.52, 0.46), (0.36, 0.46)])
    pygame.draw.circle(s, (250, 220, 120), point(r, 0.45, 0.41), max(2, round(r.w * 0.02)))


def _g_envelope(s, r, c, a):
    body = sub_rect(r, 0.08, 0.2, 0.84, 0.6)
    pygame.draw.rect(s, c, body, border_radius=6)
    pygame.draw.rect(s, shade(c, 0.7), body, 3, border_radius=6)
    pygame.draw.lines(
        s, a, False, [point(r, 0.1, 0.22), point(r, 0.5, 0.56), point(r, 0.9, 0.22)], 4
    )
    pygame.draw.rect(s, (220, 70, 60), sub_rect(r, 0.72, 0.28, 0.12, 0.14))


def _g_packet(s, r, c, a):
    body = sub_rect(r, 0.26, 0.04, 0.48, 0.9)
    pygame.draw.rect(s, c, body, border_radius=6)
    poly(s, r, shade(c, 0.75), [(0.26, 0.1), (0.74, 0.1), (0.5, 0.3)])
    pygame.draw.circle(s, a, point(r, 0.5, 0.56), round(r.w * 0.13))
    pygame.draw.circle(s, c, point(r, 0.5, 0.56), round(r.w * 0.08), 3)
    pygame.draw.rect(s, a, sub_rect(r, 0.34, 0.8, 0.32, 0.04))


def _g_bag(s, r, c, a):
    pygame.draw.arc(s, a, sub_rect(r, 0.32, 0.06, 0.36, 0.46), 0, math.pi, max(3, r.w // 22))
    poly(s, r, c, [(0.18, 0.3), (0.82, 0.3), (0.88, 0.94), (0.12, 0.94)])
    poly(s, r, shade(c, 0.8), [(0.18, 0.3), (0.82, 0.3), (0.8, 0.4), (0.2, 0.4)])
    pygame.draw.circle(s, shade(c, 0.7), point(r, 0.5, 0.62), round(r.w * 0.1), 3)


_BAG_OUTLINE = [
    (0.18, 0.08), (0.34, 0.08), (0.38, 0.3), (0.62, 0.3),
    (0.66, 0.08), (0.82, 0.08), (0.86, 0.9), (0.14, 0.9),
]  # fmt: skip


def _g_plastic_bag(s, r, c, a):
    poly(s, r, c, _BAG_OUTLINE)
    poly(s, r, a, _BAG_OUTLINE, 3)
    for k in range(3):
        x = 0.34 + 0.14 * k
        pygame.draw.line(s, a, point(r, x, 0.5), point(r, x + 0.04, 0.8), 2)


def _g_tube(s, r, c, a):
    pygame.draw.rect(s, c, sub_rect(r, 0.3, 0.16, 0.4, 0.72))
    pygame.draw.ellipse(s, shade(c, 0.85), sub_rect(r, 0.3, 0.78, 0.4, 0.16))
    pygame.draw.ellipse(s, shade(c, 1.25), sub_rect(r, 0.3, 0.08, 0.4, 0.16))
    pygame.draw.ellipse(s, a, sub_rect(r, 0.36, 0.11, 0.28, 0.1))
    pygame.draw.line(s, shade(c, 0.7), point(r, 0.3, 0.4), point(r, 0.7, 0.6), 3)


def _g_bottle(s, r, c, a):
    pygame.draw.rect(s, c, sub_rect(r, 0.3, 0.3, 0.4, 0.64), border_radius=max(4, r.w // 10))
    poly(s, r, c, [(0.3, 0.36), (0.41, 0.2), (0.59, 0.2), (0.7, 0.36)])
    pygame.draw.rect(s, c, sub_rect(r, 0.41, 0.12, 0.18, 0.12))
    pygame.draw.rect(s, a, sub_rect(r, 0.38, 0.03, 0.24, 0.1), border_radius=3)
    pygame.draw.rect(s, a, sub_rect(r, 0.3, 0.5, 0.4, 0.2))
    pygame.draw.line(s, shade(c, 1.5), point(r, 0.37, 0.74), point(r, 0.37, 0.88), 3)
    pygame.draw.rect(
        s, shade(c, 0.7), sub_rect(r, 0.3, 0.3, 0.4, 0.64), 2, border_radius=max(4, r.w // 10)
    )


def _g_cup(s, r, c, a):
    poly(s, r, c, [(0.26, 0.22), (0.74, 0.22), (0.66, 0.94), (0.34, 0.94)])
    poly(s, r, a, [(0.28, 0.42), (0.72, 0.42), (0.69, 0.66), (0.31, 0.66)])
    poly(s, r, shade(c, 0.7), [(0.26, 0.22), (0.74, 0.22), (0.66, 0.94), (0.34, 0.94)], 2)
    pygame.draw.rect(s, shade(a, 1.3), sub_rect(r, 0.2, 0.12, 0.6, 0.11), border_radius=5)
    pygame.draw.rect(s, shade(a, 0.8), sub_rect(r, 0.2, 0.12, 0.6, 0.11), 2, border_radius=5)


def _g_bubble_tea(s, r, c, a):
    pygame.draw.line(s, a, point(r, 0.58, 0.0), point(r, 0.5, 0.34), max(4, r.w // 14))
    poly(s, r, c, [(0.28, 0.24), (0.72, 0.24), (0.64, 0.96), (0.36, 0.96)])
    pygame.draw.ellipse(s, (235, 240, 246), sub_rect(r, 0.25, 0.14, 0.5, 0.16))
    pygame.draw.ellipse(s, (160, 170, 190), sub_rect(r, 0.25, 0.14, 0.5, 0.16), 2)
    for k, (fx, fy) in enumerate(
        (
            (0.42, 0.86),
            (0.5, 0.88),
            (0.58, 0.86),
            (0.46, 0.79),
            (0.55, 0.79),
            (0.4, 0.72),
            (0.6, 0.72),
        )
    ):
        pygame.draw.circle(
            s, (60, 36, 26) if k % 2 else (80, 50, 34), point(r, fx, fy), max(3, round(r.w * 0.045))
        )


def _g_lunchbox(s, r, c, a):
    """A clear plastic takeaway box with a snap-on lid."""
    body = sub_rect(r, 0.1, 0.42, 0.8, 0.42)
    pygame.draw.rect(s, c, body, border_radius=8)
    pygame.draw.rect(s, a, body, 3, border_radius=8)
    lid = sub_rect(r, 0.06, 0.26, 0.88, 0.18)
    pygame.draw.rect(s, shade(c, 0.95), lid, border_radius=8)
    pygame.draw.rect(s, a, lid, 3, border_radius=8)
    pygame.draw.line(s, a, point(r, 0.5, 0.46), point(r, 0.5, 0.8), 2)
    pygame.draw.line(s, (255, 255, 255), point(r, 0.18, 0.5), point(r, 0.26, 0.74), 3)


def _g_foam_box(s, r, c, a):
    """A white foam clamshell with a greasy stain."""
    lid = [(0.1, 0.5), (0.18, 0.24), (0.82, 0.24), (0.9, 0.5)]
    base = [(0.1, 0.52), (0.9, 0.52), (0.84, 0.82), (0.16, 0.82)]
    poly(s, r, c, base)
    poly(s, r, a, base, 3)
    poly(s, r, c, lid)
    poly(s, r, a, lid, 3)
    pygame.draw.rect(s, a, sub_rect(r, 0.44, 0.48, 0.12, 0.1), border_radius=3)
    pygame.draw.ellipse(s, (226, 196, 120), sub_rect(r, 0.58, 0.3, 0.16, 0.1))
    rng = random.Random(5)
    for _ in range(16):
        pygame.draw.circle(
            s, shade(c, 0.88), point(r, rng.uniform(0.2, 0.8), rng.uniform(0.3, 0.78)), 2
        )


def _g_can(s, r, c, a):
    body = sub_rect(r, 0.3, 0.12, 0.4, 0.8)
    pygame.draw.rect(s, c, body, border_radius=max(4, r.w // 12))
    pygame.draw.rect(s, a, sub_rect(r, 0.3, 0.4, 0.4, 0.24))
    pygame.draw.ellipse(s, (200, 204, 210), sub_rect(r, 0.3, 0.06, 0.4, 0.12))
    pygame.draw.ellipse(s, (150, 156, 166), sub_rect(r, 0.4, 0.08, 0.14, 0.06))
    pygame.draw.line(s, shade(c, 1.5), point(r, 0.37, 0.2), point(r, 0.37, 0.84), 3)
    pygame.draw.rect(s, shade(c, 0.6), body, 2, border_radius=max(4, r.w // 12))


def _g_tin(s, r, c, a):
    body = sub_rect(r, 0.1, 0.36, 0.8, 0.5)
    pygame.draw.rect(s, c, body, border_radius=10)
    pygame.draw.rect(s, shade(c, 0.7), body, 2, border_radius=10)
    pygame.draw.rect(s, a, sub_rect(r, 0.06, 0.24, 0.88, 0.16), border_radius=8)
    pygame.draw.circle(s, a, point(r, 0.5, 0.62), round(r.w * 0.13), 4)
    pygame.draw.circle(s, a, point(r, 0.5, 0.62), round(r.w * 0.05))


def _g_egg_shells(s, r, c, a):
    for cx, tilt in ((0.32, -1), (0.68, 1)):
        pts = []
        for k in range(13):
            ang = math.pi * k / 12
            pts.append((cx + 0.2 * math.cos(ang), 0.56 + 0.3 * math.sin(ang)))
        for k in range(6):  # zigzag broken edge, right to left
            x = cx - 0.2 + 0.4 * (k / 5)
            pts.append((x, 0.56 - (0.08 if k % 2 else 0.0) + 0.02 * tilt))
        pts = pts[:13] + list(reversed(pts[13:]))
        poly(s, r, c, pts)
        poly(s, r, a, pts, 2)


def _g_peel(s, r, c, a):
    w = max(6, r.w // 9)
    for box, start, stop in (
        ((0.1, 0.14, 0.5, 0.5), 0.3, 2.6),
        ((0.42, 0.3, 0.48, 0.48), 3.3, 5.8),
        ((0.2, 0.46, 0.5, 0.44), 3.6, 6.0),
    ):
        rr = sub_rect(r, *box)
        pygame.draw.arc(s, c, rr, start, stop, w)
        pygame.draw.arc(s, a, rr.inflate(-w * 2 + 4, -w * 2 + 4), start, stop, 3)


def _g_banana(s, r, c, a):
    # A peeled banana skin: three flaps hanging from the stem.
    for cx, ang in ((0.3, 2.0), (0.5, 1.57), (0.7, 1.14)):
        leaf(s, point(r, cx, 0.58), r.h * 0.62, r.w * 0.22, ang, c)
    for cx, ang in ((0.3, 2.0), (0.5, 1.57), (0.7, 1.14)):
        tip = (cx + 0.3 * math.cos(ang), 0.58 + 0.3 * math.sin(ang))
        pygame.draw.circle(s, a, point(r, *tip), max(3, r.w // 26))
    pygame.draw.rect(s, shade(c, 0.8), sub_rect(r, 0.4, 0.22, 0.2, 0.14), border_radius=6)
    pygame.draw.rect(s, a, sub_rect(r, 0.45, 0.08, 0.1, 0.16), border_radius=3)


def _g_bowl(s, r, c, a):
    pygame.draw.ellipse(s, a, sub_rect(r, 0.18, 0.2, 0.64, 0.34))
    for fx, fy in ((0.34, 0.32), (0.46, 0.26), (0.58, 0.31), (0.66, 0.38), (0.42, 0.4)):
        pygame.draw.ellipse(s, shade(a, 0.88), sub_rect(r, fx, fy, 0.06, 0.035))
    pts = [
        (0.5 + 0.42 * math.cos(t), 0.5 + 0.4 * math.sin(t))
        for t in (math.pi * k / 12 for k in range(13))
    ]
    poly(s, r, c, pts)
    pygame.draw.rect(s, shade(c, 0.75), sub_rect(r, 0.38, 0.86, 0.24, 0.07), border_radius=3)
    pygame.draw.line(s, shade(c, 1.6), point(r, 0.18, 0.62), point(r, 0.82, 0.62), 3)


def _g_broken_bowl(s, r, c, a):
    crack = [(0.5, 0.8), (0.55, 0.68), (0.47, 0.58), (0.53, 0.48), (0.5, 0.4)]
    arc_right = [
        (0.5 + 0.4 * math.cos(t), 0.4 + 0.4 * math.sin(t))
        for t in (math.pi / 2 * k / 8 for k in range(9))
    ]
    arc_left = [
        (0.5 + 0.4 * math.cos(t), 0.4 + 0.4 * math.sin(t))
        for t in (math.pi / 2 + math.pi / 2 * k / 8 for k in range(9))
    ]
    right = [*arc_right, *crack[1:]]
    left = [*arc_left, *reversed(crack[:-1])]
    for piece, dx, dy in ((left, -0.06, 0.04), (right, 0.06, -0.02)):
        pts = [(x + dx, y + dy) for x, y in piece]
        poly(s, r, c, pts)
        poly(s, r, shade(c, 0.7), pts, 2)
    pygame.draw.line(s, a, point(r, 0.08, 0.54), point(r, 0.42, 0.54), 4)
    pygame.draw.line(s, a, point(r, 0.6, 0.46), point(r, 0.94, 0.46), 4)
    poly(s, r, shade(c, 0.8), [(0.72, 0.86), (0.84, 0.82), (0.8, 0.96)])


def _g_leaves(s, r, c, a):
    pygame.draw.ellipse(s, a, sub_rect(r, 0.12, 0.6, 0.76, 0.3))
    for fx, fy, ang in (
        (0.3, 0.56, 0.4),
        (0.5, 0.5, -0.6),
        (0.68, 0.58, 0.9),
        (0.4, 0.7, -0.2),
        (0.6, 0.72, 0.3),
        (0.5, 0.36, 1.2),
    ):
        leaf(s, point(r, fx, fy), r.w * 0.3, r.w * 0.12, ang, shade(c, 0.8 + 0.1 * (fx > 0.5)))


def _g_vegetable(s, r, c, a):
    for ang, length in ((-1.1, 0.62), (-1.6, 0.7), (-2.1, 0.62)):
        cx = 0.5 + 0.28 * math.cos(ang)
        cy = 0.7 + 0.36 * math.sin(ang)
        leaf(s, point(r, cx, cy), r.w * length, r.w * 0.3, ang, c)
    pygame.draw.rect(s, a, sub_rect(r, 0.4, 0.6, 0.2, 0.32), border_radius=8)
    pygame.draw.rect(s, shade(a, 0.85), sub_rect(r, 0.4, 0.6, 0.2, 0.32), 2, border_radius=8)


def _g_grounds(s, r, c, a):
    pygame.draw.ellipse(s, a, sub_rect(r, 0.08, 0.56, 0.84, 0.34))
    poly(s, r, c, [(0.18, 0.76), (0.34, 0.44), (0.5, 0.34), (0.66, 0.44), (0.82, 0.76)])
    rng = random.Random(3)
    for _ in range(14):
        dot = point(r, rng.uniform(0.3, 0.7), rng.uniform(0.48, 0.72))
        pygame.draw.circle(s, shade(c, 0.6), dot, 2)


def _g_bread(s, r, c, a):
    # A slice of toast whose soft middle is gone: only the crust is left.
    slice_pts = [
        (0.18, 0.92),
        (0.18, 0.4),
        (0.12, 0.28),
        (0.2, 0.12),
        (0.5, 0.06),
        (0.8, 0.12),
        (0.88, 0.28),
        (0.82, 0.4),
        (0.82, 0.92),
    ]
    poly(s, r, c, slice_pts)
    inner = [
        (0.3, 0.82),
        (0.3, 0.44),
        (0.26, 0.32),
        (0.32, 0.22),
        (0.5, 0.18),
        (0.68, 0.22),
        (0.74, 0.32),
        (0.7, 0.44),
        (0.7, 0.82),
    ]
    poly(s, r, CARD_FILL, inner)
    poly(s, r, shade(c, 0.7), slice_pts, 3)
    poly(s, r, a, inner, 2)


def _g_tissue(s, r, c, a):
    blobs = (
        (0.4, 0.5, 0.2),
        (0.6, 0.44, 0.18),
        (0.54, 0.66, 0.2),
        (0.32, 0.68, 0.15),
        (0.72, 0.64, 0.15),
    )
    for fx, fy, fr in blobs:
        pygame.draw.circle(s, a, point(r, fx, fy), round(r.w * fr) + 3)
    for fx, fy, fr in blobs:
        pygame.draw.circle(s, c, point(r, fx, fy), round(r.w * fr))
    for fx, fy, fr, st in (
        (0.4, 0.5, 0.12, 0.5),
        (0.56, 0.64, 0.1, 2.0),
        (0.62, 0.42, 0.1, 3.5),
        (0.32, 0.68, 0.08, 4.0),
    ):
        pygame.draw.arc(s, a, sub_rect(r, fx - fr, fy - fr, fr * 2, fr * 2), st, st + 2.2, 3)


def _g_carton(s, r, c, a):
    poly(s, r, shade(c, 0.78), [(0.64, 0.3), (0.76, 0.22), (0.76, 0.86), (0.64, 0.94)])
    poly(s, r, shade(c, 1.2), [(0.28, 0.3), (0.4, 0.14), (0.52, 0.14), (0.64, 0.3)])
    pygame.draw.rect(s, c, sub_rect(r, 0.28, 0.3, 0.36, 0.64))
    pygame.draw.rect(s, a, sub_rect(r, 0.28, 0.52, 0.36, 0.18))
    pygame.draw.circle(s, (250, 240, 120), point(r, 0.46, 0.42), round(r.w * 0.06))
    pygame.draw.line(s, (230, 80, 80), point(r, 0.5, 0.0), point(r, 0.46, 0.2), max(3, r.w // 26))


def _g_battery(s, r, c, a):
    body = sub_rect(r, 0.14, 0.3, 0.64, 0.4)
    pygame.draw.rect(s, c, body, border_radius=8)
    pygame.draw.rect(
        s,
        a,
        sub_rect(r, 0.14, 0.3, 0.22, 0.4),
        border_top_left_radius=8,
        border_bottom_left_radius=8,
    )
    pygame.draw.rect(s, (190, 196, 206), sub_rect(r, 0.78, 0.42, 0.07, 0.16), border_radius=3)
    cx, cy = point(r, 0.6, 0.5)
    d = round(r.w * 0.07)
    pygame.draw.line(s, (240, 240, 240), (cx - d, cy), (cx + d, cy), 4)
    pygame.draw.line(s, (240, 240, 240), (cx, cy - d), (cx, cy + d), 4)


def _g_chopsticks(s, r, c, a):
    for dx in (-0.06, 0.06):
        poly(s, r, c, [(0.2 + dx, 0.92), (0.26 + dx, 0.94), (0.8 + dx, 0.08), (0.77 + dx, 0.06)])
        poly(s, r, a, [(0.2 + dx, 0.92), (0.26 + dx, 0.94), (0.32 + dx, 0.84), (0.27 + dx, 0.82)])


def _g_mask(s, r, c, a):
    pygame.draw.ellipse(s, a, sub_rect(r, 0.04, 0.3, 0.24, 0.4), 3)
    pygame.draw.ellipse(s, a, sub_rect(r, 0.72, 0.3, 0.24, 0.4), 3)
    body = sub_rect(r, 0.16, 0.26, 0.68, 0.48)
    pygame.draw.rect(s, c, body, border_radius=14)
    for k in range(3):
        y = 0.38 + 0.12 * k
        pygame.draw.line(s, a, point(r, 0.2, y), point(r, 0.8, y), 3)


def _g_default(s, r, c, a):
    pygame.draw.circle(s, c, r.center, min(r.w, r.h) // 3)
    pygame.draw.circle(s, a, r.center, min(r.w, r.h) // 3, 4)


GLYPHS = {
    "sheet": _g_sheet,
    "book": _g_book,
    "box": _g_box,
    "pizza_box": _g_pizza_box,
    "envelope": _g_envelope,
    "packet": _g_packet,
    "bag": _g_bag,
    "plastic_bag": _g_plastic_bag,
    "tube": _g_tube,
    "bottle": _g_bottle,
    "cup": _g_cup,
    "bubble_tea": _g_bubble_tea,
    "lunchbox": _g_lunchbox,
    "foam_box": _g_foam_box,
    "can": _g_can,
    "tin": _g_tin,
    "egg_shells": _g_egg_shells,
    "peel": _g_peel,
    "banana": _g_banana,
    "bowl": _g_bowl,
    "broken_bowl": _g_broken_bowl,
    "leaves": _g_leaves,
    "vegetable": _g_vegetable,
    "grounds": _g_grounds,
    "bread": _g_bread,
    "tissue": _g_tissue,
    "carton": _g_carton,
    "battery": _g_battery,
    "chopsticks": _g_chopsticks,
    "mask": _g_mask,
}


def draw_glyph(
    surface: pygame.Surface, glyph: str, rect: pygame.Rect, color: RGB, accent: RGB
) -> None:
    GLYPHS.get(glyph, _g_default)(surface, rect, color, accent)


def render_card(ctx: GameContext, spec: ItemSpec, pace: Pace) -> pygame.Surface:
    """An item card: picture on top, its name in dark ink below, on a warm white card."""
    w, h = pace.card_w, pace.card_h
    card = pygame.Surface((w, h), pygame.SRCALPHA)
    rect = card.get_rect()
    pygame.draw.rect(card, CARD_FILL, rect, border_radius=20)
    pygame.draw.rect(card, CARD_EDGE, rect, width=3, border_radius=20)
    text = ctx.text
    size, lines = fit_name(text, spec.name_in(ctx.lang), pace.name_size, w - 20)
    line_h = round(size * 1.18)
    text_h = line_h * len(lines)
    glyph_h = h - text_h - 22
    side = min(w - 40, glyph_h)
    draw_glyph(
        card, spec.glyph, pygame.Rect((w - side) // 2, 10, side, side), spec.color, spec.accent
    )
    y = h - 10 - text_h
    for line in lines:
        surf = text.render(line, size, theme.INK, "bold")
        card.blit(surf, surf.get_rect(midtop=(w // 2, y - round(size * 0.08))))
        y += line_h
    return card


# Bins: a lidded bin in its colour with a symbol on the front.


def draw_bin(
    surface: pygame.Surface, rect: pygame.Rect, bin_id: str, color: RGB, open_lid: bool = False
) -> None:
    r = rect
    dark = shade(color, 0.72)
    body = [(0.1, 0.24), (0.9, 0.24), (0.82, 0.98), (0.18, 0.98)]
    poly(surface, r, color, body)
    for fx in (0.34, 0.5, 0.66):  # ribs
        pygame.draw.line(
            surface, shade(color, 0.86), point(r, fx, 0.34), point(r, fx, 0.9), max(2, r.w // 60)
        )
    if open_lid:
        poly(surface, r, dark, [(0.08, 0.2), (0.2, -0.04), (0.96, 0.06), (0.9, 0.22)])
        pygame.draw.rect(surface, (10, 16, 30), sub_rect(r, 0.14, 0.2, 0.72, 0.06))
    else:
        pygame.draw.rect(surface, dark, sub_rect(r, 0.04, 0.1, 0.92, 0.14), border_radius=8)
        pygame.draw.rect(
            surface, shade(color, 0.5), sub_rect(r, 0.32, 0.14, 0.36, 0.05), border_radius=4
        )
    sym = theme.INK if sum(color) > 480 else (255, 255, 255)
    icon = sub_rect(r, 0.3, 0.42, 0.4, 0.42)
    _bin_symbol(surface, icon, bin_id, sym, color)


def _bin_symbol(s: pygame.Surface, r: pygame.Rect, bin_id: str, fg: RGB, bg: RGB) -> None:
    lw = max(3, r.w // 14)
    if bin_id == "paper":
        page = sub_rect(r, 0.15, 0.0, 0.7, 1.0)
        pygame.draw.rect(s, fg, page, lw, border_radius=4)
        for k in range(3):
            y = 0.3 + 0.2 * k
            pygame.draw.line(s, fg, point(r, 0.3, y), point(r, 0.7, y), max(2, lw - 1))
    elif bin_id == "plastic":
        pygame.draw.rect(s, fg, sub_rect(r, 0.24, 0.34, 0.52, 0.66), border_radius=8)
        poly(s, r, fg, [(0.24, 0.4), (0.4, 0.16), (0.6, 0.16), (0.76, 0.4)])
        pygame.draw.rect(s, fg, sub_rect(r, 0.38, 0.0, 0.24, 0.2), border_radius=3)
        pygame.draw.rect(s, bg, sub_rect(r, 0.24, 0.56, 0.52, 0.14))
    elif bin_id == "metal":
        pygame.draw.rect(s, fg, sub_rect(r, 0.2, 0.06, 0.6, 0.9), border_radius=8)
        pygame.draw.ellipse(s, bg, sub_rect(r, 0.3, 0.12, 0.4, 0.12))
        pygame.draw.rect(s, bg, sub_rect(r, 0.2, 0.46, 0.6, 0.12))
    elif bin_id == "food":
        pygame.draw.circle(s, fg, point(r, 0.38, 0.6), round(r.w * 0.3))
        pygame.draw.circle(s, fg, point(r, 0.62, 0.6), round(r.w * 0.3))
        pygame.draw.line(s, fg, point(r, 0.5, 0.32), point(r, 0.56, 0.08), lw)
        leaf(s, point(r, 0.72, 0.14), r.w * 0.34, r.w * 0.16, -0.5, fg)
    else:
        poly(s, r, fg, [(0.14, 0.26), (0.86, 0.26), (0.78, 1.0), (0.22, 1.0)])
        pygame.draw.rect(s, fg, sub_rect(r, 0.08, 0.1, 0.84, 0.1), border_radius=3)
        pygame.draw.rect(s, fg, sub_rect(r, 0.4, 0.0, 0.2, 0.1))
        for fx in (0.38, 0.62):
            pygame.draw.line(s, bg, point(r, fx, 0.38), point(r, fx, 0.88), max(2, lw - 1))


def draw_icon(surface: pygame.Surface, rect: pygame.Rect) -> None:
    """Menu icon: the three Hong Kong recycling bins with a bottle dropping in."""
    w = rect.w / 3.3
    for k, (bin_id, color) in enumerate(
        (("paper", (20, 102, 204)), ("plastic", (139, 90, 48)), ("metal", (244, 196, 30)))
    ):
        r = pygame.Rect(0, 0, round(w * 0.92), round(rect.h * 0.62))
        r.bottomleft = (round(rect.x + rect.w * 0.05 + k * w * 1.07), rect.bottom)
        draw_bin(surface, r, bin_id, color, open_lid=k == 1)
    bottle = pygame.Rect(0, 0, round(rect.w * 0.26), round(rect.h * 0.34))
    bottle.midbottom = (rect.centerx, round(rect.y + rect.h * 0.38))
    _g_bottle(surface, bottle, (150, 210, 240), (30, 100, 200))


GAME = GameSpec(
    id="recycle_right",
    factory=RecycleRight,
    bot=RecycleBot,
    idle_limit_s=20.0,
    draw_icon=draw_icon,
)
