"""Recycle Right / 環保分類: rules, content, pace per difficulty, bots, multi-touch, drawing."""

from __future__ import annotations

from games import recycle_right as rr
from games.base import DIFFICULTIES
from kiosk.i18n import LANGUAGES
from kiosk.input import PointerEvent
from kiosk.ui import theme
from tests import gamekit
from tests.gamekit import DT, GameKit, run

GAME_ID = "recycle_right"
KIT: GameKit[rr.RecycleRight] = GameKit(rr.GAME)
content, make_game, run_bot = KIT.content, KIT.make_game, KIT.run_bot


def first_item(game: rr.RecycleRight) -> rr.Item:
    for _ in range(600):
        if game.free_items():
            return game.free_items()[0]
        game.update(DT)
    raise AssertionError("no item appeared within 10 s")


def forced_item(game: rr.RecycleRight, item_id: str) -> rr.Item:
    spec = next(s for s in rr.load_items(game.ctx.content) if s.id == item_id)
    game.deck.draw = lambda: spec  # type: ignore[method-assign]
    return first_item(game)


def drag(game: rr.RecycleRight, item: rr.Item, to: tuple[float, float], pointer: int = 1) -> None:
    game.handle(PointerEvent("down", item.x, item.y, pointer))
    for k in range(1, 6):
        f = k / 5
        game.handle(
            PointerEvent(
                "move", item.x + (to[0] - item.x) * f, item.y + (to[1] - item.y) * f, pointer
            )
        )
        game.update(DT)
    game.handle(PointerEvent("up", *to, pointer))


# --------------------------------------------------------------------------- rules


def test_a_correct_drop_scores_and_cheers() -> None:
    game = make_game()
    item = forced_item(game, "newspaper")
    drag(game, item, game.bin_for("paper").rect.center)
    assert (game.correct, game.wrong, game.missed) == (1, 0, 0)
    assert "good" in game.cues and "bad" not in game.cues
    assert game.feedback is not None and game.feedback.tone == "good"
    assert game.score() == 100
    assert game.bin_for("paper").flash > 0 and game.bin_for("paper").flash_good


def test_a_wrong_drop_does_not_score_and_shows_the_reason() -> None:
    game = make_game(lang="en")
    item = forced_item(game, "greasy_pizza_box")
    drag(game, item, game.bin_for("paper").rect.center)
    assert (game.correct, game.wrong) == (0, 1)
    assert "bad" in game.cues
    assert game.feedback is not None and game.feedback.tone == "bad"
    assert game.feedback.text == "Greasy pizza boxes can't be recycled as paper."
    assert game.bin_for("general").hint > 0  # the right bin lights up
    assert game.score() == 0
    assert game.result().details["mistakes"] == ["greasy_pizza_box"]


def test_the_reason_is_in_the_visitors_language() -> None:
    game = make_game(lang="zh-HK")
    item = forced_item(game, "red_packet")
    drag(game, item, game.bin_for("general").rect.center)
    assert game.feedback is not None and game.feedback.text.startswith("利是封")


def test_a_wrong_drop_of_a_plain_item_names_the_right_bin() -> None:
    game = make_game(lang="en")
    item = forced_item(game, "newspaper")
    drag(game, item, game.bin_for("metal").rect.center)
    assert game.feedback is not None
    assert game.feedback.text == "Oops! Newspaper goes in Paper."


def test_a_routine_line_does_not_hide_a_reason_being_read() -> None:
    game = make_game(lang="en")
    drag(game, forced_item(game, "battery"), game.bin_for("metal").rect.center)
    reason = game.feedback.text if game.feedback else ""
    drag(game, forced_item(game, "newspaper"), game.bin_for("paper").rect.center)
    assert game.feedback is not None and game.feedback.text == reason
    assert game.correct == 1
    run(game, 2)
    drag(game, forced_item(game, "newspaper"), game.bin_for("paper").rect.center)
    assert game.feedback is not None and game.feedback.text == "Right! Newspaper goes in Paper."


def test_a_drop_outside_every_bin_returns_the_item() -> None:
    game = make_game()
    item = first_item(game)
    for _ in range(30):
        game.update(DT)
    home_y = item.y
    drag(game, item, (1500, 400))
    assert item.state == "returning"
    for _ in range(30):
        game.update(DT)
    assert item.state == "falling"
    assert item in game.items
    assert abs(item.y - home_y) < 40  # back where it was picked up (and falling on)
    assert (game.correct, game.wrong, game.missed) == (0, 0, 0)


def test_an_item_that_lands_is_missed() -> None:
    game = make_game()
    item = first_item(game)
    run(game, game.pace.fall_s + 1)
    assert item not in game.items or item.state == "missed"
    assert game.missed >= 1
    assert game.feedback is not None and game.feedback.tone == "bad"


def test_a_held_item_does_not_fall() -> None:
    game = make_game()
    item = first_item(game)
    game.handle(PointerEvent("down", item.x, item.y, 3))
    y = item.y
    for _ in range(120):
        game.update(DT)
    assert item.state == "held" and item.y == y


def test_time_running_out_finishes_the_round() -> None:
    game = make_game()
    run(game, 59.5)
    assert not game.finished
    run(game, 1)
    assert game.finished and game.time_left == 0
    result = game.result()
    assert 0 <= result.score <= 100
    assert result.lesson_key in ("lesson_high", "lesson_mid", "lesson_low")
    # After the end, input and time are ignored and nothing crashes.
    game.handle(PointerEvent("down", 960, 400, 1))
    game.handle(PointerEvent("up", 960, 900, 1))
    game.update(DT)
    assert game.result().details == result.details


def test_holding_items_past_the_end_does_not_dodge_them() -> None:
    game = make_game(difficulty="child")
    held = []
    for pointer in range(3):
        held.append(first_item(game))
        game.handle(PointerEvent("down", held[-1].x, held[-1].y, pointer))
    run(game, 61)
    assert game.finished
    assert game.missed >= 3
    assert game.result().score == 0


def test_the_score_is_correct_over_offered_and_bounded() -> None:
    game = make_game()
    for bin_id in ("paper", "paper", "metal", "plastic"):
        item = forced_item(game, "newspaper")
        drag(game, item, game.bin_for(bin_id).rect.center)
    assert (game.correct, game.wrong) == (2, 2)
    assert game.score() == 50
    assert game.result().details["offered"] == 4
    assert make_game().result().score == 0  # nothing offered yet: 0, not a division error


def test_the_lesson_follows_the_score() -> None:
    game = make_game()
    game.correct, game.wrong = 9, 1
    assert game.result().lesson_key == "lesson_high"
    game.correct, game.wrong = 6, 4
    assert game.result().lesson_key == "lesson_mid"
    game.correct, game.wrong = 1, 9
    assert game.result().lesson_key == "lesson_low"


# --------------------------------------------------------------------------- multi-touch


def test_two_fingers_carry_two_items_into_two_bins() -> None:
    game = make_game()
    a = forced_item(game, "drink_can")
    game.handle(PointerEvent("down", a.x, a.y, 1))
    b = forced_item(game, "egg_shells")
    assert b is not a
    game.handle(PointerEvent("down", b.x, b.y, 2))
    assert a.state == b.state == "held"
    metal, food = game.bin_for("metal").rect.center, game.bin_for("food").rect.center
    game.handle(PointerEvent("move", *metal, 1))
    game.handle(PointerEvent("move", *food, 2))
    game.update(DT)
    assert game.bin_for("metal").hover and game.bin_for("food").hover
    game.handle(PointerEvent("up", *food, 2))
    game.handle(PointerEvent("up", *metal, 1))
    assert game.correct == 2


def test_a_second_finger_cannot_steal_a_held_item_and_stray_ups_are_harmless() -> None:
    game = make_game()
    item = first_item(game)
    game.handle(PointerEvent("down", item.x, item.y, 1))
    game.handle(PointerEvent("down", item.x, item.y, 2))  # nothing else there
    game.handle(PointerEvent("up", 100, 1000, 2))
    game.handle(PointerEvent("up", 100, 1000, 99))  # never went down
    game.handle(PointerEvent("move", 5, 5, 42))
    assert item.state == "held" and item.pointer == 1
    assert game.offered == 0


# --------------------------------------------------------------------------- difficulty


def test_difficulty_changes_the_pace_not_just_labels() -> None:
    child, adult, senior = (rr.load_pace(content(), d) for d in ("child", "adult", "senior"))
    assert child.spawn_every_s > adult.spawn_every_s
    assert senior.spawn_every_s > adult.spawn_every_s
    assert senior.fall_s > adult.fall_s and child.fall_s > adult.fall_s
    assert child.max_items < adult.max_items and senior.max_items < adult.max_items
    assert senior.card_w > adult.card_w and senior.name_size > adult.name_size
    assert child.tricky_share < adult.tricky_share
    # A visitor who never touches anything is offered fewer, slower items at easier levels.
    offered = {}
    for d in DIFFICULTIES:
        game = make_game(difficulty=d)
        item = first_item(game)
        y0 = item.y
        game.update(1.0)
        speed = item.y - y0
        while not game.finished:
            game.update(DT)
        offered[d] = (game.offered, speed)
    assert offered["child"][0] < offered["adult"][0]
    assert offered["senior"][0] < offered["adult"][0]
    assert offered["senior"][1] < offered["adult"][1]
    assert offered["child"][1] < offered["adult"][1]


def test_unknown_difficulty_falls_back_to_adult() -> None:
    assert rr.load_pace(content(), "martian") == rr.load_pace(content(), "adult")


def test_every_level_keeps_the_same_five_bins() -> None:
    for d in DIFFICULTIES:
        assert [b.id for b in make_game(difficulty=d).bins] == [
            "paper",
            "plastic",
            "metal",
            "food",
            "general",
        ]


# --------------------------------------------------------------------------- content


def test_content_integrity() -> None:
    data = content()
    bins = [b["id"] for b in data["bins"]]
    items = data["items"]
    assert len(items) >= 30
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids)), "duplicate item ids"
    for raw in items:
        assert raw["bin"] in bins, raw["id"]
        assert raw.get("glyph") in rr.GLYPHS, raw["id"]
        for lang in LANGUAGES:
            assert raw["name"].get(lang, "").strip(), (raw["id"], lang)
        if "why" in raw:
            assert all(raw["why"].get(lang, "").strip() for lang in LANGUAGES), raw["id"]
        if raw.get("tricky"):
            assert "why" in raw, f"{raw['id']} is a common mistake but has no reason line"
        assert len(raw["name"]["en"]) <= 22 and len(raw["name"]["zh-HK"]) <= 6, raw["id"]
    loaded = rr.load_items(data)
    assert len(loaded) == len(items)
    for bin_id in bins:
        assert sum(1 for s in loaded if s.bin == bin_id) >= 4, bin_id


def test_hong_kong_facts_in_the_content() -> None:
    by_id = {s.id: s for s in rr.load_items(content())}
    assert by_id["red_packet"].bin == "paper"
    assert by_id["drink_carton"].bin != "paper"  # cartons are not for the blue paper bin
    assert by_id["used_tissue"].bin == "general"
    assert by_id["foam_lunch_box"].bin == "general"
    assert by_id["battery"].bin == "general" and by_id["battery"].why["en"]
    assert by_id["mooncake_tin"].bin == "metal"
    assert by_id["egg_shells"].bin == "food"
    colours = {b["id"]: tuple(b["color"]) for b in content()["bins"]}
    r, g, b = colours["paper"]
    assert b > r and b > g  # blue
    r, g, b = colours["metal"]
    assert r > 200 and g > 150 and b < 100  # yellow


def test_every_string_exists_in_both_languages_with_the_same_placeholders() -> None:
    needed = {"hint", "tally", "good", "wrong", "missed", "times_up"}
    needed |= {f"bin_{b['id']}" for b in content()["bins"]}
    gamekit.check_strings(rr.GAME, needed, ("Recycle Right", "環保分類"))


def test_every_name_fits_its_card_in_two_lines() -> None:
    text = gamekit.text()
    for d in DIFFICULTIES:
        pace = rr.load_pace(content(), d)
        for spec in rr.load_items(content()):
            for lang in LANGUAGES:
                size, lines = rr.fit_name(
                    text, spec.name_in(lang), pace.name_size, pace.card_w - 20
                )
                assert size >= 22 and len(lines) <= 2, (d, lang, spec.id, size, lines)


def test_touch_targets_and_text_contrast() -> None:
    for d in DIFFICULTIES:
        pace = rr.load_pace(content(), d)
        assert pace.card_w >= theme.MIN_TARGET and pace.card_h >= theme.MIN_TARGET
    game = make_game()
    for slot in game.bins:
        assert slot.rect.w >= theme.MIN_TARGET and slot.rect.h >= theme.MIN_TARGET
    assert theme.contrast_ratio(theme.TEXT, rr.HOVER_FILL) >= 4.5
    assert theme.contrast_ratio(theme.INK, rr.CARD_FILL) >= 4.5
    assert game.bins[0].rect.top >= rr.FLOOR_Y and rr.PLAY_TOP >= 110


# --------------------------------------------------------------------------- bots


def test_the_deck_is_seeded() -> None:
    def first_ids(seed: int) -> list[str]:
        deck = make_game(seed=seed).deck
        return [deck.draw().id for _ in range(12)]

    assert first_ids(5) == first_ids(5)
    assert first_ids(5) != first_ids(6)

# --------------------------------------------------------------------------- beyond the contract
# tests/test_game_contract.py checks what every game promises; these are this game's own.


def test_after_touch_chaos_every_item_offered_is_counted_once() -> None:
    for chaos in gamekit.chaos_rounds(GAME_ID):
        game = chaos.game
        assert game.offered == game.correct + game.wrong + game.missed


def test_a_skilled_bot_plays_this_game_well_at_every_level() -> None:
    """Beyond the shared contract's score: a skilled round many items offered."""
    for difficulty in DIFFICULTIES:
        details = run_bot(1.0, difficulty, seed=3).result().details
        assert details["offered"] >= 15, (difficulty, details)
