"""``SceneHost``: all a scene may use of the kiosk, and nothing more.

Scenes draw with the host's text renderer, speak through it, read the visit and the config,
and when they are done they say so (``advance``); the journey (kiosk/booth/journey.py)
picks the next screen. ``Kiosk`` is the host at run time; tests/test_scenes.py drives scenes
with a small fake one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from games.base import Game, GameResult, GameSpec
    from kiosk.booth.sfx import Sfx
    from kiosk.booth.staff import StaffDesk
    from kiosk.booth.visit import Visit
    from kiosk.config import Config
    from kiosk.i18n import Tr
    from kiosk.prizes.awards import Award
    from kiosk.ui.text import TextRenderer


class SceneHost(Protocol):
    config: Config  # idle limits, languages, the prize desk's place, the kiosk id
    text: TextRenderer
    sfx: Sfx
    visit: Visit | None  # None on the screens between visitors
    staff: StaffDesk  # what the PIN pad and the staff panel act through

    @property
    def tr(self) -> Tr:
        """Strings in the visitor's language (the first configured one between visitors)."""

    def tr_for(self, lang: str) -> Tr: ...

    def say(self, text: str) -> None:
        """Speak in the visitor's language, replacing whatever is playing."""

    @property
    def games(self) -> list[GameSpec]:
        """The games on today's menu."""

    def advance(self, outcome: str, **choice: Any) -> None:
        """This screen is done with ``outcome`` (see journey.NEXT); ``choice``: lang=, game=."""

    def choose(self, **choice: Any) -> None:
        """Record a choice without leaving the screen (difficulty=)."""

    def new_game(self) -> Game:
        """A round of the visit's game, its play row opened in the play log."""

    def finish_game(self, result: GameResult) -> None:
        """The round is over: log the play as completed with its result."""

    def claim_prize(self) -> Award | None:
        """This visit's prize, or None when no code can be issued."""
