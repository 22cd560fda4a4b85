"""Smart Commute / 智慧出行: rules, scoring, live boards, content, pace, bots, touch, drawing."""

from __future__ import annotations

import math
import re
from functools import cache
from itertools import pairwise

import pygame
import pytest

from games import smart_commute as sc
from games.base import DIFFICULTIES
from kiosk.i18n import LANGUAGES
from kiosk.input import PointerEvent
from kiosk.ui import theme
from kiosk.ui.text import FONT_FILES
from kiosk.ui.typeset import render_sub2, sub2_width
from tests import gamekit
from tests.gamekit import DT, GameKit, colours, run

FAST = 0.05  # bots play whole rounds at 20 fps: the game is built for any dt up to 0.1
GAME_ID = "smart_commute"
KIT: GameKit[sc.SmartCommute] = GameKit(sc.GAME, bot_dt=FAST, bot_s=100.0)
content, make_game, run_bot = KIT.content, KIT.make_game, KIT.run_bot


@cache
def _net() -> sc.Network:
    return sc.Network(content())


def tap(game: sc.SmartCommute, pos: tuple[float, float], pointer: int = 1) -> None:
    game.handle(PointerEvent("down", *pos, pointer))
    game.handle(PointerEvent("up", *pos, pointer))


def pick(game: sc.SmartCommute, option: sc.Option) -> None:
    tap(game, option.rect.center)


def worst(game: sc.SmartCommute) -> sc.Option:
    return max(game.options, key=lambda o: (game.value_of(o), o.number))


def until(game: sc.SmartCommute, phase: str, limit_s: float = 10.0) -> None:
    for _ in range(round(limit_s / DT)):
        if game.phase == phase or game.finished:
            return
        game.update(DT)
    raise AssertionError(f"never reached {phase!r}")


def finish_trip_best(game: sc.SmartCommute) -> None:
    index = game.trip_index
    while game.trip_index == index and not game.finished and game.phase != "arrived":
        until(game, "choose")
        if game.phase != "choose":
            break
        best = game.best_option()
        assert best is not None
        pick(game, best)
        until(game, "arrived" if game.run.stop == game.run.spec.dest else "choose")
        for _ in range(round(3 / DT)):
            if game.phase != "ride":
                break
            game.update(DT)


# --------------------------------------------------------------------------- the network


def test_rides_follow_a_line_several_stops_and_pay_the_platform_walk_once() -> None:
    net = _net()
    central = net.rides_from["central"]
    island = {r.to: r for r in central if r.line == "island"}
    assert set(island) == {"sheung_wan", "kennedy_town", "admiralty", "wan_chai", "causeway_bay"}
    to_cwb = island["causeway_bay"]
    assert to_cwb.stops == 3
    assert to_cwb.minutes == 2 + 2 + 2 + net.modes["mtr"].access  # three hops, one walk down
    assert to_cwb.co2 == 30
    walks = [r for r in central if r.mode.id == "walk"]
    assert walks and all(r.stops == 1 for r in walks)  # walking goes one link per ride


def test_cost_turns_grams_into_minutes_and_best_routes_make_sense() -> None:
    net = _net()
    k = content()["scoring"]["grams_per_minute"]
    taxi = next(r for r in net.rides_from["central"] if r.mode.id == "taxi")
    assert net.cost(taxi, 2) == pytest.approx(2 + taxi.minutes + taxi.co2 / k)
    # Under the harbour the MTR wins; for one hop along the island a tram is as good.
    assert [r.mode.id for r in net.best_route("jordan", "central")] == ["mtr"]
    one_hop = {
        r.mode.id: net.usual_cost(r) for r in net.rides_from["central"] if r.to == "admiralty"
    }
    assert abs(one_hop["tram"] - one_hop["mtr"]) < 2.0 and one_hop["walk"] > one_hop["tram"]
    assert one_hop["tram"] < min(
        net.usual_cost(r) for r in net.rides_from["central"] if r.mode.id == "taxi"
    )
    g = net.to_go("mong_kok")
    assert g["mong_kok"] == 0 and all(math.isfinite(v) for v in g.values())  # all connected


def test_countdowns_tick_down_with_the_clock_and_start_again() -> None:
    game = make_game(seed=4)
    opt = next((o for o in game.options if o.ride.scheduled), None)
    assert opt is not None
    headway = opt.ride.first.headway
    seen = []
    for _ in range(round(headway * 2 / game.pace.clock_rate / DT)):
        seen.append(game.wait_of(opt))
        game.update(DT)
    assert min(seen) == 0 and max(seen) == math.ceil(headway) - 1
    changes = [(a, b) for a, b in pairwise(seen) if b != a]
    assert changes and any(b == a - 1 for a, b in changes)  # it ticks down: a live board
    walk = next((r for r in _net().rides if r.mode.id == "walk"), None)
    assert walk is not None and game._wait(walk) == 0  # walking never waits


def test_every_board_offers_the_best_ride_and_distinct_cards() -> None:
    for difficulty in DIFFICULTIES:
        game = make_game(difficulty=difficulty, seed=2)
        pace = game.pace
        for _ in range(8):
            until(game, "choose")
            if game.finished:
                break
            assert len(game.options) == min(pace.options, len(game.net.rides_from[game.run.stop]))
            rides = {o.ride.idx for o in game.options}
            assert len(rides) == len(game.options)
            g = game.net.to_go(game.run.spec.dest)
            every = min(
                game._value(r, game._wait(r))
                for r in game.net.rides_from[game.run.stop]
                if math.isfinite(g[r.to])
            )
            best = game.best_option()
            assert best is not None and game.value_of(best) == pytest.approx(every)
            for opt in game.options:
                assert opt.rect.w >= theme.MIN_TARGET and opt.rect.h >= theme.MIN_TARGET
                assert inside_the_panel(opt.rect)
            pick(game, worst(game))  # wander a little to see other boards
            until(game, "choose")


def inside_the_panel(rect: pygame.Rect) -> bool:
    return sc.OPTIONS_RECT.contains(rect)


# --------------------------------------------------------------------------- rules


def test_the_best_card_cheers_and_a_trip_of_best_picks_scores_100() -> None:
    game = make_game(seed=3)
    best = game.best_option()
    assert best is not None
    pick(game, best)
    assert game.phase == "ride" and "good" in game.cues and "bad" not in game.cues
    assert game.feedback is not None and game.feedback.tone == "good"
    finish_trip_best(game)
    assert game.outcomes[0] == "arrived"
    assert game.trip_scores[0] == pytest.approx(100.0)
    assert game.run.regret == 0
    assert game.score() == round(100 / len(game.trips))  # one of the trips done


def test_a_worse_card_costs_exactly_what_it_adds() -> None:
    game = make_game(seed=3)
    values = {o.number: game.value_of(o) for o in game.options}
    best_value = min(values.values())
    bad = worst(game)
    added = values[bad.number] - best_value
    assert added > game.good_within
    pick(game, bad)
    assert "bad" in game.cues and game.feedback is not None and game.feedback.tone == "bad"
    assert game.move is not None and not game.move.good and game.move.chosen == bad.number
    assert game.run.best == pytest.approx(best_value)
    assert game.run.regret == pytest.approx(added)
    finish_trip_best(game)
    if game.outcomes[0] == "arrived":
        assert game.trip_scores[0] == pytest.approx(100 * best_value / (best_value + added))


def test_the_reason_names_a_greener_or_quicker_ride_in_the_visitors_language() -> None:
    for lang in LANGUAGES:
        game = make_game(lang, seed=3)
        pick(game, worst(game))
        assert game.feedback is not None and game.feedback.tone == "bad"
        text = game.feedback.text
        if lang == "en":
            assert text.isascii() or "₂" in text
        else:
            assert re.search(r"[\u4e00-\u9fff]", text)


def test_a_taxi_is_called_out_for_its_co2() -> None:
    for seed in range(1, 40):
        game = make_game(seed=seed)
        taxi = next((o for o in game.options if o.ride.mode.id == "taxi"), None)
        best = game.best_option()
        if taxi is None or best is None or taxi.ride.co2 - best.ride.co2 < 100:
            continue
        g = game.net.to_go(game.run.spec.dest)
        if g[taxi.ride.to] >= g[game.run.stop]:
            continue  # that one is told off for heading away instead
        pick(game, taxi)
        assert game.feedback is not None
        assert f"{taxi.ride.co2} g" in game.feedback.text
        return
    pytest.skip("no seed offered a taxi towards the destination")


def test_the_wait_is_read_when_the_finger_goes_down() -> None:
    game = make_game(seed=5)
    opt = next(o for o in game.options if o.ride.scheduled)
    wait = game.wait_of(opt)
    game.handle(PointerEvent("down", *opt.rect.center, 1))
    assert game.pressed(opt) and "tap" in game.cues
    run(game, 3)  # the board moves on while the finger rests
    game.handle(PointerEvent("up", *opt.rect.center, 1))
    assert game.move is not None and game.move.wait == wait


def test_sliding_off_a_card_cancels_and_an_up_elsewhere_does_nothing() -> None:
    game = make_game()
    opt = game.options[0]
    game.handle(PointerEvent("down", *opt.rect.center, 1))
    game.handle(PointerEvent("move", opt.rect.centerx, opt.rect.bottom + 200, 1))
    assert not game.pressed(opt)
    game.handle(PointerEvent("up", *opt.rect.center, 1))
    assert game.phase == "choose" and game.picks == 0
    game.handle(PointerEvent("up", 10, 10, 42))  # a finger that never went down
    game.handle(PointerEvent("down", 600, 300, 3))  # empty map: a ripple, no choice
    game.handle(PointerEvent("up", 600, 300, 3))
    assert game.picks == 0 and game.ripples


def test_the_numbered_stop_on_the_map_chooses_too() -> None:
    for seed in range(1, 30):
        game = make_game(seed=seed)
        alone = [
            o for o in game.options if sum(1 for p in game.options if p.ride.to == o.ride.to) == 1
        ]
        if not alone:
            continue
        target = alone[0]
        tap(game, game.map_target(target))
        assert game.move is not None and game.move.chosen == target.number
        return
    pytest.fail("no board with a stop reached by only one card")


def test_two_cards_to_one_stop_point_at_both_when_the_stop_is_tapped() -> None:
    for seed in range(1, 60):
        game = make_game(seed=seed)
        ends = [o.ride.to for o in game.options]
        shared = next((s for s in ends if ends.count(s) > 1), None)
        if shared is None:
            continue
        tap(game, game._points[shared])
        assert game.phase == "choose" and game.picks == 0
        assert game.hinted == {o.number for o in game.options if o.ride.to == shared}
        return
    pytest.skip("no board with two cards to the same stop")


def test_wandering_too_far_is_lost_in_the_city_and_the_next_trip_starts() -> None:
    game = make_game(seed=7)
    for _ in range(30):
        if game.outcomes[0]:
            break
        until(game, "choose")
        others = [o for o in game.options if o.ride.to != game.run.spec.dest]
        pick(game, max(others or game.options, key=game.value_of))
        until(game, "choose" if game.run.rides < game.run.max_rides else "arrived")
        for _ in range(round(3 / DT)):
            if game.phase != "ride":
                break
            game.update(DT)
    assert game.outcomes[0] == "lost" and game.trip_scores[0] == 0
    assert "bad" in game.cues
    until(game, "choose")
    assert game.trip_index == 1 and game.run.stop == game.trips[1].start


def test_no_input_scores_zero_and_time_ends_the_round() -> None:
    game = make_game()
    duration = game.pace.duration_s
    run(game, duration - 0.5)
    assert not game.finished
    run(game, 1)
    assert game.finished and game.time_left == 0
    result = game.result()
    assert result.score == 0 and result.lesson_key == "lesson_low"
    assert result.details["trips_offered"] == len(game.trips) and result.details["rides"] == 0
    game.handle(PointerEvent("down", *game.options[0].rect.center, 1))  # ignored now
    game.handle(PointerEvent("up", *game.options[0].rect.center, 1))
    game.update(DT)
    assert game.result() == result


def test_finishing_every_trip_ends_the_round_early_with_100() -> None:
    game = run_bot(1.0, "senior", seed=2)
    assert game.finished and game.elapsed < game.pace.duration_s
    assert game.outcomes == ["arrived"] * len(game.trips)
    assert game.result().score == 100 and game.result().lesson_key == "lesson_high"


def test_the_score_is_the_mean_over_trips_offered_and_the_lesson_follows_it() -> None:
    game = make_game()
    n = len(game.trips)
    game.trip_scores = [100.0, 50.0] + [None] * (n - 2)
    assert game.score() == round(150 / n)
    game.trip_scores = [100.0] * n
    assert game.result().lesson_key == "lesson_high"
    game.trip_scores = [60.0] * n
    assert game.result().lesson_key == "lesson_mid"
    game.trip_scores = [10.0] * n
    assert game.result().lesson_key == "lesson_low"


def test_result_details_are_counts_only() -> None:
    details = run_bot(0.5, seed=4).result().details
    for value in details.values():
        assert isinstance(value, (int, float, str, list))
    assert {
        "trips_offered",
        "trips_arrived",
        "trips_lost",
        "rides",
        "good_picks",
        "taxi_rides",
        "co2_g",
    } <= set(details)


# --------------------------------------------------------------------------- difficulty


def test_difficulty_changes_the_numbers() -> None:
    paces = {d: sc.load_pace(content(), d) for d in DIFFICULTIES}
    child, adult, senior = paces["child"], paces["adult"], paces["senior"]
    assert child.options < adult.options and senior.options < adult.options
    assert child.clock_rate < adult.clock_rate and senior.clock_rate < adult.clock_rate
    assert senior.trips < adult.trips and senior.duration_s > adult.duration_s
    assert senior.title_size > adult.title_size and senior.text_size > adult.text_size
    assert senior.ride_s > adult.ride_s and senior.arrive_pause_s > adult.arrive_pause_s
    assert child.max_best_rides <= adult.max_best_rides
    for d in DIFFICULTIES:
        game = make_game(difficulty=d, seed=1)
        assert len(game.trips) == paces[d].trips and len(game.options) == paces[d].options
        for spec in game.trips:
            assert len(game.net.best_route(spec.start, spec.dest)) <= paces[d].max_best_rides
    big = make_game(difficulty="senior").options[0].rect
    small = make_game(difficulty="adult").options[0].rect
    assert big.h > small.h  # bigger buttons for seniors


def test_unknown_difficulty_falls_back_to_adult() -> None:
    assert sc.load_pace(content(), "martian") == sc.load_pace(content(), "adult")


# --------------------------------------------------------------------------- content


def test_content_integrity() -> None:
    data = content()
    net = _net()
    assert len(data["stops"]) >= 10 and len(net.stops) == len(data["stops"])
    assert len(net.edges) == 2 * len(data["links"]), "a link names an unknown stop or mode"
    line_ids = {line["id"] for line in data["lines"]}
    for raw in data["links"]:
        assert raw.get("line", raw["mode"]) in line_ids | {"walk", "bike", "taxi"}, raw
        assert raw["minutes"] > 0 and raw["co2"] >= 0
    for group in ("stops", "modes", "lines", "trips"):
        ids = [e["id"] for e in data[group]]
        assert len(ids) == len(set(ids)), group
        for entry in data[group]:
            names = entry.get("name") or entry.get("goal")
            for lang in LANGUAGES:
                assert names.get(lang, "").strip(), (group, entry["id"], lang)
    zh = {s.id: s.name["zh-HK"] for s in net.stops.values()}
    for sid, name in {
        "central": "中環",
        "admiralty": "金鐘",
        "wan_chai": "灣仔",
        "causeway_bay": "銅鑼灣",
        "sheung_wan": "上環",
        "tsim_sha_tsui": "尖沙咀",
        "mong_kok": "旺角",
        "kennedy_town": "堅尼地城",
    }.items():
        assert zh[sid] == name
    assert "天星碼頭" in zh["star_ferry_central"]
    assert {m for m in net.modes} == {"mtr", "tram", "bus", "ferry", "walk", "bike", "taxi"}
    assert len(net.trips) == len(data["trips"]) >= 10
    for spec in net.trips:
        assert spec.start != spec.dest
        assert 1 <= len(net.best_route(spec.start, spec.dest)) <= 3, spec.id
    for d in DIFFICULTIES:  # enough trips for every level
        pace = sc.load_pace(data, d)
        fit = [t for t in net.trips if len(net.best_route(t.start, t.dest)) <= pace.max_best_rides]
        assert len(fit) >= pace.trips + 2, d


def test_co2_per_minute_follows_the_modes() -> None:
    per_min: dict[str, list[float]] = {}
    for raw in content()["links"]:
        per_min.setdefault(raw["mode"], []).append(raw["co2"] / raw["minutes"])
    avg = {m: sum(v) / len(v) for m, v in per_min.items()}
    assert avg["walk"] == avg["bike"] == 0
    assert 0 < avg["tram"] < avg["mtr"] < avg["bus"] < avg["taxi"]
    assert avg["ferry"] < avg["taxi"]


def test_every_string_exists_in_both_languages_with_the_same_placeholders() -> None:
    needed = {"score", "trip_of", "from", "to", "you_are_at", "clock", "wait_label",
              "wait_min", "wait_now", "wait_go", "ride", "co2", "to_stop",
              "line_stop", "line_stops", "best_tag", "hint", "riding", "good",
              "good_green", "bad_away", "bad_dirty", "bad_wait", "bad_slow",
              "arrived", "trip_summary", "trip_score", "lost", "lost_next",
              "times_up", "all_done", "harbour", "kowloon", "island"}  # fmt: skip
    tables = gamekit.check_strings(sc.GAME, needed, ("Smart Commute", "智慧出行"))
    for key in ("howto", "promise", "lesson_high", "lesson_mid", "lesson_low"):
        zh = tables["zh-HK"][key]
        assert not re.search(r"[,!?:;]", zh), (key, "use full-width punctuation")
    assert 2 <= tables["en"]["howto"].count(".") <= 3


def test_co2_is_drawn_with_a_real_subscript() -> None:
    text = gamekit.text()
    plain = text.render("CO2", 40, theme.WHITE, "bold")
    sub = render_sub2(text, "CO2", 40, theme.WHITE, "bold")
    assert sub.get_width() < plain.get_width()  # the small 2
    assert sub.get_height() > plain.get_height()  # sitting below the line
    line = "Fast, but 550 g of CO2! Walk was greener."
    composed = render_sub2(text, line, 30, theme.WHITE, "bold")
    assert sub2_width(text, line, 30, "bold") == composed.get_width()
    game = make_game()
    first = game.view.render("CO2 10 g", 30, theme.INK, "bold")
    assert game.view.render("CO2 10 g", 30, theme.INK, "bold") is first  # composed once, cached


def test_text_colours_are_readable() -> None:
    pairs = [
        (theme.WHITE, theme.CARD),
        (theme.MIST, theme.CARD),
        (theme.SUN, theme.CARD),
        (theme.WHITE, sc.PRESSED),
        (theme.MIST, theme.NAVY),
        (theme.INK, theme.SUN),
        (theme.INK, theme.CORAL),
        (theme.INK, theme.MINT),
        (theme.INK, theme.SKY),
        (sc.LED_AMBER, sc.LED_BG),
        (theme.MINT, sc.LED_BG),
        (theme.MIST, sc.LED_BG),
        (theme.WHITE, sc.LAND),
        (theme.MIST, sc.WATER),
        (theme.MIST, sc.LAND),
        (theme.GOOD, theme.BACKGROUND),
        (theme.BAD, theme.BACKGROUND),
        (theme.WHITE, theme.BACKGROUND),
        (theme.SUN, theme.BACKGROUND),
    ]
    for fg, bg in pairs:
        assert theme.contrast_ratio(fg, bg) >= 4.5, (fg, bg)


def test_long_texts_fit_their_boxes() -> None:
    text = gamekit.text()
    for lang in LANGUAGES:
        for d in DIFFICULTIES:
            game = make_game(lang, d)
            for spec in game.net.trips:
                goal = spec.goal[lang]
                size = game.view.fit(goal, 42, sc.TRIP_RECT.w - 56, "bold", 28)
                assert text.font(size, "bold").size(goal)[0] <= sc.TRIP_RECT.w - 56, goal
        tables = KIT.raw()["strings"][lang]
        for key in ("bad_away", "bad_dirty", "bad_wait", "bad_slow", "lost", "good"):
            line = tables[key].format(
                dest="Causeway Bay", g=550, mode="MTR Tsuen Wan Line", stop="Star Ferry (Central)"
            )
            game = make_game(lang)
            fb = game._feedback(line, "bad", 1.0)
            assert 1 <= len(fb.lines) <= 2 and "".join(fb.lines).replace(" ", "") == line.replace(
                " ", ""
            ), (lang, key)
            for part in fb.lines:
                assert sub2_width(text, part, fb.size, "bold") <= sc.BANNER_RECT.w - 70, (lang, key)


# --------------------------------------------------------------------------- drawing


def test_mid_game_frame_matches_the_reference(request) -> None:
    game = make_game("en", "adult", seed=3)
    run(game, 1.5)  # the board ticks a little
    best = game.best_option()
    assert best is not None and len(game.net.best_route(game.run.stop, game.run.spec.dest)) > 1
    pick(game, best)  # the first ride, then the second board
    until(game, "choose")
    game.ripples.clear()
    game.t = 0.0  # pulses at a fixed moment
    assert game.run.taken and game.feedback is not None and game.feedback.tone == "good"
    gamekit.check_screen(request, "smart_commute-en-mid", game)

# --------------------------------------------------------------------------- beyond the contract
# tests/test_game_contract.py checks what every game promises; these are this game's own.


def test_after_touch_chaos_no_finger_is_left_pressing() -> None:
    for chaos in gamekit.chaos_rounds(GAME_ID):
        assert len(chaos.game.presses) <= 5


def test_the_seed_fixes_the_trips() -> None:
    assert [t.id for t in make_game(seed=5).trips] == [t.id for t in make_game(seed=5).trips]


def test_co2_is_typeset_by_the_game_not_written_with_a_subscript_glyph() -> None:
    for weight in FONT_FILES:
        assert gamekit.glyphless({"₂"}, weight) == ["₂"]  # no subscript two: hence "CO2"
    assert "₂" not in gamekit.characters(KIT.raw())


def test_the_icon_shows_the_harbour_and_an_mtr_line() -> None:
    found = colours(gamekit.icon(sc.GAME), step=6)
    assert theme.SKY in found and (227, 0, 25) in found
