"""The game kit's timers, hit-testing and backdrop cache."""

from __future__ import annotations

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
