"""Park Smart / 智能泊車: rules, scoring, pace per difficulty, content, bots, touch, drawing."""

from __future__ import annotations

import random
import re

import pygame
import pytest

from games import park_smart as ps
from games.base import DIFFICULTIES
from kiosk.i18n import LANGUAGES
from kiosk.input import PointerEvent
from kiosk.ui import theme
from kiosk.ui.text import FONT_FILES
from tests import gamekit
from tests.gamekit import DT, GameKit, run

BOT_DT = 1 / 30  # bots play whole rounds; a coarser step keeps this file fast
GAME_ID = "park_smart"
KIT: GameKit[ps.ParkSmart] = GameKit(ps.GAME, bot_dt=BOT_DT)
content, make_game, run_bot = KIT.content, KIT.make_game, KIT.run_bot


def en(key: str) -> str:
    return KIT.raw()["strings"]["en"][key]


def first_car(game: ps.ParkSmart, kind: str | None = None) -> ps.Car:
    """The first car to arrive at a gate (optionally forced to be of ``kind``)."""
    for _ in range(round(10 / DT)):
        waiting = game.waiting_cars()
        if waiting:
            car = waiting[0]
            if kind is not None and car.kind != kind:
                car.kind = kind
                car.color = game.ev_colors[0] if kind == "ev" else game.colors[0]
            return car
        game.update(DT)
    raise AssertionError("no car arrived within 10 s")


def tap(game: ps.ParkSmart, x: float, y: float, pointer: int = 1) -> None:
    game.handle(PointerEvent("down", x, y, pointer))
    game.handle(PointerEvent("up", x, y, pointer))


def bay_of(game: ps.ParkSmart, kind: str = "regular", free: bool = True) -> ps.Bay:
    return next(b for b in game.bays if b.kind == kind and b.free == free)


# --------------------------------------------------------------------------- rules


def test_tap_a_car_then_a_green_bay_parks_it_with_full_marks() -> None:
    game = make_game()
    car = first_car(game)
    tap(game, car.x, car.y)
    assert game.selected is car and game.cues == ["tap"]
    assert game.feedback is not None and game.feedback.text == en("pick_bay")
    bay = bay_of(game)
    tap(game, *bay.rect.center)
    assert car.state == "driving" and car.bay is bay and bay.car is car
    assert not bay.free  # the sensor turns red at once: no one else is sent there
    assert game.selected is None
    assert "good" in game.cues and "bad" not in game.cues
    assert (game.parked, game.prompt, game.mistakes) == (1, 1, 0)
    assert game.score() == 100
    assert game.feedback is not None and game.feedback.tone == "good"
    run(game, 3.0)
    assert car.state == "parked"
    assert (car.x, car.y) == bay.park
    assert car.heading == bay.parked_heading


def test_dragging_a_car_onto_a_green_bay_parks_it() -> None:
    game = make_game()
    car = first_car(game)
    bay = bay_of(game)
    game.handle(PointerEvent("down", car.x, car.y, 4))
    for k in range(1, 6):
        f = k / 5
        game.handle(
            PointerEvent(
                "move",
                car.x + (bay.rect.centerx - car.x) * f,
                car.y + (bay.rect.centery - car.y) * f,
                4,
            )
        )
        game.update(DT)
    assert game.hover_bay() is bay
    game.handle(PointerEvent("up", *bay.rect.center, 4))
    assert car.bay is bay and game.parked == 1


def test_a_drag_that_ends_off_every_bay_leaves_the_car_chosen() -> None:
    game = make_game()
    car = first_car(game)
    game.handle(PointerEvent("down", car.x, car.y, 1))
    game.handle(PointerEvent("move", 1100, 560, 1))  # the aisle: not a bay
    game.handle(PointerEvent("up", 1100, 560, 1))
    assert car.waiting and game.selected is car and game.parked == 0


def test_a_green_bay_tapped_with_no_car_chosen_takes_the_longest_waiting_car() -> None:
    game = make_game()
    first = first_car(game)
    run(game, game.pace.arrive_every_s * 1.4)
    assert len(game.waiting_cars()) >= 2
    tap(game, *bay_of(game).rect.center)
    assert first.state == "driving" and game.parked == 1


def test_a_red_bay_is_a_mistake_and_shows_its_red_light() -> None:
    game = make_game()
    car = first_car(game)
    tap(game, car.x, car.y)
    taken = bay_of(game, free=False)
    tap(game, *taken.rect.center)
    assert car.waiting and game.selected is car  # the car stays put, still chosen
    assert (game.mistakes, car.mistakes, game.parked) == (1, 1, 0)
    assert "bad" in game.cues
    assert taken.flash > 0 and not taken.flash_good
    assert car.shake > 0
    assert game.feedback is not None and game.feedback.text == en("taken")
    assert game.feedback.tone == "bad"
    tap(game, *bay_of(game).rect.center)
    penalty = game.scoring.mistake_penalty
    assert car.credit == pytest.approx(1.0 - penalty)
    assert game.score() == round(100 * (1.0 - penalty))


def test_reserved_bays_only_take_the_right_cars() -> None:
    game = make_game()
    car = first_car(game, "regular")
    ev_bay = next(b for b in game.bays if b.kind == "ev")
    acc_bay = next(b for b in game.bays if b.kind == "accessible")
    ev_bay.car = acc_bay.car = None  # both free for this test
    tap(game, car.x, car.y)
    tap(game, *ev_bay.rect.center)
    assert game.feedback is not None and game.feedback.text == en("ev_only")
    tap(game, *acc_bay.rect.center)
    assert game.feedback is not None and game.feedback.text == en("accessible_only")
    assert game.mistakes == 2 and car.waiting and ev_bay.free and acc_bay.free


def test_an_electric_car_charges_in_a_charging_bay() -> None:
    game = make_game()
    car = first_car(game, "ev")
    ev_bay = next(b for b in game.bays if b.kind == "ev")
    if ev_bay.car is not None:
        game.cars.remove(ev_bay.car)
        ev_bay.car = None
    tap(game, car.x, car.y)
    tap(game, *ev_bay.rect.center)
    assert car.bay is ev_bay and game.ev_charged == 1
    assert game.feedback is not None and game.feedback.text == en("parked_ev")
    assert game.result().details["ev_charged"] == 1


def test_electric_and_permit_cars_may_also_use_ordinary_bays() -> None:
    for kind in ("ev", "accessible"):
        game = make_game()
        car = first_car(game, kind)
        assert game.can_park(car, bay_of(game)) == ""
        assert game.can_park(car, bay_of(game, free=False)) == "taken"


def test_credit_slides_with_waiting_then_circling() -> None:
    game = make_game()
    p, s = game.pace, game.scoring
    car = first_car(game)
    car.waited = p.grace_s - 0.1
    assert game.credit_for(car) == 1.0
    car.waited = (p.grace_s + p.patience_s) / 2
    assert s.queue_floor < game.credit_for(car) < 1.0
    car.waited = p.patience_s - 0.01
    assert game.credit_for(car) == pytest.approx(s.queue_floor, abs=0.01)
    car.state, car.circled = "circling", 0.0
    assert game.credit_for(car) == pytest.approx(s.circle_start)
    car.circled = p.circle_max_s
    assert game.credit_for(car) == 0.0
    car.state, car.circled, car.waited, car.mistakes = "queue", 0.0, 0.0, 9
    assert game.credit_for(car) == 0.0  # never below zero


def test_a_driver_who_waits_too_long_circles_and_emits() -> None:
    game = make_game()
    car = first_car(game)
    lane = car.lane
    game.cues.clear()
    run(game, game.pace.patience_s - car.waited + 0.1)
    assert car.state == "circling" and game.lane_cars[lane] is not car
    assert "bad" in game.cues
    assert game.feedback is not None and game.feedback.text == en("circling")
    run(game, 2.0)
    assert game.circling_minutes > 1.5 and game.co2_grams > 0
    assert game.puffs  # an exhaust cloud behind the car
    assert game.result().details["co2_g"] == round(game.co2_grams)


def test_a_circling_car_can_still_be_guided_for_less() -> None:
    game = make_game()
    car = first_car(game)
    run(game, game.pace.patience_s + 2.0)
    assert car.state == "circling" and not car.path
    tap(game, car.x, car.y)
    assert game.selected is car
    bay = bay_of(game)
    tap(game, *bay.rect.center)
    assert car.state == "driving"
    assert 0 < car.credit < game.scoring.circle_start
    run(game, 8.0)
    assert car.state == "parked" and car.bay is bay


def test_a_circling_driver_gives_up_and_scores_nothing() -> None:
    game = make_game()
    car = first_car(game)
    run(game, game.pace.patience_s + game.pace.circle_max_s + 0.2)
    assert car.state == "gone" or car not in game.cars
    assert game.gave_up >= 1
    assert game.score() == 0


def test_parked_cars_leave_and_their_lights_turn_green() -> None:
    game = make_game()
    car = next(c for c in game.cars if c.state == "parked")
    bay = car.bay
    assert bay is not None and not bay.free
    car.stay_left = 0.01
    run(game, 0.05)
    assert car.state == "leaving" and not bay.free  # still backing out
    run(game, 2.0)
    assert bay.free and car.bay is None
    run(game, 3.0)
    assert car not in game.cars


def test_a_full_car_park_makes_room_for_a_waiting_car() -> None:
    game = make_game()
    for bay in game.bays:
        if bay.free:
            parked = game._new_car(bay.kind, *bay.park)
            parked.state, parked.bay, parked.stay_left = "parked", bay, 99.0
            bay.car = parked
            game.cars.append(parked)
    car = first_car(game, "regular")
    assert not game.free_bays_for(car) or car.waited < 0.1
    run(game, 2.0)
    assert game.free_bays_for(car), "a careful visitor must always have somewhere to park"


def test_no_input_scores_near_zero_at_every_level() -> None:
    for d in DIFFICULTIES:
        game = make_game(difficulty=d)
        run(game, 61.0, dt=0.05)
        assert game.finished
        result = game.result()
        assert result.score <= 10, (d, result)
        assert result.details["gave_up"] >= 1 and result.details["co2_g"] > 0
        assert result.details["counted"] >= result.details["arrived"] - 2
        assert result.lesson_key == "lesson_low"


def test_time_running_out_finishes_the_round() -> None:
    game = make_game()
    run(game, 59.5)
    assert not game.finished
    run(game, 1.0)
    assert game.finished and game.time_left == 0
    result = game.result()
    assert 0 <= result.score <= 100
    assert result.lesson_key in ("lesson_high", "lesson_mid", "lesson_low")
    assert game.feedback is not None and game.feedback.text == en("times_up")
    # After the end, input and time are ignored and nothing crashes.
    tap(game, 960, 400)
    tap(game, *game.bays[0].rect.center)
    game.update(DT)
    assert game.result().details == result.details


def test_cars_that_just_arrived_are_not_held_against_the_visitor() -> None:
    game = make_game()
    run(game, 59.0)
    for car in game.waiting_cars():  # pretend the queue is fresh
        car.state, car.waited, car.circled = "queue", 0.5, 0.0
    counted_before = game.counted
    run(game, 1.5)
    assert game.unresolved >= 1
    assert game.counted == counted_before


def test_the_score_is_credit_over_counted_and_the_lesson_follows_it() -> None:
    game = make_game()
    assert game.result().score == 0  # nothing counted yet: 0, not a division error
    game.parked, game.credits, game.gave_up = 3, 2.5, 1
    assert game.score() == round(100 * 2.5 / 4)
    assert game.result().lesson_key == "lesson_mid"
    game.credits = 3.0
    game.gave_up = 0
    assert game.result().lesson_key == "lesson_high"
    game.credits, game.gave_up = 0.5, 5
    assert game.result().lesson_key == "lesson_low"


# --------------------------------------------------------------------------- multi-touch


def test_two_fingers_drag_two_cars_into_two_bays() -> None:
    game = make_game()
    a = first_car(game)
    run(game, game.pace.arrive_every_s * 1.4)
    b = next(c for c in game.waiting_cars() if c is not a)
    bays = [b_ for b_ in game.bays if b_.free and b_.kind == "regular"][:2]
    game.handle(PointerEvent("down", a.x, a.y, 1))
    game.handle(PointerEvent("down", b.x, b.y, 2))
    game.handle(PointerEvent("move", *bays[0].rect.center, 1))
    game.handle(PointerEvent("move", *bays[1].rect.center, 2))
    game.update(DT)
    game.handle(PointerEvent("up", *bays[1].rect.center, 2))
    game.handle(PointerEvent("up", *bays[0].rect.center, 1))
    assert a.bay is bays[0] and b.bay is bays[1] and game.parked == 2


def test_stray_and_lost_pointer_events_are_harmless() -> None:
    game = make_game()
    car = first_car(game)
    game.handle(PointerEvent("up", 100, 1000, 99))  # never went down
    game.handle(PointerEvent("move", 5, 5, 42))
    game.handle(PointerEvent("down", car.x, car.y, 1))
    game.handle(PointerEvent("down", car.x, car.y, 1))  # the first "up" was lost
    game.handle(PointerEvent("up", car.x, car.y, 1))
    tap(game, 5, 1070)  # outside everything
    assert car.waiting and game.selected is car and game.parked == 0 and game.mistakes == 0


def test_touching_a_bay_with_no_car_waiting_only_shows_its_light() -> None:
    game = make_game()
    bay = bay_of(game, free=False)
    tap(game, *bay.rect.center)
    assert game.mistakes == 0 and game.cues == ["tap"]
    assert bay.flash > 0 and not bay.flash_good


# --------------------------------------------------------------------------- difficulty


def test_difficulty_changes_the_numbers_not_just_labels() -> None:
    child, adult, senior = (ps.load_pace(content(), d) for d in ("child", "adult", "senior"))
    for easy in (child, senior):
        assert easy.arrive_every_s > adult.arrive_every_s
        assert easy.patience_s > adult.patience_s and easy.grace_s > adult.grace_s
        assert easy.circle_speed < adult.circle_speed  # slower circling cars: easier to tap
        assert easy.bays_per_row < adult.bays_per_row  # fewer, bigger bays
        assert easy.car_len > adult.car_len and easy.queue_max < adult.queue_max
    assert senior.arrive_every_s > child.arrive_every_s and senior.patience_s > child.patience_s
    widths = {d: make_game(difficulty=d).bays[0].rect.w for d in DIFFICULTIES}
    assert widths["child"] > widths["senior"] > widths["adult"]
    # A visitor who never touches anything is sent fewer cars at the easier levels.
    arrived = {}
    for d in DIFFICULTIES:
        game = make_game(difficulty=d)
        run(game, 61.0, dt=0.05)
        arrived[d] = game.arrived
    assert arrived["child"] < arrived["adult"] and arrived["senior"] < arrived["adult"]


def test_unknown_difficulty_falls_back_to_adult() -> None:
    assert ps.load_pace(content(), "martian") == ps.load_pace(content(), "adult")


def test_every_level_has_reserved_bays_and_a_gate_per_queue_place() -> None:
    for d in DIFFICULTIES:
        game = make_game(difficulty=d)
        kinds = [b.kind for b in game.bays]
        assert kinds.count("ev") == game.pace.ev_bays >= 1
        assert kinds.count("accessible") == game.pace.accessible_bays >= 1
        assert len(game.lanes) == game.pace.queue_max
        taken = sum(1 for b in game.bays if not b.free)
        assert taken == round(game.pace.start_occupied * len(game.bays))


# --------------------------------------------------------------------------- content


def test_content_integrity() -> None:
    data = content()
    for d in DIFFICULTIES:
        raw = data["difficulty"][d]
        assert set(raw) == set(ps.Pace.__dataclass_fields__), d
        pace = ps.load_pace(data, d)
        assert 0 < pace.grace_s < pace.patience_s
        assert pace.stay_min_s < pace.stay_max_s
        assert 0 < pace.start_occupied < 1 and pace.ev_share + pace.accessible_share < 1
        assert pace.car_len < ps.BAY_D - 30 and pace.car_wid < ps.BLOCK.w / pace.bays_per_row
    assert set(data["scoring"]) == set(ps.Scoring.__dataclass_fields__)
    for key in ("colors", "ev_colors"):
        assert data["cars"][key]
        for c in data["cars"][key]:
            assert len(c) == 3 and all(0 <= v <= 255 for v in c)
    assert {
        "first_arrival_s",
        "no_arrive_last_s",
        "feedback_s",
        "hint_s",
        "minutes_per_s",
        "co2_g_per_min",
    } <= set(data["play"])


def test_every_string_exists_in_both_languages_with_the_same_placeholders() -> None:
    needed = {"hint", "tally", "entrance", "exit", "free_board", "co2_label",
              "co2_value", "circling_minutes", "pick_bay", "parked", "parked_late",
              "parked_ev", "taken", "ev_only", "accessible_only", "circling",
              "gave_up", "times_up"}  # fmt: skip
    tables = gamekit.check_strings(ps.GAME, needed, ("Park Smart", "智能泊車"))
    for lang in LANGUAGES:  # "CO2" is typeset by the game (render_sub2): no "₂" anywhere
        assert not [k for k, v in tables[lang].items() if "₂" in v], lang
    for key in ("promise", "hint", "circling", "howto"):
        text = tables["zh-HK"][key]
        assert not re.search(r"[,!?:]", text), f"{key}: use full-width punctuation"


def test_long_lines_fit_the_screen() -> None:
    text = gamekit.text()
    for lang in LANGUAGES:
        table = KIT.raw()["strings"][lang]
        for key in (
            "hint",
            "pick_bay",
            "parked",
            "parked_late",
            "parked_ev",
            "taken",
            "ev_only",
            "accessible_only",
            "circling",
            "gave_up",
        ):
            assert text.font(30, "bold").size(table[key])[0] < 1920 - 2 * ps.MARGIN - 80, key
        assert text.font(30, "bold").size(table["free_board"])[0] < ps.BOARD.w - 100
        assert (
            text.font(28).size(table["circling_minutes"].format(minutes="99.9"))[0]
            < ps.CO2_CARD.w - 30
        )


def test_touch_targets_and_text_contrast() -> None:
    for d in DIFFICULTIES:
        game = make_game(difficulty=d)
        for bay in game.bays:
            assert bay.rect.w >= theme.MIN_TARGET and bay.rect.h >= theme.MIN_TARGET
        car = first_car(game)
        hit = car.rect.inflate(2 * ps.GRAB_SLOP, 2 * ps.GRAB_SLOP)
        assert hit.w >= theme.MIN_TARGET and hit.h >= theme.MIN_TARGET
        assert game.car_at(car.x, car.y + hit.h / 2 - 2) is car
    pairs = [
        (theme.TEXT_MUTED, ps.BOARD_FILL),  # "Free bays"
        (ps.SENSOR_FREE, ps.BOARD_FILL),  # the number of free bays
        (ps.SENSOR_TAKEN, ps.BOARD_FILL),  # … when there are none
        (theme.INK, theme.SUN),  # entrance and exit plates
        (theme.TEXT_MUTED, theme.CARD),  # CO₂ label, circling minutes
        (theme.BAD, theme.CARD),  # grams of CO₂
        (theme.TEXT, theme.CARD),  # timer and tally pills
        (theme.SUN, theme.BACKGROUND),  # title
        (theme.GOOD, theme.BACKGROUND),
        (theme.BAD, theme.BACKGROUND),
        (theme.TEXT, theme.BACKGROUND),  # feedback lines
    ]
    for fg, bg in pairs:
        assert theme.contrast_ratio(fg, bg) >= 4.5, (fg, bg)


# --------------------------------------------------------------------------- drawing


def _play(game: ps.ParkSmart, seconds: float, skill: float, seed: int = 5) -> None:
    for _ in gamekit.play(game, ps.ParkBot(game, random.Random(seed), skill), seconds, BOT_DT):
        pass


def test_mid_game_frame_matches_reference(request) -> None:
    game = make_game("en", "adult", seed=3)
    _play(game, 21.0, 0.15, seed=5)
    assert any(c.state == "circling" for c in game.cars)  # exhaust and CO₂ on show
    gamekit.check_screen(request, "park_smart-en-mid", game)


def _has_colour(surface: pygame.Surface, colour: tuple[int, int, int]) -> bool:
    w, h = surface.get_size()
    return any(surface.get_at((x, y))[:3] == colour for x in range(w) for y in range(0, h, 2))

# --------------------------------------------------------------------------- beyond the contract
# tests/test_game_contract.py checks what every game promises; these are this game's own.


def test_after_touch_chaos_bays_and_cars_agree() -> None:
    for chaos in gamekit.chaos_rounds(GAME_ID):
        game = chaos.game
        assert sum(1 for b in game.bays if b.car is not None) == len(
            {id(c) for c in game.cars if c.bay is not None}
        )


def test_the_seed_fixes_the_cars_colours() -> None:
    colours = [[c.color for c in make_game(seed=s).cars] for s in (5, 5, 6)]
    assert colours[0] == colours[1] != colours[2]


def test_co2_is_typeset_by_the_game_not_written_with_a_subscript_glyph() -> None:
    chars = gamekit.characters(KIT.raw()["strings"])
    for weight in FONT_FILES:
        assert gamekit.glyphless({"₂"}, weight) == ["₂"]  # no subscript two: hence render_sub2
    assert "₂" not in chars


def test_the_icon_shows_free_and_taken_sensor_lights() -> None:
    surface = gamekit.icon(ps.GAME)
    assert _has_colour(surface, ps.SENSOR_FREE) and _has_colour(surface, ps.SENSOR_TAKEN)


def test_a_skilled_bot_plays_this_game_well_at_every_level() -> None:
    """Beyond the shared contract's score: a skilled round parks many cars with little circling."""
    for difficulty in DIFFICULTIES:
        details = run_bot(1.0, difficulty, seed=1).result().details
        assert details["counted"] >= 8 and details["co2_g"] < 100, (difficulty, details)
