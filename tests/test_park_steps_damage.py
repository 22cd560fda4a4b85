"""Park Smart and Healthy Steps say what each frame changed (``Game.damage``, issue 13): in
seeded bot rounds in both languages, drawn on a kept canvas and as a portrait playfield,
every pixel that changed from one frame to the next lies inside the rectangles the draw
reported (the presenter compares only there), and most frames report a small part."""

from __future__ import annotations

import random

import numpy as np
import pygame
import pytest
from gamekit import GameKit, draw_now_and_then_disturbed, unreported
from journeykit import start_round

from games.kit.changes import Changes
from games.registry import discover
from kiosk.booth.scenes.playframe import playfield_like

STEP = 1 / 30  # a bot's round at 30 frames a second: every frame of it checked


def _pixels(surface: pygame.Surface) -> np.ndarray:
    """A copy of the pixels as rows × columns (the surface is not left locked)."""
    w, h = surface.get_size()
    view = surface.get_view("1")
    try:
        return np.frombuffer(view, np.uint32).reshape(h, -1)[:, :w].copy()
    finally:
        del view


class Frames:
    """Checks each frame drawn on one surface against the damage its draw reported."""

    def __init__(self) -> None:
        self.prev: np.ndarray | None = None
        self.frames = 0
        self.painted: list[int] = []

    def check(self, surface: pygame.Surface, damage: list[pygame.Rect] | None) -> None:
        now = _pixels(surface)
        if damage is not None:
            assert self.prev is not None, "a report for a surface never drawn on"
            at = unreported(now, self.prev, damage)
            assert at is None, f"frame {self.frames}: unreported change at {at}"
            self.painted.append(sum(r.w * r.h for r in damage))
        self.prev = now
        self.frames += 1

    def median_share(self, size: tuple[int, int]) -> float:
        return sorted(self.painted)[len(self.painted) // 2] / (size[0] * size[1])


ROUNDS = [
    (game_id, lang, difficulty)
    for game_id in ("park_smart", "healthy_steps")
    for lang, difficulty in (("en", "adult"), ("zh-HK", "senior"))
]


@pytest.mark.parametrize("game_id,lang,difficulty", ROUNDS)
def test_a_bot_round_reports_every_change(game_id: str, lang: str, difficulty: str) -> None:
    """A whole seeded round (a middling bot: right and wrong moves, waits, the end), drawn
    on a kept canvas; now and then something else draws over it (the draw then says it
    does not know) or the game draws one frame elsewhere."""
    spec = discover()[game_id]
    game = GameKit(spec).make_game(lang, difficulty, seed=3)
    bot = spec.bot(game, random.Random(11), 0.6)
    canvas, other = pygame.Surface((1920, 1080)), pygame.Surface((1920, 1080))
    frames = Frames()
    for n in range(round((game.duration_s + 2) / STEP)):
        for ev in bot.step(STEP):
            game.handle(ev)
        game.update(STEP)
        kept = draw_now_and_then_disturbed(game, canvas, other, n, 300, 150, 250)
        if not kept:
            assert game.damage is None
        frames.check(canvas, game.damage)
        if game.finished and game.elapsed > game.duration_s + 1:
            break
    assert game.finished
    assert len(frames.painted) > frames.frames * 0.95
    assert frames.median_share((1920, 1080)) < 0.1  # the point of it all


@pytest.mark.parametrize("game_id", ["park_smart", "healthy_steps"])
def test_on_a_portrait_totem_the_playfield_reports_every_change(make_kiosk, game_id) -> None:
    """Through the real play screen on a portrait canvas: the game draws on its own
    playfield (its bar and line drawn by the frame round it), and what it reports covers
    every change of the playfield."""
    spec = discover()[game_id]
    app = make_kiosk(canvas=pygame.Surface((1080, 1920)), games=[spec])
    start_round(app)
    scene = app.scene
    assert scene.frame is not None
    game = scene.game
    bot = spec.bot(game, random.Random(4), 0.6)
    frames = Frames()
    # The round's first picture, drawn on the playfield ahead while the how-to was up: the
    # first frame's report is against it (kiosk/booth/scenes/playframe.py draw_ahead).
    frames.prev = _pixels(playfield_like(app.canvas))
    for _ in range(round(20 / STEP)):
        for ev in bot.step(STEP):
            app.pointer(scene.from_game(ev))
        app.clock.advance(STEP)
        app.frame(STEP)
        frames.check(scene._playfield, game.damage)
    assert len(frames.painted) > frames.frames * 0.9
    assert frames.median_share(scene._playfield.get_size()) < 0.15


def test_changes_reports_what_moved_went_or_swapped() -> None:
    surface = pygame.Surface((200, 100))
    changes = Changes()
    a, b = pygame.Rect(0, 0, 10, 10), pygame.Rect(50, 50, 20, 20)
    assert changes.report(surface, True, "bg", [("a", 1, a), ("b", 1, b)]) is None  # first
    assert changes.report(surface, True, "bg", [("a", 1, a), ("b", 1, b)]) == []
    moved = b.move(100, 0)
    got = changes.report(surface, True, "bg", [("a", 1, a), ("b", 1, moved)])
    assert sorted(map(tuple, got)) == sorted([tuple(b), tuple(moved)])
    assert changes.report(surface, True, "bg", [("a", 2, a)]) == [a, moved]
    got = changes.report(surface, True, "bg", [("b", 1, b), ("a", 2, a)])
    assert got is not None and sorted(map(tuple, got)) == sorted([tuple(b)])  # b is new
    got = changes.report(surface, True, "bg", [("a", 2, a), ("b", 1, b)])
    assert got == [a] or got == [b]  # swapped: one of them is painted at both places
    c = pygame.Rect(120, 0, 10, 10)
    changes.report(surface, True, "bg", [("a", 2, a), ("b", 1, b), ("c", 1, c)])
    got = changes.report(surface, True, "bg", [("b", 1, b), ("c", 1, c), ("a", 2, a)])
    assert got == [a]  # a moved to the end: b and c keep their order
    assert changes.report(surface, True, "new", [("a", 2, a), ("b", 1, b)]) is None
    assert changes.report(surface, False, "new", [("a", 2, a), ("b", 1, b)]) is None
    changes.start()
    assert changes.report(surface, True, "new", [("a", 2, a), ("b", 1, b)]) == []
    changes.start()  # a draw that fails: never reported
    changes.start()
    assert changes.report(surface, True, "new", [("a", 2, a), ("b", 1, b)]) is None
