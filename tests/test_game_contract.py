"""The contract every mini-game keeps (games/base.py), checked for every game the registry
finds: a new module in ``games/`` is tested here without writing these tests again.

Scores mean the same in every game: a bot at skill 1.0 scores ≥ 80 at every level and any
frame rate, at skill 0.0 ≤ 30 on average, and a round nobody touches 0–10 and ends on time.
A seed fixes the round; an unknown level plays as adult; frantic multi-finger input breaks
nothing; every level draws in both languages at every phase; results are JSON for the play
log; strings and glyphs exist in both languages. Each game's own rules stay in its own file.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import random
import weakref
from functools import cache
from statistics import mean

import pygame
import pytest

from games.base import DIFFICULTIES, Bot, Game, GameResult, GameSpec
from games.registry import discover
from kiosk import ROOT
from kiosk.i18n import LANGUAGES, GameTr
from kiosk.input import PointerEvent
from kiosk.ui.text import FONT_FILES
from tests import gamekit
from tests.gamekit import SIZE, GameKit, colours, run

GAMES = discover()
BOT_DT = 0.05  # 20 fps: whole rounds stay cheap; 60 and 10 fps are checked separately
every_game = pytest.mark.parametrize("game_id", sorted(GAMES))


def kit(game_id: str) -> GameKit[Game]:
    # Rounds run until the game says it is finished; 200 s only stops a round that never ends.
    return GameKit(GAMES[game_id], bot_dt=BOT_DT, bot_s=200.0)


@cache
def bot_round(
    game_id: str, skill: float, difficulty: str, seed: int, dt: float = BOT_DT
) -> tuple[bool, GameResult]:
    """Whether a bot's round ended, and its result (cached: several checks read one round)."""
    game = kit(game_id).run_bot(skill, difficulty, seed=seed, dt=dt)
    return game.finished, game.result()


def score_of(game_id: str, skill: float, difficulty: str, seed: int, dt: float = BOT_DT) -> int:
    finished, result = bot_round(game_id, skill, difficulty, seed, dt)
    assert finished, (game_id, skill, difficulty, seed, "the round never ended")
    return result.score


# --------------------------------------------------------------------------- the spec


@every_game
def test_the_spec_builds_a_game_and_a_bot_and_draws_an_icon(game_id: str) -> None:
    spec = GAMES[game_id]
    assert isinstance(spec, GameSpec)
    assert (ROOT / "assets" / "games" / f"{game_id}.toml").is_file()
    assert spec.idle_limit_s >= 20.0  # a visitor reading the rules is not "gone"
    for difficulty in DIFFICULTIES:
        game = kit(game_id).make_game("en", difficulty)
        assert isinstance(game, Game) and not game.finished
        assert 30 <= game.duration_s <= 120 and game.time_left == game.duration_s, difficulty
        assert isinstance(spec.bot(game, random.Random(1), 0.5), Bot)
    assert len(colours(gamekit.icon(spec), step=6)) > 5


# --------------------------------------------------------------------------- words and glyphs


class RecordingTr(GameTr):
    """The game's own strings, noting every key the game asks for."""

    def __init__(self, game_id: str, lang: str) -> None:
        super().__init__(gamekit.strings(), lang, game_id)
        self.asked: set[str] = set()

    def __call__(self, key: str, **fmt: object) -> str:
        self.asked.add(key)
        return super().__call__(key, **fmt)


@every_game
def test_every_string_exists_in_both_languages_with_the_same_placeholders(game_id: str) -> None:
    tables = gamekit.check_string_tables(GAMES[game_id])
    assert tables["en"]["title"] != tables["zh-HK"]["title"]


@every_game
@pytest.mark.parametrize("weight", sorted(FONT_FILES))
def test_the_shipped_font_draws_every_character_of_the_game(game_id: str, weight: str) -> None:
    missing = gamekit.glyphless(gamekit.characters(gamekit.raw(game_id)), weight)
    assert not missing, f"run tools/subset_fonts.py: no glyph for {missing}"


# --------------------------------------------------------------------------- what scores mean


@every_game
@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_a_skilled_bot_scores_80_or_more(game_id: str, difficulty: str) -> None:
    scores = [score_of(game_id, 1.0, difficulty, seed) for seed in (1, 2)]
    assert min(scores) >= 80, scores


@every_game
@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_an_unskilled_bot_scores_30_or_less(game_id: str, difficulty: str) -> None:
    scores = [score_of(game_id, 0.0, difficulty, seed) for seed in (1, 2, 3)]
    assert mean(scores) <= 30 and max(scores) <= 40, scores


@every_game
def test_skill_orders_the_scores(game_id: str) -> None:
    totals = [sum(score_of(game_id, s, "adult", seed) for seed in (1, 2, 3)) for s in (0, 0.5, 1)]
    assert totals[0] < totals[1] < totals[2], totals


@every_game
def test_any_frame_rate_plays_a_full_round(game_id: str) -> None:
    assert score_of(game_id, 1.0, "adult", 6, 1 / 60) >= 80  # 60 fps
    for difficulty in DIFFICULTIES:  # 10 fps: a slow booth PC under load
        assert score_of(game_id, 1.0, difficulty, 6, 0.1) >= 80, difficulty


@every_game
@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_no_input_scores_0_to_10_and_time_ends_the_round(game_id: str, difficulty: str) -> None:
    game = kit(game_id).make_game(difficulty=difficulty, seed=2)
    run(game, game.duration_s - 0.5, dt=0.05)
    assert not game.finished
    run(game, 1.0, dt=0.05)
    assert game.finished and game.time_left == 0
    result = game.result()
    assert 0 <= result.score <= 10 and result.lesson_key == "lesson_low", result
    # After the end, touches and time change nothing and nothing breaks.
    for n, (x, y) in enumerate([(960, 540), (100, 900), (1800, 200)]):
        game.handle(PointerEvent("down", x, y, n))
        game.handle(PointerEvent("up", x, y, n))
    game.update(0.5)
    assert game.result() == result


@every_game
def test_the_same_seed_plays_the_same_round(game_id: str) -> None:
    a, b, c = (bot_round(game_id, 0.6, "adult", seed)[1] for seed in (11, 11, 12))
    assert a == b and a.details != c.details


@every_game
def test_the_same_seed_draws_the_same_frames(game_id: str) -> None:
    frames = []
    for _ in range(2):
        game = kit(game_id).make_game("en", "adult", seed=7)
        bot = GAMES[game_id].bot(game, random.Random(7), 0.6)
        for _ in gamekit.play(game, bot, 8.0, BOT_DT):
            pass
        surface = pygame.Surface(SIZE)
        game.draw(surface)
        frames.append(pygame.image.tobytes(surface, "RGB"))
    assert frames[0] == frames[1]


@every_game
def test_an_unknown_level_plays_as_adult(game_id: str) -> None:
    unknown = bot_round(game_id, 0.6, "martian", 11)[1]
    adult = bot_round(game_id, 0.6, "adult", 11)[1]
    assert unknown.details["difficulty"] == "martian"
    assert (unknown.score, unknown.lesson_key) == (adult.score, adult.lesson_key)

    def rest(result: GameResult) -> dict[str, object]:
        return {k: v for k, v in result.details.items() if k != "difficulty"}

    assert rest(unknown) == rest(adult)


# --------------------------------------------------------------------------- results


@every_game
def test_results_are_json_for_the_play_log(game_id: str) -> None:
    lessons = set(GAMES[game_id].lesson_keys)
    lengths = {d: kit(game_id).make_game(difficulty=d).duration_s for d in DIFFICULTIES}
    rounds = [(skill, d) for skill in (0.0, 1.0) for d in DIFFICULTIES] + [(0.5, "adult")]
    for skill, difficulty in rounds:  # rounds the checks above have played already
        _, result = bot_round(game_id, skill, difficulty, 1)
        assert isinstance(result.score, int) and 0 <= result.score <= 100
        assert result.lesson_key in lessons
        details = result.details
        assert json.loads(json.dumps(details)) == details  # no tuples, sets or objects
        assert details["difficulty"] == difficulty
        assert 0 < details["seconds"] <= lengths[difficulty]
        for value in details.values():
            assert isinstance(value, int | float | str | list), (details, value)


# --------------------------------------------------------------------------- touch chaos


@every_game
def test_multi_finger_chaos_breaks_nothing_and_the_round_still_ends(game_id: str) -> None:
    for chaos in gamekit.chaos_rounds(game_id):
        mid = chaos.result_in_storm
        assert 0 <= mid.score <= 100
        json.dumps(mid.details)
        assert chaos.game.finished, "the round never ended after the storm"
        assert chaos.ended_after_s <= chaos.game.duration_s + 1
        assert 0 <= chaos.game.result().score <= 100
        assert len(chaos.game.cues) <= 16


# --------------------------------------------------------------------------- drawing


@every_game
@gamekit.every_level
def test_every_phase_draws_in_every_language_and_level_with_the_games_own_words(
    game_id: str, difficulty: str, lang: str
) -> None:
    """A middling bot's whole round, drawn on the first frame, at every change of phase,
    while a finger is down (at most every 2 s) and every 5 s, and the end frame; every
    key the game asks for on the way is in its tables (a missing one shows as a raw key)."""
    spec = GAMES[game_id]
    tr = RecordingTr(game_id, lang)
    ctx = kit(game_id).make_ctx(lang, difficulty, seed=4)
    game = spec.factory(dataclasses.replace(ctx, tr=tr))
    bot = spec.bot(game, random.Random(1), 0.5)
    dt = 0.05  # 20 fps: every game plays at any step up to 0.1 s, and drawing is the point
    surface = pygame.Surface(SIZE)
    phases: set[object] = set()
    most_colours, last_draw, t = 0, -10.0, 0.0
    while not game.finished and t < game.duration_s + 30:
        events = bot.step(dt)
        for event in events:
            game.handle(event)
        game.update(dt)
        t += dt
        phase = getattr(game, "phase", None)  # a game without phases is drawn by the clock
        finger_down = any(e.kind == "down" for e in events) and t - last_draw >= 2.0
        if phase not in phases or finger_down or t - last_draw >= 5.0:
            phases.add(phase)
            game.draw(surface)
            if most_colours <= 12:  # counting colours costs more than drawing
                most_colours = max(most_colours, len(colours(surface)))
            last_draw = t
    assert game.finished
    assert phases == {None} or len(phases) >= 3, phases  # a game with phases goes through them
    assert most_colours > 12  # not blank: the game's pictures and words put colour on it
    game.draw(surface)
    assert len(colours(surface)) > 5  # the end frame too
    game.result()
    assert tr.asked, "the game drew no words of its own"
    tables = gamekit.raw(game_id)["strings"]
    assert tr.asked <= set(tables[lang]), tr.asked - set(tables[lang])


@every_game
def test_a_round_is_drawn_in_the_visitors_language(game_id: str) -> None:
    frames = {}
    for lang in LANGUAGES:
        game = kit(game_id).make_game(lang, "adult", seed=3)
        bot = GAMES[game_id].bot(game, random.Random(5), 0.6)
        for _ in gamekit.play(game, bot, 6.0, BOT_DT):
            pass
        surface = pygame.Surface(SIZE)
        game.draw(surface)
        frames[lang] = pygame.image.tobytes(surface, "RGB")
    assert frames["en"] != frames["zh-HK"]


@every_game
def test_a_finished_round_is_freed_the_moment_it_is_let_go(game_id: str) -> None:
    """No reference cycle holds a round: the kiosk drops a game when its play screen goes,
    and its full-screen surfaces must go with it then, not at the cyclic collector's whim
    (over a carnival day such lingering rounds doubled the booth's peak memory)."""
    spec, surface = GAMES[game_id], pygame.Surface(SIZE)
    gc.collect()
    gc.disable()
    try:
        game = kit(game_id).make_game("en", "adult", seed=1)
        bot = spec.bot(game, random.Random(1), 1.0)
        for n in gamekit.play(game, bot, 200.0, BOT_DT):
            if n % 40 == 0:
                game.draw(surface)
            if game.finished:
                break
        game.draw(surface)
        game.result()
        kept = [weakref.ref(game), *(weakref.ref(v) for v in vars(game).values() if _owns(v))]
        del game, bot
        assert [ref() for ref in kept] == [None] * len(kept)
    finally:
        gc.enable()


def _owns(value: object) -> bool:
    """Whether ``value`` is one of the game's own objects (its view, its state, its timers)."""
    return type(value).__module__.startswith("games.") and hasattr(value, "__dict__")
