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
from games.kit.gamebar import tone_colour
from games.smart_commute import game as commute_game
from games.smart_commute import view as commute_view
from kiosk.background import Background
from kiosk.ui import linebreak
from kiosk.ui.typeset import CO2
from tests import gamekit
from tests.gamekit import GameKit

STEP = 1 / 30
KIT: GameKit[sc.SmartCommute] = GameKit(sc.GAME)


def _wait_for(worker: str) -> None:
    """Wait for the running workers named ``worker``."""
    for t in threading.enumerate():
        if t.name == worker:
            t.join(5)


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
    plan = sc.SmartCommute._plan_ahead

    def plan_then_forget() -> None:
        if on_arrival.phase != "ride":  # on arrival: the twin's own board
            plan(on_arrival)
            return
        state = on_arrival.rng.getstate()
        due = on_arrival._plan_due
        plan(on_arrival)
        if due is not None:  # worked out during the ride: forgotten, the rng wound back
            forgotten.append(on_arrival._planned)
            on_arrival.rng.setstate(state)
            on_arrival._planned = None
            on_arrival._plan_due = due

    forgotten: list = []
    on_arrival._plan_ahead = plan_then_forget  # type: ignore[method-assign]
    boards, result = _boards(ahead, skill)
    assert (boards, result) == _boards(on_arrival, skill)
    assert len(forgotten) >= 5  # most boards were worked out ahead
    assert len(boards) > 8


def test_a_boards_cards_are_made_during_the_ride_to_it(monkeypatch) -> None:
    """Only a trip's first board makes its cards in the frame it appears; every other board
    is worked out and arrives with its cards made, one a frame, and its feedback lines'
    worker started, during the ride (never in the frame the ride was chosen in)."""
    made: list[int] = []
    real = commute_view.render_option
    monkeypatch.setattr(commute_view, "render_option", lambda v, o: made.append(1) or real(v, o))
    workers: list[str] = []  # the feedback lines' workers started in the frame

    class Recorded(Background):
        def start(self, fn, *args):
            workers.append(self.name)
            return super().start(fn, *args)

    monkeypatch.setattr(commute_game, "Background", Recorded)
    game = KIT.make_game("zh-HK", seed=3)
    bot = sc.GAME.bot(game, random.Random(11), 0.7)
    surface = pygame.Surface((1920, 1080))
    seen, trip, later_boards, planned = game.offer_id, game.trip_index, 0, 0
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
            assert workers == [], "the lines laid out in the frame a ride was chosen"
            assert game._planned is None, "the next board worked out in the frame it was chosen"
        if game.phase == "ride" and game.planned_just_now():
            assert made == [], "a card made in the frame its board was worked out"
            planned += 1
        if game.offer_id != seen and game.trip_index == trip:
            assert made == [], "a board arrived with cards still to make"
            assert workers == [], "a board arrived with its lines still to lay out"
            later_boards += 1
        workers.clear()
        seen, trip = game.offer_id, game.trip_index
        if game.finished:
            break
    assert later_boards > 3 and planned > 3


def test_the_feedback_a_choice_shows_was_laid_out_and_rendered_ahead(monkeypatch) -> None:
    """Every feedback line a choice shows was broken, wrapped and rendered by the worker
    the board started: the frame finds the wrap and the words in the text caches (the
    frame thread waits for the worker here: a visitor takes far longer to choose than the
    worker to finish)."""
    text = gamekit.text()
    text._wraps.clear()  # other tests' lines do not count, wrapped, broken or rendered
    text._cache.clear()
    text._bytes = 0
    linebreak.units.cache_clear()
    game = KIT.make_game("en", seed=2)
    assert game.ctx.text is text
    bot = sc.GAME.bot(game, random.Random(3), 0.1)
    feedback = sc.SmartCommute._feedback
    wrapped: list[str] = []  # lines measured for wrapping in the frame
    real_wrap = linebreak.wrap
    monkeypatch.setattr(linebreak, "wrap", lambda t, *a: wrapped.append(t) or real_wrap(t, *a))
    shown: list[tuple[str, bool, list[str]]] = []  # (line, wrapped ahead, pieces not rendered)

    def counted(line: str, tone: str, ttl: float) -> sc.Feedback:
        before = (linebreak.units.cache_info().misses, len(wrapped))
        fb = feedback(game, line, tone, ttl)
        ahead = (linebreak.units.cache_info().misses, len(wrapped)) == before
        colour = tone_colour(tone)
        pieces = [p for part in fb.lines for p in part.split(CO2) if p]
        missing = [p for p in pieces if (p, fb.size, colour, "bold") not in text._cache]
        if game.picks:  # (the round's opening hint is not a choice's)
            shown.append((line, ahead, missing))
        return fb

    monkeypatch.setattr(game, "_feedback", counted)
    for _ in range(round(90 / STEP)):
        _wait_for("commute-lines")  # a visitor gives a worker seconds
        for ev in bot.step(STEP):
            game.handle(ev)
        game.update(STEP)
        if game.finished:
            break
    assert len(shown) > 3
    assert all(ahead and not missing for _, ahead, missing in shown), shown
    assert wrapped  # (the worker did wrap: some lines needed it)


def test_the_end_card_is_made_during_the_ride_that_ends_the_trip(monkeypatch) -> None:
    """The card that ends a trip is made in a worker while the last ride runs, for the
    outcome and score the trip then ends with, and the frame the trip ends in only shows
    it (the frame thread waits for the worker here, as a ride takes seconds)."""
    game = KIT.make_game("en", seed=3)
    threads: list[str] = []
    real = commute_view.render_end_card

    def made(view, end):
        threads.append(threading.current_thread().name)
        return real(view, end)

    monkeypatch.setattr(commute_view, "render_end_card", made)
    bot = sc.GAME.bot(game, random.Random(11), 0.7)
    surface = pygame.Surface((1920, 1080))
    shown = []
    for frame in range(round(90 / STEP)):
        _wait_for("commute-end-card")  # a visitor gives a worker seconds
        for ev in bot.step(STEP):
            game.handle(ev)
        phase = game.phase
        game.update(STEP)
        game.surface_kept = frame > 0
        game.draw(surface)
        if game.phase == "arrived" and phase == "ride":
            end = game.ended()
            shown.append((end.outcome, threads[-1], game.view._end_card[0] is not None))
            assert game.view._end_card[0].same(end)
        if game.finished:
            break
    assert len(shown) >= 2, shown
    assert all(thread == "commute-end-card" for _, thread, _ in shown), shown
