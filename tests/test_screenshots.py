"""Each screen of the journey and the staff layers compared with a committed reference PNG.

The comparison itself is ``tests/screenkit.py``; ``make screens`` rewrites the references.
"""

from __future__ import annotations

import pygame
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from kiosk.config import Config
from kiosk.ui.frame import PORTRAIT
from tests.journeykit import enter_pin, hold_corner, press, run_for, tap, tap_button
from tests.screenkit import check

SHAPES = ["landscape", "portrait"]


def named(shape: str, name: str) -> str:
    """Landscape references keep their names; portrait ones are ``portrait-<name>``."""
    return name if shape == "landscape" else f"portrait-{name}"


def kiosk_for(make_kiosk, shape: str, **kw):
    canvas = pygame.Surface(PORTRAIT) if shape == "portrait" else None
    return make_kiosk(canvas=canvas, **kw)


class Fleet:
    """The heartbeat's answer as the attract screen reads it: the carnival's count."""

    def latest(self) -> dict | None:
        return {"played_today": 1234}

    def played_today(self) -> int | None:
        return 1234


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


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("large", [False, True], ids=["usual", "large-text"])
@pytest.mark.parametrize("lang_index,lang", [(0, "en"), (1, "zh-HK")])
def test_journey_screens_match_references(
    request, make_kiosk, tmp_path, lang_index, lang, large, shape
) -> None:
    """Every journey screen; ``large``: with large text and high contrast switched on at the
    language screen (issue 12, item 6), references named ``large-…``; ``shape``: on a
    portrait totem too, references named ``portrait-…``."""
    from kiosk.ui import theme

    app = kiosk_for(make_kiosk, shape, seed=5, config=fixed_key_config(tmp_path), heartbeat=Fleet())
    pre = "large-" if large else ""
    try:
        if lang == "en" and not large:
            app.frame(0.0, draw=False)  # the count is taken up by the kiosk's first tick
            check(request, named(shape, "attract"), at(app))
        tap(app, 960, 540)
        if large:
            big = next(b for b in app.scene.buttons if getattr(b, "kind", "") == "large")
            tap(app, *big.rect.center)
        if lang == "en":
            check(request, named(shape, f"{pre}language"), at(app))
        tap_button(app, lang_index)
        check(request, named(shape, f"{pre}{lang}-menu"), at(app))
        tap_button(app, 0)
        check(request, named(shape, f"{pre}{lang}-howto"), at(app))
        tap(app, *app.scene.start.rect.center)
        run_for(app, 3.0)
        check(request, named(shape, f"{pre}{lang}-play"), app)
        if not large:
            run_for(app, app.visit.game.idle_limit_s - 2.0)
            check(request, named(shape, f"{lang}-idle"), app)
        while app.scene.name == "play":
            tap(app, 10, 10)  # a corner touch keeps the idle countdown away while time runs out
            run_for(app, 5.0)
        check(request, named(shape, f"{pre}{lang}-result"), at(app, 5.0))
        app.prizes.nonce = lambda: 7  # codes carry a random part; fix it for the picture
        tap(app, *app.scene.next.rect.center)
        check(request, named(shape, f"{pre}{lang}-claim"), at(app))
        tap(app, *app.scene.done.rect.center)
        check(request, named(shape, f"{pre}{lang}-thanks"), at(app))
    finally:
        theme.use_high_contrast(False)  # module state: never leak it to the next test


@pytest.mark.parametrize("shape", SHAPES)
def test_failsafe_screen_matches_reference(request, make_kiosk, shape) -> None:
    app = kiosk_for(make_kiosk, shape, seed=5)
    tap(app, 960, 540)
    tap_button(app, 0)
    app.journey.fail(RuntimeError("drawn for the screenshot test"))
    check(request, named(shape, "failsafe"), at(app))


@pytest.mark.parametrize("shape", SHAPES)
def test_staff_screens_match_references(request, make_kiosk, shape) -> None:
    app = kiosk_for(make_kiosk, shape, seed=5)
    hold_corner(app)
    for digit in "24":
        press(app, digit)
    check(request, named(shape, "staff-pinpad"), app)
    press(app, app.staff.tr("staff.clear"))
    enter_pin(app, "2468")
    app.layer.counts = {app.all_games[0].id: {"completed": 12, "abandoned": 3}}
    app.layer.health["free_mb"] = 5120  # the machine's own free space would vary
    check(request, named(shape, "staff-panel"), app)
    press(app, app.staff.tr("staff.pause"))
    press(app, app.staff.tr("staff.close"))
    check(request, named(shape, "paused"), at(app))


@pytest.mark.parametrize("shape", SHAPES)
def test_staff_panel_in_chinese_and_a_locked_pin_pad_match_references(
    request, make_kiosk, shape
) -> None:
    app = kiosk_for(make_kiosk, shape, seed=5)
    hold_corner(app)
    for _ in range(3):
        enter_pin(app, "1111")
    run_for(app, 0.1)
    check(request, named(shape, "staff-pinpad-locked"), app)  # keys disabled, seconds above
    run_for(app, 61)
    hold_corner(app)
    enter_pin(app, "2468")
    press(app, app.staff.tr("staff.language"))
    press(app, app.staff.tr("staff.unmute" if app.speech.muted else "staff.mute"))
    app.layer.health["free_mb"] = 5120  # the machine's own free space would vary
    check(request, named(shape, "staff-panel-zh-HK"), app)  # "English" padded; speaker on


@pytest.mark.parametrize("shape", SHAPES)
def test_still_playing_overlay_matches_reference(request, make_kiosk, shape) -> None:
    app = kiosk_for(make_kiosk, shape, seed=5)
    tap(app, 960, 540)
    tap_button(app, 1)  # Chinese first, English under it
    tap_button(app, 2)
    tap(app, *app.scene.start.rect.center)
    run_for(app, 3.0)
    app.idle.quiet_s = app.scene.idle_limit() + 1  # as if nobody had touched it since
    app.update(0.0)
    assert app.asking
    check(request, named(shape, "zh-HK-still-playing"), app)
