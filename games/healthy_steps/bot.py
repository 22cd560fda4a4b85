"""Healthy Steps' bot: it plays through the pointer events a visitor's finger makes."""

from __future__ import annotations

import random

import pygame

from games.base import Bot, Game
from games.healthy_steps.rules import HealthyRound
from games.kit.timers import Timers
from kiosk.input import PointerEvent


class HealthyBot(Bot):
    """Plays through pointer events only: watch the list, tap it back, catch the pill box.

    ``skill`` sets reaction time, how often each step is remembered right (10 % at skill 0,
    where a wrong pick is another picture; 100 % at skill 1), and at the pill box how often
    it taps early and impatiently (70 % of reminders at skill 0, never at skill 1) and how
    slowly it notices the glow.

    Each wait (for the awaited step, for noticing the glow) gets fresh timers, so it counts
    from the frame it began, as a person's reaction does.
    """

    POINTER = 77

    def __init__(self, game: Game, rng: random.Random, skill: float) -> None:
        super().__init__(game, rng, max(0.0, min(1.0, skill)))
        self._taps: list[PointerEvent] = []
        self._up: PointerEvent | None = None
        self._step = -1
        self._step_timers = Timers()
        self._reminder = -1
        self._early_at: float | None = None
        self._pill_timers = Timers()

    def _reaction(self) -> float:
        return (0.3 + 2.6 * (1.0 - self.skill)) * self.rng.uniform(0.8, 1.25)

    def _tap(self, rect: pygame.Rect) -> None:
        x = rect.centerx + self.rng.uniform(-0.3, 0.3) * rect.w
        y = rect.centery + self.rng.uniform(-0.3, 0.3) * rect.h
        self._taps.append(PointerEvent("down", x, y, self.POINTER))
        self._up = PointerEvent("up", x, y, self.POINTER)  # the finger lifts next frame

    def _copy_step(self) -> None:
        """Tap the awaited step, or (misremembering) another picture."""
        game = self.game
        assert isinstance(game, HealthyRound)
        want = game.expected()
        if want is None:
            return
        remember = 0.1 + 0.9 * self.skill**0.7
        if self.rng.random() < remember:
            self._tap(want.rect)
            return
        others = [t for t in game.tiles if t is not want] or game.tiles
        self._tap(self.rng.choice(others).rect)

    def _take_pill(self) -> None:
        game = self.game
        assert isinstance(game, HealthyRound)
        self._tap(game.pill_rect)

    def _new_reminder(self, game: HealthyRound) -> None:
        self._reminder = game.reminder_no
        early = self.rng.random() < 0.7 * (1.0 - self.skill)
        self._early_at = self.rng.uniform(0.2, 0.8) if early else None
        notice = (0.35 + 4.5 * (1.0 - self.skill)) * self.rng.uniform(0.8, 1.25)
        self._pill_timers = Timers()
        self._pill_timers.schedule(self._take_pill, notice)

    def step(self, dt: float) -> list[PointerEvent]:
        game = self.game
        assert isinstance(game, HealthyRound)
        if self._up is not None:
            up, self._up = self._up, None
            return [up]
        if game.finished:
            return []
        if game.phase == "reply":
            if game.step_no != self._step:  # a new tap is awaited: react to it, once
                self._step = game.step_no
                self._step_timers = Timers()
                self._step_timers.schedule(self._copy_step, self._reaction())
            self._step_timers.update(dt)
        elif game.phase in ("remind_wait", "remind_glow"):
            if game.reminder_no != self._reminder:
                self._new_reminder(game)
            if game.phase == "remind_wait":
                if self._early_at is not None and game.phase_t >= self._early_at:
                    self._early_at += 0.7  # an impatient player taps again and again
                    self._tap(game.pill_rect)
            else:
                self._pill_timers.update(dt)  # noticing the glow takes a while
        taps, self._taps = self._taps, []
        return taps
