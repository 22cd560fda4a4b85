"""Recycle Right's rules: the items falling, the fingers carrying them, the bins and the
score. Nothing here draws (``view.py`` does); the rects are pygame's only as geometry.

Public state for bots and tests: ``items`` (:class:`Item`, centre ``x``/``y``, ``rect``,
``state``), ``free_items()``, ``bins`` (:class:`BinSlot` with ``rect`` and ``drop_rect``),
``bin_for(id)``, ``bin_at(x, y)``, the counters ``correct``/``wrong``/``missed``,
``feedback`` (the line currently shown) and ``marks`` (the ticks and crosses rising over
the bins, with their age).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pygame

from games.base import RGB, Game, GameContext, GameResult, rgb
from games.kit.gamebar import Feedback, say, tick
from games.kit.hits import hits, topmost_hit
from games.recycle_right.content import Deck, ItemSpec, load_items, load_pace
from kiosk.input import PointerEvent
from kiosk.ui.blend import ease, lerp

# Layout on the 1920×1080 design canvas.
PLAY_TOP = 124
FLOOR_Y = 684  # an item whose bottom reaches this line has landed: missed
BANNER_Y = 730  # centre of the feedback line
BINS_TOP = 778
BINS_BOTTOM = 1062
MARGIN = 40
BIN_GAP = 24

GRAB_SLOP = 14  # px around a card that still counts as touching it
RETURN_S = 0.22
SORT_S = 0.3
MISS_S = 0.45
POP_S = 0.18
FLASH_S = 0.9

Mark = tuple[float, float, bool, float]  # x, y, good, age


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


class RecycleRound(Game):
    """One round's rules; :class:`games.recycle_right.RecycleRight` adds the drawing."""

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
        self.deck = Deck(
            self.rng,
            [s for s in specs if not s.tricky],
            [s for s in specs if s.tricky],
            self.pace.tricky_share,
        )
        self.bins = self._layout_bins([(b["id"], rgb(b.get("color"))) for b in content["bins"]])
        self.items: list[Item] = []
        self._held: dict[int, Item] = {}
        self._uid = 0
        self._since_spawn = self.pace.spawn_every_s - 0.4  # the first card almost at once
        self.correct = 0
        self.wrong = 0
        self.missed = 0
        self.unresolved = 0  # on screen at the end, too new to count
        self.mistakes: list[str] = []
        self.feedback: Feedback | None = Feedback(
            ctx.tr("hint"), "info", float(play.get("hint_s", 4.0)), weak=True
        )
        self.marks: list[Mark] = []

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
        return next((b for b in self.bins if hits(b.drop_rect, (x, y))), None)

    def item_at(self, x: float, y: float) -> Item | None:
        """The grabbable card under a finger: the one drawn on top, else the nearest."""
        near = [i for i in self.items if i.grabbable and hits(i.rect, (x, y), GRAB_SLOP)]
        if not near:
            return None
        on_top = topmost_hit(near, (x, y))  # slop only helps a finger that missed every card
        if on_top is not None:
            return on_top
        return min(near, key=lambda i: (i.x - x) ** 2 + (i.y - y) ** 2)

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
        self.marks.append((slot.rect.centerx, slot.rect.y - 10, good, 0.0))

    def _say(self, text: str, tone: str, weak: bool = False) -> None:
        self.feedback = say(self.feedback, text, tone, self.feedback_s, weak)

    # -- time -------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        if self.finished:
            return
        dt = self.step(dt)
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

        # The next card is a gate, not a timer: due spawn_every_s after the last one (sooner
        # when nothing is left to grab), it comes only once there is room for it, so each
        # frame weighs the last card's age against what is on screen.
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
        self.marks = [(x, y, g, a + dt) for x, y, g, a in self.marks if a + dt < FLASH_S]
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
