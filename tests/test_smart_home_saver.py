"""Smart Home Saver / 智能家居慳電: rules, scoring, levels, content, bots, multi-touch, drawing."""

from __future__ import annotations

import itertools
import random
import re

import pygame
import pytest

from games import smart_home_saver as sh
from games.base import DIFFICULTIES
from kiosk.i18n import LANGUAGES
from kiosk.input import PointerEvent
from kiosk.ui import theme
from kiosk.ui.shapes import CARD_FILL
from tests import gamekit
from tests.gamekit import DT, GameKit, run

BOT_DT = 1 / 30  # bots play at 30 fps here to keep the file fast (any dt up to 0.1 works)
GAME_ID = "smart_home_saver"
KIT: GameKit[sh.SmartHomeSaver] = GameKit(sh.GAME, bot_dt=BOT_DT)
content, make_game, run_bot = KIT.content, KIT.make_game, KIT.run_bot


def quiet_game(lang: str = "en", difficulty: str = "adult") -> sh.SmartHomeSaver:
    """A flat with nobody home, nothing planned and everything but the fridge off."""
    game = make_game(lang, difficulty)
    game._events = []
    game._next_event = 0
    for p in game.people:
        p.state, p.room = "out", None
    for a in game.appliances:
        if a.spec.need != "always":
            a.mode = a.base_mode = a.ideal_mode = "off"
    game._count_occupancy()
    game.feedback = None
    return game


def appliance(game: sh.SmartHomeSaver, app_id: str) -> sh.Appliance:
    return next(a for a in game.appliances if a.spec.id == app_id)


def switch_on(a: sh.Appliance, mode: str | None = None) -> None:
    """Someone left it on, in every copy of the flat."""
    a.mode = a.base_mode = a.ideal_mode = mode or sh.on_mode(a.spec)


def walk_in(game: sh.SmartHomeSaver, room_id: str, who: int = 0) -> sh.Person:
    person = game.people[who]
    game._enter(person, room_id, instant=True)
    game._count_occupancy()
    return person


def tap(game: sh.SmartHomeSaver, a: sh.Appliance, pointer: int = 1) -> None:
    x, y = a.rect.center
    game.handle(PointerEvent("down", x, y, pointer))
    game.handle(PointerEvent("up", x, y, pointer))
    game.update(0.12)  # past the double-report guard, as a real second tap would be


# --------------------------------------------------------------------------- rules


def test_switching_off_in_an_empty_room_saves_and_cheers() -> None:
    game = quiet_game()
    tv = appliance(game, "living_tv")
    switch_on(tv)
    run(game, 0.5)
    tap(game, tv)
    assert tv.mode == "off"
    assert (game.good_taps, game.mistakes, game.wasteful_taps) == (1, 0, 0)
    assert "good" in game.cues and "bad" not in game.cues
    assert tv.flash > 0 and tv.flash_tone == "good"
    assert game._floats and game._floats[0].text == "−120 W"
    assert game.feedback is not None and game.feedback.tone == "good"
    # The first TV switched off shows the TV tip from the content.
    assert game.feedback.text == content()["kinds"]["tv"]["tip"]["en"]
    run(game, 10)
    assert game.saved_kwh > 0 and game.ideal_kwh > 0
    assert game.score() == 100  # quicker than the ideal player's grace time
    # 120 W for ~10 s of game time at 5 min/s ≈ 0.1 kWh, at HK$1.3 a kWh.
    assert game.saved_kwh == pytest.approx(0.120 * 10.6 * 5 / 60, rel=0.05)
    assert game.saved_hkd == pytest.approx(game.saved_kwh * 1.3)


def test_the_routine_line_names_the_empty_room() -> None:
    game = quiet_game("zh-HK")
    lights = [appliance(game, "living_light"), appliance(game, "kitchen_light")]
    for a in lights:
        switch_on(a)
    tap(game, lights[0])  # first light: the tip
    run(game, 2.5)
    tap(game, lights[1])
    assert game.feedback is not None and game.feedback.text == "慳咗電！廚房冇人。"


def test_switching_off_something_in_use_is_a_comfort_mistake_and_it_comes_back() -> None:
    game = quiet_game()
    light = appliance(game, "living_light")
    switch_on(light)
    person = walk_in(game, "living")
    tap(game, light)
    assert light.mode == "off"
    assert game.mistakes == 1 and game.mistake_ids == ["living_light"]
    assert "bad" in game.cues
    assert game.feedback is not None and game.feedback.tone == "bad"
    assert game.feedback.text == "Hey! Someone in the living room is using that!"
    assert person.upset > 0
    run(game, game.restore_s + 0.1)
    assert light.mode == "on"  # the occupant switched it back on
    assert game.saved_kwh == pytest.approx(0.0, abs=1e-9)  # nothing was wasted, nothing saved


def test_the_fridge_must_stay_on_even_in_an_empty_kitchen() -> None:
    game = quiet_game()
    fridge = appliance(game, "kitchen_fridge")
    assert fridge.mode == "on" and not game.occupied("kitchen")
    tap(game, fridge)
    assert fridge.mode == "off" and game.mistakes == 1
    assert fridge.alarm > 0
    assert game.feedback is not None and game.feedback.text.startswith("Keep the fridge on")
    run(game, game.restore_s + 0.1)
    assert fridge.mode == "on"
    assert game.waste_w(fridge) == 0


def test_air_con_in_an_occupied_room_goes_to_25_5_not_off() -> None:
    game = quiet_game()
    ac = appliance(game, "living_ac")
    walk_in(game, "living")
    switch_on(ac)
    assert ac.mode == "cold" and game.waste_w(ac) == ac.spec.power_w - ac.spec.eco_power_w
    tap(game, ac)
    assert ac.mode == "eco" and game.good_taps == 1 and game.waste_w(ac) == 0
    assert game.feedback is not None and game.feedback.text.startswith("25.5 °C")
    tap(game, ac)
    assert ac.mode == "off" and game.mistakes == 1
    run(game, game.restore_s + 0.1)
    assert ac.mode == "eco"  # back to where the visitor had sensibly set it


def test_air_con_in_an_empty_room_takes_two_taps_to_switch_off_and_one_more_is_wasteful() -> None:
    game = quiet_game()
    ac = appliance(game, "bedroom_ac")
    switch_on(ac)
    tap(game, ac)
    assert ac.mode == "eco" and game.good_taps == 1
    assert game.feedback is not None and game.feedback.tone == "info"
    assert "tap again" in game.feedback.text
    tap(game, ac)
    assert ac.mode == "off" and game.good_taps == 2 and game.mistakes == 0
    tap(game, ac)
    assert ac.mode == "cold" and game.wasteful_taps == 1
    assert game.cues[-1] == "bad"
    assert (
        game.feedback is not None
        and game.feedback.text == "Nobody is in the bedroom: leave it off."
    )


def test_switching_on_in_an_empty_room_wastes_and_the_score_stays_at_zero() -> None:
    game = quiet_game()
    heater = appliance(game, "bathroom_heater")
    tap(game, heater)
    assert heater.mode == "on" and game.wasteful_taps == 1
    run(game, 5)
    assert game.saved_kwh < 0
    assert game.score() == 0
    assert game.result().details["kwh_saved"] == 0


def test_a_tap_on_nothing_still_answers() -> None:
    game = quiet_game()
    game.handle(PointerEvent("down", 700, 1000, 1))
    assert game.cues == ["tap"] and len(game._ripples) == 1
    assert game.taps == 0


def test_one_touch_reported_twice_is_one_tap() -> None:
    game = quiet_game()
    light = appliance(game, "kitchen_light")
    switch_on(light)
    x, y = light.rect.center
    game.handle(PointerEvent("down", x, y, 1))
    game.handle(PointerEvent("down", x + 3, y, 2))
    assert light.mode == "off" and game.taps == 1


def test_people_switch_on_what_they_use_when_they_walk_in() -> None:
    game = make_game(seed=5)
    use = next(e for e in game._events if e.kind == "use" and e.t > 0)
    a = game.appliances[use.appliance]
    a.mode = "off"
    run(game, use.t - game.elapsed + DT)
    assert a.mode == sh.on_mode(a.spec)
    assert a.spark > 0 or game.elapsed - use.t > sh.SPARK_S


def test_the_sensor_follows_the_people() -> None:
    game = quiet_game()
    assert not game.occupied("bedroom")
    person = walk_in(game, "bedroom")
    assert game.occupied("bedroom") and person.present
    game._leave(person)
    game._count_occupancy()
    assert not game.occupied("bedroom")  # walking out already counts as gone
    assert person.state == "leaving"
    run(game, game.walk_s + 0.05)
    assert person.state == "out"


def test_no_input_scores_zero_and_the_ideal_player_has_work_to_do() -> None:
    for d in DIFFICULTIES:
        game = make_game(difficulty=d, seed=2)
        run(game, 61, dt=0.1)
        assert game.finished
        result = game.result()
        assert result.score == 0 and result.lesson_key == "lesson_low"
        assert game.actual_wh == pytest.approx(game.base_wh)
        assert 0 < game.ideal_wh < game.base_wh
        assert result.details["kwh_ideal"] > 0.5


def test_time_running_out_finishes_the_round() -> None:
    game = make_game()
    run(game, 59.5)
    assert not game.finished
    run(game, 1.0)
    assert game.finished and game.time_left == 0
    assert game.feedback is not None and game.feedback.text == "Time's up!"
    result = game.result()
    assert 0 <= result.score <= 100
    assert result.lesson_key in ("lesson_high", "lesson_mid", "lesson_low")
    assert result.details["seconds"] == 60.0
    # After the end, input and time are ignored and nothing crashes.
    light = game.appliances[0]
    game.handle(PointerEvent("down", *light.rect.center, 1))
    game.update(DT)
    assert game.result().details == result.details


def test_the_score_formula() -> None:
    game = quiet_game()
    game.base_wh, game.ideal_wh, game.actual_wh = 1000.0, 200.0, 600.0  # saved 400 of 800
    assert game.ratio() == pytest.approx(0.5)
    assert game.score() == 50
    game.mistakes = 2
    assert game.score() == 50 - 2 * 8
    game.mistakes = 10
    assert game.score() == 0  # clamped
    game.mistakes, game.actual_wh = 0, 100.0  # saved more than the ideal player: still 100
    assert game.score() == 100
    assert make_game().score() == 0  # nothing to save yet: 0, not a division error


def test_the_lesson_follows_the_score() -> None:
    game = quiet_game()
    for score, lesson in ((90, "lesson_high"), (60, "lesson_mid"), (20, "lesson_low")):
        game.score = lambda s=score: s  # type: ignore[method-assign]
        assert game.result().lesson_key == lesson


# --------------------------------------------------------------------------- multi-touch


def test_two_fingers_switch_off_two_things_at_once() -> None:
    game = quiet_game()
    tv, light = appliance(game, "living_tv"), appliance(game, "bedroom_light")
    switch_on(tv)
    switch_on(light)
    game.handle(PointerEvent("down", *tv.rect.center, 1))
    game.handle(PointerEvent("down", *light.rect.center, 2))
    game.handle(PointerEvent("up", *light.rect.center, 2))
    game.handle(PointerEvent("up", *tv.rect.center, 1))
    assert tv.mode == light.mode == "off" and game.good_taps == 2


def test_moves_and_stray_ups_do_nothing() -> None:
    game = quiet_game()
    light = appliance(game, "kitchen_light")
    switch_on(light)
    game.handle(PointerEvent("move", *light.rect.center, 7))
    game.handle(PointerEvent("up", *light.rect.center, 99))
    assert light.mode == "on" and game.taps == 0 and not game.cues


def test_mashing_every_tile_does_not_pay() -> None:
    game = make_game(seed=4)
    n = 0
    while not game.finished:
        for a in game.appliances:
            n += 1
            game.handle(PointerEvent("down", *a.rect.center, n % 4))
        run(game, 0.25, dt=0.05)
    assert game.result().score <= 10


# --------------------------------------------------------------------------- difficulty


def test_difficulty_changes_the_numbers_not_just_labels() -> None:
    child, adult, senior = (sh.load_level(content(), d) for d in ("child", "adult", "senior"))
    assert len(child.rooms) < len(adult.rooms) and len(senior.rooms) < len(adult.rooms)
    assert len(child.people) < len(adult.people) and len(senior.people) < len(adult.people)
    assert child.dwell_min_s > adult.dwell_min_s and senior.dwell_min_s > child.dwell_min_s
    assert child.min_gap_s > adult.min_gap_s and senior.min_gap_s > child.min_gap_s
    assert senior.card > adult.card and senior.label_size > adult.label_size
    assert child.card > adult.card
    assert child.hint_waste and senior.hint_waste and not adult.hint_waste
    assert senior.grace_s > adult.grace_s
    counts, leaves = {}, {}
    for d in DIFFICULTIES:
        game = make_game(difficulty=d, seed=3)
        counts[d] = len(game.appliances)
        times = [e.t for e in game._events if e.kind == "leave"]
        leaves[d] = len(times)
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert min(gaps) >= game.level.min_gap_s - 1e-9, d  # fewer things at once
        assert len(game.rooms) == len(game.level.rooms)
    assert counts["child"] < counts["adult"] and counts["senior"] < counts["adult"]
    assert leaves["child"] < leaves["adult"] and leaves["senior"] < leaves["child"]


def test_unknown_difficulty_falls_back_to_adult() -> None:
    assert sh.load_level(content(), "martian") == sh.load_level(content(), "adult")
    assert len(make_game(difficulty="martian").appliances) == len(make_game().appliances)


def test_the_plan_is_seeded() -> None:
    def plan(seed: int) -> list[tuple[float, str, int, str, int]]:
        return [(e.t, e.kind, e.person, e.room, e.appliance) for e in make_game(seed=seed)._events]

    assert plan(5) == plan(5)
    assert plan(5) != plan(6)


# --------------------------------------------------------------------------- content


def test_content_integrity() -> None:
    data = content()
    rooms = {r["id"] for r in data["rooms"]}
    kinds = data["kinds"]
    people = {p["id"] for p in data["people"]}
    ids = [a["id"] for a in data["appliances"]]
    assert len(ids) == len(set(ids)), "duplicate appliance ids"
    assert len(sh.load_appliances(data)) == len(ids)
    for raw in data["appliances"]:
        assert raw["room"] in rooms and raw["kind"] in kinds, raw["id"]
        assert raw.get("need", "room") in ("room", "always"), raw["id"]
        assert set(raw["levels"]) <= set(DIFFICULTIES), raw["id"]
        assert 0 < raw["power_w"] <= 3000 and 0 <= raw["use"] <= 1, raw["id"]
        if raw["kind"] == "ac":
            assert 0 < raw["eco_power_w"] < raw["power_w"], raw["id"]
    for kind, entry in kinds.items():
        for field in ("name", "tip"):
            for lang in LANGUAGES:
                assert entry[field].get(lang, "").strip(), (kind, field, lang)
        assert len(entry["name"]["en"]) <= 13 and len(entry["name"]["zh-HK"]) <= 4, kind
    for raw in data["rooms"]:
        for field in ("name", "phrase"):
            assert all(raw[field].get(lang, "").strip() for lang in LANGUAGES), raw["id"]
    for d in DIFFICULTIES:
        level = sh.load_level(data, d)
        assert set(level.rooms) <= rooms and set(level.people) <= people, d
        game = make_game(difficulty=d)
        for room in game.rooms:
            here = [a for a in game.appliances if a.room == room.id]
            assert room.light is not None and len(here) >= 2, (d, room.id)
        assert any(a.spec.kind == "fridge" and a.spec.need == "always" for a in game.appliances)
        assert any(a.spec.kind == "ac" for a in game.appliances), d


def test_hong_kong_facts_in_the_content() -> None:
    data = content()
    assert 1.0 <= data["energy"]["tariff_hkd_per_kwh"] <= 2.0  # about HK$1.3 a kWh
    tables = KIT.raw()["strings"]
    assert "25.5" in tables["en"]["rule_ac"] and "25.5" in tables["zh-HK"]["rule_ac"]
    assert "二十五點五" in tables["zh-HK"]["howto"] and "25.5 degrees" in tables["en"]["howto"]
    for raw in data["appliances"]:
        if raw["kind"] == "ac":  # 25.5 °C instead of 20 °C saves a good share
            assert 0.55 <= raw["eco_power_w"] / raw["power_w"] <= 0.8


def test_every_string_exists_in_both_languages_with_the_same_placeholders() -> None:
    needed = {"hint", "tally", "meter_title", "clock", "saved_energy", "saved_money",
              "kwh", "hkd", "wasting", "watts", "float_saved", "comfort",
              "rules_title", "rule_empty", "rule_fridge", "rule_ac", "ac_temp",
              "ac_off", "good_off", "good_ac", "ac_half", "bad_needed", "bad_fridge",
              "bad_on", "bad_cold", "times_up"}  # fmt: skip
    tables = gamekit.check_strings(sh.GAME, needed, ("Smart Home Saver", "智能家居慳電"))
    for key in ("promise", "hint", "good_off", "bad_needed", "lesson_high"):
        assert not re.search(r"[,!?:](?!\d)", tables["zh-HK"][key]), key  # full-width marks


def test_tiles_are_big_fit_their_rooms_and_text_has_contrast() -> None:
    for d in DIFFICULTIES:
        for lang in LANGUAGES:
            game = make_game(lang, d)
            game.draw(pygame.Surface((1920, 1080)))
            for room in game.rooms:
                assert game.flat_rect.contains(room.rect)
                tiles = [a for a in game.appliances if a.room == room.id]
                for a in tiles:
                    assert a.rect.w >= theme.MIN_TARGET and a.rect.h >= theme.MIN_TARGET
                    assert room.rect.contains(a.rect), (d, a.spec.id)
                    pill = game.view.labels[a.uid]
                    label = pill.get_rect(midtop=(a.rect.centerx, a.rect.bottom + 8))
                    assert room.rect.contains(label), (d, lang, a.spec.id)
                for a, b in itertools.pairwise(tiles):
                    assert not a.rect.inflate(12, 12).colliderect(b.rect.inflate(12, 12))
            assert not game.flat_rect.colliderect(game.meter_rect)
    pairs = [
        (theme.INK, CARD_FILL),
        (sh.COLD_TEXT, sh.TILE_ON),
        (sh.ECO_TEXT, sh.TILE_ON),
        (theme.TEXT_MUTED, sh.TILE_OFF),
        (theme.TEXT, theme.NAVY),
        (theme.GOOD, sh.DISPLAY),
        (theme.SUN, sh.DISPLAY),
        (theme.BAD, sh.DISPLAY),
        (theme.TEXT, sh.DISPLAY),
        (theme.TEXT_MUTED, theme.CARD),
        (theme.SUN, theme.CARD),
        (theme.TEXT, theme.CARD),
        (theme.GOOD, theme.BACKGROUND),
        (theme.BAD, theme.BACKGROUND),
    ]
    for fg, bg in pairs:
        assert theme.contrast_ratio(fg, bg) >= 4.5, (fg, bg)


# --------------------------------------------------------------------------- drawing


def test_mid_game_frame_matches_reference(request) -> None:
    game = make_game("en", "adult", seed=3)
    for _ in gamekit.play(game, sh.SaverBot(game, random.Random(5), 0.6), 20, BOT_DT):
        pass
    gamekit.check_screen(request, f"{GAME_ID}-en-play", game)


def test_the_flat_with_its_lights_off_is_made_before_the_round() -> None:
    """The dark flat (a 1436×812 copy and veil, 3-5 ms) is made in the worker that builds the
    round (Game.draw_ahead, kiosk/booth/pregame.py), not in the frame where the first light
    goes off mid-round (the round's slowest frame in the soak)."""
    game = make_game("en", "adult", seed=3)
    lights = [room.light for room in game.rooms if room.light is not None]
    for light in lights:
        switch_on(light)
    scratch = pygame.Surface(game.ctx.size)
    game.draw(scratch)  # as the worker does: backdrop, tiles, text
    game.draw_ahead()
    made = game.view._dark
    assert made is not None
    lights[0].mode = "off"
    screen = pygame.Surface(game.ctx.size)
    game.draw(screen)
    assert game.view._dark is made  # the frame only blits it
    room = next(r for r in game.rooms if r.light is lights[0])
    corner = (room.rect.x + 2, room.rect.bottom - 3)
    assert screen.get_at(corner) != scratch.get_at(corner)  # and the room did go dark


# --------------------------------------------------------------------------- beyond the contract
# tests/test_game_contract.py checks what every game promises; these are this game's own.


def test_after_touch_chaos_every_tap_is_counted_at_most_once() -> None:
    for chaos in gamekit.chaos_rounds(GAME_ID):
        game = chaos.game
        assert game.taps >= game.good_taps + game.mistakes + game.wasteful_taps


def test_a_skilled_bot_plays_this_game_well_at_every_level() -> None:
    """Beyond the shared contract's score: a skilled round saves with no comfort mistakes."""
    for difficulty in DIFFICULTIES:
        details = run_bot(1.0, difficulty, seed=3).result().details
        assert details["good_taps"] >= 10, (difficulty, details)
        assert details["comfort_mistakes"] == 0, (difficulty, details)
