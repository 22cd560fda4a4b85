"""Healthy Steps / 健康步步高: copy a growing list of gentle stretches; take medicine on time.

Big picture tiles of stretches (arms up, touch shoulders, march, turn your waist …) light up
one after another; the visitor then taps the same pictures in the same order. Each list
copied correctly grows by one stretch. Every couple of lists a smart pill box on the right
runs its clock up to medicine time and glows: tap it while it glows, not before.

Score (0–100, same meaning at every difficulty)::

    score = 100 × (steps right + reminders caught) ÷ (steps asked + reminders)

A "step asked" is one tap the visitor owed: each correct tap, the wrong tap that ends a list,
or a tap that never came within the reply time. A reminder counts once it is caught, missed
(the glow ended) or tapped too early. Steps of a list cut short by the end of the round and a
reminder still glowing at the end are not held against the visitor. No input scores 0, a
flawless round 100.

Difficulty (numbers in ``assets/games/healthy_steps.toml``) changes how many pictures there
are, how fast a list is shown, the time allowed per tap, tile size and how forgiving a mistake
is: senior shows the same list once more after a mistake, then a shorter one, and lets one
early tap on the pill box pass with a "not yet".

Public state for bots and tests: ``phase`` (intro | show | reply | rest | fail | remind_wait |
remind_glow | remind_done | done), ``sequence`` (tile indices), ``pos`` (next step to tap),
``tiles`` (:class:`Tile` with ``rect`` and ``pose``), ``pill_rect``, ``lit_index()``,
``step_no`` and ``reminder_no`` (counters that change whenever a new tap is awaited), the
counters ``steps_right``/``steps_asked``/``longest`` and the reminder counters.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

import pygame

from games.base import Bot, Game, GameContext, GameResult, GameSpec, level_for, rgb
from games.kit.gamebar import Chip, draw_top_bar, mark_icon, tone_colour
from kiosk.input import PointerEvent
from kiosk.ui import theme
from kiosk.ui.blend import ease, lerp, mix, shade
from kiosk.ui.shapes import SHADOW, draw_mark, draw_star
from kiosk.ui.typeset import fit_name, fit_size

RGB = tuple[int, int, int]
Point = tuple[float, float]

MARGIN = 40
GAP = 28
BANNER = pygame.Rect(MARGIN, 122, 1380, 112)
TILE_AREA = pygame.Rect(MARGIN, 256, 1380, 794)
PANEL = pygame.Rect(1452, 122, 428, 928)
TAP_SLOP = 12  # px around a tile that still counts as touching it
PANEL_CLOCK = (PANEL.w // 2, 224)  # inside the pill-box panel
PANEL_BOX = pygame.Rect(PANEL.w // 2 - 170, 380, 340, 176)
PANEL_LED = (PANEL_BOX.right - 34, PANEL_BOX.y + 21)

CREAM: RGB = (255, 250, 238)
GLOW_FILL: RGB = (255, 226, 120)  # the pulsing pill box (dark ink text stays ≥ 4.5:1)
FLASH_S = 0.5
PRESS_S = 0.2
ANIM_PERIOD_S = 1.2  # a lit figure does its stretch: from its picture pose and back
ANIM_SWING = 0.7  # how far towards the other keyframe (the picture stays recognisable)
TOP_BAR: dict[str, Any] = {"pill_w": 250, "pill_dx": -120, "track_y": 100}  # two chips


# --------------------------------------------------------------------------- content


@dataclass(frozen=True)
class PoseSpec:
    id: str
    figure: str
    color: RGB  # lit: bright, name in dark ink
    deep: RGB  # resting: deep, name in white
    name: dict[str, str]
    tip: dict[str, str]


@dataclass(frozen=True)
class Level:
    duration_s: float = 65.0
    poses: tuple[str, ...] = ("arms_up", "shoulders", "march", "twist", "breathe", "wave")
    start_len: int = 3
    lead_in_s: float = 0.7
    show_on_s: float = 0.65
    show_gap_s: float = 0.25
    reply_s: float = 3.0
    rest_s: float = 1.1
    fail_s: float = 1.6
    retry_same: int = 0
    fail_drop: int = 2
    reminder_every: int = 2
    remind_wait_min_s: float = 1.0
    remind_wait_max_s: float = 3.0
    remind_window_s: float = 2.2
    early_forgive: int = 0
    label_size: int = 42


def load_poses(content: dict[str, Any]) -> dict[str, PoseSpec]:
    poses = {}
    for raw in content.get("poses", []):
        poses[str(raw["id"])] = PoseSpec(
            id=str(raw["id"]),
            figure=str(raw.get("figure", raw["id"])),
            color=rgb(raw.get("color")),
            deep=rgb(raw.get("deep"), (60, 60, 80)),
            name=dict(raw.get("name", {})),
            tip=dict(raw.get("tip", {})),
        )
    return poses


def load_level(content: dict[str, Any], difficulty: str) -> Level:
    return level_for(Level, content, difficulty)


# --------------------------------------------------------------------------- state


@dataclass
class Tile:
    index: int
    pose: PoseSpec
    rect: pygame.Rect
    figure_rect: pygame.Rect
    lit_t: float = -1.0  # seconds since it lit up; < 0 when dark
    flash: float = 0.0
    flash_good: bool = True
    hint: float = 0.0  # glows after a mistake: this was the right one
    press: float = 0.0  # a tap that does not count (not the visitor's turn)


def tile_rects(count: int) -> list[pygame.Rect]:
    """2×2 for up to four pictures, 3×2 for five or six, filling the tile area."""
    cols = 2 if count <= 4 else 3
    rows = max(1, math.ceil(count / cols))
    w = (TILE_AREA.w - (cols - 1) * GAP) // cols
    h = (TILE_AREA.h - (rows - 1) * GAP) // rows
    return [
        pygame.Rect(TILE_AREA.x + c * (w + GAP), TILE_AREA.y + r * (h + GAP), w, h)
        for r, c in (divmod(i, cols) for i in range(count))
    ]


# --------------------------------------------------------------------------- the game


class HealthySteps(Game):
    def __init__(self, ctx: GameContext) -> None:
        super().__init__(ctx)
        content = ctx.content
        self.level = lv = load_level(content, ctx.difficulty)
        self.duration_s = self.level.duration_s
        play = content.get("play", {})
        self.remind_after_s = float(play.get("remind_after_s", 1.6))
        self.nudge_s = float(play.get("nudge_s", 2.0))
        self.debounce_s = float(play.get("debounce_s", 0.12))

        self.rng = ctx.new_rng()
        poses = load_poses(content)
        chosen = [poses[p] for p in lv.poses if p in poses] or list(poses.values())[:4]
        self.tiles = [
            Tile(i, spec, rect, _figure_rect(rect, lv.label_size))
            for i, (spec, rect) in enumerate(zip(chosen, tile_rects(len(chosen)), strict=True))
        ]
        self.pill_rect = PANEL.copy()

        self.phase = "intro"
        self.phase_t = 0.0
        self.sequence: list[int] = []
        self._extend(max(1, lv.start_len))
        self.pos = 0
        self.step_t = 0.0
        self.step_no = 0
        self.retries_left = lv.retry_same
        self.lists_since_reminder = 0
        self.reminder_no = 0
        self.remind_wait_s = 0.0
        self.early_left = 0
        self._pending: tuple[str, dict[str, object]] = ("watch", {})
        self._last_lit = -1
        self._last_tap = -1.0

        self.steps_right = 0
        self.steps_asked = 0
        self.longest = 0
        self.lists_done = 0
        self.lists_failed = 0
        self.reminders_caught = 0
        self.reminders_missed = 0
        self.reminders_early = 0
        self.early_forgiven = 0
        self.mistakes: list[str] = []

        self.status = ctx.tr("watch")
        self.status_tone = "info"
        self.sub = ""  # a line under the status (a tip); empty → the progress dots
        self.nudge = ""
        self.nudge_t = 0.0
        self.pill_msg = ctx.tr("pill_idle")
        self.pill_tone = "info"
        self.pill_press = 0.0
        self.pill_mark: tuple[bool, float] | None = None  # (good, age) over the pill box
        self.pill_history: list[bool] = []  # each reminder: caught on time or not

        self._bg: pygame.Surface | None = None
        self._plain = pygame.Surface((1, 1))
        self._cards: dict[tuple[int, bool], pygame.Surface] = {}
        self._panels: dict[str, pygame.Surface] = {}
        self._wraps: dict[tuple[str, int, int], list[str]] = {}

    # -- public queries ---------------------------------------------------------------

    @property
    def reminders(self) -> int:
        return self.reminders_caught + self.reminders_missed + self.reminders_early

    @property
    def opportunities(self) -> int:
        return self.steps_asked + self.reminders

    def score(self) -> int:
        if not self.opportunities:
            return 0
        return round(100 * (self.steps_right + self.reminders_caught) / self.opportunities)

    def tile_at(self, x: float, y: float) -> Tile | None:
        for tile in self.tiles:
            if tile.rect.inflate(2 * TAP_SLOP, 2 * TAP_SLOP).collidepoint(x, y):
                return tile
        return None

    def expected(self) -> Tile | None:
        """The tile the visitor should tap next (only during their turn)."""
        if self.phase != "reply" or self.pos >= len(self.sequence):
            return None
        return self.tiles[self.sequence[self.pos]]

    def lit_index(self) -> int | None:
        """Which step of the list is lit right now while the list is shown."""
        if self.phase != "show":
            return None
        lv = self.level
        t = self.phase_t - lv.lead_in_s
        if t < 0:
            return None
        k, within = divmod(t, lv.show_on_s + lv.show_gap_s)
        k = int(k)
        if k < len(self.sequence) and within < lv.show_on_s:
            return k
        return None

    def _show_length(self) -> float:
        lv = self.level
        return lv.lead_in_s + len(self.sequence) * (lv.show_on_s + lv.show_gap_s) + 0.15

    # -- input ------------------------------------------------------------------------

    def handle(self, event: PointerEvent) -> None:
        if self.finished or event.kind != "down":
            return  # a tap counts when the finger lands; moves and lifts change nothing
        on_pill = self.pill_rect.collidepoint(event.x, event.y)
        tile = None if on_pill else self.tile_at(event.x, event.y)
        if not on_pill and tile is None:
            return
        if self._last_tap >= 0 and self.elapsed - self._last_tap < self.debounce_s:
            return  # a palm or a shaky second finger: one tap already counted
        self._last_tap = self.elapsed
        if tile is None:
            self._tap_pill()
        elif self.phase == "reply":
            self._answer(tile)
        else:
            tile.press = PRESS_S
            self.cue("tap")
            key = "look_pill" if self.phase.startswith("remind") else "watch_first"
            self.nudge, self.nudge_t = self.ctx.tr(key), self.nudge_s

    def _answer(self, tile: Tile) -> None:
        want = self.tiles[self.sequence[self.pos]]
        if tile is not want:
            tile.flash, tile.flash_good = FLASH_S, False
            self._fail("wrong")
            return
        self.steps_right += 1
        self.steps_asked += 1
        tile.flash, tile.flash_good = FLASH_S, True
        tile.lit_t = 0.0
        self.pos += 1
        self.step_t = 0.0
        self.nudge_t = 0.0
        if self.pos < len(self.sequence):
            self.step_no += 1
            self.cue("tap")
            return
        # The whole list copied.
        n = len(self.sequence)
        self.lists_done += 1
        self.longest = max(self.longest, n)
        self.cue("good")
        self._set_phase("rest")
        self._say(self.ctx.tr("great", n=n + 1), "good")
        self.sub = self.ctx.pick(tile.pose.tip)

    def _fail(self, kind: str) -> None:
        want = self.tiles[self.sequence[self.pos]]
        self.steps_asked += 1
        self.lists_failed += 1
        self.mistakes.append(want.pose.id)
        want.hint = self.level.fail_s
        self.cue("bad")
        self._set_phase("fail")
        self._say(self.ctx.tr(kind, pose=self.ctx.pick(want.pose.name)), "bad")

    def _tap_pill(self) -> None:
        self.pill_press = PRESS_S
        if self.phase == "remind_glow":
            self.reminders_caught += 1
            self.cue("good")
            self._pill("pill_caught", "good", mark=True)
            self._set_phase("remind_done")
        elif self.phase == "remind_wait":
            if self.early_left > 0:
                self.early_left -= 1
                self.early_forgiven += 1
                self.cue("tap")
                self._pill("pill_early_soft", "info")
            else:
                self.reminders_early += 1
                self.cue("bad")
                self._pill("pill_early", "bad", mark=False)
                self._set_phase("remind_done")
        else:
            self.cue("tap")  # not a reminder: a friendly word, nothing counted

    # -- flow -------------------------------------------------------------------------

    def _set_phase(self, phase: str) -> None:
        self.phase = phase
        self.phase_t = 0.0
        # Watching the demonstration or the pill-box countdown is not being away.
        self.idle_paused = phase in ("intro", "show", "rest", "remind_wait")

    def _say(self, text: str, tone: str) -> None:
        self.status, self.status_tone, self.sub = text, tone, ""

    def _pill(self, key: str, tone: str, mark: bool | None = None) -> None:
        self.pill_msg, self.pill_tone = self.ctx.tr(key), tone
        if mark is not None:  # a reminder is settled: say so up top too, with the why
            self.pill_mark = (mark, 0.0)
            self.pill_history.append(mark)
            self._say(self.pill_msg, tone)
            self.sub = self.ctx.tr("pill_tip")

    def _extend(self, count: int) -> None:
        """Add ``count`` random steps, never the same picture twice in a row."""
        n = len(self.tiles)
        for _ in range(count):
            choices = [i for i in range(n) if not self.sequence or i != self.sequence[-1]]
            self.sequence.append(self.rng.choice(choices or list(range(n))))

    def _start_show(self, status_key: str, **fmt: object) -> None:
        self._set_phase("show")
        self.pos = 0
        self._last_lit = -1
        self._say(self.ctx.tr(status_key, **fmt), "info")
        self._pill("pill_idle", "info")

    def _next_list(self, status_key: str, **fmt: object) -> None:
        """After a list ends: a pill-box reminder if one is due, else show the next list."""
        lv = self.level
        self.lists_since_reminder += 1
        room = lv.remind_wait_max_s + lv.remind_window_s + 1.0
        if self.lists_since_reminder >= max(1, lv.reminder_every) and self.time_left > room:
            self.lists_since_reminder = 0
            self.reminder_no += 1
            self.remind_wait_s = self.rng.uniform(lv.remind_wait_min_s, lv.remind_wait_max_s)
            self.early_left = lv.early_forgive
            self._pending = (status_key, fmt)
            self._set_phase("remind_wait")
            self._say(self.ctx.tr("look_pill"), "info")
            self._pill("pill_wait", "info")
            return
        self._start_show(status_key, **fmt)

    def update(self, dt: float) -> None:
        if self.finished:
            return
        dt = min(max(dt, 0.0), 0.25)
        self.elapsed += dt
        self.phase_t += dt
        lv = self.level

        for tile in self.tiles:
            tile.flash = max(0.0, tile.flash - dt)
            tile.hint = max(0.0, tile.hint - dt)
            tile.press = max(0.0, tile.press - dt)
            if tile.lit_t >= 0:
                tile.lit_t += dt
            if self.phase != "show" and tile.flash <= 0:
                tile.lit_t = -1.0  # a tapped tile stays lit only while it flashes
        self.nudge_t = max(0.0, self.nudge_t - dt)
        self.pill_press = max(0.0, self.pill_press - dt)
        if self.pill_mark is not None:
            good, age = self.pill_mark
            self.pill_mark = (good, age + dt) if age + dt < 1.2 else None

        if self.phase == "intro":
            if self.phase_t >= 0.6:
                self._start_show("watch")
        elif self.phase == "show":
            k = self.lit_index()
            lit = self.sequence[k] if k is not None else -1
            for tile in self.tiles:
                if tile.index == lit:
                    if self._last_lit != k:
                        tile.lit_t = 0.0
                        self.cue("tap")  # a soft note per picture helps the memory
                elif tile.flash <= 0:
                    tile.lit_t = -1.0
            self._last_lit = k if k is not None else self._last_lit
            if self.phase_t >= self._show_length():
                self._set_phase("reply")
                self.pos = 0
                self.step_t = 0.0
                self.step_no += 1
                self._say(self.ctx.tr("your_turn"), "info")
        elif self.phase == "reply":
            self.step_t += dt
            if self.step_t >= lv.reply_s:
                self._fail("too_slow")
        elif self.phase == "rest":
            if self.phase_t >= lv.rest_s:
                self._extend(1)
                self.retries_left = lv.retry_same
                self._next_list("watch")
        elif self.phase == "fail":
            if self.phase_t >= lv.fail_s:
                self._after_fail()
        elif self.phase == "remind_wait":
            if self.phase_t >= self.remind_wait_s:
                self._set_phase("remind_glow")
                self.cue("tap")
                self._pill("pill_now", "info")
        elif self.phase == "remind_glow":
            if self.phase_t >= lv.remind_window_s:
                self.reminders_missed += 1
                self.cue("bad")
                self._pill("pill_missed", "bad", mark=False)
                self._set_phase("remind_done")
        elif self.phase == "remind_done" and self.phase_t >= self.remind_after_s:
            key, fmt = self._pending
            self._start_show(key, **fmt)

        if self.elapsed >= lv.duration_s:
            self._finish()

    def _after_fail(self) -> None:
        lv = self.level
        for tile in self.tiles:
            tile.lit_t = -1.0
        if self.retries_left > 0:
            self.retries_left -= 1
            self._next_list("watch_again")
            return
        n = max(1, lv.start_len, len(self.sequence) - max(0, lv.fail_drop))
        if lv.retry_same > 0:
            del self.sequence[n:]  # gentle: a shorter version of the list already seen
        else:
            self.sequence.clear()
            self._extend(n)
        self.retries_left = lv.retry_same
        self._next_list("watch_new", n=len(self.sequence))

    def _finish(self) -> None:
        self.finished = True
        self.phase = "done"
        for tile in self.tiles:
            tile.lit_t, tile.hint = -1.0, 0.0
        self._say(self.ctx.tr("times_up"), "info")
        if self.pill_tone == "info":
            self._pill("pill_idle", "info")

    def result(self) -> GameResult:
        return self.graded(
            steps_right=self.steps_right,
            steps_asked=self.steps_asked,
            longest=self.longest,
            lists_done=self.lists_done,
            lists_failed=self.lists_failed,
            reminders=self.reminders,
            reminders_caught=self.reminders_caught,
            reminders_missed=self.reminders_missed,
            reminders_early=self.reminders_early,
            early_forgiven=self.early_forgiven,
            mistakes=self.mistakes[:30],
        )

    # -- drawing ----------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        surface.blit(self._background(), (0, 0))
        self._draw_top_bar(surface)
        self._draw_banner(surface)
        for tile in self.tiles:
            self._draw_tile(surface, tile)
        self._draw_pill(surface)

    def _background(self) -> pygame.Surface:
        """The static frame, built once: backdrop, shadows, and every card at rest.

        ``_plain`` is the same without cards, to wipe under a card that moves (shake, press).
        Cards are opaque (painted over their patch of backdrop), so blits stay cheap.
        """
        if self._bg is None:
            w, h = self.ctx.size
            plain = pygame.Surface((w, h))
            plain.fill(theme.BACKGROUND)
            pygame.draw.rect(plain, SHADOW, BANNER.move(0, 8), border_radius=theme.RADIUS)
            pygame.draw.rect(plain, theme.CARD, BANNER, border_radius=theme.RADIUS)
            for tile in self.tiles:
                pygame.draw.rect(plain, SHADOW, tile.rect.move(0, 10), border_radius=theme.RADIUS)
            pygame.draw.rect(plain, SHADOW, PANEL.move(0, 10), border_radius=theme.RADIUS)
            if pygame.display.get_surface() is not None:
                plain = plain.convert()  # the display's pixel format: the fastest blits
            self._plain = plain
            bg = plain.copy()
            for tile in self.tiles:
                bg.blit(self._card(tile, False), tile.rect)
                self._card(tile, True)  # every card up front: no hitch when one first lights
            bg.blit(self._panel(False), PANEL)
            self._panel(True)
            self._bg = bg
        return self._bg

    def _opaque(self, art: pygame.Surface, rect: pygame.Rect) -> pygame.Surface:
        """``art`` over the backdrop it sits on: an opaque surface blits much faster."""
        out = self._plain.subsurface(rect.clip(self._plain.get_rect())).copy()
        out.blit(art, (0, 0))
        return out

    def _wipe(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """Paint the bare backdrop over ``rect`` (where a resting card was baked in)."""
        area = rect.clip(self._plain.get_rect())
        surface.blit(self._plain, area, area)

    def _wrap(self, text: str, size: int, width: int) -> list[str]:
        key = (text, size, width)
        lines = self._wraps.get(key)
        if lines is None:
            lines = self.ctx.text.wrap(text, size, width, "bold")
            if len(self._wraps) > 64:
                self._wraps.clear()
            self._wraps[key] = lines
        return lines

    def _draw_top_bar(self, surface: pygame.Surface) -> None:
        tr = self.ctx.tr
        chips = [  # steps right, then the best list, as pills on the right
            Chip(tr("tally", correct=self.steps_right, total=self.steps_asked), mark_icon),
            Chip(tr("best", n=self.longest), _star_chip),
        ]
        duration = self.level.duration_s
        draw_top_bar(surface, self.ctx, self.time_left, duration, self.finished, chips, **TOP_BAR)

    def _draw_banner(self, surface: pygame.Surface) -> None:
        text = self.ctx.text
        color = tone_colour(self.status_tone)
        max_w = BANNER.w - 80
        size = fit_size(text, self.status, 46, max_w, 28)
        text.draw(
            surface, self.status, size, color, center=(BANNER.centerx, BANNER.y + 40), weight="bold"
        )
        y = BANNER.y + 88
        sub = self.nudge if self.nudge_t > 0 else self.sub
        if sub:
            size = fit_size(text, sub, 32, max_w, 22, "regular")
            tone = theme.SUN if self.nudge_t > 0 else theme.TEXT_MUTED
            text.draw(surface, sub, size, tone, center=(BANNER.centerx, y))
        elif self.phase in ("show", "reply", "fail"):
            self._draw_dots(surface, y)

    def _draw_dots(self, surface: pygame.Surface, y: int) -> None:
        """One dot per stretch in the list: lit while shown, green once tapped right."""
        n = len(self.sequence)
        step = min(50, (BANNER.w - 120) // max(1, n))
        r = max(6, min(16, step // 2 - 6))
        x0 = BANNER.centerx - step * (n - 1) / 2
        lit = self.lit_index()
        shown = (lit + 1) if lit is not None else 0
        if self.phase == "show" and lit is None and self._last_lit >= 0:
            shown = self._last_lit + 1
        for k in range(n):
            c = (round(x0 + k * step), y)
            if self.phase == "show":
                fill = self.tiles[self.sequence[k]].pose.color if k < shown else None
            elif k < self.pos:
                fill = theme.GOOD
            elif self.phase == "fail" and k == self.pos:
                fill = theme.BAD
            else:
                fill = None
            if fill is not None:
                pygame.draw.circle(surface, fill, c, r)
            else:
                pygame.draw.circle(surface, theme.TEXT_MUTED, c, r, 3)
            if self.phase == "reply" and k == self.pos:
                pygame.draw.circle(surface, theme.SUN, c, r + 5, 3)

    def _card(self, tile: Tile, lit: bool) -> pygame.Surface:
        key = (tile.index, lit)
        card = self._cards.get(key)
        if card is None:
            card = self._opaque(render_tile(self.ctx, tile, self.level.label_size, lit), tile.rect)
            self._cards[key] = card
        return card

    def _draw_tile(self, surface: pygame.Surface, tile: Tile) -> None:
        rect = tile.rect
        hint_on = tile.hint > 0 and self.phase == "fail"
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
        if lit:
            t = tile.lit_t if tile.lit_t >= 0 else self.phase_t
            rest = FIGURE_REST.get(tile.pose.figure, 1.0)
            swing = ANIM_SWING * (0.5 - 0.5 * math.cos(2 * math.pi * t / ANIM_PERIOD_S))
            phase = rest + (1.0 - 2.0 * rest) * swing  # from the picture's pose and back
            draw_figure(
                surface,
                tile.figure_rect.move(rect.x - tile.rect.x, rect.y - tile.rect.y),
                tile.pose.figure,
                phase,
            )
        edge: RGB | None = None
        if tile.flash > 0:
            edge = theme.GOOD if tile.flash_good else theme.BAD
        elif hint_on:
            edge = theme.GOOD if int(self.phase_t * 4) % 2 == 0 else theme.TEXT
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
        if tile.flash > 0:
            f = 1 - tile.flash / FLASH_S
            draw_mark(surface, (rect.right - 52, rect.y + 52 - 16 * f), 34, tile.flash_good)

    def _panel(self, glow: bool) -> pygame.Surface:
        key = "glow" if glow else "rest"
        panel = self._panels.get(key)
        if panel is None:
            panel = self._opaque(render_panel(self.ctx, glow), PANEL)
            self._panels[key] = panel
        return panel

    def _draw_pill(self, surface: pygame.Surface) -> None:
        text, tr = self.ctx.text, self.ctx.tr
        rect = PANEL.move(0, 5) if self.pill_press > 0 else PANEL
        glow = self.phase == "remind_glow"
        if glow:  # a pulsing halo the eye cannot miss
            pulse = 0.5 + 0.5 * math.sin(self.phase_t * 7)
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
        if self.phase == "remind_wait":
            f = min(1.0, self.phase_t / max(0.1, self.remind_wait_s))
            minute = -math.pi / 3 * (1 - ease(f))
        elif self.phase in ("remind_glow", "remind_done"):
            minute = 0.0
        else:
            minute = self.elapsed * 0.35
        _draw_hands(surface, centre, 92, minute)
        if self.phase == "remind_wait":
            bell = (rect.right - 62, rect.y + 140)
            swing = math.sin(self.phase_t * 10) * 0.3
            _draw_bell(surface, bell, 26, theme.SUN, swing)
        # The pill box's light.
        if glow:
            on = int(self.phase_t * 4) % 2 == 0
            led = (rect.x + PANEL_LED[0], rect.y + PANEL_LED[1])
            pygame.draw.circle(surface, theme.CORAL if on else theme.WHITE, led, 12)
        # Status words.
        color = tone_colour(self.pill_tone)
        if glow:
            color = theme.INK
        size = 44 if glow else 34
        lines = self._wrap(self.pill_msg, size, rect.w - 48)[:3]
        y = rect.y + 630 - (len(lines) - 1) * size * 0.6
        for line in lines:
            text.draw(surface, line, size, color, center=(rect.centerx, y), weight="bold")
            y += size * 1.25
        marks = self.pill_history[-7:]
        x0 = rect.centerx - (len(marks) - 1) * 27
        for k, good in enumerate(marks):
            draw_mark(surface, (x0 + 54 * k, rect.bottom - 130), 21, good)
        count = tr("pill_count", caught=self.reminders_caught, total=self.reminders)
        text.draw(
            surface,
            count,
            34,
            ink,
            center=(rect.centerx, rect.bottom - 60),
            weight="bold",
        )
        if self.pill_mark is not None:
            good, age = self.pill_mark
            draw_mark(
                surface,
                (rect.centerx, rect.y + 440 - 30 * min(1.0, age)),
                48,
                good,
                fade=max(0.0, 1.0 - max(0.0, age - 0.6) / 0.6),
            )


# --------------------------------------------------------------------------- the bot


class HealthyBot(Bot):
    """Plays through pointer events only: watch the list, tap it back, catch the pill box.

    ``skill`` sets reaction time, how often each step is remembered right (10 % at skill 0,
    where a wrong pick is another picture; 100 % at skill 1), and at the pill box how often
    it taps early and impatiently (70 % of reminders at skill 0, never at skill 1) and how
    slowly it notices the glow.
    """

    POINTER = 77

    def __init__(self, game: Game, rng: random.Random, skill: float) -> None:
        super().__init__(game, rng, max(0.0, min(1.0, skill)))
        self._up: PointerEvent | None = None
        self._step = -1
        self._step_wait = 0.0
        self._reminder = -1
        self._tapped_pill = False
        self._early_at: float | None = None
        self._pill_wait = 0.0

    def _reaction(self) -> float:
        return (0.3 + 2.6 * (1.0 - self.skill)) * self.rng.uniform(0.8, 1.25)

    def _tap(self, rect: pygame.Rect) -> list[PointerEvent]:
        x = rect.centerx + self.rng.uniform(-0.3, 0.3) * rect.w
        y = rect.centery + self.rng.uniform(-0.3, 0.3) * rect.h
        self._up = PointerEvent("up", x, y, self.POINTER)
        return [PointerEvent("down", x, y, self.POINTER)]

    def step(self, dt: float) -> list[PointerEvent]:
        game = self.game
        assert isinstance(game, HealthySteps)
        if self._up is not None:
            up, self._up = self._up, None
            return [up]
        if game.finished:
            return []
        if game.phase == "reply":
            if game.step_no != self._step:
                self._step = game.step_no
                self._step_wait = self._reaction()
            self._step_wait -= dt
            if self._step_wait <= 0 and self._step_wait > -1e6:
                self._step_wait = -1e9  # one tap per awaited step
                want = game.expected()
                if want is None:
                    return []
                remember = 0.1 + 0.9 * self.skill**0.7
                if self.rng.random() < remember:
                    return self._tap(want.rect)
                others = [t for t in game.tiles if t is not want] or game.tiles
                return self._tap(self.rng.choice(others).rect)
            return []
        if game.phase in ("remind_wait", "remind_glow"):
            if game.reminder_no != self._reminder:
                self._reminder = game.reminder_no
                self._tapped_pill = False
                early = self.rng.random() < 0.7 * (1.0 - self.skill)
                self._early_at = self.rng.uniform(0.2, 0.8) if early else None
                self._pill_wait = (0.35 + 4.5 * (1.0 - self.skill)) * self.rng.uniform(0.8, 1.25)
            if game.phase == "remind_wait":
                if self._early_at is not None and game.phase_t >= self._early_at:
                    self._early_at += 0.7  # an impatient player taps again and again
                    return self._tap(game.pill_rect)
                return []
            self._pill_wait -= dt
            if self._pill_wait <= 0 and not self._tapped_pill:
                self._tapped_pill = True
                return self._tap(game.pill_rect)
        return []


# --------------------------------------------------------------------------- drawing


def _figure_rect(tile: pygame.Rect, label_size: int) -> pygame.Rect:
    """Where the stick figure goes: left of the name on wide tiles, above it on tall ones."""
    if tile.w > 1.5 * tile.h:
        side = tile.h - 48
        return pygame.Rect(tile.x + 28, tile.y + 24, side, side)
    label_h = round(label_size * 1.25) + 30
    side = min(tile.w - 60, tile.h - label_h - 30)
    return pygame.Rect(tile.centerx - side // 2, tile.y + 22, side, side)


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
        _draw_capsule(panel, cap, pill, shade(pill, 0.75))
    return panel


# Stick figures: joints in a unit square, two keyframes per stretch (A → B while lit).

_BASE: dict[str, Point] = {
    "head": (0.5, 0.16), "neck": (0.5, 0.29), "hip": (0.5, 0.58),
    "le": (0.40, 0.42), "lh": (0.36, 0.56), "re": (0.60, 0.42), "rh": (0.64, 0.56),
    "lk": (0.44, 0.75), "lf": (0.41, 0.93), "rk": (0.56, 0.75), "rf": (0.59, 0.93),
}  # fmt: skip

_KEYS: dict[str, tuple[dict[str, Point], dict[str, Point]]] = {
    "arms_up": (
        {"le": (0.36, 0.34), "lh": (0.25, 0.27), "re": (0.64, 0.34), "rh": (0.75, 0.27)},
        {"le": (0.39, 0.17), "lh": (0.36, 0.03), "re": (0.61, 0.17), "rh": (0.64, 0.03)},
    ),
    "shoulders": (
        {"le": (0.34, 0.40), "lh": (0.43, 0.30), "re": (0.66, 0.40), "rh": (0.57, 0.30)},
        {"le": (0.31, 0.22), "lh": (0.43, 0.29), "re": (0.69, 0.22), "rh": (0.57, 0.29)},
    ),
    "march": (
        {"le": (0.42, 0.43), "lh": (0.41, 0.57), "re": (0.64, 0.38), "rh": (0.70, 0.27),
         "lk": (0.36, 0.62), "lf": (0.37, 0.79), "rk": (0.54, 0.76), "rf": (0.55, 0.94)},
        {"re": (0.58, 0.43), "rh": (0.59, 0.57), "le": (0.36, 0.38), "lh": (0.30, 0.27),
         "rk": (0.64, 0.62), "rf": (0.63, 0.79), "lk": (0.46, 0.76), "lf": (0.45, 0.94)},
    ),
    "twist": (  # hands on hips, turning: the far elbow looks shorter
        {"le": (0.31, 0.44), "lh": (0.43, 0.57), "re": (0.62, 0.46), "rh": (0.56, 0.57),
         "head": (0.47, 0.16), "lf": (0.38, 0.93), "rf": (0.62, 0.93)},
        {"le": (0.38, 0.46), "lh": (0.44, 0.57), "re": (0.69, 0.44), "rh": (0.57, 0.57),
         "head": (0.53, 0.16), "lf": (0.38, 0.93), "rf": (0.62, 0.93)},
    ),
    "breathe": (
        {"le": (0.41, 0.43), "lh": (0.39, 0.57), "re": (0.59, 0.43), "rh": (0.61, 0.57)},
        {"le": (0.34, 0.27), "lh": (0.19, 0.23), "re": (0.66, 0.27), "rh": (0.81, 0.23)},
    ),
    "wave": (
        {"re": (0.68, 0.24), "rh": (0.72, 0.08)},
        {"re": (0.68, 0.24), "rh": (0.84, 0.13)},
    ),
}  # fmt: skip

FIGURE_REST = {"arms_up": 1.0, "shoulders": 1.0, "march": 0.0, "twist": 0.0, "breathe": 1.0,
               "wave": 0.0}  # fmt: skip
FIGURES = tuple(_KEYS)


def figure_joints(figure: str, phase: float) -> dict[str, Point]:
    a, b = _KEYS.get(figure, ({}, {}))
    out = {}
    for name, base in _BASE.items():
        pa, pb = a.get(name, base), b.get(name, base)
        out[name] = (lerp(pa[0], pb[0], phase), lerp(pa[1], pb[1], phase))
    return out


def draw_figure(
    surface: pygame.Surface, rect: pygame.Rect, figure: str, phase: float, color: RGB = theme.INK
) -> None:
    """A friendly stick figure doing ``figure`` at ``phase`` (0 → keyframe A, 1 → B)."""
    j = figure_joints(figure, max(0.0, min(1.0, phase)))
    side = rect.w

    def p(name: str) -> tuple[int, int]:
        x, y = j[name]
        return (round(rect.x + x * side), round(rect.y + y * side))

    lw = max(5, round(side * 0.055))
    for chain in (("neck", "hip"), ("neck", "le", "lh"), ("neck", "re", "rh"),
                  ("hip", "lk", "lf"), ("hip", "rk", "rf")):  # fmt: skip
        pts = [p(n) for n in chain]
        pygame.draw.lines(surface, color, False, pts, lw)
        for pt in pts:
            pygame.draw.circle(surface, color, pt, lw // 2)
    for hand in ("lh", "rh"):
        pygame.draw.circle(surface, color, p(hand), round(lw * 0.9))
    head = p("head")
    hr = round(side * 0.085)
    pygame.draw.circle(surface, color, head, hr)
    pygame.draw.circle(surface, CREAM, (head[0] - hr // 3, head[1] - hr // 6), max(2, hr // 7))
    pygame.draw.circle(surface, CREAM, (head[0] + hr // 3, head[1] - hr // 6), max(2, hr // 7))
    smile = pygame.Rect(0, 0, hr, hr * 0.8)
    smile.center = (head[0], head[1] + hr // 6)
    pygame.draw.arc(surface, CREAM, smile, math.pi * 1.15, math.pi * 1.85, max(2, hr // 7))
    thin = max(3, lw // 2)
    if figure == "twist":  # a two-way curved arrow round the waist
        arc = pygame.Rect(0, 0, round(side * 0.6), round(side * 0.18))
        arc.center = (rect.x + side // 2, p("hip")[1] - round(side * 0.03))
        pygame.draw.arc(surface, color, arc, math.pi, 2 * math.pi, thin)
        d = round(side * 0.045)
        for x in (arc.x + thin // 2, arc.right - thin // 2):
            y = arc.centery
            pygame.draw.polygon(
                surface, color, [(x, y - round(d * 1.5)), (x - d, y + 2), (x + d, y + 2)]
            )
    elif figure == "breathe":  # air coming in: three puffs growing above the arm
        for k, (fx, fy) in enumerate(((0.615, 0.115), (0.695, 0.085), (0.79, 0.065))):
            c = (rect.x + round(side * fx), rect.y + round(side * fy))
            pygame.draw.circle(surface, color, c, round(side * (0.02 + 0.009 * k)), thin // 2 + 1)
    elif figure == "wave":  # motion lines either side of the waving hand
        hx, hy = p("rh")
        for r in (0.07, 0.11):
            box = pygame.Rect(0, 0, round(side * r * 2), round(side * r * 2))
            box.center = (hx, hy)
            pygame.draw.arc(surface, color, box, -0.55, 0.55, thin // 2 + 1)
            pygame.draw.arc(surface, color, box, math.pi - 0.55, math.pi + 0.55, thin // 2 + 1)
    elif figure == "march":  # a little ground line
        y = rect.y + round(side * 0.97)
        pygame.draw.line(surface, color, (rect.x + side * 0.3, y), (rect.x + side * 0.7, y), thin)


def _draw_capsule(s: pygame.Surface, r: pygame.Rect, color: RGB, edge: RGB) -> None:
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


def _draw_hands(s: pygame.Surface, c: tuple[int, int], r: int, minute: float) -> None:
    """Clock hands: the hour hand at eight, the minute hand at angle ``minute`` (0 = 12)."""
    hour = 8 * math.pi / 6 + minute / 12
    for angle, length, width in ((hour, 0.5, 12), (minute, 0.78, 8)):
        tip = (c[0] + r * length * math.sin(angle), c[1] - r * length * math.cos(angle))
        pygame.draw.line(s, theme.INK, c, tip, width)
        pygame.draw.circle(s, theme.INK, (round(tip[0]), round(tip[1])), width // 2)
    pygame.draw.circle(s, theme.CORAL, c, 10)


def _draw_bell(s: pygame.Surface, c: tuple[int, int], r: int, color: RGB, swing: float) -> None:
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


def _star_chip(s: pygame.Surface, box: pygame.Rect) -> None:
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
    _draw_capsule(rotated, pygame.Rect(4, 4, cap.w, cap.h), theme.CORAL, shade(theme.CORAL, 0.6))
    rotated = pygame.transform.rotate(rotated, 30)
    surface.blit(rotated, rotated.get_rect(center=cap.center))


GAME = GameSpec(
    id="healthy_steps",
    factory=HealthySteps,
    bot=HealthyBot,
    idle_limit_s=20.0,
    draw_icon=draw_icon,
)
