"""Healthy Steps / 健康步步高: rules, reminders, levels, content, bots, multi-touch, drawing."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import fields

import pygame
import pytest

from games import healthy_steps as hs
from games.base import DIFFICULTIES
from kiosk.i18n import LANGUAGES
from kiosk.input import PointerEvent
from kiosk.ui import theme
from tests import gamekit
from tests.gamekit import DT, GameKit, run

GAME_ID = "healthy_steps"
KIT: GameKit[hs.HealthySteps] = GameKit(hs.GAME, bot_dt=1 / 30, bot_s=80.0)
content, make_game, run_bot = KIT.content, KIT.make_game, KIT.run_bot


def advance(game: hs.HealthySteps, until: Callable[[], bool], limit_s: float = 30.0) -> None:
    for _ in range(round(limit_s / DT)):
        if until():
            return
        game.update(DT)
    raise AssertionError(f"condition not reached within {limit_s} s (phase {game.phase})")


def tap(game: hs.HealthySteps, target: pygame.Rect | hs.Tile, pointer: int = 1) -> None:
    rect = target.rect if isinstance(target, hs.Tile) else target
    game.handle(PointerEvent("down", *rect.center, pointer))
    game.handle(PointerEvent("up", *rect.center, pointer))
    game.update(0.2)  # past the one-tap-at-a-time guard


def to_reply(game: hs.HealthySteps) -> None:
    advance(game, lambda: game.phase == "reply")


def copy_list(game: hs.HealthySteps) -> None:
    to_reply(game)
    while game.phase == "reply":
        want = game.expected()
        assert want is not None
        tap(game, want)


def to_reminder(game: hs.HealthySteps) -> None:
    """Play perfectly until the pill box starts counting down to medicine time."""
    for _ in range(10):
        if game.phase == "remind_wait":
            return
        copy_list(game)
        advance(game, lambda: game.phase in ("show", "remind_wait"))
    raise AssertionError("no reminder came")


# --------------------------------------------------------------------------- rules


def test_the_list_is_shown_one_picture_at_a_time_then_it_is_the_visitors_turn() -> None:
    game = make_game()
    lv = game.level
    assert game.phase == "intro" and len(game.sequence) == lv.start_len
    seen: list[int] = []
    while game.phase != "reply":
        game.update(DT)
        k = game.lit_index()
        if k is not None and (not seen or seen[-1] != k):
            seen.append(k)
            lit = [t.index for t in game.tiles if t.lit_t >= 0]
            assert lit == [game.sequence[k]]  # exactly the shown picture is lit
        assert game.elapsed < 10
    assert seen == list(range(lv.start_len))
    assert all(t.lit_t < 0 for t in game.tiles)
    assert game.pos == 0 and game.expected() is game.tiles[game.sequence[0]]
    assert game.status == "Your turn! Tap them in the same order."
    assert game.cues.count("tap") == lv.start_len  # a soft note for each picture shown


def test_copying_the_list_scores_every_step_and_grows_the_list() -> None:
    game = make_game()
    first = list(game.sequence)
    to_reply(game)
    game.cues.clear()
    for k, index in enumerate(first):
        tap(game, game.tiles[index])
        assert game.steps_right == k + 1
    assert game.steps_asked == len(first) and game.score() == 100
    assert game.longest == len(first) and game.lists_done == 1
    assert game.phase == "rest" and game.status_tone == "good"
    assert game.cues[-1] == "good" and "bad" not in game.cues
    assert game.sub  # a health tip under the cheer
    advance(game, lambda: game.phase == "show")
    assert len(game.sequence) == len(first) + 1
    assert game.sequence[: len(first)] == first  # the same list, one stretch longer
    assert all(a != b for a, b in zip(game.sequence, game.sequence[1:], strict=False))


def test_a_wrong_tap_ends_the_list_and_shows_the_right_picture() -> None:
    game = make_game(lang="en")
    to_reply(game)
    want = game.expected()
    assert want is not None
    wrong = next(t for t in game.tiles if t is not want)
    tap(game, wrong)
    assert (game.steps_right, game.steps_asked) == (0, 1)
    assert game.phase == "fail" and "bad" in game.cues
    assert game.status == f"Oops! That one was: {want.pose.name['en']}"
    assert want.hint > 0 and wrong.flash > 0 and not wrong.flash_good
    assert game.mistakes == [want.pose.id]
    assert game.score() == 0


def test_the_mistake_line_is_in_the_visitors_language() -> None:
    game = make_game(lang="zh-HK")
    to_reply(game)
    want = game.expected()
    assert want is not None
    run(game, game.level.reply_s + 0.1)
    assert game.status == f"慢咗少少！應該係：{want.pose.name['zh-HK']}"


def test_no_tap_in_time_is_a_missed_step() -> None:
    game = make_game()
    to_reply(game)
    advance(game, lambda: game.phase != "reply", game.level.reply_s + 0.5)
    assert game.phase == "fail" and game.steps_asked == 1 and game.steps_right == 0
    assert game.status.startswith("Out of time!")


def test_the_reply_clock_restarts_after_each_right_tap() -> None:
    game = make_game(difficulty="senior")
    to_reply(game)
    run(game, game.level.reply_s - 0.5)
    tap(game, game.expected())  # type: ignore[arg-type]
    run(game, game.level.reply_s - 0.5)
    assert game.phase == "reply" and game.steps_right == 1 and game.steps_asked == 1


def test_taps_while_watching_do_not_count_but_get_a_friendly_word() -> None:
    game = make_game()
    advance(game, lambda: game.lit_index() is not None)
    game.cues.clear()
    tap(game, game.tiles[0])
    assert game.steps_asked == 0 and game.phase == "show"
    assert game.cues == ["tap"] or game.cues[0] == "tap"
    assert game.nudge == "Watch first, then it's your turn." and game.nudge_t > 0
    tap(game, game.pill_rect)  # nothing is due yet: harmless
    assert game.reminders == 0 and game.opportunities == 0


def test_a_palm_on_several_tiles_is_one_tap() -> None:
    game = make_game()
    to_reply(game)
    want = game.expected()
    assert want is not None
    other = next(t for t in game.tiles if t is not want)
    game.handle(PointerEvent("down", *want.rect.center, 1))
    game.handle(PointerEvent("down", *other.rect.center, 2))
    game.handle(PointerEvent("down", *other.rect.center, 3))
    assert (game.steps_right, game.steps_asked) == (1, 1)
    game.update(0.2)
    game.handle(PointerEvent("down", *other.rect.center, 2))  # a real second tap counts
    assert game.steps_asked == 2


def test_after_a_mistake_adults_get_a_fresh_list_one_shorter() -> None:
    game = make_game(difficulty="adult")
    copy_list(game)
    advance(game, lambda: game.phase == "reply")
    n = len(game.sequence)
    run(game, game.level.reply_s + 0.1)  # time out: a mistake
    assert game.phase == "fail"
    advance(game, lambda: game.phase == "show")
    assert len(game.sequence) == max(game.level.start_len, n - game.level.fail_drop)
    assert game.status == f"New list: watch {len(game.sequence)} stretches!"


def test_seniors_see_the_same_list_again_before_it_gets_shorter() -> None:
    game = make_game(difficulty="senior")
    copy_list(game)
    advance(game, lambda: game.phase == "reply")
    shown = list(game.sequence)
    run(game, game.level.reply_s + 0.1)
    advance(game, lambda: game.phase == "show")
    assert game.sequence == shown  # the very same list, once more
    assert game.status == "No problem, let's watch it once more."
    advance(game, lambda: game.phase == "reply")
    run(game, game.level.reply_s + 0.1)
    advance(game, lambda: game.phase in ("show", "remind_wait"))
    assert game.sequence == shown[: len(shown) - 1]  # then a shorter version of it
    assert game.lists_failed == 2 and game.steps_asked == game.steps_right + 2


# --------------------------------------------------------------------------- reminders


def test_tapping_the_pill_box_while_it_glows_is_caught_on_time() -> None:
    game = make_game()
    to_reminder(game)
    assert game.status == "Medicine time is coming: watch the pill box!"
    advance(game, lambda: game.phase == "remind_glow")
    assert game.pill_msg == "Medicine time! Tap me!"
    game.cues.clear()
    tap(game, game.pill_rect)
    assert game.reminders_caught == 1 and game.reminders == 1
    assert game.cues[0] == "good" and game.pill_msg == "Taken on time!"
    assert game.pill_history == [True]
    advance(game, lambda: game.phase == "show")


def test_tapping_the_pill_box_before_it_glows_is_too_early() -> None:
    game = make_game(difficulty="adult")
    to_reminder(game)
    tap(game, game.pill_rect)
    assert game.reminders_early == 1 and game.reminders_caught == 0
    assert game.pill_msg == "Too early! Wait until it glows." and "bad" in game.cues
    assert game.phase == "remind_done"


def test_seniors_get_one_not_yet_before_an_early_tap_counts() -> None:
    game = make_game(difficulty="senior")
    to_reminder(game)
    for pointer in (1, 2, 3):  # a whole hand lands on the box at once: one tap
        game.handle(PointerEvent("down", *game.pill_rect.center, pointer))
    game.update(0.2)
    assert game.reminders == 0 and game.early_forgiven == 1
    assert game.pill_msg == "Not yet! Wait until it glows." and game.phase == "remind_wait"
    advance(game, lambda: game.phase == "remind_glow")
    tap(game, game.pill_rect)
    assert game.reminders_caught == 1 and game.reminders == 1


def test_a_glow_nobody_taps_is_missed() -> None:
    game = make_game(lang="zh-HK")
    to_reminder(game)
    advance(game, lambda: game.phase == "remind_done")
    assert game.reminders_missed == 1 and game.pill_msg == "走漏咗！有提醒就唔怕唔記得。"
    assert game.pill_history == [False]


# --------------------------------------------------------------------------- score, end


def test_the_score_is_right_over_asked_with_reminders() -> None:
    game = make_game()
    assert game.result().score == 0  # nothing asked yet: 0, not a division error
    game.steps_right, game.steps_asked = 14, 16
    game.reminders_caught, game.reminders_missed, game.reminders_early = 2, 1, 1
    assert game.score() == round(100 * 16 / 20)
    details = game.result().details
    assert details["steps_asked"] == 16 and details["reminders"] == 4


def test_the_lesson_follows_the_score() -> None:
    game = make_game()
    game.steps_right, game.steps_asked = 9, 10
    assert game.result().lesson_key == "lesson_high"
    game.steps_right = 6
    assert game.result().lesson_key == "lesson_mid"
    game.steps_right = 1
    assert game.result().lesson_key == "lesson_low"


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_no_input_scores_near_zero_and_time_ends_the_round(difficulty: str) -> None:
    game = make_game(difficulty=difficulty)
    duration = game.level.duration_s
    assert 60 <= duration <= 75
    run(game, duration - 0.5)
    assert not game.finished
    run(game, 1.0)
    assert game.finished and game.time_left == 0 and game.phase == "done"
    result = game.result()
    assert result.score <= 10 and result.details["steps_asked"] >= 3
    assert result.lesson_key == "lesson_low"
    # After the end, input and time change nothing and nothing crashes.
    game.handle(PointerEvent("down", *game.tiles[0].rect.center, 1))
    game.handle(PointerEvent("down", *game.pill_rect.center, 2))
    game.update(DT)
    assert game.result() == result


def test_a_list_cut_short_by_the_end_is_not_held_against_the_visitor() -> None:
    game = make_game()
    to_reply(game)
    game.elapsed = game.level.duration_s - 0.05
    game.update(0.1)
    assert game.finished and game.steps_asked == 0


# --------------------------------------------------------------------------- difficulty


def test_difficulty_changes_the_numbers_not_just_labels() -> None:
    child, adult, senior = (hs.load_level(content(), d) for d in ("child", "adult", "senior"))
    assert len(adult.poses) == 6 and len(child.poses) == len(senior.poses) == 4
    per_step = {d: lv.show_on_s + lv.show_gap_s for d, lv in
                (("child", child), ("adult", adult), ("senior", senior))}  # fmt: skip
    assert per_step["senior"] > per_step["child"] > per_step["adult"]
    assert senior.reply_s > child.reply_s > adult.reply_s
    assert senior.remind_window_s > child.remind_window_s > adult.remind_window_s
    assert senior.retry_same >= 1 and adult.retry_same == child.retry_same == 0
    assert senior.early_forgive >= 1 and adult.early_forgive == 0
    assert senior.label_size > child.label_size > adult.label_size
    assert senior.duration_s > adult.duration_s >= child.duration_s
    assert adult.start_len > senior.start_len
    # Bigger pictures for seniors; the same list takes longer to show.
    tiles = {d: make_game(difficulty=d).tiles for d in DIFFICULTIES}
    assert tiles["senior"][0].rect.w > tiles["adult"][0].rect.w
    assert tiles["senior"][0].figure_rect.w > tiles["adult"][0].figure_rect.w
    shows = {}
    for d in DIFFICULTIES:
        game = make_game(difficulty=d)
        game.sequence = [0, 1, 2]
        to_reply(game)
        shows[d] = game.elapsed
    assert shows["senior"] > shows["child"] > shows["adult"]


def test_unknown_difficulty_falls_back_to_adult() -> None:
    assert hs.load_level(content(), "martian") == hs.load_level(content(), "adult")


# --------------------------------------------------------------------------- content


def test_content_integrity() -> None:
    data = content()
    poses = data["poses"]
    ids = [p["id"] for p in poses]
    assert len(ids) == len(set(ids)) and len(ids) >= 6
    for raw in poses:
        assert raw["figure"] in hs.FIGURES, raw["id"]
        for field in ("name", "tip"):
            for lang in LANGUAGES:
                assert raw[field].get(lang, "").strip(), (raw["id"], field, lang)
        assert len(raw["name"]["en"]) <= 20 and len(raw["name"]["zh-HK"]) <= 5, raw["id"]
    for d in DIFFICULTIES:
        level = data["difficulty"][d]
        assert set(level["poses"]) <= set(ids), d
        assert 4 <= len(level["poses"]) <= 6 and len(set(level["poses"])) == len(level["poses"])
        assert hs.load_level(data, d).poses == tuple(level["poses"])
        assert set(level) <= {f.name for f in fields(hs.Level)}, d  # no typo'd keys
    loaded = hs.load_poses(data)
    assert list(loaded) == ids


def test_pose_colours_are_distinct_and_readable() -> None:
    poses = hs.load_poses(content())
    for p in poses.values():
        assert theme.contrast_ratio(theme.INK, p.color) >= 4.5, p.id  # lit: dark name
        assert theme.contrast_ratio(theme.WHITE, p.deep) >= 4.5, p.id  # resting: white name
    colours = [p.color for p in poses.values()]
    for i, a in enumerate(colours):
        for b in colours[i + 1 :]:
            assert sum(abs(x - y) for x, y in zip(a, b, strict=True)) > 90


def test_text_contrast_of_every_pair_drawn() -> None:
    pairs = [
        (theme.TEXT, theme.CARD),  # banner, pill box, top bar
        (theme.TEXT_MUTED, theme.CARD),  # tips
        (theme.SUN, theme.CARD),  # nudges, pill box title
        (theme.GOOD, theme.CARD),
        (theme.BAD, theme.CARD),
        (theme.SUN, theme.BACKGROUND),  # game title
        (theme.INK, hs.GLOW_FILL),  # the glowing pill box
        (theme.INK, theme.SUN),
    ]
    for fg, bg in pairs:
        assert theme.contrast_ratio(fg, bg) >= 4.5, (fg, bg)


def test_every_string_exists_in_both_languages_with_the_same_placeholders() -> None:
    needed = {"tally", "best", "watch", "watch_again", "watch_new", "your_turn",
              "watch_first", "great", "wrong", "too_slow", "look_pill", "pill_title",
              "pill_idle", "pill_wait", "pill_now", "pill_caught", "pill_early",
              "pill_early_soft", "pill_missed", "pill_count", "pill_tip", "times_up"}  # fmt: skip
    tables = gamekit.check_strings(hs.GAME, needed, ("Healthy Steps", "健康步步高"))
    assert set(tables["en"]) == needed | gamekit.required_strings(hs.GAME)
    for zh in tables["zh-HK"].values():
        assert not re.search(r"[,!?:](?!\d)", zh.replace("{", "").replace("}", "")), zh


def test_every_name_fits_its_tile_big() -> None:
    text = gamekit.text()
    for d in DIFFICULTIES:
        game = make_game(difficulty=d)
        for tile in game.tiles:
            for lang in LANGUAGES:
                name = tile.pose.name[lang]
                if tile.rect.w > 1.5 * tile.rect.h:  # name beside the picture, up to 2 lines
                    width = tile.rect.w - tile.figure_rect.w - 70
                    size, lines = hs.fit_name(text, name, game.level.label_size, width)
                    assert size >= 40 and len(lines) <= 2, (d, lang, tile.pose.id, size)
                else:  # one line under the picture
                    width = text.font(36, "bold").size(name)[0]
                    assert width <= tile.rect.w - 36, (d, lang, tile.pose.id)


def test_touch_targets_are_big_and_do_not_overlap() -> None:
    for d in DIFFICULTIES:
        game = make_game(difficulty=d)
        rects = [t.rect for t in game.tiles] + [game.pill_rect]
        for r in rects:
            assert r.w >= 3 * theme.MIN_TARGET and r.h >= 3 * theme.MIN_TARGET
            assert r.top >= 110 and r.bottom <= 1080 and r.left >= 0 and r.right <= 1920
        for i, a in enumerate(rects):
            for b in rects[i + 1 :]:
                assert not a.inflate(2 * hs.TAP_SLOP, 2 * hs.TAP_SLOP).colliderect(b)


# --------------------------------------------------------------------------- drawing


def test_mid_game_frame_matches_reference(request) -> None:
    game = make_game("en", "adult", seed=3)
    bot = hs.HealthyBot(game, random.Random(5), 0.9)
    while not (game.elapsed > 12 and game.phase == "show" and game.lit_index() == 2):
        for event in bot.step(DT):
            game.handle(event)
        game.update(DT)
        assert not game.finished
    gamekit.check_screen(request, "healthy_steps-play", game)

# --------------------------------------------------------------------------- beyond the contract
# tests/test_game_contract.py checks what every game promises; these are this game's own.


def test_after_touch_chaos_nothing_is_right_more_often_than_asked() -> None:
    for chaos in gamekit.chaos_rounds(GAME_ID):
        game = chaos.game
        assert game.steps_right <= game.steps_asked
        assert game.reminders_caught <= game.reminders


def test_the_seed_fixes_the_sequence() -> None:
    assert make_game(seed=5).sequence == make_game(seed=5).sequence
    assert any(make_game(seed=5).sequence != make_game(seed=s).sequence for s in (6, 7, 8))


def test_a_skilled_bot_plays_this_game_well_at_every_level() -> None:
    """Beyond the contract's score: a skilled round remembers long sequences and the pills."""
    for difficulty in DIFFICULTIES:
        details = run_bot(1.0, difficulty, seed=1).result().details
        assert details["longest"] >= 5 and details["reminders"] >= 2, (difficulty, details)
