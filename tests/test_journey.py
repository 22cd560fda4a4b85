"""The visitor journey end to end, on a simulated clock: screens, idle, logging, failsafe."""

from __future__ import annotations

import dataclasses
import gc
import random
import time
import weakref

import pygame
import pytest

from games.registry import discover
from kiosk.booth.app import run
from kiosk.booth.journey import NEXT
from kiosk.booth.scenes import JOURNEY, SCENES
from kiosk.config import Config
from kiosk.input import PointerEvent
from tests.journeykit import play_through, run_for, tap, tap_button


def test_the_whole_journey_visits_every_screen_and_logs_one_completed_play(make_kiosk) -> None:
    app = make_kiosk()
    seen = [app.scene.name]
    play_through(app, lang_index=1)
    seen += ["language", "menu", "howto", "play", "result"]
    tap_button(app)  # collect my prize
    assert app.scene.name == "claim"
    tap(app, *app.scene.done.rect.center)
    assert app.scene.name == "thanks"
    seen += ["claim", "thanks"]
    run_for(app, 6)
    assert app.scene.name == "attract"
    assert tuple(seen) == JOURNEY

    (row,) = app.store.plays()
    assert row["outcome"] == "completed"
    assert row["language"] == "zh-HK"
    assert row["game"] == app.games[0].id
    assert row["kiosk_id"] == "K01"
    assert 0 <= row["score"] <= 100
    assert row["started_at"].endswith("Z") and row["ended_at"] > row["started_at"]
    assert 30 <= row["duration_s"] <= 120
    assert app.visit is None


def test_every_later_screen_follows_the_chosen_language(make_kiosk) -> None:
    app = make_kiosk()
    tap(app, 960, 540)
    tap_button(app, 1)  # 繁體中文
    assert app.tr("menu.title") == "揀一個遊戲"
    app.speech.set_muted(False)  # the shared speech fixture is muted; this test listens
    tap_button(app, 0)
    assert app.scene.gtr("title") == app.strings.get("zh-HK", f"game.{app.games[0].id}.title")
    if app.speech.available:  # espeak-ng installed: the how-to is asked for, in Cantonese
        assert app.speech.speaking
        wav = app.speech.wav_path("zh-HK", app.scene.gtr("howto"))
        deadline = time.monotonic() + 15
        while not wav.exists():  # rendered because the screen asked for it; nothing else does
            assert time.monotonic() < deadline, "the Cantonese how-to was never rendered"
            time.sleep(0.01)


def test_idle_countdown_appears_one_touch_keeps_going(make_kiosk) -> None:
    app = make_kiosk()
    tap(app, 960, 540)
    tap_button(app, 0)
    assert app.scene.name == "menu"
    run_for(app, 29.5)
    assert not app.asking
    run_for(app, 1.0)
    assert app.asking and app.idle.seconds_left(app.scene.idle_limit()) == 20
    app.draw()  # the countdown is drawn over the menu without error
    before = app.scene
    tap(app, 100, 100)  # the answering touch presses nothing underneath
    assert not app.asking and app.scene is before
    run_for(app, 29.0)
    assert app.scene.name == "menu"


def start_game(app, game_id: str = "recycle_right") -> None:
    """Touch → English → the named game → Start."""
    tap(app, 960, 540)
    tap_button(app, 0)
    tap_button(app, [g.id for g in app.games].index(game_id))
    tap(app, *app.scene.start.rect.center)
    assert app.scene.name == "play" and app.visit.game.id == game_id


def test_countdown_running_out_abandons_the_play_and_forgets_the_visitor(make_kiosk) -> None:
    app = make_kiosk()
    start_game(app)
    game_ref = weakref.ref(app.scene.game)
    limit = app.scene.idle_limit()
    run_for(app, limit + 19.9)
    assert app.scene.name == "play" and app.asking
    run_for(app, 0.2)
    assert app.scene.name == "attract"
    assert app.visit is None
    (row,) = app.store.plays()
    assert row["outcome"] == "abandoned" and row["score"] is None
    gc.collect()
    assert game_ref() is None  # nothing of that visitor remains in memory


def test_no_play_is_logged_for_a_visitor_who_leaves_before_playing(make_kiosk) -> None:
    app = make_kiosk()
    tap(app, 960, 540)
    run_for(app, 30 + 20 + 1)
    assert app.scene.name == "attract"
    assert app.store.plays() == []


def test_a_double_tap_moves_one_screen_not_two(make_kiosk) -> None:
    app = make_kiosk()
    tap(app, 960, 540)
    x, y = app.scene.buttons[0].rect.center
    run_for(app, 0.4)
    for _ in range(2):  # two quick taps on "English"
        app.pointer(PointerEvent("down", x, y, 1))
        app.pointer(PointerEvent("up", x, y, 1))
        run_for(app, 0.1)
    assert app.scene.name == "menu"


def test_sliding_off_a_button_cancels_it(make_kiosk) -> None:
    app = make_kiosk()
    tap(app, 960, 540)
    x, y = app.scene.buttons[0].rect.center
    run_for(app, 0.4)
    app.pointer(PointerEvent("down", x, y, 1))
    app.pointer(PointerEvent("up", 10, 10, 1))
    assert app.scene.name == "language"


def test_frantic_multi_finger_tapping_never_breaks_the_journey(make_kiosk) -> None:
    app = make_kiosk()
    rng = random.Random(11)
    for _ in range(3000):
        kind = rng.choice(("down", "move", "up"))
        app.pointer(
            PointerEvent(kind, rng.uniform(0, 1919), rng.uniform(0, 1079), rng.randrange(6))
        )
        run_for(app, 0.05, draw=rng.random() < 0.05)
        assert app.scene.name != "failsafe"
    assert app.store.count(outcome="error") == 0


def test_an_exception_in_a_game_shows_failsafe_logs_error_and_recovers(make_kiosk, caplog) -> None:
    real = discover()["recycle_right"]

    def exploding_factory(ctx):
        game = real.factory(ctx)

        def update(dt):
            raise RuntimeError("sensor fell off the bin")

        game.update = update
        return game

    spec = dataclasses.replace(real, factory=exploding_factory)
    app = make_kiosk(games=[spec])
    tap(app, 960, 540)
    tap_button(app, 0)
    tap_button(app, 0)
    tap(app, *app.scene.start.rect.center)
    assert app.scene.name == "failsafe"
    assert "sensor fell off the bin" in caplog.text
    (row,) = app.store.plays()
    assert row["outcome"] == "error"
    app.draw()
    run_for(app, 7)
    assert app.scene.name == "attract"


def test_kiosk_mode_ignores_escape_and_window_close(make_kiosk) -> None:
    app = make_kiosk()

    class CountingDisplay:
        """Stops the loop after a few frames, standing in for time passing."""

        frames = 0
        canvas = app.canvas

        def present(self, changed=None, started=None) -> None:
            self.frames += 1
            if self.frames == 3:
                app.running = False

        def handle(self, event) -> bool:
            return False

    from kiosk.input import PointerTranslator
    from kiosk.ui.scaling import Letterbox

    pygame.event.clear()
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0))
    display = CountingDisplay()
    run(app, display, PointerTranslator(Letterbox((1920, 1080))), kiosk_mode=True)
    assert display.frames == 3  # the loop went on past QUIT and Escape

    app.running = True
    display.frames = 0
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    run(app, display, PointerTranslator(Letterbox((1920, 1080))), kiosk_mode=False)
    assert not app.running and display.frames <= 1  # outside kiosk mode QUIT ends the loop


@pytest.mark.parametrize("count", [1, 2, 3, 5, 6, 8])
def test_menu_lays_out_any_number_of_games_with_big_targets(make_kiosk, count) -> None:
    spec = next(iter(discover().values()))
    app = make_kiosk(games=[dataclasses.replace(spec) for _ in range(count)])
    tap(app, 960, 540)
    tap_button(app, 0)
    assert len(app.scene.card_buttons) == count
    rects = [b.rect for b in app.scene.buttons]  # the cards, Language and the access bar
    canvas = pygame.Rect(0, 0, 1920, 1080)
    for i, r in enumerate(rects):
        assert canvas.contains(r) and r.width >= 90 and r.height >= 90
        assert all(not r.colliderect(o) for o in rects[i + 1 :])
    app.draw()


def test_menu_drawn_once_at_rest_matches_a_live_drawing_and_a_pressed_card_sinks(
    make_kiosk,
) -> None:
    app = make_kiosk()
    tap(app, 960, 540)
    tap_button(app, 0)
    menu, card = app.scene, app.scene.buttons[2].rect
    run_for(app, 0.4)  # past the input guard
    app.draw()
    at_rest = app.canvas.copy()
    live = pygame.Surface(app.canvas.get_size(), 0, app.canvas)
    menu._draw_menu(live, set())
    menu._draw_extras(live, set())  # Language and the access bar, drawn over the face
    assert pygame.image.tobytes(at_rest, "RGB") == pygame.image.tobytes(live, "RGB")

    app.pointer(PointerEvent("down", *card.center, 1))
    app.draw()
    sunk = app.canvas.copy()
    edge = (card.centerx, card.y + 2)  # the card's top border: yellow at rest, not once sunk
    assert sunk.get_at(edge) != at_rest.get_at(edge)
    app.pointer(PointerEvent("move", card.centerx + 900, card.centery, 1))  # slides off
    app.pointer(PointerEvent("up", card.centerx + 900, card.centery, 1))
    app.draw()
    assert app.scene is menu
    assert pygame.image.tobytes(app.canvas, "RGB") == pygame.image.tobytes(at_rest, "RGB")


def test_every_button_on_every_screen_is_at_least_90_px(make_kiosk) -> None:
    app = make_kiosk()
    seen = set()
    tap(app, 960, 540)
    for _ in range(4):
        seen.add(app.scene.name)
        for b in app.scene.buttons:
            assert b.rect.width >= 90 and b.rect.height >= 90, (app.scene.name, b.label)
        if app.scene.name == "howto":
            break
        tap_button(app, 0)
    assert {"language", "menu", "howto"} <= seen


def test_watching_a_demonstration_does_not_count_as_idle(make_kiosk) -> None:
    app = make_kiosk()
    start_game(app)  # a game that never demonstrates by itself
    game = app.scene.game
    game.idle_paused = True  # as a game does while it shows a sequence to copy
    quiet = app.idle.quiet_s
    run_for(app, 5)
    assert app.idle.quiet_s == quiet
    game.idle_paused = False
    run_for(app, 5)
    assert app.idle.quiet_s == pytest.approx(quiet + 5, abs=0.1)


def test_the_journey_table_walks_the_screens_in_order_and_names_only_real_ones() -> None:
    walked, here = [], "attract"
    for _ in NEXT:  # at most once round every screen
        walked.append(here)
        here = next(iter(NEXT[here].values()))  # each screen's first outcome
        if here == "attract":
            break
    assert tuple(walked) == JOURNEY
    layers = {"pinpad", "staff"}
    assert set(NEXT) == set(SCENES) - layers
    assert {there for outcomes in NEXT.values() for there in outcomes.values()} <= set(NEXT)


def test_with_one_language_a_touch_goes_straight_to_the_menu_in_it(make_kiosk) -> None:
    config = Config()
    config.languages = ["zh-HK"]
    app = make_kiosk(config=config)
    tap(app, 960, 540)
    assert app.scene.name == "menu" and app.visit.lang == "zh-HK"
    assert app.tr("menu.title") == "揀一個遊戲"
