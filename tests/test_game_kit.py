"""The game kit's timers, hit-testing and backdrop cache."""

from __future__ import annotations

import functools
import gc
import weakref

import pygame

from games.kit.backdrop import Backdrop
from games.kit.hits import hits, moved_beyond, topmost_hit
from games.kit.timers import Timers


def test_a_scheduled_callback_fires_once_when_due() -> None:
    timers, fired = Timers(), []
    timers.schedule(lambda: fired.append(timers.now), 1.0)
    timers.update(0.6)
    assert fired == []
    timers.update(0.6)
    assert fired == [1.0]
    timers.update(5)
    assert fired == [1.0]


def test_one_big_step_fires_an_interval_every_time_in_order() -> None:
    timers, fired = Timers(), []
    timers.schedule_interval(lambda: fired.append(("tick", timers.now)), 1.0)
    timers.schedule(lambda: fired.append(("once", timers.now)), 2.5)
    timers.update(4.0)
    assert fired == [("tick", 1.0), ("tick", 2.0), ("once", 2.5), ("tick", 3.0), ("tick", 4.0)]


def test_unschedule_schedule_unique_and_time_left() -> None:
    timers, fired = Timers(), []

    def ring() -> None:
        fired.append(timers.now)

    timers.schedule(ring, 1.0)
    timers.schedule_unique(ring, 3.0)
    assert timers.time_left(ring) == 3.0
    timers.update(2.0)
    assert fired == [] and timers.pending(ring)
    timers.unschedule(ring)
    timers.update(5.0)
    assert fired == [] and not timers.pending(ring) and timers.time_left(ring) is None


def test_a_callback_may_schedule_the_next_one() -> None:
    timers, fired = Timers(), []

    def chain() -> None:
        fired.append(timers.now)
        if len(fired) < 3:
            timers.schedule(chain, 0.5)

    timers.schedule(chain, 0.5)
    timers.update(10)
    assert fired == [0.5, 1.0, 1.5]


def test_slop_widens_the_target_and_the_topmost_wins() -> None:
    class Card:
        def __init__(self, x: int, live: bool = True) -> None:
            self.rect, self.live = pygame.Rect(x, 0, 100, 100), live

    a, b, c = Card(0), Card(50), Card(80, live=False)
    assert hits(a.rect, (105, 50), slop=10) and not hits(a.rect, (105, 50))
    assert topmost_hit([a, b, c], (90, 50), when=lambda card: card.live) is b
    assert topmost_hit([a, b, c], (20, 50)) is a
    assert topmost_hit([a, b], (300, 50), slop=20) is None


def test_moved_beyond_tells_a_drag_from_a_tap() -> None:
    assert not moved_beyond((100, 100), (110, 110), 20)
    assert moved_beyond((100, 100), (120, 120), 20)


def test_the_backdrop_is_built_once_per_size() -> None:
    built = []

    def build(size: tuple[int, int]) -> pygame.Surface:
        built.append(size)
        return pygame.Surface(size)

    backdrop = Backdrop(build)
    canvas = pygame.Surface((64, 32))
    backdrop.blit(canvas)
    backdrop.blit(canvas)
    assert built == [(64, 32)]
    backdrop.get((32, 32))
    assert built == [(64, 32), (32, 32)]


def test_timers_and_backdrops_never_keep_their_owner_alive() -> None:
    class Round:
        def __init__(self) -> None:
            self.timers, self.fired = Timers(), []
            self.backdrop = Backdrop(self.build)
            self.timers.schedule(self.ring, 1.0)
            self.timers.schedule(functools.partial(self.say, "hi"), 2.0)

        def ring(self) -> None:
            self.fired.append("ring")

        def say(self, word: str) -> None:
            self.fired.append(word)

        def build(self, size: tuple[int, int]) -> pygame.Surface:
            return pygame.Surface(size)

    alive = Round()
    alive.backdrop.get((8, 8))
    alive.timers.update(3.0)
    assert alive.fired == ["ring", "hi"]

    gc.disable()
    try:
        gone = Round()
        ref = weakref.ref(gone)
        del gone
        assert ref() is None  # freed by reference counting alone: no cycle
    finally:
        gc.enable()


def test_a_partial_of_a_method_can_be_unscheduled() -> None:
    timers, fired = Timers(), []

    class Owner:
        def say(self, word: str) -> None:
            fired.append(word)

    owner = Owner()
    timers.schedule(functools.partial(owner.say, "a"), 1.0)
    timers.schedule(functools.partial(owner.say, "b"), 1.0)
    assert timers.pending(functools.partial(owner.say, "a"))
    timers.unschedule(functools.partial(owner.say, "a"))
    timers.update(2.0)
    assert fired == ["b"]


def test_a_callback_whose_owner_is_gone_is_skipped() -> None:
    timers, fired = Timers(), []

    class Owner:
        def ring(self) -> None:
            fired.append("ring")

    owner = Owner()
    timers.schedule_interval(owner.ring, 1.0)
    timers.update(1.0)
    del owner
    timers.update(5.0)
    assert fired == ["ring"]
