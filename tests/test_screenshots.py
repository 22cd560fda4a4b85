"""Each screen compared with a committed reference PNG, as Pygame Zero's tests do.

Run ``make screens`` (pytest --update-screens) after an intended visual change and look at
the new PNGs in tests/screens/ before committing them. On a mismatch the actual frame is
written to tests/screens/_failed/ for a look.
"""

from __future__ import annotations

import numpy as np
import pygame
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from kiosk import ROOT
from kiosk.config import Config
from tests.conftest import run_for, tap, tap_button

SCREENS = ROOT / "tests" / "screens"
FAILED = SCREENS / "_failed"
SCALE = 0.5  # references are stored at 960×540 to keep the repo small
MAX_BAD_FRACTION = 0.005  # share of pixels allowed to differ noticeably (font hinting, AA)
BAD_DELTA = 48


def frame(app) -> np.ndarray:
    app.draw()
    small = pygame.transform.smoothscale(app.canvas, (960, 540))
    return pygame.surfarray.array3d(small).astype(np.int16)


def check(request, name: str, app) -> None:
    actual = frame(app)
    ref_path = SCREENS / f"{name}.png"
    surf = pygame.surfarray.make_surface(actual.astype(np.uint8))
    if request.config.getoption("--update-screens") or not ref_path.exists():
        SCREENS.mkdir(exist_ok=True)
        pygame.image.save(surf, str(ref_path))
        if not request.config.getoption("--update-screens"):
            pytest.fail(f"no reference for {name}; wrote one, look at it and commit it")
        return
    expected = pygame.surfarray.array3d(pygame.image.load(str(ref_path))).astype(np.int16)
    bad = (np.abs(actual - expected).max(axis=2) > BAD_DELTA).mean()
    if bad > MAX_BAD_FRACTION:
        FAILED.mkdir(parents=True, exist_ok=True)
        pygame.image.save(surf, str(FAILED / f"{name}.png"))
        pytest.fail(f"{name}: {bad:.2%} of pixels differ from {ref_path.name}")


def at(app, seconds: float = 2.0):
    app.scene.t = seconds  # animations at a fixed moment
    return app


def fixed_key_config(tmp_path) -> Config:
    """A config whose event key is always the same, so the claim QR is too."""
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    path = tmp_path / "event.key"
    path.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    path.chmod(0o600)
    config = Config()
    config.prizes.key_file = str(path)
    return config


@pytest.mark.parametrize("lang_index,lang", [(0, "en"), (1, "zh-HK")])
def test_journey_screens_match_references(request, make_kiosk, tmp_path, lang_index, lang) -> None:
    app = make_kiosk(seed=5, config=fixed_key_config(tmp_path))
    if lang == "en":
        check(request, "attract", at(app))
    tap(app, 960, 540)
    if lang == "en":
        check(request, "language", at(app))
    tap_button(app, lang_index)
    check(request, f"{lang}-menu", at(app))
    tap_button(app, 0)
    check(request, f"{lang}-howto", at(app))
    tap(app, *app.scene.start.rect.center)
    run_for(app, 3.0)
    check(request, f"{lang}-play", app)
    run_for(app, app.visit.game.idle_limit_s - 2.0)
    check(request, f"{lang}-idle", app)
    while app.scene.name == "play":
        tap(app, 10, 10)  # a corner touch keeps the idle countdown away while time runs out
        run_for(app, 5.0)
    check(request, f"{lang}-result", at(app, 5.0))
    app.prizes.nonce = lambda: 7  # codes carry a random part; fix it for the picture
    tap_button(app, 0)
    check(request, f"{lang}-claim", at(app))
    tap(app, *app.scene.done.rect.center)
    check(request, f"{lang}-thanks", at(app))


def test_failsafe_screen_matches_reference(request, make_kiosk) -> None:
    app = make_kiosk(seed=5)
    tap(app, 960, 540)
    tap_button(app, 0)
    app.journey.fail(RuntimeError("drawn for the screenshot test"))
    check(request, "failsafe", at(app))


def test_staff_screens_match_references(request, make_kiosk) -> None:
    from tests.test_staff import enter_pin, hold_corner, press

    app = make_kiosk(seed=5)
    hold_corner(app)
    for digit in "24":
        press(app, digit)
    check(request, "staff-pinpad", app)
    press(app, app.staff.tr("staff.clear"))
    enter_pin(app, "2468")
    app.layer.counts = {app.all_games[0].id: {"completed": 12, "abandoned": 3}}
    check(request, "staff-panel", app)
    press(app, app.staff.tr("staff.pause"))
    press(app, app.staff.tr("staff.close"))
    check(request, "paused", at(app))
