"""Driving a whole kiosk on its simulated clock, as a visitor or a member of staff would.

The fixtures that build the kiosk live in ``tests/conftest.py``; these are the plain
functions the journey, staff, screenshot, prize and play-log tests share: advance time,
tap, walk the journey to a result, open the staff panel. A test file imports what it uses.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from kiosk.booth.app import Kiosk
from kiosk.booth.autopilot import AutoPilot
from kiosk.clock import SimClock
from kiosk.input import PointerEvent

DEFAULT_PIN = "2468"  # the staff PIN of a default Config


class SimWall:
    """The kiosk's wall clock in tests: ``start`` plus the simulated clock, and ``step``
    moves it as NTP or a person would (``step(-3600)``: back an hour)."""

    def __init__(self, clock: SimClock, start: datetime) -> None:
        self.clock = clock
        self.start = start

    def step(self, seconds: float) -> None:
        self.start += timedelta(seconds=seconds)

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=self.clock.now())


def run_for(app: Kiosk, seconds: float, dt: float = 0.05, draw: bool = False) -> None:
    """Advance a kiosk's simulated clock, frame by frame."""
    for _ in range(round(seconds / dt)):
        app.clock.advance(dt)
        app.frame(dt, draw=draw)


def settle(app: Kiosk) -> None:
    """Let the play log's writer thread run what the kiosk queued (it runs in real time,
    beside the simulated clock), then one frame, so screens take up its answers (the prize
    code, the staff panel's counts)."""
    assert app.store.writer.drain(timeout=30)
    app.frame(0.0, draw=False)


def tap(app: Kiosk, x: float, y: float, pointer: int = 1) -> None:
    """One physical tap, after letting any input guard of a new screen pass; the writer
    thread has then caught up with whatever the tap set off."""
    run_for(app, 0.4)
    app.pointer(PointerEvent("down", x, y, pointer))
    app.pointer(PointerEvent("up", x, y, pointer))
    app.pregame.wait()  # a Start waits for the round built ahead (real time)
    run_for(app, 0.05)
    settle(app)


def tap_button(app: Kiosk, index: int = 0) -> None:
    x, y = app.scene.buttons[index].rect.center
    tap(app, x, y)


def start_round(app: Kiosk, lang_index: int = 0, game_index: int = 0) -> None:
    """Touch → language → a game from the menu → Start."""
    tap(app, 960, 540)
    assert app.scene.name == "language"
    tap_button(app, lang_index)
    assert app.scene.name == "menu"
    tap_button(app, game_index)
    assert app.scene.name == "howto"
    tap(app, *app.scene.start.rect.center)
    assert app.scene.name == "play"


def bot_plays(app: Kiosk, seconds: float = 120.0) -> None:
    """The game's own skilled bot plays the round on screen for ``seconds`` or to its end."""
    bot = app.visit.game.bot(app.scene.game, random.Random(4), 0.9)
    for _ in range(round(seconds / 0.05)):
        if app.scene.name != "play":
            break
        for ev in bot.step(0.05):
            app.pointer(app.scene.from_game(ev))  # the game's coordinates → the screen's
        run_for(app, 0.05)


def play_through(app: Kiosk, lang_index: int = 0) -> None:
    """Touch → language → first game → Start, then let the game's own bot finish it."""
    start_round(app, lang_index)
    bot_plays(app)
    assert app.scene.name == "result"


def autoplay(
    app: Kiosk, journeys: int, seed: int = 5, max_s: float = 720.0, draw_every: int = 4
) -> set[str]:
    """Let the journey bots (``--autoplay``) walk ``journeys`` whole journeys, drawing one
    frame in ``draw_every``; returns the names of the screens they passed through."""
    app.autopilot = AutoPilot(app, random.Random(seed))
    app.stop_after = journeys
    seen: set[str] = set()
    for frame in range(round(max_s * 30)):
        if not app.running:
            break
        app.clock.advance(1 / 30)
        app.frame(1 / 30, draw=frame % draw_every == 0)
        seen.add(app.scene.name)
    return seen


# --------------------------------------------------------------------------- staff


def hold_corner(app: Kiosk, seconds: float = 3.2, x: float = 40, y: float = 40) -> None:
    app.pointer(PointerEvent("down", x, y, 9))
    run_for(app, seconds)
    app.pointer(PointerEvent("up", x, y, 9))


def press(app: Kiosk, label: str, row_y: int | None = None) -> None:
    """Tap the layer's button with this label (on the row at ``row_y`` when several)."""
    (button,) = [
        b for b in app.layer.buttons if b.label == label and (row_y is None or b.rect.y == row_y)
    ]
    tap(app, *button.rect.center)


def enter_pin(app: Kiosk, pin: str) -> None:
    for digit in pin:
        press(app, digit)
    press(app, app.staff.tr("staff.ok"))


def open_panel(app: Kiosk) -> None:
    hold_corner(app)
    enter_pin(app, DEFAULT_PIN)
    assert app.layer is not None and app.layer.name == "staff"
