"""Transitions inside one frame: the round built ahead while the how-to is read, the idle
overlay drawn from its kept picture, the attract screen's text kept for the whole day
(issue 13). Behaviour only; the frame costs are measured by benchmarks/frames.py."""

from __future__ import annotations

import concurrent.futures
import random
import threading

import pygame
import pytest
from journeykit import run_for, tap, tap_button

from kiosk import DESIGN_SIZE
from kiosk.booth.app import Kiosk


def to_howto(app: Kiosk) -> None:
    tap(app, 960, 540)
    tap_button(app, 0)  # English
    tap_button(app, 0)  # the first game
    assert app.scene.name == "howto"


def test_the_round_built_during_the_howto_is_the_one_played(make_kiosk) -> None:
    app = make_kiosk()
    to_howto(app)
    run_for(app, 1.0)  # the visitor reads
    job = app.pregame._job
    assert job is not None and job.done.wait(30) and job.game is not None
    assert job.key == (app.visit.game.id, app.visit.lang, app.visit.seed, app.visit.difficulty)
    tap(app, *app.scene.start.rect.center)
    assert app.scene.name == "play" and app.scene.game is job.game
    assert app.visit.play_id is not None  # the play row is written at Start, not ahead


def test_a_changed_level_builds_another_round_and_a_stale_one_is_never_played(
    make_kiosk,
) -> None:
    app = make_kiosk()
    to_howto(app)
    run_for(app, 1.0)
    first = app.pregame._job
    first.done.wait(30)
    tap_button(app, 2)  # another level: the round built for the old one is not it
    assert app.visit.difficulty == "senior"
    run_for(app, 0.1)
    second = app.pregame._job
    assert second is not first and second.key[-1] == "senior"
    second.done.wait(30)
    tap(app, *app.scene.start.rect.center)
    assert app.scene.game is second.game and app.scene.game.ctx.difficulty == "senior"


def test_without_a_round_ahead_start_builds_one_in_the_frame(make_kiosk) -> None:
    app = make_kiosk()
    to_howto(app)
    app.pregame.cancel()
    app.advance("start")  # at once, before the how-to asked for the round
    assert app.scene.name == "play" and app.scene.game.ctx.difficulty == app.visit.difficulty


def test_a_round_built_ahead_plays_exactly_as_one_built_at_start(make_kiosk) -> None:
    def played(ahead: bool) -> list:
        app = make_kiosk(seed=5)
        to_howto(app)
        if ahead:
            run_for(app, 1.0)
            app.pregame.wait()
        else:
            app.pregame.cancel()
        app.advance("start")
        game = app.scene.game
        bot = app.visit.game.bot(game, random.Random(1), 0.7)
        for _ in range(200):
            for ev in bot.step(0.05):
                app.pointer(ev)
            run_for(app, 0.05)
        return [game.score(), round(game.elapsed, 3)]

    assert played(ahead=True) == played(ahead=False)


def test_the_idle_overlay_draws_from_its_kept_picture(make_kiosk) -> None:
    app = make_kiosk()
    to_howto(app)
    tap(app, *app.scene.start.rect.center)
    app.idle.quiet_s = app.scene.idle_limit() + 1  # nobody touched for a while
    app.update(0.0)
    assert app.asking
    drawn: list[int] = []
    draw = app.scene.draw

    def counting(surface: pygame.Surface) -> None:
        drawn.append(1)
        draw(surface)

    app.scene.draw = counting
    app.draw()
    first = app.canvas.copy()
    for _ in range(5):
        app.draw()
    assert len(drawn) <= 1  # the frozen game is not drawn again under the overlay
    same = pygame.Surface(first.get_size())
    same.blit(app.canvas, (0, 0))
    assert pygame.image.tobytes(first, "RGB") == pygame.image.tobytes(same, "RGB")
    kept = app.overlay._picture
    tap(app, 10, 10)  # still here: the game is drawn again
    app.draw()
    assert not app.asking and len(drawn) >= 2
    app.overlay.reset()  # the next time it asks: a new picture in the same kept surface
    app.idle.quiet_s = app.scene.idle_limit() + 1
    app.update(0.0)
    app.draw()
    assert app.asking and app.overlay._picture is kept and len(drawn) >= 2


def test_the_attract_text_survives_a_visitor(make_kiosk) -> None:
    app = make_kiosk()
    app.draw()  # the attract screen's text, rendered
    renders: list[str] = []
    render = app.text.render

    def counting(text: str, *args, **kwargs):
        if threading.current_thread() is threading.main_thread():  # not the workers ahead
            renders.append(text)
        return render(text, *args, **kwargs)

    app.text.render = counting  # type: ignore[method-assign]
    app.text._cache.clear()  # a long visit pushed everything out of the text cache
    app.draw()
    assert renders == []  # the first attract frame after a visitor renders no text


def test_the_first_attract_frame_after_a_visitor_opens_no_font(make_kiosk) -> None:
    """The brand line's size is fitted once for the day: a visitor's screens push the
    attract screen's fonts out of the renderer's open ones, and measuring opened them
    again in the first attract frame after each visitor (1 ms)."""
    from kiosk.booth.scenes import language, menu

    app = make_kiosk()
    app.draw()
    language.wait_for_face()  # (the workers drawing the next screens ahead share the fonts)
    menu.wait_for_faces()
    opened: list[int] = []
    real = app.text._open

    def counting(path, size):
        if threading.current_thread() is threading.main_thread():  # not the workers ahead
            opened.append(size)
        return real(path, size)

    app.text._open = counting  # type: ignore[method-assign]
    app.text._fonts.clear()  # a long visit opened other sizes
    app._kept_by = None  # and its screens drew over the canvas: the screen is drawn whole
    app.draw()
    assert opened == []


def test_the_idle_card_is_rendered_just_before_it_asks(make_kiosk) -> None:
    import threading

    app = make_kiosk()
    to_howto(app)
    tap(app, *app.scene.start.rect.center)
    app.text._cache.clear()
    app.idle.quiet_s = app.scene.idle_limit() - 1.0  # a second before "Still playing?"
    app.update(0.0)
    assert not app.asking
    for worker in threading.enumerate():
        if worker.name == "overlay":
            worker.join(10)
    rendered = {key[0] for key in app.text._cache}
    assert app.tr("idle.title") in rendered and app.tr("idle.touch") in rendered


def test_a_portrait_round_gets_its_frame_drawn_ahead_too(make_kiosk) -> None:
    """On a totem the play frame's still parts (backdrop, instructions card) are drawn with
    the round while the how-to is read; the first play frame uses that picture."""
    from kiosk.booth.scenes import playframe
    from kiosk.ui.frame import PORTRAIT

    canvas = pygame.Surface(PORTRAIT)
    app = make_kiosk(canvas=canvas)
    playframe._faces.clear()
    to_howto(app)
    run_for(app, 1.0)
    job = app.pregame._job
    assert job is not None and job.done.wait(30) and job.game is not None
    (ahead,) = playframe._faces.values()
    made_ahead = {id(s) for s in playframe._kept.values()}  # the playfield, its scaled picture
    tap(app, *app.scene.start.rect.center)
    app.scene.draw(canvas)
    assert app.scene.name == "play" and app.scene.frame._face is ahead
    assert {id(app.scene._playfield), id(app.scene.frame._scaled)} == made_ahead


def _slow_round(app: Kiosk, release: threading.Event) -> None:
    """The visit's round built ahead by a worker that finishes only when ``release`` is set."""
    build = app._round()

    def slow():
        release.wait(30)
        return build()

    app.pregame.cancel()
    app.pregame.prepare(app._round_key(), slow, DESIGN_SIZE)


def test_start_waits_on_the_howto_for_the_round_still_being_built(make_kiosk) -> None:
    """Start touched while the round is underway: the how-to stays up (no round built in
    the frame) until the worker is done, then that round is played."""
    app = make_kiosk()
    to_howto(app)
    release = threading.Event()
    _slow_round(app, release)
    job = app.pregame._job
    app.scene.start.action()
    run_for(app, 0.2)
    assert app.scene.name == "howto" and app.pregame.pending(app._round_key())
    release.set()
    assert job.done.wait(30)
    run_for(app, 0.05)
    assert app.scene.name == "play" and app.scene.game is job.game


def test_a_round_that_never_comes_does_not_hold_start(make_kiosk, monkeypatch) -> None:
    """Past the bound Start goes ahead: a round still queued behind another build is made
    in the frame, as without a worker."""
    import kiosk.booth.app as kiosk_app

    monkeypatch.setattr(kiosk_app, "START_WAIT_S", 0.0)  # the bound has passed
    app = make_kiosk()
    to_howto(app)
    release = threading.Event()
    _slow_round(app, release)
    app.pregame._job.key = ("an older choice",)  # the worker is busy with another round
    app.prepare_game()  # the visit's round queues behind it
    queued = app.pregame._job
    try:
        app.scene.start.action()
        run_for(app, 0.05)
        assert app.scene.name == "play" and queued.game is None
    finally:
        release.set()


def _menu_face_drawn_live(app: Kiosk) -> bytes:
    live = pygame.Surface(app.canvas.get_size(), 0, app.canvas)
    app.scene._draw_menu(live, set())
    return pygame.image.tobytes(live, "RGB")


def test_the_menu_is_drawn_ahead_in_both_languages_while_the_language_screen_is_up(
    make_kiosk,
) -> None:
    """Its first frame copies the face the worker drew, which is the face it would draw."""
    from kiosk.booth.scenes import menu

    app = make_kiosk()
    tap(app, 960, 540)
    assert app.scene.name == "language"
    app.draw()
    menu.wait_for_faces()
    ahead = {key[2]: face for key, face in menu._faces.items() if key[0] is app.strings}
    assert set(ahead) == set(app.config.languages)
    tap_button(app, 1)  # Chinese
    assert app.scene.name == "menu" and app.visit.lang == "zh-HK"
    kept = {key[2]: face for key, face in menu._faces.items() if key[0] is app.strings}
    assert kept["zh-HK"] is ahead["zh-HK"]  # not drawn again in the menu's first frame
    assert _picture(ahead["zh-HK"], app.canvas) == _menu_face_drawn_live(app)


def test_the_menu_drawn_ahead_follows_large_text_chosen_on_the_language_screen(
    make_kiosk,
) -> None:
    from kiosk.booth.scenes import menu

    app = make_kiosk()
    tap(app, 960, 540)
    app.draw()
    menu.wait_for_faces()
    large = next(b for b in app.scene.buttons if getattr(b, "kind", "") == "large")
    tap(app, *large.rect.center)
    assert app.large_text
    app.draw()
    menu.wait_for_faces()
    looks = {(key[2], key[-1]) for key in menu._faces if key[0] is app.strings}
    assert looks == {("en", True), ("zh-HK", True)}  # the two kept: this visitor's look
    tap_button(app, 0)  # English
    face = next(f for k, f in menu._faces.items() if k[0] is app.strings and k[2] == "en")
    assert _picture(face, app.canvas) == _menu_face_drawn_live(app)


def test_texts_a_visitor_may_see_are_taken_in_their_language_only() -> None:
    from kiosk.booth import textwarm

    content = {
        "cards": [
            {"body": {"en": "Pay now:\nlink", "zh-HK": "立即付款"}, "link": "x.cc"},
            {"sign": {"*": "Same in both"}},
        ],
        "pace": {"junior": 3},
    }
    assert sorted(textwarm.texts(content, "zh-HK")) == ["Same in both", "x.cc", "立即付款"]
    assert sorted(textwarm.texts(content, "en")) == ["Pay now:\nlink", "Same in both", "x.cc"]


def test_the_rounds_texts_are_broken_into_lines_while_the_howto_is_read(make_kiosk) -> None:
    """Phish or Legit's cards, its lesson for the result screen: their line breaks are
    found by the worker, so no frame of the round (or the result) looks for them."""
    from kiosk.booth import textwarm
    from kiosk.ui import linebreak

    app = make_kiosk()
    tap(app, 960, 540)
    tap_button(app, 1)  # Chinese
    phish = next(i for i, (_, s) in enumerate(app.scene.cards) if s.id == "phish_or_legit")
    tap_button(app, phish)
    linebreak.units.cache_clear()
    app.pregame.cancel()
    run_for(app, 0.5)  # the how-to asks for the round again
    app.pregame.wait_settled()
    paragraphs = textwarm.round_texts(
        app.strings, "phish_or_legit", "zh-HK", app.game_content("phish_or_legit")
    )
    lesson = app.tr.game("phish_or_legit")("lesson_high")
    assert len(paragraphs) > 100 and lesson in paragraphs
    before = linebreak.units.cache_info()
    for paragraph in paragraphs:
        linebreak.units(paragraph)
    after = linebreak.units.cache_info()
    assert after.misses == before.misses and after.hits == before.hits + len(paragraphs)


def test_a_finger_on_a_menu_card_renders_that_games_howto_text_ahead(make_kiosk) -> None:
    """The how-to's title and instructions are rendered while the card is pressed, so its
    first frame renders none of them."""
    from kiosk.booth.scenes import howto
    from kiosk.input import PointerEvent

    app = make_kiosk()
    tap(app, 960, 540)
    tap_button(app, 1)  # Chinese
    run_for(app, 0.4)
    app.text._cache.clear()
    card = app.scene.card_buttons[2]
    app.pointer(PointerEvent("down", *card.rect.center, 1))
    howto.wait_for_text()
    ahead = {key: surf for key, surf in app.text._cache.items()}
    app.pointer(PointerEvent("up", *card.rect.center, 1))
    assert app.scene.name == "howto"
    gtr = app.tr.game(app.visit.game.id)
    wanted = {gtr("title"), *app.scene.howto_lines} - {""}
    assert wanted <= {key[0] for key in ahead}
    app.draw()  # the how-to's first frame: those very surfaces, none rendered again
    for key, surf in app.text._cache.items():
        if key[0] in wanted:
            assert ahead.get(key) is surf, key[0]


def _picture(face, like: pygame.Surface) -> bytes:
    """A kept face (kiosk/ui/faces.py) put on a surface like ``like``, as RGB bytes."""
    out = pygame.Surface(like.get_size(), 0, like)
    face.blit(out)
    return pygame.image.tobytes(out, "RGB")


def _language_drawn_live(app: Kiosk) -> bytes:
    live = pygame.Surface(app.canvas.get_size(), 0, app.canvas)
    app.scene.draw_screen(live)
    return pygame.image.tobytes(live, "RGB")


def test_the_language_screen_is_drawn_ahead_while_the_attract_screen_is_up(make_kiosk) -> None:
    """Its first frame copies the face the worker drew, which is the screen it would draw;
    the menu's faces are not drawn on attract (a booth at rest keeps only what its next
    touch shows: the language screen draws them)."""
    from kiosk.booth.scenes import language, menu

    app = make_kiosk()
    menu.release_faces()  # (earlier tests' faces: the module keeps them)
    app.draw()  # the attract screen: the worker starts
    language.wait_for_face()
    key = language._face_key(app, app.canvas)
    ahead = language._kept_face(key)
    assert ahead is not None
    run_for(app, 1.0, draw=True)
    menu.wait_for_faces()
    assert not menu._faces
    tap(app, 960, 540)
    assert app.scene.name == "language"
    app.draw()
    assert language._kept_face(key) is ahead  # not drawn again in its first frame
    shown = pygame.image.tobytes(app.canvas, "RGB")
    assert shown == _picture(ahead, app.canvas) == _language_drawn_live(app)


def test_the_language_screen_in_another_look_is_drawn_live_and_kept(make_kiosk) -> None:
    from kiosk.booth.scenes import language

    app = make_kiosk()
    app.draw()
    language.wait_for_face()
    tap(app, 960, 540)
    large = next(b for b in app.scene.buttons if getattr(b, "kind", "") == "large")
    tap(app, *large.rect.center)
    assert app.large_text
    app.draw()
    face = language._kept_face(language._face_key(app, app.canvas))
    assert face is not None  # large text: a new face, kept for the frames after
    assert pygame.image.tobytes(app.canvas, "RGB") == _language_drawn_live(app)
    assert _picture(face, app.canvas) == _language_drawn_live(app)


def test_a_pressed_menu_card_is_drawn_alone_over_the_kept_face(make_kiosk, monkeypatch) -> None:
    """Under the finger only that card is drawn again; the frame is the one the whole menu
    drawn live with that card sunk would give."""
    from kiosk.booth.scenes import menu
    from kiosk.input import PointerEvent

    app = make_kiosk()
    tap(app, 960, 540)
    tap_button(app, 1)  # Chinese
    run_for(app, 0.5)
    app.draw()  # the menu's face, kept
    card = app.scene.card_buttons[2]
    app.pointer(PointerEvent("down", *card.rect.center, 1))
    whole: list[int] = []
    draw_face = menu.draw_face

    def counting(*args, **kwargs) -> None:
        whole.append(1)
        draw_face(*args, **kwargs)

    monkeypatch.setattr(menu, "draw_face", counting)
    app.draw()
    assert whole == []  # the menu was not drawn whole
    monkeypatch.undo()
    pressed = {id(card)}
    live = pygame.Surface(app.canvas.get_size(), 0, app.canvas)
    app.scene._draw_menu(live, pressed)
    app.scene._draw_extras(live, pressed)
    assert pygame.image.tobytes(app.canvas, "RGB") == pygame.image.tobytes(live, "RGB")
    app.pointer(PointerEvent("up", 5, 5, 1))  # slid off: nothing chosen, the card rises
    app.draw()
    app.scene._draw_menu(live, set())
    app.scene._draw_extras(live, set())
    assert pygame.image.tobytes(app.canvas, "RGB") == pygame.image.tobytes(live, "RGB")


def test_the_journeys_paragraphs_are_broken_into_lines_at_start_up() -> None:
    """The failsafe and paused notices, the claim lines: broken by a worker when the kiosk
    starts, so the first failsafe frame after a fault finds them (it spent 20 ms there)."""
    from kiosk.booth import textwarm
    from kiosk.i18n import Strings
    from kiosk.ui import linebreak

    strings = Strings()
    linebreak.units.cache_clear()
    worker = textwarm.warm_screens(strings)
    assert worker is not None and textwarm.warm_screens(strings) is None  # once per run
    worker.join(60)
    paragraphs = textwarm.screen_texts(strings)
    notices = [strings.get(lang, f"{s}.subtitle") for lang in ("en", "zh-HK") for s in
               ("failsafe", "paused")]  # fmt: skip
    assert set(notices) <= set(paragraphs) and len(paragraphs) > 150
    before = linebreak.units.cache_info()
    for paragraph in paragraphs:
        linebreak.units(paragraph)
    after = linebreak.units.cache_info()
    assert after.misses == before.misses and after.hits == before.hits + len(paragraphs)


def test_a_booth_at_rest_lets_go_of_the_menu_faces_and_keeps_the_language_face(
    make_kiosk,
) -> None:
    """A visitor who leaves at the menu: at the collector's quiet point on attract the
    menu's faces go (issue 13's memory at rest); the language face, which the next touch
    shows, stays. The next visitor's language screen draws the menu's again."""
    import gc

    from kiosk.booth.scenes import language, menu

    app = make_kiosk()
    menu.release_faces()
    tap(app, 960, 540)
    app.draw()  # the language screen: the menu's faces are drawn ahead
    menu.wait_for_faces()
    assert {k[2] for k in menu._faces if k[0] is app.strings} == set(app.config.languages)
    tap_button(app, 0)
    assert app.scene.name == "menu"
    app.collector.start()
    try:
        app.journey.abandon()  # the visitor walked away
        run_for(app, 2.0, draw=True)  # past the quiet point, a second after
    finally:
        app.collector.stop()
        gc.unfreeze()
    assert app.scene.name == "attract" and app.collector.collections == 1
    assert not menu._faces
    language.wait_for_face()
    assert language._kept_face(language._face_key(app, app.canvas)) is not None
    tap(app, 960, 540)
    app.draw()
    menu.wait_for_faces()
    assert {k[2] for k in menu._faces if k[0] is app.strings} == set(app.config.languages)


def test_a_booth_at_rest_lets_go_of_what_the_visitor_s_screens_made(make_kiosk) -> None:
    """After a round, at the collector's quiet point on attract: the surface rounds are
    drawn ahead on (8 MB) goes, and every font and rendered text of the visitor's screens
    (a day of visitors left 32 fonts open and 8 MB of text: 180 MB at rest at 4K, not
    150). The next visitor's round and screens make them again, as after start-up."""
    import gc

    from kiosk.booth.scenes import language

    app = make_kiosk()
    to_howto(app)
    run_for(app, 1.0)  # the visitor reads; the round is built
    app.pregame.wait_settled()
    assert app.pregame._scratch is not None
    visit_fonts = set(app.text._fonts)
    # What attract itself asks for from the quiet point on may stay: a game's title comes
    # round every 3 s, drawn ahead in a worker, and opens its font if no label holds it.
    resting, fonts_asked, texts_asked = [], set(), set()
    rest, font, render = app.text.rest, app.text.font, app.text.render

    def resting_from_now() -> None:
        resting.append(True)
        rest()

    def asked_font(size, weight="regular"):
        if resting:
            fonts_asked.add((weight, size))
        return font(size, weight)

    def asked_text(line, size, colour, weight="regular"):
        if resting:
            texts_asked.add((line, app.text.shown_size(size), colour, weight))
        return render(line, size, colour, weight)

    app.text.rest, app.text.font, app.text.render = resting_from_now, asked_font, asked_text
    app.collector.start()
    try:
        app.journey.abandon()  # the visitor walked away
        run_for(app, 0.5, draw=True)
        language.wait_for_face()  # drawn ahead on attract: seconds of it on a booth
        run_for(app, 1.5, draw=True)  # past the quiet point, a second after
    finally:
        app.collector.stop()
        gc.unfreeze()
    assert app.scene.name == "attract" and app.collector.collections == 1
    assert app.pregame._scratch is None
    assert resting and visit_fonts - fonts_asked  # the visit had fonts attract never asks for
    assert set(app.text._fonts) <= fonts_asked and set(app.text._cache) <= texts_asked
    del app.text.rest, app.text.font, app.text.render
    before = app.pregame.built
    to_howto(app)  # the next visitor
    run_for(app, 1.0)
    app.pregame.wait_settled()
    assert app.pregame.built == before + 1 and app.pregame._scratch is not None
    tap(app, *app.scene.start.rect.center)  # Start: the round built ahead
    app.frame(1 / 60)
    assert app.scene.name == "play" and app.text._fonts


def test_a_game_starting_lets_go_of_the_faces_of_the_screens_before_it(make_kiosk) -> None:
    """Neither the language screen nor the menu can come back before the next visitor:
    their faces go when the game starts; the next attract draws the language face again."""
    from kiosk.booth.app import wait_for_faces_let_go
    from kiosk.booth.scenes import language, menu

    app = make_kiosk()
    app.draw()
    language.wait_for_face()
    tap(app, 960, 540)
    app.draw()  # the language screen: the menu's faces are drawn ahead
    menu.wait_for_faces()
    tap_button(app, 0)  # English
    tap_button(app, 0)  # the first game
    assert app.scene.name == "howto"
    assert menu._faces and language._face
    run_for(app, 1.0)  # the visitor reads; the round is built
    tap(app, *app.scene.start.rect.center)
    assert app.scene.name == "play"
    wait_for_faces_let_go()  # in a worker
    assert not menu._faces and not language._face
    app.journey.abandon()  # the visitor walks away: attract
    assert app.scene.name == "attract"
    app.draw()
    language.wait_for_face()
    assert language._kept_face(language._face_key(app, app.canvas)) is not None


def test_a_round_is_drawn_ahead_in_the_canvas_s_pixel_format(make_kiosk) -> None:
    """The round built ahead is drawn on a scratch surface in the canvas's pixel format:
    the pictures its game keeps of its still pieces (games/kit/redraw.py) then serve its
    first frame on the canvas (recycle_right's first frame 4 -> 1.5 ms at 1080p)."""
    bgr = (0xFF, 0xFF00, 0xFF0000, 0)  # not pygame's default channel order
    app = make_kiosk(canvas=pygame.Surface(DESIGN_SIZE, 0, 32, bgr))
    to_howto(app)
    run_for(app, 1.0)  # the visitor reads; the round is built
    app.pregame.wait_settled()
    scratch = app.pregame._scratch
    assert scratch is not None and scratch.get_masks() == app.canvas.get_masks()


@pytest.mark.parametrize(
    "game_id", ["recycle_right", "smart_commute", "smart_home_saver", "phish_or_legit"]
)
def test_a_game_s_first_frame_starts_from_its_picture_drawn_ahead(
    make_kiosk, monkeypatch, game_id
) -> None:
    """The round's first picture, drawn ahead on the scratch surface while the how-to was
    read, is copied onto the canvas in the frame Start is touched in (one blit): the game
    draws only what changed since, and the canvas is the round's whole draw."""
    from games.registry import discover

    spec = discover()[game_id]
    app = make_kiosk(games=[spec])
    to_howto(app)
    run_for(app, 1.0)  # the visitor reads; the round is built
    app.pregame.wait_settled()
    kept_at_first_draw: list[bool] = []
    real_draw = type(app.pregame._job.game).draw

    def draw(game, surface) -> None:
        kept_at_first_draw.append(game.surface_kept)
        real_draw(game, surface)

    monkeypatch.setattr(type(app.pregame._job.game), "draw", draw)
    tap(app, *app.scene.start.rect.center)
    assert app.scene.name == "play"
    app.clock.advance(1 / 60)
    app.frame(1 / 60)
    monkeypatch.undo()
    game = app.scene.game
    assert kept_at_first_draw == [True] and game.damage is not None
    assert game.drawn_ahead_on is None  # only ever for the first frame
    reference = pygame.Surface(DESIGN_SIZE, 0, app.canvas)
    game.surface_kept = False
    game.draw(reference)
    assert pygame.image.tobytes(reference, "RGBX") == pygame.image.tobytes(app.canvas, "RGBX")


def test_the_faces_a_game_start_lets_go_of_are_freed_off_the_frame_thread(
    make_kiosk, monkeypatch
) -> None:
    """Freeing the menu's and the language screen's kept faces (24 MB at 1080p) cost the
    frame a game starts in about 1 ms: a worker lets go of them."""
    from kiosk.booth.app import wait_for_faces_let_go
    from kiosk.booth.scenes import language, menu

    freed_in: list[str] = []
    for module, name in ((menu, "release_faces"), (language, "release_face")):
        real = getattr(module, name)

        def release(real=real) -> None:
            freed_in.append(threading.current_thread().name)
            real()

        monkeypatch.setattr(module, name, release)
    app = make_kiosk()
    to_howto(app)
    run_for(app, 1.0)  # the visitor reads; the round is built
    tap(app, *app.scene.start.rect.center)
    assert app.scene.name == "play"
    wait_for_faces_let_go()
    assert len(freed_in) == 2 and threading.main_thread().name not in freed_in


def _howto_from_a_held_card(app: Kiosk, card: int) -> None:
    """Chinese, the menu shown, a finger resting on game ``card`` until the how-to's face is
    drawn ahead, then lifted: the how-to."""
    from kiosk.booth.scenes import howto
    from kiosk.input import PointerEvent

    tap(app, 960, 540)
    tap_button(app, 1)  # Chinese
    run_for(app, 0.4)
    app.draw()  # the menu, as shown
    held = app.scene.card_buttons[card]
    app.pointer(PointerEvent("down", *held.rect.center, 1))
    howto.wait_for_text()  # its face drawn ahead while the finger rests on the card
    app.pointer(PointerEvent("up", *held.rect.center, 1))


def test_the_how_to_s_face_is_freed_off_the_frame_thread(make_kiosk, monkeypatch) -> None:
    """The how-to is left in a game's first frame: its face's pieces are freed by a
    worker, not in that frame."""
    from kiosk.booth.scenes import howto
    from kiosk.ui import faces

    freed_in: list[str] = []

    class Watched(faces.Face):
        def __del__(self) -> None:
            freed_in.append(threading.current_thread().name)

    monkeypatch.setattr(howto, "Face", Watched)
    app = make_kiosk()
    _howto_from_a_held_card(app, 0)
    run_for(app, 1.0, draw=True)  # the visitor reads; the round is built
    assert app.scene.name == "howto" and howto._face
    tap(app, *app.scene.start.rect.center)
    assert app.scene.name == "play" and not howto._face
    howto.wait_for_face_let_go()
    assert freed_in and threading.main_thread().name not in freed_in


def test_the_attract_screen_reports_each_change_even_the_game_named_changing(make_kiosk) -> None:
    """Every attract frame after the first says what it changed, the game named under the
    card included (painted ahead by a worker, which a booth gives seconds: waited for here):
    a 4K booth then keeps no copy of the last frame (kiosk/booth/present.py)."""
    from kiosk.booth.scenes.attract import GAME_CYCLE_S
    from kiosk.ui.decor import wait_for_ahead

    app = make_kiosk()
    app.frame(1 / 60, draw=True)
    app.take_damage()
    reports = []
    for _ in range(round(2.5 * GAME_CYCLE_S * 60)):
        wait_for_ahead()
        app.frame(1 / 60, draw=True)
        reports.append(app.take_damage())
    assert app.scene.name == "attract"
    assert None not in reports


def _text_work_in(app: Kiosk, step) -> list[str]:
    """What the frame thread rendered or opened while ``step()`` ran (text not found in the
    cache, fonts not open): what a screen drawn ahead leaves its first frame to do."""
    work: list[str] = []
    text = app.text
    render, open_font = text.render, text._open

    def rendering(value: str, size: int, colour, weight: str = "regular"):
        key = (value, text.shown_size(size), colour, weight)
        if threading.current_thread() is threading.main_thread() and key not in text._cache:
            work.append(f"render {value!r} {size}")
        return render(value, size, colour, weight)

    def opening(path, size):
        if threading.current_thread() is threading.main_thread():
            work.append(f"open {path.name} {size}")
        return open_font(path, size)

    text.render, text._open = rendering, opening  # type: ignore[method-assign]
    try:
        step()
    finally:
        del text.render, text._open
    return work


def test_the_howto_s_first_frame_renders_no_text_and_opens_no_font(make_kiosk) -> None:
    """Its labels (the levels, Back, Again, Start) are rendered with its instructions while
    the card is pressed: the first frame opened the 48 px bold font and rendered eleven
    labels, 1-3 ms."""
    from kiosk.booth.scenes import howto
    from kiosk.input import PointerEvent

    app = make_kiosk()
    tap(app, 960, 540)
    tap_button(app, 1)  # Chinese
    run_for(app, 0.4)
    card = app.scene.card_buttons[0]
    app.pointer(PointerEvent("down", *card.rect.center, 1))
    howto.wait_for_text()
    app.pointer(PointerEvent("up", *card.rect.center, 1))
    assert app.scene.name == "howto"
    assert _text_work_in(app, app.draw) == []


def test_the_claim_screen_s_first_frame_renders_no_text_and_opens_no_font(make_kiosk) -> None:
    """While the result is up, "Making your prize code…", Done and the countdown's font
    are made ahead; while the claim is up, the thanks screen's title and subtitle."""
    from journeykit import play_through

    from kiosk.booth.scenes import claim, thanks

    app = make_kiosk()
    play_through(app)
    app.draw()  # the result screen, as shown (its access keys are the claim's too)
    claim.wait_for_text()
    tap(app, *app.scene.next.rect.center)
    assert app.scene.name == "claim"
    app.scene.ready = False  # its first frame, before the writer thread saved the code
    assert _text_work_in(app, app.draw) == []
    assert ("bold", claim.COUNTDOWN_PX) in app.text._fonts
    app.scene.ready = True
    app.draw()
    thanks.wait_for_text()
    tap(app, *app.scene.done.rect.center)
    assert app.scene.name == "thanks"
    assert _text_work_in(app, app.draw) == []


def test_the_frame_that_first_shows_the_code_renders_no_text(make_kiosk) -> None:
    """The code's lines (the prize, its reference, where the desk is, the countdown) are
    rendered by the worker that makes its QR once the award is saved: the frame that first
    showed the code rendered seven lines, 2 ms."""
    from journeykit import play_through

    from kiosk.booth.scenes import claim

    app = make_kiosk()
    play_through(app)
    app.draw()
    claim.wait_for_text()
    tap(app, *app.scene.next.rect.center)
    scene = app.scene
    assert scene.name == "claim" and scene.ticket is not None
    concurrent.futures.wait([scene.ticket], timeout=10)  # the writer thread's commit
    assert scene.qr_ahead.wait(10) and scene.qr_ahead.exception() is None
    work = _text_work_in(app, lambda: app.frame(1 / 60, draw=True))
    assert scene.ready and scene.qr is not None
    assert work == []


def test_the_idle_card_s_first_frame_renders_no_text_and_opens_no_font(make_kiosk) -> None:
    """Its count (150 px bold, a font no other screen uses) is rendered with its lines."""
    app = make_kiosk()
    to_howto(app)
    tap(app, *app.scene.start.rect.center)
    app.idle.quiet_s = app.scene.idle_limit() - 1.0  # a second before "Still playing?"
    app.update(0.0)
    app.overlay.wait_warm(10)
    app.idle.quiet_s = app.scene.idle_limit()
    app.update(0.0)
    assert app.asking
    overlay_draw = app.overlay.draw
    work: list[str] = []

    def drawing(*args) -> None:
        work.extend(_text_work_in(app, lambda: overlay_draw(*args)))

    app.overlay.draw = drawing  # type: ignore[method-assign]
    app.draw()
    assert work == []


def test_no_frame_of_the_idle_countdown_renders_text(make_kiosk) -> None:
    """Every count it shows, and the line under it, is rendered with its lines ahead: each
    new second was the card's slowest frame (4 ms at 3840x2160)."""
    app = make_kiosk()
    to_howto(app)
    tap(app, *app.scene.start.rect.center)
    app.idle.quiet_s = app.scene.idle_limit() - 1.0  # a second before "Still playing?"
    app.update(0.0)
    app.overlay.wait_warm(10)
    app.idle.quiet_s = app.scene.idle_limit()
    work: list[str] = []
    shown = set()
    while app.scene.name == "play":
        app.update(1 / 60)
        if app.asking:
            shown.add(app.idle.seconds_left(app.scene.idle_limit()))
            work += _text_work_in(app, app.draw)
    assert len(shown) >= 5 and work == []


def test_the_menu_s_first_frame_renders_no_text_and_opens_no_font(make_kiosk) -> None:
    """Its language button and access keys, drawn live over the face, have their labels
    rendered with the faces while the language screen is up."""
    from kiosk.booth.scenes import menu

    app = make_kiosk()
    tap(app, 960, 540)
    app.draw()  # the language screen, which has the menu drawn ahead
    menu.wait_for_faces()
    tap_button(app, 1)  # Chinese
    assert app.scene.name == "menu"
    assert _text_work_in(app, app.draw) == []


def test_a_finger_on_a_menu_card_draws_the_howto_s_face_ahead(make_kiosk, monkeypatch) -> None:
    """Its first frame copies the face the worker drew (not painting its title, panel and
    buttons: 1.3-1.8 ms at 2560x1440), and shows the screen a whole paint shows; the face
    goes as the how-to is left."""
    from kiosk.booth.scenes import howto

    app = make_kiosk()
    _howto_from_a_held_card(app, 3)
    assert app.scene.name == "howto" and howto._face
    painted: list[int] = []
    real = howto._paint_face
    monkeypatch.setattr(howto, "_paint_face", lambda *a, **k: painted.append(1) or real(*a, **k))
    app.draw()
    assert painted == []  # copied from the face
    shown = pygame.image.tobytes(app.canvas, "RGB")
    howto.release_face()
    live = pygame.Surface(app.canvas.get_size(), 0, app.canvas)
    app.scene.paint(live)  # the whole screen, painted
    assert painted == [1] and shown == pygame.image.tobytes(live, "RGB")
    back = app.scene.buttons[3]  # the levels, then Back
    tap(app, *back.rect.center)  # the how-to is left
    assert app.scene.name == "menu" and not howto._face


def test_the_idle_card_s_first_frame_is_the_one_drawn_over_the_game_drawn_again(
    make_kiosk,
) -> None:
    """It goes over the canvas as the frozen game left it, without drawing the game again
    (not updated since: the same picture), and shows what drawing it again would."""
    app = make_kiosk()
    to_howto(app)
    tap(app, *app.scene.start.rect.center)
    for _ in range(30):
        app.frame(1 / 60)
    app.idle.quiet_s = app.scene.idle_limit()  # nobody touched for a while
    again = app.canvas.copy()
    app.scene.draw(again)  # the game drawn again over its own last frame
    drawn: list[int] = []
    draw = app.scene.draw
    app.scene.draw = lambda surface: drawn.append(1) or draw(surface)
    app.frame(1 / 60)
    assert app.asking and drawn == []
    seconds = app.idle.seconds_left(app.scene.idle_limit())
    app.overlay.reset()
    app.overlay.draw(again, app.text, app.tr, app.tr_for, seconds)
    assert pygame.image.tobytes(app.canvas, "RGB") == pygame.image.tobytes(again, "RGB")
