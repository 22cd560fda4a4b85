"""The Smart Commute bot: reads the board, taps a card (or its stop on the map), lets go.

It plays through the pointer events a person makes and acts at most once a frame; its
pauses (``wait``, ``hold``) count down frame by frame from the end of the frame they began
in, as a player watching the screen would (a callback scheduled mid-frame would move every
later tap, and the rounds the tests replay).
"""

from __future__ import annotations

import random

from games.base import Bot, Game
from games.smart_commute.game import SmartCommute
from kiosk.input import PointerEvent


class CommuteBot(Bot):
    """Plays through pointer events only: read the board, tap a card, let go.

    ``skill`` sets the reading time (about 0.4 s at skill 1, 3 s at skill 0) and the chance of
    tapping the best ride (5 % at skill 0, 100 % at skill 1); a weak player's other picks lean
    to the costliest card, the taxi-loving naive choice. Now and then it taps the numbered stop
    on the map instead of the card.
    """

    POINTER = 111

    def __init__(self, game: Game, rng: random.Random, skill: float) -> None:
        super().__init__(game, rng, max(0.0, min(1.0, skill)))
        self.seen = -1
        self.wait = 0.0
        self.hold = 0.0
        self.at: tuple[float, float] | None = None

    def _reaction(self) -> float:
        return (0.4 + 2.6 * (1.0 - self.skill)) * self.rng.uniform(0.8, 1.25)

    def step(self, dt: float) -> list[PointerEvent]:
        game = self.game
        assert isinstance(game, SmartCommute)
        if game.finished:
            return []
        if self.at is not None:
            self.hold -= dt
            if self.hold > 0:
                return []
            pos, self.at = self.at, None
            return [PointerEvent("up", *pos, self.POINTER)]
        if game.phase != "choose" or not game.options:
            return []
        if game.offer_id != self.seen:
            self.seen = game.offer_id
            self.wait = self._reaction()
        self.wait -= dt
        if self.wait > 0:
            return []
        best = game.best_option()
        if best is None:
            return []
        others = [o for o in game.options if o is not best] or game.options
        if self.rng.random() < 0.05 + 0.95 * self.skill:
            target = best
        elif self.rng.random() < 1.0 - 0.5 * self.skill:  # naive: the flashiest, costliest
            target = max(others, key=game.value_of)
        else:
            target = self.rng.choice(others)
        same_stop = sum(1 for o in game.options if o.ride.to == target.ride.to)
        if same_stop == 1 and self.rng.random() < 0.15:
            x, y = game.map_target(target)
            pos = (x + self.rng.uniform(-12, 12), y + self.rng.uniform(-12, 12))
        else:
            r = target.rect
            pos = (
                r.centerx + self.rng.uniform(-0.3, 0.3) * r.w,
                r.centery + self.rng.uniform(-0.3, 0.3) * r.h,
            )
        self.at = pos
        self.hold = self.rng.uniform(0.06, 0.18)
        self.seen = game.offer_id
        self.wait = 1e9  # until the next board
        return [PointerEvent("down", *pos, self.POINTER)]
