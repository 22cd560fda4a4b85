"""Phish or Legit's bot: reads each card for a while, then taps a button or swipes the card."""

from __future__ import annotations

import functools
import random

import pygame

from games.base import Bot, Game
from games.kit.timers import Timers
from games.phish_or_legit.deck import SAFE, SCAM
from games.phish_or_legit.game import PhishOrLegit
from games.phish_or_legit.layout import SWIPE_PX
from kiosk.input import PointerEvent
from kiosk.ui.blend import ease


class PhishBot(Bot):
    """Plays through pointer events only: read the card, then tap a button or swipe.

    ``skill`` sets the reading time (about 1 s at skill 1, 4 s at skill 0) and the chance of
    the right answer (10 % at skill 0, 100 % at skill 1). It swipes about half the time
    where swiping is on, and otherwise taps the button.
    """

    POINTER = 103

    def __init__(self, game: Game, rng: random.Random, skill: float) -> None:
        super().__init__(game, rng, max(0.0, min(1.0, skill)))
        self.clock = Timers()  # the bot's own time: its reading time and planned touches
        self.out: list[PointerEvent] = []  # touches due this step
        self.in_flight = 0  # planned touches not yet made: no new decision until they are
        self.reading: int | None = None  # uid of the card being read
        self.read = False  # …and whether its reading time is over
        self.done: int | None = None  # uid of the card already answered

    def step(self, dt: float) -> list[PointerEvent]:
        game = self.game
        assert isinstance(game, PhishOrLegit)
        if game.finished:
            return []
        self.clock.update(dt)
        if not self.in_flight:
            self._decide(game)
        out, self.out = self.out, []
        return out

    def _decide(self, game: PhishOrLegit) -> None:
        card = game.card
        if card is None or card.uid == self.done or game.phase not in ("enter", "ask"):
            return
        if self.reading != card.uid:
            self.reading, self.read = card.uid, False
            base = 1.0 + 3.0 * (1.0 - self.skill)
            self.clock.schedule_unique(self._done_reading, base * self.rng.uniform(0.8, 1.25))
        if not self.read or game.phase != "ask":
            return
        self.done = card.uid
        truth = card.spec.answer
        right = self.rng.random() < 0.1 + 0.9 * self.skill
        choice = truth if right else (SAFE if truth == SCAM else SCAM)
        if game.swipe_enabled and self.rng.random() < 0.5:
            self._plan_swipe(card.rect, choice)
        else:
            self._plan_tap(game.buttons[choice])
        self.clock.update(0.0)  # the finger goes down at once

    def _done_reading(self) -> None:
        self.read = True

    def _touch(self, event: PointerEvent) -> None:
        self.out.append(event)
        self.in_flight -= 1

    def _plan(self, delay: float, kind: str, x: float, y: float) -> None:
        self.in_flight += 1
        event = PointerEvent(kind, x, y, self.POINTER)
        self.clock.schedule(functools.partial(self._touch, event), delay)

    def _plan_tap(self, rect: pygame.Rect) -> None:
        x = rect.centerx + self.rng.uniform(-0.3, 0.3) * rect.w
        y = rect.centery + self.rng.uniform(-0.3, 0.3) * rect.h
        self._plan(0.0, "down", x, y)
        self._plan(0.09, "up", x, y)

    def _plan_swipe(self, rect: pygame.Rect, choice: str) -> None:
        x0 = rect.centerx + self.rng.uniform(-0.2, 0.2) * rect.w
        y0 = rect.centery + self.rng.uniform(-0.2, 0.2) * rect.h
        dist = (1 if choice == SAFE else -1) * self.rng.uniform(SWIPE_PX + 60, SWIPE_PX + 260)
        travel = self.rng.uniform(0.2, 0.35)
        self._plan(0.0, "down", x0, y0)
        for k in range(1, 7):
            f = k / 6
            self._plan(travel * f, "move", x0 + dist * ease(f), y0)
        self._plan(travel + 0.02, "up", x0 + dist, y0)
