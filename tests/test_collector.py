"""Python's full garbage collections made between visitors, never mid-game
(kiosk/booth/collector.py)."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest

from kiosk.booth.collector import AFTER_VISIT_S, AT_LEAST_S, NEVER, Collector


@pytest.fixture
def collector() -> Iterator[Collector]:
    before = gc.get_threshold()
    c = Collector()
    yield c
    c.stop()
    gc.unfreeze()  # the rest of the test session collects as Python does
    assert gc.get_threshold() == before


class Cycle:
    def __init__(self) -> None:
        self.me = self  # freed only by a cyclic collection, never by refcounting


def _garbage_cycle() -> weakref.ref:
    """A cycle that became garbage in the oldest generation, as a visit's leftovers do:
    young collections never look at it, only a full one frees it."""
    cycle = Cycle()
    gc.collect(1)  # it survives a middle-generation collection: now in the oldest
    ref = weakref.ref(cycle)
    del cycle
    gc.collect(1)
    assert ref() is not None
    return ref


def _full_collections_during(fn) -> int:
    seen = []

    def probe(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            seen.append(info)

    gc.callbacks.append(probe)
    try:
        fn()
    finally:
        gc.callbacks.remove(probe)
    return len(seen)


def test_nothing_changes_until_start_up_is_done(collector: Collector) -> None:
    before = gc.get_threshold()
    collector.visitor_left()
    collector.tick(AFTER_VISIT_S + 1, "attract")
    assert collector.collections == 0 and gc.get_threshold() == before


def test_start_freezes_what_start_up_built_and_turns_automatic_full_collections_off(
    collector: Collector,
) -> None:
    collector.start()
    assert gc.get_freeze_count() > 1000  # the interpreter, pygame, the test session…
    assert gc.get_threshold()[2] == NEVER
    kept = []

    def allocate() -> None:  # enough survivors to trigger many full collections normally
        for i in range(300_000):
            kept.append([i])

    assert _full_collections_during(allocate) == 0
    assert len(kept) == 300_000


def test_a_visitor_leaving_is_collected_on_attract_not_mid_game(collector: Collector) -> None:
    collector.start()
    ref = _garbage_cycle()
    collector.visitor_left()
    collector.tick(AFTER_VISIT_S / 2, "attract")
    assert ref() is not None  # the attract screen has only just appeared
    for _ in range(3):  # and the next visitor is already playing: not now
        collector.tick(AFTER_VISIT_S, "play")
    assert ref() is not None and collector.collections == 0
    assert collector.tick(1 / 60, "attract")  # True: the kiosk's quiet point (app.rest)
    assert ref() is None and collector.collections == 1  # the cycle really went
    assert not collector.tick(AFTER_VISIT_S, "attract")
    assert collector.collections == 1  # once per visitor


def test_a_booth_without_gaps_between_visitors_still_collects_now_and_then(
    collector: Collector,
) -> None:
    collector.start()
    collector.tick(AT_LEAST_S, "play")
    assert collector.collections == 0  # not mid-game, however long it has been
    collector.tick(0.1, "paused")  # staff paused the booth: nobody is playing
    assert collector.collections == 1


def test_the_kiosk_collects_after_a_visit_on_its_attract_screen(make_kiosk, collector) -> None:
    app = make_kiosk()
    app.collector = collector
    collector.start()
    ref = _garbage_cycle()
    app.end_visit(completed=False)  # as the journey does when a visitor leaves
    assert app.scene.name == "attract"
    steps = 0
    while ref() is not None and steps < 200:
        app.frame(1 / 60)
        steps += 1
    assert ref() is None and collector.collections == 1
    assert steps >= AFTER_VISIT_S * 60 - 1


def test_a_full_collection_gives_the_heaps_free_pages_back(collector, monkeypatch) -> None:
    """The heap is trimmed after the collection on attract, not in the frame the visitor
    left in (the first attract frame, where it cost 1-2 ms)."""
    from kiosk.booth import memory

    trims: list[int] = []
    monkeypatch.setattr(memory, "_trim", lambda pad: trims.append(pad))
    collector.start()
    collector.visitor_left()
    collector.tick(0.5, "attract")
    assert trims == []
    collector.tick(AFTER_VISIT_S, "attract")
    assert collector.wait_trimmed()
    assert trims == [0]


def test_start_up_is_followed_by_a_quiet_point_as_a_visit_is(collector: Collector) -> None:
    """What start-up opened for the screens it drew ahead (fonts, text) goes at a quiet
    point a moment after it, as a visitor's does (kiosk/booth/app.py ``rest``)."""
    collector.start()
    assert not collector.tick(AFTER_VISIT_S / 2, "attract")
    assert collector.tick(AFTER_VISIT_S, "attract")
    assert collector.collections == 1
    assert not collector.tick(AFTER_VISIT_S, "attract")  # once


def test_the_heap_is_trimmed_off_the_frame_thread(collector, monkeypatch) -> None:
    """``malloc_trim`` took 6-11 ms of system time in the soak, in the attract frame that
    collected (19 ms of CPU with the collection): a worker does it, the frame goes on."""
    from kiosk.booth import memory

    trimmed_in: list[threading.Thread] = []
    started, release = threading.Event(), threading.Event()

    def slow_trim(pad: int) -> None:  # a trim still under way when the frame is over
        trimmed_in.append(threading.current_thread())
        started.set()
        release.wait(5)

    monkeypatch.setattr(memory, "_trim", slow_trim)
    collector.start()
    collector.visitor_left()
    assert collector.tick(AFTER_VISIT_S, "attract")  # returns while the trim is under way
    assert started.wait(5) and not collector.wait_trimmed(0)
    release.set()
    assert collector.wait_trimmed()
    assert trimmed_in and trimmed_in[0] is not threading.current_thread()


def test_the_quiet_points_trims_are_made_off_the_frame_thread(make_kiosk, collector, monkeypatch):
    """The trim after the collection and the one after the text lets go (the frame after
    the quiet point, kiosk/booth/app.py ``draw``) are both made by a worker; one asked
    for while another is under way follows it."""
    from kiosk.booth import memory

    trimmed_in: list[threading.Thread] = []
    monkeypatch.setattr(memory, "_trim", lambda pad: trimmed_in.append(threading.current_thread()))
    app = make_kiosk()
    app.collector = collector
    collector.start()
    for _ in range(round((AFTER_VISIT_S + 0.5) * 60)):  # start-up's quiet point, and on
        app.frame(1 / 60)
    assert collector.collections == 1 and collector.wait_trimmed()
    assert len(trimmed_in) >= 2  # the collection's, and the text's after it
    assert threading.current_thread() not in trimmed_in
