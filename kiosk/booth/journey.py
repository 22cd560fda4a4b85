"""The visitor journey as a state machine: which screen follows which, in one table.

A scene never picks the next screen. It says it is done, with an outcome ("chosen", "start",
"done" …), and ``NEXT`` decides; a choice made on the way (a language, a game) is written on
the visit. Three moves come from outside the scenes and can happen on any screen:

* the idle countdown runs out → an unfinished play is logged abandoned → attract;
* an exception in a scene or layer → its play is logged as ``error`` → failsafe, which
  returns to attract by itself; failures in a row hold it longer each time and each cause is
  logged once (kiosk/booth/failures.py); if the failsafe screen itself fails it goes plain;
* staff pause, resume and reset (kiosk/booth/staff.py) → paused, attract, attract.

pibooth's ``states.py`` is the model: each state names the next, the machine switches.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Protocol

from games.base import DIFFICULTIES, GameSpec
from kiosk.booth.failures import FailureLog
from kiosk.booth.scenes import SCENES, Scene
from kiosk.booth.scenes.host import SceneHost

if TYPE_CHECKING:
    from collections.abc import Callable

    import pygame

    from kiosk.booth.idle import IdleWatch
    from kiosk.booth.screenshots import Screenshots
    from kiosk.clock import Clock
    from kiosk.speech import Speech

log = logging.getLogger(__name__)

# fmt: off
NEXT: dict[str, dict[str, str]] = {
    # screen      outcome → next screen
    "attract":  {"touched": "language"},            # a visit starts (one language: menu)
    "language": {"chosen": "menu"},                 # with visit.lang
    "menu":     {"chosen": "howto",                 # with visit.game
                 "language": "language"},           # the wrong language: choose again
    "howto":    {"start": "play", "back": "menu"},  # the spoken instructions stop
    "play":     {"over": "result"},                 # the play was logged when the game ended
    "result":   {"next": "claim"},
    "claim":    {"done": "thanks"},
    "thanks":   {"done": "attract"},                # the visit ends
    "failsafe": {"done": "attract"},                # the visit ends
    "paused":   {},                                 # only staff move on from here
}
# fmt: on


class JourneyHost(SceneHost, Protocol):
    """What the journey needs of the kiosk beyond what its scenes see."""

    speech: Speech
    idle: IdleWatch
    asking: bool  # the "Still playing?" countdown is on screen
    shots: Screenshots
    canvas: pygame.Surface
    clock: Clock

    def start_visit(self) -> None: ...

    def end_visit(self, completed: bool) -> None: ...

    def drop_visit(self, outcome: str) -> None: ...

    def visit_reached(self, stage: str, value: str = "") -> None: ...


class Journey:
    """What is on screen: the scene, switched as ``NEXT`` says, and maybe a staff layer over
    it (the PIN pad or the panel). Any exception lands on the failsafe screen."""

    def __init__(self, kiosk: JourneyHost) -> None:
        self.kiosk = kiosk
        self.scene: Scene = Scene(kiosk)  # nothing on screen until the first go()
        self.layer: Scene | None = None
        self.failures = FailureLog(kiosk.clock.now)

    def advance(self, outcome: str, **choice: Any) -> None:
        """The current scene is done with ``outcome``; ``choice`` goes on the visit."""
        kiosk, here = self.kiosk, self.scene.name
        there = NEXT[here][outcome]
        if here == "attract":
            kiosk.start_visit()
        if there == "language" and len(kiosk.config.languages) == 1:  # nothing to ask
            choice["lang"], there = kiosk.config.languages[0], "menu"
        self.choose(**choice)
        if here == "howto":
            kiosk.speech.stop()
        if there == "attract":
            kiosk.end_visit(completed=True)
        self.go(there)

    def choose(
        self,
        *,
        lang: str | None = None,
        game: GameSpec | None = None,
        difficulty: str = "",
        large_text: bool | None = None,
    ) -> None:
        """Write the visitor's choices on the visit (an unknown difficulty is ignored)."""
        visit = self.kiosk.visit
        if large_text is not None:
            visit.large_text = large_text
        if lang is not None:
            visit.lang = lang
            self.kiosk.visit_reached("language", lang)
        if game is not None:
            visit.game = game
            self.kiosk.visit_reached("game", game.id)
        if difficulty in DIFFICULTIES:
            visit.difficulty = difficulty

    def abandon(self) -> None:
        """The idle countdown ran out: an unfinished play is logged as abandoned."""
        self.kiosk.end_visit(completed=False)
        self.go("attract")

    def go(self, name: str) -> None:
        """Leave the current scene (whatever happened) and enter ``name``."""
        kiosk, old = self.kiosk, self.scene
        if kiosk.shots.pending:  # left before it settled: still record what it showed
            self.guard(old.draw, kiosk.canvas)
            kiosk.shots.save(kiosk.canvas, old.name)
        try:
            old.exit()
        except Exception:
            log.exception("leaving %s failed", old.name)
        self.scene = SCENES[name](kiosk)
        kiosk.idle.touch()
        kiosk.asking = False
        kiosk.shots.entered()
        self.guard(self.scene.enter)

    def open_layer(self, name: str) -> None:
        """Show the staff layer ``name`` over the scene, which stays frozen underneath."""
        self.layer = SCENES[name](self.kiosk)
        self.guard(self.layer.enter)

    # -- the failsafe ------------------------------------------------------------------------
    def guard(self, fn: Callable[..., Any], *args: Any) -> None:
        try:
            fn(*args)
        except Exception as exc:
            self.fail(exc)

    def fail(self, exc: BaseException) -> None:
        self.layer = None
        hold = self.failures.record(exc, self.scene.name)
        self.kiosk.drop_visit("error")
        if self.scene.name == "failsafe":
            self.scene.plain = True  # its own drawing failed: nothing but colour until it ends
            self.scene.hold_s = max(self.scene.hold_s, hold)
            return
        self.go("failsafe")
        self.scene.hold_s = hold
