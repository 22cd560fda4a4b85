"""Bots that walk the whole journey: tap through the screens and let each game's bot play.

Used by ``--autoplay N``, the demo, the benchmarks and the end-to-end tests. They act only
through pointer events, exactly as a visitor would.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Protocol

from games.base import Bot
from kiosk.input import PointerEvent

if TYPE_CHECKING:
    from kiosk.booth.scenes import Scene
    from kiosk.booth.visit import Visit

FINGER = 7  # the autopilot's finger id
TAP_S = 0.1  # a tap rests this long on the glass, as a person's does


class Watched(Protocol):
    """What the bots look at: the screen (a layer over the scene first) and the visit."""

    visit: Visit | None

    @property
    def scene(self) -> Scene: ...

    @property
    def layer(self) -> Scene | None: ...


class AutoPilot:
    def __init__(self, app: Watched, rng: random.Random) -> None:
        self.app = app
        self.rng = rng
        self._bot: Bot | None = None
        self._wait = 0.0
        # A finger on the glass: where it lifts, and in how long. Down and up in one frame
        # would leave what a press starts (the how-to's text rendered ahead) no time at all.
        self._lift: tuple[float, float] | None = None
        self._hold = 0.0

    def step(self, dt: float) -> list[PointerEvent]:
        if self._lift is not None:
            self._hold -= dt
            if self._hold > 0:
                return []
            (x, y), self._lift = self._lift, None
            return [PointerEvent("up", x, y, FINGER)]
        scene = self.app.layer or self.app.scene
        game = getattr(scene, "game", None)
        if game is not None:
            if self._bot is None or self._bot.game is not game:
                self._bot = self.app.visit.game.bot(game, self.rng, self.rng.random())
            # The bot aims in the game's coordinates; the screen may show the game scaled.
            return [scene.from_game(ev) for ev in self._bot.step(dt)]
        self._bot = None
        self._wait -= dt
        if self._wait > 0:
            return []
        self._wait = self.rng.uniform(0.5, 1.2)  # a person's reading time, simulated
        target = scene.autopilot_target(self.rng)
        if target is None:
            return []
        self._lift, self._hold = target, TAP_S
        return [PointerEvent("down", *target, FINGER)]
