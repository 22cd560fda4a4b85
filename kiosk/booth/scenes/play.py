"""Play: hands the screen to the game and turns its end into a logged result."""

from __future__ import annotations

import pygame

from games.base import Game
from kiosk.booth.scenes.base import Scene
from kiosk.input import PointerEvent

OUTRO_S = 1.5  # the game's own "Time's up!" frame stays this long before the result


class PlayScene(Scene):
    name = "play"
    idle = "play"

    def enter(self) -> None:
        self.game: Game = self.host.new_game()
        self.ended_at: float | None = None

    def exit(self) -> None:
        del self.game  # the round's state goes with the scene

    def idle_limit(self) -> float | None:
        return self.host.visit.game.idle_limit_s

    def idle_frozen(self) -> bool:
        return self.game.idle_paused

    def handle(self, ev: PointerEvent) -> None:
        self.game.handle(ev)

    def update(self, dt: float) -> None:
        super().update(dt)
        if self.ended_at is None:
            self.game.update(dt)
        for cue in self.game.cues:
            self.host.sfx.play(cue)
        self.game.cues.clear()
        if self.game.finished:
            if self.ended_at is None:
                self.ended_at = self.t
                self.host.finish_game(self.game.result())
            elif self.t - self.ended_at >= OUTRO_S:
                self.host.advance("over")

    def draw(self, surface: pygame.Surface) -> None:
        self.game.draw(surface)

    def autopilot_target(self, rng):
        return None  # the game's own bot plays; see kiosk/booth/autopilot.py
