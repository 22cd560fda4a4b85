"""A scene that says what its draw changed (Scene.damage): only there is the canvas
compared before it is scaled into the window, and the window shows what it would have
shown with every pixel compared (issue 13)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pygame
import pytest
from journeykit import run_for, start_round, tap, tap_button

from games.registry import discover
from kiosk.booth.display import Display
from kiosk.booth.present import SurfacePresenter
from kiosk.booth.scenes.base import Scene
from kiosk.ui.damage import Damage, Redrawn

BACK = (20, 40, 80)
LAMP = (250, 220, 40)


class Lamp(Scene):
    """Draws the whole canvas each frame, a lamp stepping along; says where it changed."""

    name = "lamp"
    idle = None

    def __init__(self, host, report: bool = True) -> None:
        super().__init__(host)
        self.report = report
        self.step = 0
        self.last: pygame.Rect | None = None

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(BACK)
        lamp = pygame.Rect(101 + 37 * self.step, 203 + 11 * self.step, 23, 19)
        surface.fill(LAMP, lamp)
        if self.report:
            self.damage = [lamp if self.last is None else lamp.union(self.last)]
        self.last = lamp
        self.step += 1


@pytest.fixture
def display() -> Iterator[Display]:
    yield Display(headless=True, size=(2560, 1440))
    pygame.display.set_mode((1920, 1080))  # what the other tests expect (conftest)


def _shown_as_if_all_compared(display: Display) -> bool:
    whole = pygame.Surface(display.window_size)
    fresh = SurfacePresenter(display.canvas, display.letterbox)
    fresh.window = whole
    fresh.draw()
    return np.array_equal(pygame.surfarray.array3d(whole), pygame.surfarray.array3d(display.window))


def test_only_the_reported_places_are_compared_each_shrunk_to_what_differs() -> None:
    canvas = pygame.Surface((1920, 1080))
    damage = Damage()
    assert damage.changed(canvas) == [canvas.get_rect()]
    canvas.fill((255, 0, 0), (100, 100, 10, 10))
    report = [pygame.Rect(80, 80, 200, 200)]
    assert damage.changed(canvas, report) == [pygame.Rect(100, 100, 10, 10)]
    assert damage.changed(canvas, report) == []  # drawn again the same: nothing to copy
    # A change the scene did not report is taken at its word …
    canvas.fill((0, 0, 255), (1500, 900, 8, 8))
    assert damage.changed(canvas, [pygame.Rect(0, 0, 50, 50)]) == []
    # … and the kept frame stays right: comparing everything finds that change alone.
    assert damage.changed(canvas) == [pygame.Rect(1500, 900, 8, 8)]
    damage.reset()  # nothing kept (a new window): everything, whatever the report
    assert damage.changed(canvas, []) == [canvas.get_rect()]


def test_a_scene_s_report_reaches_the_presenter_and_the_window_is_right(
    make_kiosk, display
) -> None:
    app = make_kiosk(canvas=display.canvas)
    app.journey.scene = Lamp(app)
    taken = []
    for _ in range(8):
        app.clock.advance(1 / 60)
        app.frame(1 / 60)
        changed = app.take_damage()
        taken.append(changed)
        display.present(changed)
        assert _shown_as_if_all_compared(display)
    # Its first draw: a new screen, drawn whole (the canvas held another picture).
    assert isinstance(taken[0], Redrawn) and taken[0] == [display.canvas.get_rect()]
    assert all(t is not None and len(t) == 1 for t in taken[1:])
    assert app.take_damage() == []  # nothing drawn since


def test_a_report_counts_only_on_a_canvas_nothing_else_drew_on(make_kiosk, display) -> None:
    app = make_kiosk(canvas=display.canvas)
    app.journey.scene = Lamp(app)
    app.frame(1 / 60)
    app.frame(1 / 60)
    # A new screen drawn whole, then a reported draw, since the last take: all of it,
    # compared (no longer taken whole at its word: the report joined it).
    taken = app.take_damage()
    assert not isinstance(taken, Redrawn) and display.canvas.get_rect() in taken
    app.frame(1 / 60)
    assert app.take_damage() is not None
    app.staff.open("pinpad")  # drawn over: not known
    app.frame(1 / 60)
    assert app.take_damage() is None
    app.staff.close()
    app.frame(1 / 60)
    assert app.take_damage() is None  # the first frame after: drawn whole, not kept
    app.frame(1 / 60)
    assert app.take_damage() is not None
    app.journey.scene = Lamp(app, report=False)  # a scene that does not say
    app.frame(1 / 60)
    assert isinstance(app.take_damage(), Redrawn)  # (its first frame: a new screen)
    app.frame(1 / 60)
    assert app.take_damage() is None
    display.present(None)
    assert _shown_as_if_all_compared(display)


def _reporting(game, areas) -> None:
    """``game`` (a real one) says after each draw that it changed ``areas``."""
    draw = game.draw

    def reported(surface: pygame.Surface) -> None:
        draw(surface)
        game.damage = areas

    game.draw = reported


def test_a_game_s_report_is_the_play_screen_s_in_landscape(make_kiosk) -> None:
    app = make_kiosk()
    start_round(app)
    _reporting(app.scene.game, [pygame.Rect(100, 200, 30, 40)])
    run_for(app, 0.1, draw=True)
    app.take_damage()
    run_for(app, 0.05, draw=True)
    assert app.take_damage() == [pygame.Rect(100, 200, 30, 40)]


def test_a_game_s_report_is_what_the_portrait_frame_compares(make_kiosk) -> None:
    """On a totem the frame scales the game's playfield itself: only the reported places
    of the playfield are compared, so a game that says "nothing changed" while it moves
    keeps its scaled picture as it was, and one that says "everything" has it all
    compared and scaled again."""
    spec = discover()["recycle_right"]
    app = make_kiosk(canvas=pygame.Surface((1080, 1920)), games=[spec])
    tap(app, 500, 500)
    tap_button(app, 0)
    tap_button(app, 0)
    tap(app, *app.scene.start.rect.center)
    assert app.scene.name == "play"
    run_for(app, 1.0, draw=True)  # the first card is falling
    frame = app.scene.frame
    _reporting(app.scene.game, [])
    still = pygame.image.tobytes(frame._scaled, "RGBX")
    run_for(app, 0.5, draw=True)
    assert pygame.image.tobytes(frame._scaled, "RGBX") == still
    _reporting(app.scene.game, [pygame.Rect(0, 0, 1920, 1080)])
    run_for(app, 0.5, draw=True)
    assert pygame.image.tobytes(frame._scaled, "RGBX") != still
    # what the frame keeps to compare with is the playfield as drawn: nothing left over
    assert frame._damage.changed(app.scene._playfield) == []


def test_small_reports_have_only_the_tiles_they_touch_compared() -> None:
    """Lights scattered over the canvas touch most bands: only the tiles they touch are
    compared, so a change beside one (in the same rows) is not even read."""
    canvas = pygame.Surface((1920, 1080))
    damage = Damage()
    damage.changed(canvas)
    canvas.fill(LAMP, (301, 401, 7, 5))  # reported
    canvas.fill(LAMP, (1601, 402, 9, 9))  # same rows, not reported
    spots = [pygame.Rect(296, 396, 21, 21), pygame.Rect(900, 30, 21, 21)]
    assert damage.changed(canvas, spots) == [pygame.Rect(300, 401, 8, 5)]  # 2-pixel words
    assert damage.changed(canvas, spots) == []
    assert damage.changed(canvas) == [pygame.Rect(1600, 402, 10, 9)]
    # A light that moved a pixel: its old and new place in one report, overlapping others.
    canvas.fill(BACK, (301, 401, 7, 5))
    canvas.fill(LAMP, (302, 401, 7, 5))
    both = [pygame.Rect(296, 396, 22, 21), pygame.Rect(300, 400, 4, 4)]
    assert damage.changed(canvas, both) == [pygame.Rect(300, 401, 10, 5)]
    assert damage.changed(canvas) == []  # the kept frame took it all


def test_a_large_report_is_compared_band_by_band() -> None:
    canvas = pygame.Surface((1920, 1080))
    damage = Damage()
    damage.changed(canvas)
    canvas.fill(LAMP, (100, 100, 10, 10))
    canvas.fill(LAMP, (1800, 105, 10, 10))
    # Half the canvas reported: its bands are compared whole (and all that differs found).
    half = [pygame.Rect(0, 0, 1920, 540)]
    assert damage.changed(canvas, half) == [
        pygame.Rect(100, 100, 10, 10),
        pygame.Rect(1800, 105, 10, 10),
    ]


def test_a_new_screen_is_taken_whole_without_a_compare(monkeypatch) -> None:
    """A frame that drew a new screen is put on whole: the canvas is not read against the
    last frame (1-2.6 ms of a new screen's first frame), only copied for the next one."""
    canvas = pygame.Surface((1920, 1080))
    damage = Damage()
    damage.changed(canvas)
    canvas.fill(LAMP, (0, 0, 1920, 700))  # the new screen

    def no_compare(*args, **kwargs):
        raise AssertionError("compared")

    for name in ("_changed_bands", "_mostly_changed", "_diff", "_diff_tiles"):
        monkeypatch.setattr(Damage, name, no_compare)
    assert damage.changed(canvas, Redrawn(canvas)) == [canvas.get_rect()]
    monkeypatch.undo()
    canvas.fill(BACK, (500, 800, 10, 10))  # its next frame: the kept copy is the new screen
    assert damage.changed(canvas) == [pygame.Rect(500, 800, 10, 10)]


def test_a_new_scene_and_the_idle_card_s_first_frame_are_reported_whole(make_kiosk) -> None:
    """Only the first frame of each: the frames after them are compared as before."""
    app = make_kiosk()
    start_round(app)  # a game, its first frame not drawn yet
    app.frame(1 / 60)
    assert isinstance(app.take_damage(), Redrawn)
    app.frame(1 / 60)
    assert not isinstance(app.take_damage(), Redrawn)
    app.idle.quiet_s = app.scene.idle_limit()  # nobody touched for a while
    app.frame(1 / 60)
    assert app.asking and isinstance(app.take_damage(), Redrawn)  # "Still playing?"
    app.frame(1 / 60)
    assert app.asking and app.take_damage() is None  # its kept picture, compared
