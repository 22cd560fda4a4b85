"""The how-to screen draws only when its picture changes (issue 13): nothing on it moves by
itself, so on a kept canvas an unchanged frame draws nothing and reports no damage, and
every frame is still what a whole draw paints, in landscape and portrait."""

from __future__ import annotations

import pygame
import pytest
from journeykit import tap, tap_button

from kiosk.input import PointerEvent


def _frame(app) -> list[pygame.Rect] | None:
    app.clock.advance(1 / 60)
    app.frame(1 / 60)
    return app.take_damage()


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_an_unchanged_howto_is_not_drawn_again_and_every_frame_is_whole(make_kiosk, size) -> None:
    app = make_kiosk(canvas=pygame.Surface(size))
    tap(app, 500, 500)
    tap_button(app, 0)
    tap_button(app, 0)
    scene = app.scene
    assert scene.name == "howto"
    whole = pygame.Surface(size)
    level = scene.buttons[2]
    events = {
        20: PointerEvent("down", *level.rect.center, 1),  # a finger rests on a level
        35: PointerEvent("up", *level.rect.center, 1),  # and chooses it
        50: PointerEvent("down", *scene.buttons[0].rect.center, 2),
        51: PointerEvent("move", 5, 5, 2),  # slides off: cancelled
        52: PointerEvent("up", 5, 5, 2),
    }
    unchanged = []
    for step in range(80):
        if step in events:
            app.pointer(events[step])
        damage = _frame(app)
        scene.paint(whole)
        assert pygame.image.tobytes(app.canvas, "RGBX") == pygame.image.tobytes(whole, "RGBX")
        unchanged.append(damage == [])
    assert app.visit.difficulty == "senior"
    assert sum(unchanged) > 60
    # A frame after one that changed, or after something drew over it, is drawn again.
    assert not unchanged[20] and not unchanged[35]
    app.staff.open("pinpad")  # drawn over the how-to
    _frame(app)
    app.staff.close()
    assert _frame(app) is None
    scene.paint(whole)
    assert pygame.image.tobytes(app.canvas, "RGBX") == pygame.image.tobytes(whole, "RGBX")
