"""Park Smart's bot: looks, taps a waiting car, then taps a bay (or drags the car there)."""

from __future__ import annotations

import math
import random

from games.base import Bot, Game
from games.park_smart.game import ParkSmart
from games.park_smart.rules import Bay, Car
from kiosk.input import PointerEvent
from kiosk.ui.blend import ease, lerp


class ParkBot(Bot):
    """Plays through pointer events only: look, tap a waiting car, tap a bay (or drag).

    ``skill`` sets the reaction time, whether it picks the longest-waiting car, and the
    chance of choosing a bay the car may use (8 % at skill 0, where its wrong picks are red
    or reserved bays; 100 % at skill 1, when it also puts electric cars on chargers).

    Its pauses stay a ``wait -= dt`` countdown rather than kit timers: a sum of frame times
    and a countdown round differently when a pause is a whole number of frames (its 0.1 s
    second look at 30 frames a second), and a pause a frame shorter would change every
    seeded round it plays.
    """

    POINTER = 103

    def __init__(self, game: Game, rng: random.Random, skill: float) -> None:
        super().__init__(game, rng, max(0.0, min(1.0, skill)))
        self.phase = "think"  # think (choose a car) | gap (then tap its bay) | drag
        self.wait = self._reaction() + 0.3  # seconds until it next acts
        self.car: Car | None = None
        self.bay: Bay | None = None
        self.t = 0.0  # into the drag
        self.travel = 0.5
        self.start = (0.0, 0.0)
        self.end = (0.0, 0.0)

    def _reaction(self) -> float:
        return (0.22 + 3.8 * (1.0 - self.skill)) * self.rng.uniform(0.8, 1.25)

    def _choose(self, game: ParkSmart) -> bool:
        waiting = game.waiting_cars()
        if not waiting:
            return False
        longest = self.rng.random() < 0.4 + 0.6 * self.skill
        car = waiting[0] if longest else self.rng.choice(waiting)
        if self.rng.random() < 0.08 + 0.92 * math.sqrt(self.skill):
            options = game.free_bays_for(car)
            if not options:
                return False
            chargers = [b for b in options if b.kind == "ev"]
            if chargers and self.rng.random() < self.skill:
                options = chargers
            bay = self.rng.choice(options)
        else:
            wrong = [b for b in game.bays if game.can_park(car, b)]
            bay = self.rng.choice(wrong or game.bays)
        self.car, self.bay = car, bay
        return True

    def _bay_point(self) -> tuple[float, float]:
        assert self.bay is not None
        r = self.bay.rect
        return (
            r.centerx + self.rng.uniform(-0.25, 0.25) * r.w,
            r.centery + self.rng.uniform(-0.25, 0.25) * r.h,
        )

    def step(self, dt: float) -> list[PointerEvent]:
        game = self.game
        assert isinstance(game, ParkSmart)
        if game.finished:
            return []
        if self.phase == "drag":
            return self._drag(dt)
        self.wait -= dt
        if self.wait > 0:
            return []
        if self.phase == "think":
            return self._tap_car(game)
        return self._tap_bay()

    def _tap_car(self, game: ParkSmart) -> list[PointerEvent]:
        pid = self.POINTER
        if not self._choose(game):
            self.wait = 0.1  # nothing to do: look again shortly
            return []
        car = self.car
        assert car is not None
        self.start = (
            car.x + self.rng.uniform(-0.2, 0.2) * car.rect.w,
            car.y + self.rng.uniform(-0.2, 0.2) * car.rect.h,
        )
        if self.rng.random() < 0.3:
            self.phase, self.t = "drag", 0.0
            self.travel = (0.25 + 0.6 * (1.0 - self.skill)) * self.rng.uniform(0.85, 1.2)
            self.end = self._bay_point()
            return [PointerEvent("down", *self.start, pid)]
        self.phase = "gap"
        self.wait = (0.12 + 0.5 * (1.0 - self.skill)) * self.rng.uniform(0.8, 1.25)
        return [PointerEvent("down", *self.start, pid), PointerEvent("up", *self.start, pid)]

    def _tap_bay(self) -> list[PointerEvent]:
        self.phase, self.wait = "think", self._reaction()
        if self.car is None or not self.car.waiting:
            return []
        pos = self._bay_point()
        return [PointerEvent("down", *pos, self.POINTER), PointerEvent("up", *pos, self.POINTER)]

    def _drag(self, dt: float) -> list[PointerEvent]:
        """The finger slides from the car to the bay."""
        self.t += dt
        f = ease(min(1.0, self.t / self.travel))
        pos = (lerp(self.start[0], self.end[0], f), lerp(self.start[1], self.end[1], f))
        events = [PointerEvent("move", *pos, self.POINTER)]
        if self.t >= self.travel:
            events.append(PointerEvent("up", *pos, self.POINTER))
            self.phase, self.wait = "think", self._reaction()
        return events
