"""One physical tap is exactly one tap, wherever the window is and however SDL reports it."""

from __future__ import annotations

import random

import pygame
import pytest

from kiosk.input import MOUSE_ID, PointerTranslator
from kiosk.ui.scaling import Letterbox
from tests.journeykit import run_for, start_round


def finger(kind: int, x: float, y: float, fid: int = 3) -> pygame.event.Event:
    return pygame.event.Event(kind, x=x, y=y, dx=0.0, dy=0.0, finger_id=fid, touch_id=1)


def mouse(kind: int, pos: tuple[int, int], touch: bool, button: int = 1) -> pygame.event.Event:
    return pygame.event.Event(
        kind, pos=pos, button=button, touch=touch, rel=(0, 0), buttons=(1, 0, 0)
    )


def test_touch_and_its_synthetic_mouse_echo_make_one_tap() -> None:
    t = PointerTranslator(Letterbox((1920, 1080)))
    # What SDL delivers for one finger tap: finger events plus mouse events flagged touch=True.
    raw = [
        finger(pygame.FINGERDOWN, 0.5, 0.5),
        mouse(pygame.MOUSEBUTTONDOWN, (960, 540), touch=True),
        finger(pygame.FINGERUP, 0.5, 0.5),
        mouse(pygame.MOUSEBUTTONUP, (960, 540), touch=True),
    ]
    events = t.translate_all(raw)
    assert [e.kind for e in events] == ["down", "up"]
    assert all(e.pointer == 3 for e in events)
    assert events[0].pos == (960.0, 540.0)


def test_a_real_mouse_still_works_but_hover_and_other_buttons_do_not_tap() -> None:
    t = PointerTranslator(Letterbox((1920, 1080)))
    raw = [
        mouse(pygame.MOUSEMOTION, (10, 10), touch=False),  # hover: ignored
        mouse(pygame.MOUSEBUTTONDOWN, (100, 200), touch=False, button=3),  # right button
        mouse(pygame.MOUSEBUTTONDOWN, (100, 200), touch=False),
        mouse(pygame.MOUSEMOTION, (120, 200), touch=False),  # drag: kept
        mouse(pygame.MOUSEBUTTONUP, (120, 200), touch=False),
        mouse(pygame.MOUSEMOTION, (300, 300), touch=False),  # hover again: ignored
    ]
    events = t.translate_all(raw)
    assert [(e.kind, e.pos) for e in events] == [
        ("down", (100.0, 200.0)),
        ("move", (120.0, 200.0)),
        ("up", (120.0, 200.0)),
    ]
    assert {e.pointer for e in events} == {MOUSE_ID}


def test_letterbox_keeps_aspect_and_maps_touches_back_to_design_pixels() -> None:
    box = Letterbox((1280, 1024))  # a 5:4 screen: bars above and below
    assert box.rect.width == 1280 and box.rect.height == 720
    assert box.rect.y == (1024 - 720) // 2
    t = PointerTranslator(box)
    centre = t.translate(finger(pygame.FINGERDOWN, 0.5, 0.5))
    assert (round(centre.x), round(centre.y)) == (960, 540)
    corner = t.translate(finger(pygame.FINGERDOWN, 1.0, 152 / 1024))  # top-right of the canvas
    assert (round(corner.x), round(corner.y)) == (1919, 0)
    in_bar = t.translate(finger(pygame.FINGERDOWN, 0.5, 0.01))  # in the black bar: clamped
    assert in_bar.y == 0.0


def test_many_fingers_keep_their_identity() -> None:
    t = PointerTranslator(Letterbox((1920, 1080)))
    events = t.translate_all(finger(pygame.FINGERDOWN, i / 10, 0.5, fid=i) for i in range(10))
    assert [e.pointer for e in events] == list(range(10))


def test_a_finger_at_nan_or_infinity_is_dropped_and_logged_once(caplog) -> None:
    t = PointerTranslator(Letterbox((1280, 1024)))
    bad = [
        finger(pygame.FINGERDOWN, float("nan"), 0.5),
        finger(pygame.FINGERMOTION, 0.5, float("nan")),
        finger(pygame.FINGERUP, float("inf"), 0.5),
        finger(pygame.FINGERDOWN, 0.5, float("-inf")),
    ]
    with caplog.at_level("WARNING", logger="kiosk.input"):
        assert t.translate_all(bad) == []
    assert t.dropped == 4
    assert len([r for r in caplog.records if "non-finite" in r.message]) == 1
    good = t.translate(finger(pygame.FINGERDOWN, 0.5, 0.5))
    assert good is not None and (round(good.x), round(good.y)) == (960, 540)


NAN_GAMES = ["smart_commute", "smart_home_saver"]


@pytest.mark.parametrize("game_id", NAN_GAMES)
def test_nan_fingers_mid_game_never_reach_the_game(make_kiosk, game_id) -> None:
    """Raw SDL finger events, some at NaN, through the translator into a running round:
    the round plays on to its result and no play is logged as an error."""
    app = make_kiosk()
    start_round(app, game_index=[g.id for g in app.games].index(game_id))
    translator = PointerTranslator(Letterbox((1920, 1080)))
    rng = random.Random(3)
    nan = float("nan")
    for i in range(600):
        kind = (pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP)[i % 3]
        x, y = rng.random(), rng.random()
        if i % 2 == 0:
            x, y = rng.choice([(nan, y), (x, nan), (nan, nan)])
        ev = translator.translate(finger(kind, x, y, fid=i % 4))
        if ev is not None:
            app.pointer(ev)
        run_for(app, 0.05, draw=i % 50 == 0)
        assert app.scene.name != "failsafe"
    assert translator.dropped == 300
    for _ in range(200):  # the visitor stays (no idle countdown) until the round ends
        app.idle.touch()
        run_for(app, 1.0)
        if app.scene.name != "play":
            break
    assert app.scene.name == "result"
    assert app.store.count(outcome="error") == 0
    assert app.store.count(outcome="completed") == 1
