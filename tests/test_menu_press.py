"""The menu with a card pressed: on a kept canvas only the card that sank or rose is drawn
again and reported (Scene.damage); every frame is the picture a whole draw makes, byte for
byte (issue 13)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pygame
import pytest
from journeykit import tap, tap_button

from kiosk.booth.app import Kiosk
from kiosk.booth.scenes.menu import card_area, draw_face
from kiosk.input import PointerEvent
from kiosk.ui import theme

DT = 1 / 60


@pytest.fixture(autouse=True)
def usual_look() -> Iterator[None]:
    yield
    theme.use_high_contrast(False)  # the palette is module state: never leak it


def _pixels(surface: pygame.Surface) -> np.ndarray:
    w, h = surface.get_size()
    words = np.frombuffer(surface.get_buffer(), dtype=np.uint32)
    return words.reshape(h, surface.get_pitch() // 4)[:, :w].copy()


def _whole(app: Kiosk) -> np.ndarray:
    """The menu as drawn in one go: every card (the pressed ones sunk), then the extras."""
    menu = app.scene
    pressed = {id(b) for b in menu._pressed.values()}
    sunk = frozenset(i for i, b in enumerate(menu.card_buttons) if id(b) in pressed)
    ref = pygame.Surface(app.canvas.get_size(), 0, app.canvas)
    draw_face(ref, app.text, app.tr, menu.cards, sunk)
    menu._draw_extras(ref, pressed)
    return _pixels(ref)


def _frames(app: Kiosk, n: int, reports: list) -> None:
    before = _pixels(app.canvas)
    for _ in range(n):
        app.clock.advance(DT)
        app.frame(DT)
        damage = app.take_damage()
        now = _pixels(app.canvas)
        assert np.array_equal(now, _whole(app))
        if damage is not None:
            changed = now != before
            for r in damage:
                changed[r.top : r.bottom, r.left : r.right] = False
            assert not changed.any(), "a change outside the report"
        reports.append(damage)
        before = now


def _finger(app: Kiosk, kind: str, pos: tuple[int, int], pointer: int = 1) -> None:
    app.pointer(PointerEvent(kind, pos[0], pos[1], pointer))


@pytest.mark.parametrize("portrait", [False, True], ids=["landscape", "portrait"])
@pytest.mark.parametrize("large", [False, True], ids=["plain", "large"])
@pytest.mark.parametrize("lang", [0, 1], ids=["first", "second"])
def test_a_pressed_card_is_all_that_is_drawn_again(
    make_kiosk, lang: int, large: bool, portrait: bool
) -> None:
    size = (1080, 1920) if portrait else (1920, 1080)
    app = make_kiosk(canvas=pygame.Surface(size))
    tap(app, 500, 500)
    if large:
        app.choose(large_text=True)
    tap_button(app, lang)
    assert app.scene.name == "menu"
    reports: list = []
    _frames(app, 30, reports)  # past the input guard; the menu at rest
    assert reports[-1] == []  # nothing changed, nothing to compare
    menu = app.scene
    first, second = (b.rect.center for b in menu.card_buttons[:2])
    _finger(app, "down", first)
    reports.clear()
    _frames(app, 6, reports)
    assert reports[0] == [card_area(menu.cards[0][0])]  # the card sank: that alone
    assert reports[1:] == [[]] * 5  # held down: nothing more
    _finger(app, "down", second, pointer=2)  # a second finger on the next card
    _frames(app, 3, reports)
    assert reports[6] == [card_area(menu.cards[1][0])]
    _finger(app, "move", (5, 5))  # no button down for a move: both stay pressed
    _frames(app, 2, reports)
    _finger(app, "up", (5, 5))  # lifted off the card: no choice, that card rises
    _frames(app, 3, reports)
    assert reports[11] == [card_area(menu.cards[0][0])]
    assert app.scene is menu
    _finger(app, "up", (5, 5), pointer=2)
    _frames(app, 2, reports)
    assert reports[14] == [card_area(menu.cards[1][0])]
    assert all(r is not None for r in reports)
