"""The Smart Home Saver bot: looks round the flat, taps what wastes, looks again.

Like every game's bot it plays through the pointer events a person makes. It acts at most
once a frame, as a player watching the screen does, and each pause counts from the end of
the frame it began in; that is what its per-frame countdowns (``wait``, ``hold``) say. (A
scheduled callback would fire inside the frame and move every later tap, and so the rounds
the tests and the reference screenshot replay.)
"""

from __future__ import annotations

import random

from games.base import Bot, Game
from games.smart_home_saver.flat import Appliance
from games.smart_home_saver.game import SmartHomeSaver
from kiosk.input import PointerEvent


class SaverBot(Bot):
    """Plays through pointer events only: look round the flat, tap, look again.

    ``skill`` sets the pause between looks (0.2 s at skill 1, about 2.4 s at skill 0), the
    chance that a look finds something really wasting (15 % → 100 %; otherwise it may guess
    any tile, needed or not: 70 % of misses at skill 0, 10 % at skill 1) and whether it goes
    for the hungriest appliance first.
    """

    POINTER = 201

    def __init__(self, game: Game, rng: random.Random, skill: float) -> None:
        super().__init__(game, rng, max(0.0, min(1.0, skill)))
        self.wait = self._reaction()
        self.hold = 0.0
        self.pos = (0.0, 0.0)
        self.down = False

    def _reaction(self) -> float:
        return (0.18 + 2.2 * (1.0 - self.skill)) * self.rng.uniform(0.8, 1.25)

    def step(self, dt: float) -> list[PointerEvent]:
        game = self.game
        assert isinstance(game, SmartHomeSaver)
        if game.finished:
            return []
        if self.down:
            self.hold -= dt
            if self.hold > 0:
                return []
            self.down = False
            self.wait = self._reaction()
            return [PointerEvent("up", *self.pos, self.POINTER)]
        self.wait -= dt
        if self.wait > 0:
            return []
        wasting = game.wasting()
        target: Appliance | None = None
        if self.rng.random() < 0.15 + 0.85 * self.skill:
            if not wasting:
                self.wait = 0.1 + 0.6 * (1.0 - self.skill)  # all fine: look again soon
                return []
            hungriest = self.rng.random() < 0.3 + 0.7 * self.skill
            target = wasting[0] if hungriest else self.rng.choice(wasting)
        elif game.appliances and self.rng.random() < 0.1 + 0.6 * (1.0 - self.skill):
            target = self.rng.choice(game.appliances)  # a guess: needed or not
        if target is None:
            self.wait = self._reaction()  # distracted: nothing done this time
            return []
        r = target.rect
        self.pos = (
            r.centerx + self.rng.uniform(-0.3, 0.3) * r.w,
            r.centery + self.rng.uniform(-0.3, 0.3) * r.h,
        )
        self.down = True
        self.hold = self.rng.uniform(0.05, 0.12)
        return [PointerEvent("down", *self.pos, self.POINTER)]
