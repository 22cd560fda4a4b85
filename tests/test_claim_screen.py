"""The prize QR on the kiosk: readable while its countdown runs, then gone for good.

A whole kiosk on the simulated clock plays a round and reaches the claim screen; each frame
checked is saved as a PNG (as ``--screenshots`` does) and read by zxing-cpp, the decoder a
phone's camera app would use. After the countdown no frame may carry the claim link again,
whatever a stranger touches: the screen, the Done button's place, the staff corner (the PIN
pad), the attract loop that follows.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pygame
import pytest
import zxingcpp

from kiosk.booth.app import Kiosk
from kiosk.config import Config
from kiosk.input import PointerEvent
from kiosk.pin import DEFAULT_PIN, hash_pin
from tests.journeykit import hold_corner, play_through, run_for, tap, tap_button

QR_S = 45.0  # the shortest countdown config allows: the theft window at its tightest


def screenshot_codes(app: Kiosk, folder: Path, name: str) -> list[str]:
    """Draw the frame, save it as a PNG and return every QR code zxing-cpp reads in it."""
    app.draw()
    path = folder / f"{name}.png"
    pygame.image.save(app.canvas, str(path))
    pixels = pygame.surfarray.array3d(pygame.image.load(str(path))).transpose(1, 0, 2)
    found = zxingcpp.read_barcodes(np.ascontiguousarray(pixels))
    return [b.text for b in found if b.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.fixture
def claimed(make_kiosk, tmp_path: Path) -> tuple[Kiosk, str]:
    """A kiosk showing a freshly awarded prize QR, and the link that QR must carry."""
    config = Config()
    config.prizes.key_file = str(tmp_path / "keys" / "event.key")
    config.prizes.qr_s = QR_S
    config.staff.pin_hash = hash_pin(DEFAULT_PIN, salt=b"claim-screen-pin", iterations=1000)
    app = make_kiosk(config=config)
    play_through(app)
    tap_button(app)  # collect my prize
    assert app.scene.name == "claim" and app.scene.award.url
    return app, app.scene.award.url


def test_the_qr_reads_while_the_countdown_runs_and_touches_do_not_extend_it(
    claimed, tmp_path: Path
) -> None:
    app, link = claimed
    run_for(app, 2.0)
    assert screenshot_codes(app, tmp_path, "start") == [link]
    assert app.scene.seconds_left() == QR_S - 2  # the countdown is on screen, from config
    run_for(app, 37.0 - app.scene.t)
    tap(app, 960, 540)  # a touch at 39 s, on the QR itself
    tap(app, 300, 900)
    assert app.scene.name == "claim" and not app.asking  # no "Still playing?" over a QR
    run_for(app, QR_S - 1.0 - app.scene.t)
    assert screenshot_codes(app, tmp_path, "last-second") == [link]
    run_for(app, 1.2)
    assert app.scene.name == "thanks"  # the countdown ran out: thanks, not a question


def test_after_the_countdown_no_frame_carries_the_code_whatever_is_touched(
    claimed, tmp_path: Path
) -> None:
    app, link = claimed
    rng = random.Random(11)
    run_for(app, QR_S - 4.0)
    hold_corner(app)  # a stranger finds the staff corner: the PIN pad opens over the QR...
    assert app.layer is not None and app.layer.name == "pinpad"
    run_for(app, 2.0)  # ...and the countdown runs out under it all the same
    assert app.scene.name == "thanks"
    checked = 0
    scenes: set[str] = set()
    for i in range(120):  # a minute of frames after the countdown, touched everywhere
        x, y = rng.uniform(0, 1920), rng.uniform(0, 1080)
        if i % 40 == 5:
            hold_corner(app)  # the PIN pad again, cancelled by the taps that follow
        app.pointer(PointerEvent("down", x, y, 1 + i % 3))
        run_for(app, 0.2)
        app.pointer(PointerEvent("up", x, y, 1 + i % 3))
        run_for(app, 0.3)
        codes = screenshot_codes(app, tmp_path, f"after-{i:03d}")
        assert link not in codes, f"frame {i} on {app.scene.name} shows the prize QR again"
        if app.scene.name != "play":  # a game may show QR codes of its own (Phish or Legit)
            assert codes == [], f"frame {i} on {app.scene.name} has a QR code"
        scenes.add(app.scene.name)
        checked += 1
    assert checked == 120
    assert {"thanks", "attract"} <= scenes, scenes
