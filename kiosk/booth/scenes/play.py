"""Play: hands the screen to the game and turns its end into a logged result.

On a landscape screen the game has the whole canvas. On a portrait one it draws its 1920×1080
playfield off screen, which is scaled across the width inside a full-size frame
(kiosk/booth/scenes/playframe.py); touches on the playfield are mapped into the game's
coordinates, and the frame's "Hear again" button is the only thing outside it to press.
"""

from __future__ import annotations

import pygame

from games.base import Game
from games.kit import gamebar
from kiosk.booth.scenes.base import Scene
from kiosk.booth.scenes.playframe import (
    HEAR_AGAIN_AREA,
    PlayFrame,
    hear_again_button,
    playfield_like,
)
from kiosk.input import PointerEvent
from kiosk.ui.frame import is_portrait

OUTRO_S = 1.5  # the game's own "Time's up!" frame stays this long before the result


class PlayScene(Scene):
    name = "play"
    idle = "play"

    def enter(self) -> None:
        self.game: Game = self.host.new_game()
        self.ended_at: float | None = None
        self.frame: PlayFrame | None = None
        if is_portrait(self.host.size):
            self.frame = PlayFrame(self.host.size)
            self._feedback = self.frame.feedback_line()
            self._playfield: pygame.Surface | None = None
            self._in_game: set[int] = set()  # fingers that went down on the playfield
            self._drawn_pressed: set[int] | None = None  # the buttons held when last drawn
            self.buttons.append(hear_again_button(self.host.tr("howto.replay"), self.speak_howto))

    def exit(self) -> None:
        del self.game  # the round's state goes with the scene
        self._playfield = self.frame = None  # and a portrait frame (its surfaces are kept)

    def speak_howto(self) -> None:
        self.host.say(self.game.ctx.tr("howto"))

    def idle_limit(self) -> float | None:
        return self.host.visit.game.idle_limit_s

    def idle_frozen(self) -> bool:
        return self.game.idle_paused

    def handle(self, ev: PointerEvent) -> None:
        frame = self.frame
        if frame is None:
            self.game.handle(ev)
            return
        if ev.kind == "down" and frame.playfield.collidepoint(ev.pos):
            self._in_game.add(ev.pointer)
        if ev.pointer in self._in_game:
            if ev.kind == "up":
                self._in_game.discard(ev.pointer)
            self.game.handle(frame.to_game(ev))
        else:
            super().handle(ev)  # the frame's button

    def from_game(self, ev: PointerEvent) -> PointerEvent:
        """A game bot's event (game coordinates) as a finger on this screen would make it."""
        return ev if self.frame is None else self.frame.to_screen(ev)

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
        if self.frame is None:
            self.game.surface_kept = self.host.canvas_kept or self._from_ahead(surface)
            self.game.draw(surface)
            # A game may say what its draw changed, as a scene does (Scene.damage).
            self.damage = getattr(self.game, "damage", None)
            return
        # Only the game draws on its playfield: from its second frame on, it holds the last;
        # on the first, the round's first picture if it was drawn there ahead, and scaled,
        # while the how-to was read (kiosk/booth/pregame.py): then only what changed since.
        kept = self._playfield is not None
        if self._playfield is None:
            self._playfield = playfield_like(surface)
            kept = self.frame.take_ahead(self.game, self._playfield)
        self.game.surface_kept = kept
        with gamebar.detached() as parts:
            self.game.draw(self._playfield)
        heading = self.host.tr("howto.title")
        whole = self.frame.draw(
            surface,
            self.host.text,
            self.game.ctx.tr,
            heading,
            self._playfield,
            parts,
            self._feedback,
            kept=self.host.canvas_kept,
            changed=getattr(self.game, "damage", None),  # (see the landscape case above)
            started=self.host.frame_started,
        )
        # "Hear again" looks the same until a finger presses or lets go of it.
        pressed = set(map(id, self._pressed.values()))
        if whole or pressed != self._drawn_pressed:
            if not whole:
                self.frame.restore(surface, HEAR_AGAIN_AREA)
            self.draw_buttons(surface)
            self._drawn_pressed = pressed

    def _from_ahead(self, surface: pygame.Surface) -> bool:
        """The round's first picture, drawn ahead on a scratch surface while the how-to
        was read (kiosk/booth/pregame.py), copied onto ``surface`` if the game can go on
        from it: one blit instead of the game's whole first draw (its backdrop and every
        piece, 1-2.5 ms). Only ever for the round's first frame."""
        ahead, self.game.drawn_ahead_on = self.game.drawn_ahead_on, None
        if ahead is None or not self.game.surface_moved(ahead, surface):
            return False
        surface.blit(ahead, (0, 0))
        return True

    def autopilot_target(self, rng):
        return None  # the game's own bot plays; see kiosk/booth/autopilot.py
