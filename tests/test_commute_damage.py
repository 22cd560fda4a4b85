"""Smart Commute says what each draw changed (Game.damage, issue 13): whole seeded rounds
played by its bot show, frame by frame, exactly what they would show with every pixel
compared, and the report is far smaller than the canvas."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import numpy as np
import pygame
import pytest
from journeykit import run_for, start_round

from games.registry import discover
from kiosk.booth.display import Display
from kiosk.booth.present import SurfacePresenter


@pytest.fixture
def window() -> Iterator[Callable[[tuple[int, int]], Display]]:
    yield lambda size: Display(headless=True, size=size)
    pygame.display.set_mode((1920, 1080))  # what the other tests expect (conftest)


def _same(a: pygame.Surface, b: pygame.Surface) -> bool:
    return pygame.image.tobytes(a, "RGB") == pygame.image.tobytes(b, "RGB")


def _play(app, skill: float, each_frame: Callable[[], None]) -> int:
    """The game's bot plays the round to its end, one drawn frame per step; returns frames."""
    game = app.scene.game
    bot = app.visit.game.bot(game, random.Random(11), skill)
    frames = 0
    while app.scene.name == "play" and not game.finished:
        for ev in bot.step(0.05):
            app.pointer(app.scene.from_game(ev))
        app.clock.advance(0.05)
        app.frame(0.05, draw=True)
        each_frame()
        frames += 1
    assert game.finished and frames > 300  # a whole round, not a glimpse
    return frames


class Shown:
    """A copy of a surface kept only where the reports said it changed: it must match."""

    def __init__(self, surface: pygame.Surface) -> None:
        self.surface = surface
        self.copy = surface.copy()
        self.areas: list[int] = []

    def take(self, report: list[pygame.Rect] | None) -> None:
        if report is None:
            self.copy.blit(self.surface, (0, 0))
        else:
            for rect in report:
                self.copy.blit(self.surface, rect, area=rect)
            self.areas.append(sum(r.w * r.h for r in report))
        assert pygame.image.tobytes(self.copy, "RGB") == pygame.image.tobytes(
            self.surface, "RGB"
        ), "a change the report left out"

    def check_small(self) -> None:
        whole = self.surface.get_width() * self.surface.get_height()
        assert len(self.areas) > 300
        assert np.median(self.areas) < whole / 4
        assert np.mean(np.array(self.areas) < whole / 2) > 0.9  # not all in other words


def _commute_kiosk(make_kiosk, canvas: pygame.Surface):
    app = make_kiosk(canvas=canvas, games=[discover()["smart_commute"]])
    start_round(app)
    assert type(app.scene.game).__name__ == "SmartCommute"
    return app


@pytest.mark.parametrize("skill", [0.9, 0.2])
def test_landscape_reports_cover_every_change(make_kiosk, skill: float) -> None:
    app = _commute_kiosk(make_kiosk, pygame.Surface((1920, 1080)))
    run_for(app, 0.05, draw=True)
    app.take_damage()
    shown = Shown(app.canvas)

    def check() -> None:
        shown.take(app.take_damage())

    _play(app, skill, check)
    shown.check_small()


@pytest.mark.parametrize("size", [(1366, 768), (2560, 1440)])
def test_a_scaled_window_is_the_same_with_the_report_as_without(
    make_kiosk, window, size: tuple[int, int]
) -> None:
    """The booth's presenter given the game's report, and a twin comparing everything,
    show the same window at every frame of a round."""
    display = window(size)
    app = _commute_kiosk(make_kiosk, display.canvas)
    twin = SurfacePresenter(display.canvas, display.letterbox)
    twin.window = pygame.Surface(display.window_size)
    reports = []

    def check() -> None:
        report = app.take_damage()
        reports.append(report)
        display.present(report)
        twin.draw(None)
        assert _same(display.window, twin.window)

    _play(app, 0.6, check)
    assert sum(r is not None for r in reports) > 0.9 * len(reports)


def test_portrait_playfield_reports_cover_every_change(make_kiosk, window) -> None:
    display = window((1080, 1920))
    app = _commute_kiosk(make_kiosk, display.canvas)
    frame = app.scene.frame
    assert frame is not None
    run_for(app, 0.05, draw=True)
    shown = Shown(app.scene._playfield)

    def check() -> None:
        shown.take(app.scene.game.damage)
        # the frame's own comparison, only where the game said, missed nothing
        assert frame._damage.changed(app.scene._playfield) == []

    _play(app, 0.6, check)
    shown.check_small()
