"""Healthy Steps' rules: the list shown and copied, the pill-box reminders and the score.
Nothing here draws (``view.py`` does); the rects are pygame's only as geometry.

A round is a walk through phases (intro | show | reply | rest | fail | remind_wait |
remind_glow | remind_done | done). Each phase that ends by itself schedules its end on
``clock``, a :class:`~games.kit.timers.Timers` that starts afresh with every phase and with
every tap awaited in the visitor's turn: whatever a phase scheduled dies with it, and each
deadline counts from the frame it was set.

Public state for bots and tests: ``phase``, ``phase_t`` (seconds into it), ``sequence``
(tile indices), ``pos`` (next step to tap), ``tiles`` (:class:`Tile` with ``rect`` and
``pose``), ``pill_rect``, ``lit_index()``, ``step_no`` and ``reminder_no`` (counters that
change whenever a new tap is awaited), the counters ``steps_right``/``steps_asked``/
``longest`` and the reminder counters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pygame

from games.base import Game, GameContext, GameResult
from games.healthy_steps.content import PoseSpec, load_level, load_poses
from games.healthy_steps.layout import PANEL, TAP_SLOP, figure_rect, tile_rects
from games.kit.hits import hits, topmost_hit
from games.kit.timers import Timers
from kiosk.input import PointerEvent

FLASH_S = 0.5
PRESS_S = 0.2
INTRO_S = 0.6  # the empty board before the first list is shown


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


class HealthyRound(Game):
    """One round's rules; :class:`games.healthy_steps.HealthySteps` adds the drawing."""

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
            Tile(i, spec, rect, figure_rect(rect, lv.label_size))
            for i, (spec, rect) in enumerate(zip(chosen, tile_rects(len(chosen)), strict=True))
        ]
        self.pill_rect = PANEL.copy()

        self.phase = "intro"
        self.phase_t = 0.0
        self.clock = Timers()
        self.clock.schedule(partial(self._start_show, "watch"), INTRO_S)
        self.sequence: list[int] = []
        self._extend(max(1, lv.start_len))
        self.pos = 0
        self.step_no = 0
        self.retries_left = lv.retry_same
        self.lists_since_reminder = 0
        self.reminder_no = 0
        self.remind_wait_s = 0.0
        self.early_left = 0
        # What _start_show says once the pill-box reminder is over, kept as its arguments: a
        # partial of our own method stored on us would be a cycle holding the round alive.
        self._after_reminder: tuple[str, dict[str, Any]] = ("watch", {})
        self.last_lit = -1  # the step of the list lit last while it is shown
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
        return topmost_hit(self.tiles, (x, y), TAP_SLOP)  # with slop, tiles still never touch

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
        on_pill = hits(self.pill_rect, (event.x, event.y))
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
        self.nudge_t = 0.0
        if self.pos < len(self.sequence):
            self._await_tap()
            self.cue("tap")
            return
        # The whole list copied.
        n = len(self.sequence)
        self.lists_done += 1
        self.longest = max(self.longest, n)
        self.cue("good")
        self._set_phase("rest", self.level.rest_s, self._grow_list)
        self._say(self.ctx.tr("great", n=n + 1), "good")
        self.sub = self.ctx.pick(tile.pose.tip)

    def _fail(self, kind: str) -> None:
        want = self.tiles[self.sequence[self.pos]]
        self.steps_asked += 1
        self.lists_failed += 1
        self.mistakes.append(want.pose.id)
        want.hint = self.level.fail_s
        self.cue("bad")
        self._set_phase("fail", self.level.fail_s, self._after_fail)
        self._say(self.ctx.tr(kind, pose=self.ctx.pick(want.pose.name)), "bad")

    def _tap_pill(self) -> None:
        self.pill_press = PRESS_S
        if self.phase == "remind_glow":
            self.reminders_caught += 1
            self.cue("good")
            self._pill("pill_caught", "good", mark=True)
            self._reminder_done()
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
                self._reminder_done()
        else:
            self.cue("tap")  # not a reminder: a friendly word, nothing counted

    # -- flow -------------------------------------------------------------------------

    def _set_phase(
        self, phase: str, lasts: float = 0.0, then: Callable[[], object] | None = None
    ) -> None:
        """Enter ``phase``; if ``then`` is given, call it once the phase has lasted ``lasts``."""
        self.phase = phase
        self.phase_t = 0.0
        self._restart_clock(lasts, then)
        # Watching the demonstration or the pill-box countdown is not being away.
        self.idle_paused = phase in ("intro", "show", "rest", "remind_wait")

    def _restart_clock(self, after: float, then: Callable[[], object] | None) -> None:
        """Fresh timers from zero, so ``after`` counts from this very frame."""
        self.clock.clear()  # nothing the phase before scheduled may still fire
        self.clock = Timers()
        if then is not None:
            self.clock.schedule(then, after)

    def _await_tap(self) -> None:
        """The visitor owes the next tap of the list, within the reply time."""
        self.step_no += 1
        self._restart_clock(self.level.reply_s, partial(self._fail, "too_slow"))

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
        self._set_phase("show", self._show_length(), self._start_reply)
        self.pos = 0
        self.last_lit = -1
        self._say(self.ctx.tr(status_key, **fmt), "info")
        self._pill("pill_idle", "info")

    def _light_shown_step(self) -> None:
        """While the list is shown: light its current picture, with a soft note for each."""
        k = self.lit_index()
        lit = self.sequence[k] if k is not None else -1
        for tile in self.tiles:
            if tile.index == lit:
                if self.last_lit != k:
                    tile.lit_t = 0.0
                    self.cue("tap")  # a soft note per picture helps the memory
            elif tile.flash <= 0:
                tile.lit_t = -1.0
        self.last_lit = k if k is not None else self.last_lit

    def _start_reply(self) -> None:
        self._set_phase("reply")
        self.pos = 0
        self._await_tap()
        self._say(self.ctx.tr("your_turn"), "info")

    def _grow_list(self) -> None:
        self._extend(1)
        self.retries_left = self.level.retry_same
        self._next_list("watch")

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
            self._after_reminder = (status_key, fmt)
            self._set_phase("remind_wait", self.remind_wait_s, self._start_glow)
            self._say(self.ctx.tr("look_pill"), "info")
            self._pill("pill_wait", "info")
            return
        self._start_show(status_key, **fmt)

    def _start_glow(self) -> None:
        self._set_phase("remind_glow", self.level.remind_window_s, self._glow_missed)
        self.cue("tap")
        self._pill("pill_now", "info")

    def _glow_missed(self) -> None:
        self.reminders_missed += 1
        self.cue("bad")
        self._pill("pill_missed", "bad", mark=False)
        self._reminder_done()

    def _reminder_done(self) -> None:
        status_key, fmt = self._after_reminder
        then = partial(self._start_show, status_key, **fmt)
        self._set_phase("remind_done", self.remind_after_s, then)

    def update(self, dt: float) -> None:
        if self.finished:
            return
        dt = self.step(dt)
        self.elapsed += dt
        self.phase_t += dt

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

        if self.phase == "show":
            self._light_shown_step()
        self.clock.update(dt)  # ends the phase (or the wait for a tap) when its time is up

        if self.elapsed >= self.level.duration_s:
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
