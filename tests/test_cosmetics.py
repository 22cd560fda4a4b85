"""What visitors saw on screen (issue 12, item 8): lights over headlines, black squares
behind the Phish or Legit cards' rounded corners, Smart Commute routes striking through stop
names, and one icon for both Decline and Answer on the incoming-call card."""

from __future__ import annotations

import random

import numpy as np
import pygame
import pytest

from games import phish_or_legit as pl
from games import smart_commute as sc
from kiosk.ui import decor
from tests.gamekit import DT, GameKit
from tests.journeykit import run_for, tap, tap_button

PHISH: GameKit[pl.PhishOrLegit] = GameKit(pl.GAME)
COMMUTE: GameKit[sc.SmartCommute] = GameKit(sc.GAME)


def pixels(surface: pygame.Surface) -> np.ndarray:
    return pygame.surfarray.array3d(surface).astype(np.int16)


def grow(mask: np.ndarray, px: int) -> np.ndarray:
    """``mask`` widened by ``px`` pixels in every direction."""
    out = mask.copy()
    for _ in range(px):
        out[1:, :] |= out[:-1, :]
        out[:-1, :] |= out[1:, :]
        out[:, 1:] |= out[:, :-1]
        out[:, :-1] |= out[:, 1:]
    return out


def to_result(app) -> None:
    tap(app, 960, 540)
    tap_button(app, 0)
    tap_button(app, 0)
    tap(app, *app.scene.start.rect.center)
    while app.scene.name == "play":
        tap(app, 10, 10)
        run_for(app, 5.0)
    assert app.scene.name == "result"


@pytest.mark.parametrize("screen", ["attract", "result", "thanks"])
def test_lights_never_touch_text_or_buttons(make_kiosk, screen) -> None:
    """Drawn with and without the lights at many moments: the lights change only pixels well
    away from everything the screen drew over its backdrop."""
    app = make_kiosk(seed=5)
    if screen != "attract":
        to_result(app)
    if screen == "thanks":
        tap(app, *app.scene.next.rect.center)  # claim
        tap(app, *app.scene.done.rect.center)
    scene = app.scene
    assert scene.name == screen
    sky = pixels(decor.static_backdrop(app.canvas.get_size()))
    touched = 0
    for k in range(20):
        scene.t = 0.37 + k * 0.61
        scene.draw(app.canvas)
        with_lights = pixels(app.canvas)
        scene.paint(app.canvas)  # the screen without its lights
        without = pixels(app.canvas)
        content = grow((without != sky).any(axis=2), 3)
        lit = (with_lights != without).any(axis=2)
        assert not (lit & content).any(), f"a light touches content at t={scene.t:.2f}"
        touched += int(lit.any())
    assert touched == 20  # and the lights still shine on every frame


def test_phish_cards_corners_show_the_table_not_black_squares() -> None:
    game = PHISH.make_game()
    for _ in range(round(3 / DT)):
        game.update(DT)
        if game.card is not None and game.card.alpha >= 255:
            break
    card = game.card
    assert card is not None and card.alpha >= 255
    surface = pygame.Surface((1920, 1080))
    game.draw(surface)
    shown = surface.get_at((card.rect.x + 1, card.rect.y + 1))
    game.card = None
    game.draw(surface)
    table = surface.get_at((card.rect.x + 1, card.rect.y + 1))
    assert shown == table and shown[:3] != (0, 0, 0)


def _button_glyph(card: pygame.Surface, fill: tuple[int, int, int]) -> np.ndarray:
    """The white glyph inside the round button of colour ``fill``, cropped to the button."""
    rgb = pixels(card)
    button = np.abs(rgb - np.array(fill)).max(axis=2) < 8
    xs, ys = np.nonzero(button)
    box = rgb[xs.min() : xs.max() + 1, ys.min() : ys.max() + 1]
    return (box.min(axis=2) > 240)[:80, :80]


@pytest.mark.parametrize("lang", ["en", "zh-HK"])
def test_decline_and_answer_have_different_icons(lang) -> None:
    game = PHISH.make_game(lang=lang)
    calls = [s for s in pl.load_cards(game.ctx.content) if s.kind == "call"]
    assert calls
    for spec in calls:
        surface, _ = pl.render_card(game.ctx, spec, game.pace)
        decline = _button_glyph(surface, (222, 60, 60))
        answer = _button_glyph(surface, (40, 170, 90))
        assert decline.sum() > 50 and answer.sum() > 50  # each has a visible handset
        h = min(decline.shape[0], answer.shape[0])
        w = min(decline.shape[1], answer.shape[1])
        differ = (decline[:h, :w] != answer[:h, :w]).sum()
        assert differ > 0.3 * min(decline.sum(), answer.sum()), spec.id


def test_smart_commute_routes_pass_behind_the_stop_names() -> None:
    checked = 0
    for seed in (1, 2):
        game = COMMUTE.make_game(seed=seed)
        bot = sc.GAME.bot(game, random.Random(seed), 0.7)  # rides taken and offered
        surface = pygame.Surface((1920, 1080))
        for i in range(round(60 / DT)):
            for ev in bot.step(DT):
                game.handle(ev)
            game.update(DT)
            if game.finished:
                break
            if i % 5:
                continue
            game.draw(surface)
            view = game.view
            still = view.backdrop.get(view.ctx.size)
            pills = {game.run.spec.dest, game.run.stop}  # names shown in pills on top
            bubbles = [  # the numbered targets stay on top of everything
                pygame.Rect(0, 0, 64, 64).move(x - 32, y - 32)
                for x, y in map(game.map_target, game.options if game.phase == "choose" else [])
            ]
            for stop, rect in view.city.labels.items():
                if stop in pills or rect.collidelist(bubbles) >= 0:
                    continue
                shown = pygame.image.tobytes(surface.subsurface(rect), "RGB")
                assert shown == pygame.image.tobytes(still.subsurface(rect), "RGB"), (
                    seed,
                    stop,
                    game.phase,
                )
                checked += 1
    assert checked > 1000
