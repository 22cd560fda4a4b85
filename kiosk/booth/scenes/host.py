"""``SceneHost``: all a scene may use of the kiosk, and nothing more.

Scenes draw with the host's text renderer, speak through it, read the visit and the config,
and when they are done they say so (``advance``); the journey (kiosk/booth/journey.py)
picks the next screen. ``Kiosk`` is the host at run time; tests/test_scenes.py drives scenes
with a small fake one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from concurrent.futures import Future

    from games.base import Game, GameResult, GameSpec
    from kiosk.booth.sfx import Sfx
    from kiosk.booth.visit import Visit
    from kiosk.config import Config
    from kiosk.i18n import Tr
    from kiosk.prizes.awards import Award, StockLine
    from kiosk.speech import Speech
    from kiosk.ui.text import TextRenderer


class StaffControls(Protocol):
    """What the PIN pad and the staff panel act through (kiosk/booth/staff.py's StaffDesk)."""

    speech: Speech  # its volume, mute and status are on the panel
    all_games: list[GameSpec]

    @property
    def tr(self) -> Tr:
        """Strings in the staff's language."""

    @property
    def layer(self) -> object:
        """The pad or the panel while one is open, else None."""

    @property
    def paused(self) -> bool: ...

    def toggle_language(self) -> None: ...

    def close(self) -> None: ...

    def pin_entered(self, pin: str) -> str:
        """The message to show for this PIN (empty when accepted)."""

    def pin_locked_for(self) -> float: ...

    def refresh_readings(self) -> None:
        """Ask the writer thread for fresh counts and database health (answered later)."""

    def poll_readings(self) -> bool:
        """Whether fresh counts or health arrived since the last poll; never waits."""

    def today_counts(self) -> dict[str, dict[str, int]]: ...

    def store_health(self) -> dict[str, Any] | None:
        """The last health reading (None until the first one arrives)."""

    def store_warnings(self) -> str: ...

    def display_status(self) -> str:
        """How frames reach the screen: path, OpenGL renderer, window size."""

    def prize_stock(self) -> list[StockLine]: ...

    def enabled_game_ids(self) -> set[str]: ...

    def set_game(self, game_id: str, on: bool) -> bool: ...

    def adjust_stock(self, tier: str, delta: int) -> None: ...

    def acknowledge(self) -> None: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def reset(self) -> None: ...

    def volume(self, delta: float) -> None: ...

    def toggle_mute(self) -> None: ...

    def test_speech(self) -> None: ...

    def quit(self) -> None: ...


class SceneHost(Protocol):
    config: Config  # idle limits, languages, the prize desk's place, the kiosk id
    size: tuple[int, int]  # the canvas: 1920×1080, or 1080×1920 portrait (kiosk/ui/frame.py)
    text: TextRenderer
    sfx: Sfx
    visit: Visit | None  # None on the screens between visitors
    # The canvas being drawn still holds this scene's previous frame, nothing drawn over it
    # since (no overlay, PIN pad or other screen): the scene may redraw only what changed,
    # and may say what that was (Scene.damage).
    canvas_kept: bool
    # ``time.thread_time()`` when the main loop began this frame (None: a frame not timed,
    # as tests draw): work that can wait a frame is spread when the frame runs late.
    frame_started: float | None

    @property
    def staff(self) -> StaffControls:
        """For the PIN pad and the staff panel only."""

    @property
    def tr(self) -> Tr:
        """Strings in the visitor's language (the first configured one between visitors)."""

    def tr_for(self, lang: str) -> Tr: ...

    def say(self, text: str, lang: str | None = None) -> None:
        """Speak in the visitor's language (or ``lang``), replacing whatever is playing."""

    def hush(self) -> None:
        """Stop speaking now (the access bar's Stop)."""

    def change_volume(self, step: int) -> None:
        """Speech and sounds a step louder (+1) or quieter (-1), for this visitor only."""

    @property
    def large_text(self) -> bool:
        """The visitor switched on large text and high contrast (``choose(large_text=)``)."""

    @property
    def games(self) -> list[GameSpec]:
        """The games on today's menu."""

    def advance(self, outcome: str, **choice: Any) -> None:
        """This screen is done with ``outcome`` (see journey.NEXT); ``choice``: lang=, game=."""

    def choose(self, **choice: Any) -> None:
        """Record a choice without leaving the screen (difficulty=, large_text=)."""

    def start_when_ready(self) -> None:
        """Start touched: advance with "start" once the round built ahead is ready (the
        how-to stays up a few frames at most while it is still underway)."""

    def prepare_game(self) -> None:
        """Start building the visit's round ahead (while the how-to is read); new_game
        takes it if the choices still match."""

    def new_game(self) -> Game:
        """A round of the visit's game, its play row opened in the play log."""

    def finish_game(self, result: GameResult) -> None:
        """The round is over: log the play as completed with its result."""

    def played_today(self) -> int | None:
        """Citizens who played today (the fleet's count, else this booth's), or None."""

    def qr_shown(self) -> None:
        """The claim QR is on screen (the visit's funnel counts it)."""

    def claim_prize(self) -> Future[Award] | None:
        """This visit's prize, decided at once; the future completes when it is saved (the
        screen polls it). None, or a failed future, when no code can be issued."""
