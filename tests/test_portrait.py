"""Portrait totems: the canvas follows the screen's shape (or ``orientation`` in kiosk.toml),
every journey screen has its own portrait layout with fingertip targets inside the screen,
the bots finish journeys on it, and touches on the scaled playfield reach the game where the
visitor's finger is.

The pictures themselves are reference screenshots (tests/test_screenshots.py, portrait-*).
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pygame
import pytest

from games.registry import discover
from kiosk.booth.display import Display
from kiosk.booth.scenes.menu import MENU_FOOT_PORTRAIT, grid
from kiosk.booth.scenes.playframe import HEAR_AGAIN
from kiosk.config import Config, ConfigError
from kiosk.input import PointerEvent, PointerTranslator
from kiosk.ui.frame import LANDSCAPE, PORTRAIT, canvas_size
from kiosk.ui.scaling import Letterbox
from kiosk.ui.theme import MIN_TARGET
from tests.journeykit import (
    autoplay,
    enter_pin,
    hold_corner,
    press,
    run_for,
    tap,
    tap_button,
)

SHAPES = {"landscape": LANDSCAPE, "portrait": PORTRAIT}


def portrait_kiosk(make_kiosk, **kw):
    return make_kiosk(canvas=pygame.Surface(PORTRAIT), **kw)


def portrait_round(make_kiosk, game_id: str):
    """A portrait kiosk with only ``game_id``, its round started: (kiosk, the game's spec)."""
    spec = discover()[game_id]
    app = portrait_kiosk(make_kiosk, games=[spec])
    tap(app, 500, 500)
    tap_button(app, 0)
    tap_button(app, 0)
    tap(app, *app.scene.start.rect.center)
    return app, spec


# --------------------------------------------------------------------------- the canvas


@pytest.mark.parametrize(
    "screen,setting,expected",
    [
        ((1080, 1920), "auto", PORTRAIT),
        ((2160, 3840), "auto", PORTRAIT),  # a 4K totem
        ((768, 1366), "auto", PORTRAIT),
        ((1920, 1080), "auto", LANDSCAPE),
        ((1280, 1024), "auto", LANDSCAPE),
        ((1080, 1080), "auto", LANDSCAPE),  # square: the landscape screens fit it best
        ((1920, 1080), "portrait", PORTRAIT),  # a rotated panel reporting its native size
        ((1080, 1920), "landscape", LANDSCAPE),
    ],
)
def test_the_canvas_follows_the_screen_shape_unless_the_config_says(
    screen, setting, expected
) -> None:
    assert canvas_size(screen, setting) == expected


def test_orientation_in_kiosk_toml_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    for value in ("auto", "landscape", "portrait"):
        path.write_text(f'orientation = "{value}"\n')
        assert Config.load(path).orientation == value
    path.write_text('orientation = "upright"\n')  # a typo is one line, not a silent "auto"
    with pytest.raises(ConfigError, match='orientation = "upright": allowed is one of auto, '):
        Config.load(path)


def test_a_headless_portrait_booth_draws_on_a_portrait_canvas() -> None:
    try:
        display = Display(headless=True, orientation="portrait")
        assert display.canvas.get_size() == PORTRAIT == display.window.get_size()
        assert display.letterbox.is_identity
        display = Display(headless=True)  # auto, with no screen to follow: landscape
        assert display.canvas.get_size() == LANDSCAPE
    finally:
        pygame.display.set_mode(LANDSCAPE)  # as conftest left it


def test_a_half_size_totem_maps_fingers_onto_the_portrait_canvas() -> None:
    window = (540, 960)
    box = Letterbox(window, canvas_size(window))
    assert box.rect == pygame.Rect(0, 0, 540, 960)  # no black bars at all
    t = PointerTranslator(box)
    ev = t.translate(finger(pygame.FINGERDOWN, 0.25, 0.75))
    assert (round(ev.x), round(ev.y)) == (270, 1440)


# --------------------------------------------------------------------------- targets


def walk_every_screen(app) -> list[tuple[str, list[pygame.Rect]]]:
    """Every journey screen and both staff layers, with the rects of their buttons."""
    seen: list[tuple[str, list[pygame.Rect]]] = []

    def note(name: str | None = None) -> None:
        screen = app.layer or app.scene
        seen.append((name or screen.name, [b.rect for b in screen.buttons]))

    note()  # attract: the whole screen is its target
    tap(app, 500, 500)
    note()
    tap_button(app, 1)  # Chinese: the longer labels
    note()
    tap_button(app, 0)
    note()
    tap(app, *app.scene.start.rect.center)
    note()  # play: the frame's own button
    app.scene.game.finished = True
    run_for(app, 2.0)
    note()
    tap_button(app, 0)
    note()
    tap(app, *app.scene.done.rect.center)
    note()
    hold_corner(app)
    note()
    enter_pin(app, "2468")
    note()
    press(app, app.staff.tr("staff.quit"))  # armed: the confirm label is the longest
    note("staff (quit armed)")
    app.layer.warnings = "database locked"  # the acknowledge button appears
    app.layer.refresh()
    note("staff (warnings)")
    press(app, app.staff.tr("staff.pause"))
    press(app, app.staff.tr("staff.close"))
    note()
    app.journey.fail(RuntimeError("drawn for the layout test"))
    note()
    return seen


@pytest.mark.parametrize("shape", SHAPES)
def test_every_screen_keeps_its_targets_big_inside_the_screen_and_apart(make_kiosk, shape) -> None:
    size = SHAPES[shape]
    app = make_kiosk(canvas=pygame.Surface(size))
    seen = walk_every_screen(app)
    names = {name for name, _ in seen}
    assert {"attract", "language", "menu", "howto", "play", "result", "claim", "thanks"} <= names
    assert {"pinpad", "staff", "paused", "failsafe"} <= names
    screen = pygame.Rect((0, 0), size)
    for name, rects in seen:
        for i, r in enumerate(rects):
            where = (shape, name, tuple(r))
            assert r.width >= MIN_TARGET and r.height >= MIN_TARGET, where
            assert screen.contains(r.move(0, 8).union(r)), where  # with its shadow
            assert not any(r.colliderect(o) for o in rects[i + 1 :]), where


@pytest.mark.parametrize("count", [1, 2, 3, 5, 6, 8])
def test_a_portrait_menu_lays_out_any_number_of_games(count) -> None:
    rects = grid(count, PORTRAIT)
    screen = pygame.Rect(0, 0, *PORTRAIT)
    foot = pygame.Rect(0, PORTRAIT[1] - MENU_FOOT_PORTRAIT, PORTRAIT[0], MENU_FOOT_PORTRAIT)
    for i, r in enumerate(rects):
        assert screen.contains(r) and not r.colliderect(foot)
        assert r.width >= 400 and r.height >= 300  # an icon, a title and a promise fit
        assert not any(r.colliderect(o) for o in rects[i + 1 :])


def test_portrait_screens_use_the_whole_width_not_a_letterboxed_band(make_kiosk) -> None:
    """The buttons of the portrait layouts sit where a letterboxed landscape picture would
    have had black bars, and the language buttons are not shrunk to 56 %."""
    app = portrait_kiosk(make_kiosk)
    band = pygame.Rect(0, (1920 - 608) // 2, 1080, 608)  # the landscape picture, scaled
    tap(app, 500, 500)
    rects = [b.rect for b in app.scene.buttons[: len(app.config.languages)]]  # not the access keys
    assert all(r.width >= 640 and r.height >= 260 for r in rects)  # landscape's own size
    tap_button(app, 0)
    tap_button(app, 0)
    assert not band.contains(app.scene.start.rect)


# --------------------------------------------------------------------------- journeys


def test_the_autopilot_completes_journeys_on_a_portrait_totem(make_kiosk) -> None:
    app = portrait_kiosk(make_kiosk, seed=11)
    seen = autoplay(app, 3)  # drawn too: every portrait screen, the games in their frame
    assert app.journeys_completed == 3 and not app.running
    assert {"attract", "language", "menu", "howto", "play", "result", "claim", "thanks"} <= seen
    plays = list(app.store.plays())
    assert [p["outcome"] for p in plays] == ["completed"] * 3
    assert all(p["score"] is not None for p in plays)


@pytest.mark.parametrize("game_id", sorted(discover()))
def test_a_skilled_bot_scores_as_well_through_the_portrait_frame(make_kiosk, game_id) -> None:
    """Each game's bot aims in game coordinates; its fingers go onto the portrait screen and
    back through the frame. A skilled round still scores as the game contract promises."""
    app, spec = portrait_round(make_kiosk, game_id)
    bot = spec.bot(app.scene.game, random.Random(4), 1.0)
    while app.scene.name == "play":
        for ev in bot.step(0.05):
            app.pointer(app.scene.from_game(ev))
        run_for(app, 0.05)
    assert app.visit.result.score >= 80


# --------------------------------------------------------------------------- touches


def finger(kind: int, x: float, y: float, fid: int = 1) -> pygame.event.Event:
    return pygame.event.Event(kind, x=x, y=y, finger_id=fid, touch_id=1, dx=0.0, dy=0.0)


def recycle_round(make_kiosk):
    app, _ = portrait_round(make_kiosk, "recycle_right")
    run_for(app, 1.0)  # the first card has appeared
    return app, app.scene.game


def on_screen(gx: float, gy: float) -> tuple[float, float]:
    """Where a game pixel is on a 1080×1920 totem, worked out by hand: the 1920×1080
    playfield is scaled to 1080 px wide (× 0.5625) and starts under the 290 px bar."""
    return gx * 0.5625, 290 + gy * 0.5625


def test_a_finger_on_the_playfield_reaches_the_game_where_it_touched(make_kiosk) -> None:
    app, game = recycle_round(make_kiosk)
    got: list[PointerEvent] = []
    handle = game.handle
    game.handle = lambda ev: (got.append(ev), handle(ev))  # the real game, watched
    window = (540, 960)  # a half-size totem: real finger events, fractions of the window
    translate = PointerTranslator(Letterbox(window, canvas_size(window))).translate
    for gx, gy in [(0.0, 0.0), (960.0, 540.0), (1500.0, 1000.0), (1919.0, 1079.0)]:
        sx, sy = on_screen(gx, gy)
        app.pointer(translate(finger(pygame.FINGERDOWN, sx / 1080, sy / 1920, 3)))
        app.pointer(translate(finger(pygame.FINGERUP, sx / 1080, sy / 1920, 3)))
        down, up = got[-2:]
        assert (down.kind, up.kind) == ("down", "up")
        assert abs(down.x - gx) <= 2 and abs(down.y - gy) <= 2, (gx, gy, down)


def test_a_card_dragged_on_the_portrait_screen_lands_in_the_bin_under_the_finger(
    make_kiosk,
) -> None:
    app, game = recycle_round(make_kiosk)
    item = game.free_items()[0]
    slot = game.bin_for(item.spec.bin)
    start = on_screen(item.x, item.y)
    end = on_screen(*slot.drop_rect.center)
    app.pointer(PointerEvent("down", *start, 4))
    assert item.state == "held"
    for k in range(1, 11):
        x = start[0] + (end[0] - start[0]) * k / 10
        y = start[1] + (end[1] - start[1]) * k / 10
        app.pointer(PointerEvent("move", x, y, 4))
    app.pointer(PointerEvent("up", *end, 4))
    assert game.correct == 1 and game.wrong == 0


def test_touches_off_the_playfield_stay_off_it_but_a_drag_may_slide_out(make_kiosk) -> None:
    app, game = recycle_round(make_kiosk)
    got: list[PointerEvent] = []
    handle = game.handle
    game.handle = lambda ev: (got.append(ev), handle(ev))
    app.pointer(PointerEvent("down", 540, 100, 5))  # on the title bar
    app.pointer(PointerEvent("up", 540, 100, 5))
    app.pointer(PointerEvent("down", 540, 1200, 5))  # on the instructions card
    app.pointer(PointerEvent("up", 540, 1200, 5))
    assert got == []
    app.pointer(PointerEvent("down", 540, 600, 6))  # on the playfield, then off its bottom
    app.pointer(PointerEvent("move", 540, 1500, 6))
    app.pointer(PointerEvent("up", 540, 1500, 6))
    assert [(e.kind, e.y) for e in got] == [
        ("down", pytest.approx((600 - 290) / 0.5625)),
        ("move", 1079.0),  # held at the playfield's edge
        ("up", 1079.0),
    ]


def test_hear_again_under_the_playfield_repeats_the_instructions(make_kiosk) -> None:
    app, game = recycle_round(make_kiosk)
    said: list[str] = []
    app.say = said.append  # what the kiosk would speak, in the visitor's language
    got: list[PointerEvent] = []
    handle = game.handle
    game.handle = lambda ev: (got.append(ev), handle(ev))
    tap(app, *HEAR_AGAIN.center)
    assert said == [game.ctx.tr("howto")] and got == []


def test_the_playfield_keeps_16_9_across_the_full_width(make_kiosk) -> None:
    app, _ = recycle_round(make_kiosk)
    frame = app.scene.frame
    assert frame.playfield == pygame.Rect(0, 290, 1080, 608)
    landscape = make_kiosk(games=[discover()["recycle_right"]])
    tap(landscape, 500, 500)
    tap_button(landscape, 0)
    tap_button(landscape, 0)
    tap(landscape, *landscape.scene.start.rect.center)
    assert landscape.scene.frame is None  # landscape: the game has the whole screen
    ev = PointerEvent("down", 123.0, 456.0, 1)
    assert landscape.scene.from_game(ev) == ev


def test_a_menu_with_one_game_fills_a_portrait_screen(make_kiosk) -> None:
    spec = next(iter(discover().values()))
    app = portrait_kiosk(make_kiosk, games=[dataclasses.replace(spec)])
    tap(app, 500, 500)
    tap_button(app, 0)
    (card,) = [b.rect for b in app.scene.card_buttons]
    assert card.width >= 900 and card.height >= 600


# --------------------------------------------------------------------------- a real boot


def test_a_booth_configured_portrait_boots_plays_and_its_qr_scans(tmp_path: Path) -> None:
    """``launch.py`` as an operator runs it with ``orientation = "portrait"``: every screen
    it saves is a totem's 1080×1920, the journey completes, and the claim QR on the
    portrait screen decodes to the play's claim link."""
    from click.testing import CliRunner

    from kiosk.cli import cli
    from tests.bootkit import CLAIM_URL, decode_qr, launch

    key = tmp_path / "keys" / "event.key"
    assert CliRunner().invoke(cli, ["keys", "new", "--out", str(key)]).exit_code == 0
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'orientation = "portrait"\nclaim_url = "{CLAIM_URL}"\n[prizes]\nkey_file = "{key}"\n'
    )
    shots = tmp_path / "shots"
    proc = launch(
        "--headless", "--autoplay", "1", "--fast", "--seed", "3", "--mute",
        "--db", str(tmp_path / "scores.db"), "--screenshots", str(shots),
        "--config", str(config), cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "1 completed" in proc.stdout
    pngs = sorted(shots.glob("*.png"))
    names = {p.stem.split("-", 1)[1] for p in pngs}
    assert {"attract", "language", "menu", "howto", "play", "result", "claim", "thanks"} <= names
    assert {pygame.image.load(str(p)).get_size() for p in pngs} == {PORTRAIT}
    (claim,) = [p for p in pngs if p.stem.endswith("-claim")]
    assert decode_qr(claim).startswith(CLAIM_URL)


def test_the_playfield_rescales_only_what_changed_and_matches_a_whole_rescale() -> None:
    """After the first frame only the changed parts of the game's picture are scaled again;
    the playfield on screen still matches scaling the whole picture (a level of rounding)."""
    from kiosk.booth.scenes.playframe import PlayFrame

    field = pygame.Surface((1920, 1080))
    for i in range(0, 1920, 24):
        pygame.draw.line(field, (i % 256, (i * 5) % 256, 80), (i, 0), (1920 - i, 1080), 7)
    frame = PlayFrame(PORTRAIT)
    on_screen = pygame.Surface(frame.playfield.size)
    frame._scale(field, on_screen)
    pygame.draw.circle(field, (250, 240, 10), (700, 500), 45)  # a card moves
    pygame.draw.rect(field, (10, 200, 250), (1850, 1000, 70, 80))  # at the corner too
    frame._scale(field, on_screen)
    whole = pygame.Surface(frame.playfield.size)
    PlayFrame(PORTRAIT)._scale(field, whole)
    import numpy as np

    a = pygame.surfarray.pixels3d(on_screen).astype(int)
    b = pygame.surfarray.pixels3d(whole).astype(int)
    assert np.abs(a - b).max() <= 2
    # and it was the pieces, not the whole: a pixel changed behind the frame's back stays
    on_screen.set_at((10, 10), (1, 2, 3))
    frame._scaled.set_at((10, 10), (1, 2, 3))
    field.set_at((1900, 10), (255, 0, 0))
    frame._scale(field, on_screen)
    assert on_screen.get_at((10, 10))[:3] == (1, 2, 3)


def test_a_new_playfield_in_a_late_frame_is_scaled_over_a_few_frames() -> None:
    """A frame that already ran long scales a whole new game picture a slice at a time
    (kiosk/ui/slicing.py): each frame writes a part, within MAX_FRAMES frames it is all
    there, and then it is what scaling the whole picture gives."""
    import time

    import numpy as np

    from kiosk.booth.scenes.playframe import PlayFrame
    from kiosk.ui.slicing import MAX_FRAMES

    field = pygame.Surface((1920, 1080))
    frame = PlayFrame(PORTRAIT)
    on_screen = pygame.Surface(frame.playfield.size)
    frame._scale(field, on_screen)  # the round's first frame: whole, and the cost learnt
    for i in range(0, 1920, 24):  # the next round of the game: a new picture
        pygame.draw.line(field, (i % 256, (i * 5) % 256, 80), (i, 0), (1920 - i, 1080), 7)
    frames = 0
    while True:
        frame._scale(field, on_screen, whole=False, started=time.thread_time() - 1.0)
        frames += 1
        if not frame._slicer:
            break
        assert frames < MAX_FRAMES
    assert frames > 1  # it was spread
    whole = pygame.Surface(frame.playfield.size)
    PlayFrame(PORTRAIT)._scale(field, whole)
    a = pygame.surfarray.pixels3d(on_screen).astype(int)
    b = pygame.surfarray.pixels3d(whole).astype(int)
    assert np.abs(a - b).max() <= 2


def _whole_redraw(app) -> bytes:
    """The canvas as the play scene draws it from nothing (no kept picture trusted)."""
    app.canvas_kept = False
    app.scene.draw(app.canvas)
    return pygame.image.tobytes(app.canvas, "RGBX")


@pytest.mark.parametrize(
    "game_id", ["smart_commute", "smart_home_saver", "phish_or_legit", "recycle_right"]
)
def test_a_kept_play_frame_redraws_only_what_changed_and_looks_the_same(
    make_kiosk, game_id
) -> None:
    """On a kept canvas the play frame draws again only the bar under its title, the
    feedback line and the button when they change, and the rescaled pieces of the
    playfield; every frame of a round (a bot playing, "Hear again" held down and let go) is
    pixel for pixel the frame drawn from nothing."""
    app, spec = portrait_round(make_kiosk, game_id)
    bot = spec.bot(app.scene.game, random.Random(5), 0.8)
    kept = 0
    for k in range(150):
        if k == 40:
            app.pointer(PointerEvent("down", *HEAR_AGAIN.center, 9))
        if k == 50:
            app.pointer(PointerEvent("up", *HEAR_AGAIN.center, 9))
        for ev in bot.step(1 / 30):
            app.pointer(app.scene.from_game(ev))
        app.clock.advance(1 / 30)
        app.frame(1 / 30)
        if app.scene.name != "play":
            break
        kept += app.canvas_kept
        shown = pygame.image.tobytes(app.canvas, "RGBX")
        assert shown == _whole_redraw(app), f"frame {k}"
    assert kept >= 100  # the kept path was the one taken


def test_a_canvas_drawn_over_is_never_taken_as_kept(make_kiosk) -> None:
    """After "Still playing?" or the PIN pad has drawn over the play screen, its next frame
    is drawn whole."""
    app, _ = recycle_round(make_kiosk)
    run_for(app, 0.1, draw=True)
    assert app.canvas_kept
    app.idle.quiet_s = app.scene.idle_limit() - 0.01  # nobody has touched it a while
    run_for(app, 0.1, draw=True)
    assert app.asking
    app.pointer(PointerEvent("down", 400, 20, 1))  # "still here"
    app.pointer(PointerEvent("up", 400, 20, 1))
    run_for(app, 0.05, draw=True)
    assert not app.asking and not app.canvas_kept
    run_for(app, 0.05, draw=True)
    assert app.canvas_kept
    app.staff.open("pinpad")
    run_for(app, 0.05, draw=True)
    app.staff.close()
    run_for(app, 0.05, draw=True)
    assert not app.canvas_kept


@pytest.mark.parametrize("lang", ["en", "zh-HK"])
def test_every_game_title_stays_on_the_line_a_kept_bar_leaves_alone(strings, lang) -> None:
    """A kept play frame draws its bar again only under ``PORTRAIT_TITLE_H``: every game's
    title, in either language, stays above it."""
    from games.kit.gamebar import PORTRAIT_TITLE_H, draw_bar_above
    from kiosk.booth.scenes.playframe import BAR
    from kiosk.i18n import Tr
    from kiosk.ui.text import TextRenderer

    text = TextRenderer()
    for game_id in discover():
        surface = pygame.Surface(BAR.size)
        draw_bar_above(surface, BAR, text, Tr(strings, lang).game(game_id), None)
        surface.set_colorkey((0, 0, 0))  # the title's pixels: all but the black
        drawn = surface.get_bounding_rect()
        assert drawn.h > 30 and drawn.bottom <= PORTRAIT_TITLE_H, (game_id, drawn)


def _portrait_howto_read(make_kiosk, game_id: str):
    """A portrait kiosk on ``game_id``'s how-to, read long enough for its round to be
    built ahead (seconds on a booth; the worker waited for here): (kiosk, the spec)."""
    spec = discover()[game_id]
    app = portrait_kiosk(make_kiosk, games=[spec])
    tap(app, 500, 500)
    tap_button(app, 0)
    tap_button(app, 0)
    assert app.scene.name == "howto"
    run_for(app, 1.0)
    app.pregame.wait_settled()
    return app, spec


@pytest.mark.parametrize("game_id", ["park_smart", "recycle_right", "smart_home_saver"])
def test_a_portrait_game_s_first_frame_goes_on_from_its_picture_drawn_ahead(
    make_kiosk, monkeypatch, game_id
) -> None:
    """The round's first picture is drawn on the playfield and scaled while the how-to is
    read (kiosk/booth/scenes/playframe.py draw_ahead): the frame Start is touched in neither
    scales nor compares the whole playfield, nor opens a font, and shows what drawing the
    whole round's picture and scaling all of it shows."""
    import numpy as np

    from games.kit import gamebar
    from kiosk.booth.scenes.playframe import PlayFrame
    from kiosk.ui.damage import Damage
    from kiosk.ui.rescale import Rescaler
    from kiosk.ui.text import TextRenderer

    app, _ = _portrait_howto_read(make_kiosk, game_id)
    scaled: list[pygame.Rect] = []
    compared: list[list[pygame.Rect] | None] = []
    opened: list[tuple] = []
    real_update, real_changed, real_open = Rescaler.update, Damage.changed, TextRenderer._open

    def update(self, source, dest, changed, *args, **kwargs):
        scaled.extend(pygame.Rect(a) for a in changed)
        return real_update(self, source, dest, changed, *args, **kwargs)

    def changed(self, surface, within=None):
        compared.append(within)
        return real_changed(self, surface, within)

    def font_open(self, path, size):
        opened.append((path.name, size))
        return real_open(self, path, size)

    monkeypatch.setattr(Rescaler, "update", update)
    monkeypatch.setattr(Damage, "changed", changed)
    monkeypatch.setattr(TextRenderer, "_open", font_open)
    tap(app, *app.scene.start.rect.center)
    assert app.scene.name == "play"
    app.clock.advance(1 / 60)
    app.frame(1 / 60)  # the game's first frame
    monkeypatch.undo()
    scene, game = app.scene, app.scene.game
    whole = pygame.Rect((0, 0), scene._playfield.get_size())
    assert game.surface_kept and scene.frame.ahead
    # What a whole scale costs, learnt from the one drawn ahead: a big change later (a new
    # board) is put on over a few frames when a frame runs late (kiosk/ui/slicing.py).
    assert scene.frame._slicer.ms_per_px is not None
    assert whole not in scaled and sum(a.w * a.h for a in scaled) < whole.w * whole.h / 4
    assert compared and None not in compared  # only where the game said it changed
    assert opened == []
    # The same as the round's picture drawn whole and all of it scaled.
    reference = pygame.Surface(whole.size, 0, scene._playfield)
    game.surface_kept = False
    with gamebar.detached():
        game.draw(reference)
    assert pygame.image.tobytes(reference, "RGBX") == pygame.image.tobytes(scene._playfield, "RGBX")
    frame = scene.frame
    on_screen = app.canvas.subsurface(frame.playfield)
    all_scaled = pygame.Surface(frame.playfield.size, 0, on_screen)
    PlayFrame(PORTRAIT)._scale(reference, all_scaled)
    a = pygame.surfarray.pixels3d(on_screen).astype(int)
    b = pygame.surfarray.pixels3d(all_scaled).astype(int)
    assert np.abs(a - b).max() <= 2  # (a level of rounding: see the test above)


def test_a_playfield_holding_another_round_s_picture_is_drawn_whole(make_kiosk) -> None:
    """The playfield holds the picture of the round drawn ahead last; a round that is not
    that one (another build drew there since) has its first frame drawn whole."""
    from kiosk.booth.scenes.playframe import draw_ahead

    app, _ = _portrait_howto_read(make_kiosk, "recycle_right")
    other = app._round()()  # the same choices, another round object
    draw_ahead(other, PORTRAIT, app.canvas, "Hear again")
    tap(app, *app.scene.start.rect.center)  # takes the round built ahead, not ``other``
    assert app.scene.name == "play" and app.scene.game is not other
    app.clock.advance(1 / 60)
    app.frame(1 / 60)
    assert not app.scene.frame.ahead and app.scene.game.damage is None
    assert pygame.image.tobytes(app.canvas, "RGBX") == _whole_redraw(app)
