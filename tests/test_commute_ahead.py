"""Smart Commute works ahead so no frame of a round does it all at once (issue 13): the next
board is worked out when its ride is chosen (the same boards as worked out on arrival), its
cards are made during the ride, and the feedback lines a choice may show are broken into
lines in a worker while the board is up."""

from __future__ import annotations

import random
import threading

import pygame
import pytest

from games import smart_commute as sc
from games.smart_commute import view as commute_view
from kiosk.ui import linebreak
from tests import gamekit
from tests.gamekit import GameKit

STEP = 1 / 30
KIT: GameKit[sc.SmartCommute] = GameKit(sc.GAME)


def _boards(game: sc.SmartCommute, skill: float) -> tuple[list, object]:
    """Every board the bot is shown in a round, as (trip, stop, rides, rects), and the result."""
    bot = sc.GAME.bot(game, random.Random(4), skill)
    boards, seen = [], None
    for _ in range(round(120 / STEP)):
        for ev in bot.step(STEP):
            game.handle(ev)
        game.update(STEP)
        if game.offer_id != seen:
            seen = game.offer_id
            rides = [(o.number, o.ride.idx, tuple(o.rect)) for o in game.options]
            boards.append((game.trip_index, game.run.stop, rides))
        if game.finished:
            break
    assert game.finished
    return boards, game.result()


@pytest.mark.parametrize("skill", [0.9, 0.2])
def test_boards_worked_out_ahead_are_the_boards_worked_out_on_arrival(skill: float) -> None:
    """A twin round whose boards are all worked out on arrival (the rng wound back after
    each choice, the plan dropped) is shown the same boards and ends the same."""
    ahead = KIT.make_game("en", seed=5)
    on_arrival = KIT.make_game("en", seed=5)
    choose = sc.SmartCommute._choose

    def choose_then_forget(option: sc.Option, waits: dict[int, int]) -> None:
        state = on_arrival.rng.getstate()
        choose(on_arrival, option, waits)
        planned = on_arrival._planned
        on_arrival.rng.setstate(state)
        on_arrival._planned = None
        if planned is not None:
            forgotten.append(planned)

    forgotten: list = []
    on_arrival._choose = choose_then_forget  # type: ignore[method-assign]
    boards, result = _boards(ahead, skill)
    assert (boards, result) == _boards(on_arrival, skill)
    assert len(forgotten) >= 5  # most boards were worked out ahead
    assert len(boards) > 8


def test_a_boards_cards_are_made_during_the_ride_to_it(monkeypatch) -> None:
    """Only a trip's first board makes its cards in the frame it appears; every other board
    arrives with its cards made, one a frame, during the ride (never in the frame the ride
    was chosen in)."""
    game = KIT.make_game("zh-HK", seed=3)
    made: list[int] = []
    real = commute_view.render_option
    monkeypatch.setattr(commute_view, "render_option", lambda v, o: made.append(1) or real(v, o))
    bot = sc.GAME.bot(game, random.Random(11), 0.7)
    surface = pygame.Surface((1920, 1080))
    seen, trip, later_boards = game.offer_id, game.trip_index, 0
    for frame in range(round(90 / STEP)):
        chose = False
        for ev in bot.step(STEP):
            before = game.picks
            game.handle(ev)
            chose = chose or game.picks != before
        game.update(STEP)
        made.clear()
        game.surface_kept = frame > 0
        game.draw(surface)
        new_trip = frame == 0 or (game.offer_id != seen and game.trip_index != trip)
        assert len(made) <= (3 if new_trip else 1)
        if chose:
            assert made == [], "a card made in the frame a ride was chosen"
        if game.offer_id != seen and game.trip_index == trip:
            assert made == [], "a board arrived with cards still to make"
            later_boards += 1
        seen, trip = game.offer_id, game.trip_index
        if game.finished:
            break
    assert later_boards > 3


def test_the_feedback_a_choice_shows_was_broken_into_lines_ahead(monkeypatch) -> None:
    """Every feedback line that needs breaking found its line-break units already made by
    the worker the board started (the frame thread waits for it here: a visitor takes far
    longer to choose than the worker to finish)."""
    gamekit.text()._wraps.clear()  # other tests' lines do not count, wrapped or broken
    linebreak.units.cache_clear()
    game = KIT.make_game("en", seed=2)
    assert game.ctx.text is gamekit.text()
    bot = sc.GAME.bot(game, random.Random(3), 0.1)
    feedback = sc.SmartCommute._feedback
    misses: list[int] = []

    def counted(text: str, tone: str, ttl: float) -> sc.Feedback:
        before = linebreak.units.cache_info()
        shown = feedback(game, text, tone, ttl)
        after = linebreak.units.cache_info()
        if game.picks:  # (the round's opening hint is not a choice's)
            misses.append(after.misses - before.misses + (after.hits > before.hits) * 1000)
        return shown

    monkeypatch.setattr(game, "_feedback", counted)
    for _ in range(round(90 / STEP)):
        for t in threading.enumerate():
            if t.name == "commute-lines":
                t.join(5)
        for ev in bot.step(STEP):
            game.handle(ev)
        game.update(STEP)
        if game.finished:
            break
    assert misses and all(m % 1000 == 0 for m in misses), misses  # never broken in the frame
    assert any(m >= 1000 for m in misses)  # some lines did need breaking
