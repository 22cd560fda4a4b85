"""Recycle Right's bot: it plays through the pointer events a visitor's finger makes."""

from __future__ import annotations

import random
from dataclasses import dataclass

from games.base import Bot, Game
from games.kit.timers import Timers
from games.recycle_right.rules import RecycleRound
from kiosk.input import PointerEvent
from kiosk.ui.blend import ease, lerp

Point = tuple[float, float]


@dataclass
class Drag:
    """A card on its way from ``start`` to ``end``, taking ``travel`` seconds."""

    start: Point
    end: Point
    travel: float
    t: float = 0.0  # seconds since the finger went down


class RecycleBot(Bot):
    """Plays through pointer events only: look, touch a card, drag it to a bin, let go.

    ``skill`` sets reaction time, drag speed, whether it picks the most urgent item, and the
    chance of choosing the right bin (10 % at skill 0, where its wrong picks are spread over
    the other bins; 100 % at skill 1).
    """

    POINTER = 101

    def __init__(self, game: Game, rng: random.Random, skill: float) -> None:
        super().__init__(game, rng, max(0.0, min(1.0, skill)))
        self.drag: Drag | None = None
        self._events: list[PointerEvent] = []
        self.timers = Timers()
        self._look_in(self._reaction())

    def _reaction(self) -> float:
        base = 0.3 + 1.9 * (1.0 - self.skill)
        return base * self.rng.uniform(0.8, 1.25)

    def _look_in(self, seconds: float) -> None:
        """Look for a card to grab ``seconds`` from now. Each wait gets fresh timers, so it
        counts from the frame it began, as a person's reaction does."""
        self.timers = Timers()
        self.timers.schedule(self._grab, seconds)

    def _grab(self) -> None:
        game = self.game
        assert isinstance(game, RecycleRound)
        items = game.free_items()
        if not items:
            self._look_in(0.1)
            return
        # A skilled player grabs the most urgent card; a poor one any card.
        urgent = self.rng.random() < 0.3 + 0.7 * self.skill
        item = items[0] if urgent else self.rng.choice(items)
        if self.rng.random() < 0.1 + 0.9 * self.skill:
            slot = game.bin_for(item.spec.bin)
        else:
            slot = self.rng.choice([b for b in game.bins if b.id != item.spec.bin] or game.bins)
        jitter = item.w * 0.25
        start = (
            item.x + self.rng.uniform(-jitter, jitter),
            item.y + self.rng.uniform(-jitter, jitter),
        )
        end = (
            slot.rect.centerx + self.rng.uniform(-40, 40),
            slot.rect.centery + self.rng.uniform(-40, 40),
        )
        travel = (0.3 + 0.7 * (1.0 - self.skill)) * self.rng.uniform(0.85, 1.2)
        self.drag = Drag(start, end, travel)
        self._events.append(PointerEvent("down", *start, self.POINTER))

    def step(self, dt: float) -> list[PointerEvent]:
        if self.game.finished:
            return []
        drag = self.drag
        if drag is None:
            self.timers.update(dt)  # may grab a card
            events, self._events = self._events, []
            return events
        drag.t += dt
        f = min(1.0, drag.t / drag.travel)
        e = ease(f)
        pos = (lerp(drag.start[0], drag.end[0], e), lerp(drag.start[1], drag.end[1], e))
        events = [PointerEvent("move", *pos, self.POINTER)]
        if f >= 1.0:
            events.append(PointerEvent("up", *pos, self.POINTER))
            self.drag = None
            self._look_in(self._reaction())
        return events
