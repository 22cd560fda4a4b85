"""Access for every visitor (issue 12, items 3 and 6): the way back from the wrong language,
the access bar (again, stop, quieter, louder), large text with high contrast, and that all of
it lasts one visit only. Real kiosk, simulated clock; real speech where speech is the point."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator

import pygame
import pytest

from kiosk.booth.app import VOLUME_MIN, VOLUME_STEP, Kiosk
from kiosk.speech import Speech
from kiosk.ui import theme
from kiosk.ui.access_bar import AccessKey
from tests.journeykit import run_for, tap, tap_button
from tests.speechkit import channel, needs_espeak, pump

CANVAS = pygame.Rect(0, 0, 1920, 1080)
JOURNEY_WITH_TEXT = ("language", "menu", "howto", "result", "claim", "thanks")


@pytest.fixture(autouse=True)
def usual_look() -> Iterator[None]:
    yield
    theme.use_high_contrast(False)  # the palette is module state: never leak it


def key(app: Kiosk, kind: str) -> AccessKey:
    return next(b for b in app.scene.buttons if isinstance(b, AccessKey) and b.kind == kind)


def press(app: Kiosk, button) -> None:
    tap(app, *button.rect.center)


def walk(app: Kiosk, lang_index: int = 0, large: bool = False) -> Iterator[str]:
    """Touch → language (big text if ``large``) → menu → howto → play (the game's bot) →
    result → claim → thanks, yielding each screen's name once it is up."""
    tap(app, 960, 540)
    if large:
        press(app, key(app, "large"))
    yield app.scene.name
    tap_button(app, lang_index)
    yield app.scene.name
    tap_button(app, 0)
    yield app.scene.name
    tap(app, *app.scene.start.rect.center)
    bot = app.visit.game.bot(app.scene.game, random.Random(4), 0.9)
    while app.scene.name == "play":
        for ev in bot.step(0.05):
            app.pointer(ev)
        run_for(app, 0.05)
    yield app.scene.name
    tap(app, *app.scene.next.rect.center)
    yield app.scene.name
    tap(app, *app.scene.done.rect.center)
    yield app.scene.name


# -- item 3: back from the wrong language ------------------------------------------------------
def test_the_menu_goes_back_to_the_language_choice_labelled_in_both_languages(
    make_kiosk, strings
) -> None:
    app = make_kiosk()
    tap(app, 960, 540)
    tap_button(app, 1)  # 繁體中文, by mistake
    visit = app.visit
    back = next(b for b in app.scene.buttons if b.label == strings.get("zh-HK", "menu.language"))
    assert back.sublabel == strings.get("en", "menu.language")
    assert back.rect.w >= theme.MIN_TARGET and back.rect.h >= theme.MIN_TARGET
    press(app, back)
    assert app.scene.name == "language" and app.visit is visit  # the same visit goes on
    again = key(app, "again")  # labelled as on the first visit, not in the mistaken language
    assert (again.label, again.sublabel) == (
        strings.get("en", "access.again"),
        strings.get("zh-HK", "access.again"),
    )
    tap_button(app, 0)
    assert app.scene.name == "menu" and app.visit.lang == "en"
    labels = {b.label for b in app.scene.buttons}
    assert strings.get("en", "menu.language") in labels


def test_with_one_language_the_menu_has_no_language_button(make_kiosk, strings) -> None:
    from kiosk.config import Config

    config = Config()
    config.languages = ["en"]
    app = make_kiosk(config=config)
    tap(app, 960, 540)
    assert app.scene.name == "menu"
    assert strings.get("en", "menu.language") not in {b.label for b in app.scene.buttons}


# -- item 6: the access bar on every screen with text -------------------------------------------
@pytest.mark.parametrize("large", [False, True])
def test_every_screen_with_text_has_the_access_keys_and_everything_fits(make_kiosk, large) -> None:
    app = make_kiosk()
    drawn: list[tuple[str, pygame.Rect]] = []
    real_draw = app.text.draw

    def recording_draw(surface, text, size, color, **kw):
        rect = real_draw(surface, text, size, color, **kw)
        drawn.append((text, rect))
        return rect

    app.text.draw = recording_draw
    seen = []
    for name in walk(app, lang_index=1, large=large):
        scene = app.scene
        seen.append(name)
        keys = [b for b in scene.buttons if isinstance(b, AccessKey)]
        kinds = {k.kind for k in keys}
        assert {"stop", "quieter", "louder"} <= kinds, name
        # "Again", or (how-to) the screen's own Hear-again button
        assert "again" in kinds or name == "howto", name
        assert scene.speech_text(), name
        for b in scene.buttons:
            assert CANVAS.contains(b.rect), (name, b.label)
            assert b.rect.w >= theme.MIN_TARGET and b.rect.h >= theme.MIN_TARGET
            others = [o.rect for o in scene.buttons if o is not b and o.label]
            assert b.rect.collidelist(others) == -1, (name, b.label)
            if b.label and not isinstance(b, AccessKey):  # the keys shrink a long label
                size = b.fitted(app.text, b.label, b.size, "bold")
                assert app.text.font(size, "bold").size(b.label)[0] <= b.rect.w, (name, b.label)
                assert size >= b.size * 0.75, (name, b.label, large)  # shrunk a little at most
            if b.sublabel and not isinstance(b, AccessKey):
                size = b.fitted(app.text, b.sublabel, theme.SMALL, "regular")
                assert app.text.font(size).size(b.sublabel)[0] <= b.rect.w, (name, b.sublabel)
        drawn.clear()
        app.draw()
        for text, rect in drawn:
            assert CANVAS.contains(rect), (name, text, rect, large)
        for k in keys:  # drawn, in the key colour (the switch lit when on)
            fill = theme.SUN if k.lit() else theme.BUTTON_QUIET
            assert app.canvas.get_at((k.rect.centerx, k.rect.y + 6))[:3] == fill, (name, k.kind)
        assert app.text.large is large and theme.high_contrast is large
    assert seen == list(JOURNEY_WITH_TEXT)


def test_large_text_and_volume_last_one_visit(make_kiosk) -> None:
    app = make_kiosk()
    default = app.config.audio.volume
    tap(app, 960, 540)
    before = app.text.font(theme.SMALL).size("Pick a game")[0]
    press(app, key(app, "large"))
    assert app.large_text and theme.high_contrast and app.text.large
    assert key(app, "large").lit()
    assert app.text.font(theme.SMALL).size("Pick a game")[0] > before  # larger: 30 px → 40
    assert app.text.shown_size(theme.TITLE) == theme.TITLE  # headlines keep their size
    press(app, key(app, "louder"))
    assert app.speech.volume == pytest.approx(min(1.0, default + VOLUME_STEP))
    for sound in app.sfx.sounds.values():
        assert sound.get_volume() == pytest.approx(app.speech.volume, abs=0.01)
    for _ in range(8):
        press(app, key(app, "quieter"))
    assert app.speech.volume == pytest.approx(VOLUME_MIN)  # never silent
    press(app, key(app, "large"))  # and off again
    assert not theme.high_contrast and not app.text.large
    press(app, key(app, "large"))
    tap_button(app, 0)
    assert theme.high_contrast  # it stays on for the rest of the visit
    run_for(app, 60 + app.config.idle.countdown_s + 1)  # the visitor walks away
    assert app.scene.name == "attract"
    assert not theme.high_contrast and not app.text.large
    tap(app, 960, 540)
    assert not app.large_text and app.speech.volume == pytest.approx(default)
    for sound in app.sfx.sounds.values():
        assert sound.get_volume() == pytest.approx(default, abs=0.01)


@pytest.mark.parametrize("palette", ["standard", "high_contrast"])
def test_text_contrast_in_each_palette(palette) -> None:
    need = 7.0 if palette == "high_contrast" else 4.5  # WCAG 2.2 1.4.6 (AAA) / 1.4.3 (AA)
    for name, (fg, bg) in theme.text_pairs(palette).items():
        assert theme.contrast_ratio(fg, bg) >= need, (palette, name)


def test_switching_the_palette_rebinds_every_colour_name() -> None:
    theme.use_high_contrast(True)
    assert theme.PALETTES["high_contrast"]["NAVY"] == theme.BACKGROUND
    assert theme.text_pairs("high_contrast") == theme.TEXT_PAIRS
    for fg, bg in theme.TEXT_PAIRS.values():
        assert theme.contrast_ratio(fg, bg) >= 7.0
    theme.use_high_contrast(False)
    assert theme.BACKGROUND == (14, 30, 58) and theme.text_pairs("standard") == theme.TEXT_PAIRS


# -- speech: again and stop, for real ----------------------------------------------------------
@needs_espeak
def test_again_repeats_the_score_and_stop_silences_it(make_kiosk, tmp_path) -> None:
    app = make_kiosk()
    app.speech = Speech(tmp_path / "voice")  # a real engine, not muted
    try:
        screens = walk(app)
        while next(screens) != "result":
            pass
        result = app.scene
        spoken = result.speech_text()
        assert str(app.visit.result.score) in spoken and result.lesson in spoken
        pump(app.speech, lambda: channel().get_busy())  # the score is read on arrival
        press(app, key(app, "stop"))
        assert not channel().get_busy() and not app.speech.speaking
        press(app, key(app, "again"))
        pump(app.speech, lambda: channel().get_busy())
        assert app.speech.wav_path("en", spoken).exists()  # the whole text, lesson too
        playing = channel().get_sound()
        assert playing.get_length() > 3.0
        press(app, key(app, "louder"))
        louder = min(1.0, app.config.audio.volume + VOLUME_STEP)
        assert channel().get_volume() == pytest.approx(louder, abs=0.01)
        press(app, key(app, "stop"))
        assert not channel().get_busy()

        tap(app, *app.scene.next.rect.center)  # the prize is read by name
        claim = app.scene
        assert claim.name == "claim"
        if claim.award is not None and claim.award.url:
            assert claim.tier_name(claim.award.tier) in claim.speech_text()
    finally:
        app.speech.shutdown()


@pytest.mark.parametrize("lang", ["en", "zh-HK"])
def test_every_game_plays_in_large_text_and_high_contrast(lang, caplog) -> None:
    """The games size their text to its box, so large text shrinks back where space is
    short: a whole round is played and drawn with no overflow logged."""
    from games.registry import discover
    from kiosk.ui.text import TextRenderer
    from tests.gamekit import DT, GameKit

    theme.use_high_contrast(True)
    surface = pygame.Surface((1920, 1080))
    for spec in discover().values():
        kit = GameKit(spec)
        large = TextRenderer()  # a renderer of its own: the kit's is shared
        large.large = True
        ctx = dataclasses.replace(kit.make_ctx(lang=lang), text=large)
        game = spec.factory(ctx)
        bot = spec.bot(game, random.Random(1), 0.8)
        for i in range(round(70 / DT)):
            for ev in bot.step(DT):
                game.handle(ev)
            game.update(DT)
            if i % 40 == 0:
                game.draw(surface)
            if game.finished:
                break
        game.draw(surface)
        assert game.finished, spec.id
    errors = [r for r in caplog.records if r.levelname in ("ERROR", "WARNING")]
    assert not errors, [r.getMessage() for r in errors]


def test_a_key_face_is_drawn_once_and_shared_by_every_screens_bar(make_kiosk) -> None:
    """Every screen builds its own bar; a key that looks the same is not drawn again (the
    first frame of each screen only copies it), and a lit key gets its own face."""
    from kiosk.ui import access_bar

    app = make_kiosk()
    tap(app, 960, 540)  # the language screen: its bar drawn in its first frame
    app.draw()
    first = app.scene.access.keys
    faces = dict(access_bar._faces)
    drawn: list[str] = []
    face = AccessKey._face

    def counting(self, *args):
        drawn.append(self.kind)
        return face(self, *args)

    AccessKey._face = counting  # type: ignore[method-assign]
    try:
        app.journey.go("language")  # the same screen again: new keys, the same looks
        assert app.scene.access.keys[0] is not first[0]
        app.draw()
        assert drawn == [] and dict(access_bar._faces).keys() == faces.keys()
        large = next(k for k in app.scene.access.keys if k.kind == "large")
        tap(app, *large.rect.center)  # lit now: a face of its own
        app.draw()
        assert "large" in drawn
    finally:
        AccessKey._face = face  # type: ignore[method-assign]
