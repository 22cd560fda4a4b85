"""Python's cyclic garbage collector, kept out of the visitors' frames.

CPython runs a full collection whenever enough objects have survived younger ones, in
whatever frame allocates the object that tips it: measured in the soak, 20–41 ms of CPU in
the middle of a game or a result screen (a 60 Hz frame has 16.7 ms). Two standard remedies
(the ``gc`` module's own advice for long-running programs):

* :meth:`Collector.start`, once start-up is done: a full collection, then ``gc.freeze()``,
  so everything built to run the kiosk (fonts, strings, games, caches, modules) is never
  scanned again. A full collection then only walks what visitors' screens made since.
* Automatic full collections are turned off (young ones still run, they cost well under a
  millisecond); the kiosk makes one itself on the attract screen, ``AFTER_VISIT_S`` after a
  visitor leaves, when nobody is waiting on a frame, and at least every ``AT_LEAST_S`` on a
  screen nobody plays (attract, paused, failsafe), should visitors never leave a gap.

Nothing refcounting frees is affected: most garbage never waits for a collection at all.
Each full collection also gives the C heap's free pages back (kiosk/booth/memory.py), in a
worker: ``malloc_trim`` returns them a range at a time, 6-11 ms of system time measured in
the soak, which with the collection and attract's draw made that frame the day's slowest
(19 ms of CPU). ctypes lets go of the GIL for the call, so the frame thread goes on.
"""

from __future__ import annotations

import gc
import logging
import time

from kiosk.background import Lane
from kiosk.booth.memory import release_free_memory

log = logging.getLogger(__name__)

AFTER_VISIT_S = 1.0  # the attract screen has settled; nobody has walked up yet
AT_LEAST_S = 300.0  # a full collection at least this often, on a screen nobody plays
NEVER = 1_000_000_000  # a third-generation threshold no kiosk day reaches
QUIET_SCENES = frozenset({"attract", "paused", "failsafe"})


class Collector:
    """When the kiosk's full collections run. Inert until :meth:`start` (tests that build
    a kiosk keep Python's own collector as it is)."""

    def __init__(self) -> None:
        self.started = False
        self._since_s = 0.0  # time since the last full collection
        self._left_s: float | None = None  # time since a visitor left, until collected
        self._thresholds: tuple[int, int, int] | None = None
        self.collections = 0
        self.last_ms = 0.0  # CPU of the last full collection (the staff panel, the soak)
        self._trims = Lane("heap-trim", "giving the heap's free pages back")

    def start(self) -> None:
        """Start-up is done: collect, freeze what survives, turn automatic full
        collections off."""
        t0 = time.thread_time()
        gc.collect()
        gc.freeze()
        self._thresholds = gc.get_threshold()
        young, middle, _ = self._thresholds
        gc.set_threshold(young, middle, NEVER)
        self.started = True
        # A quiet point follows, as after a visitor: what start-up opened for the screens
        # it drew ahead (fonts, text) goes too (kiosk/booth/app.py ``rest``).
        self._left_s = 0.0
        log.info(
            "garbage collector: %d start-up objects frozen in %.0f ms; full collections "
            "between visitors",
            gc.get_freeze_count(),
            (time.thread_time() - t0) * 1000,
        )

    def stop(self) -> None:
        """Python's collector as it was (the objects frozen stay where they are)."""
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
        self.started = False

    def visitor_left(self) -> None:
        self._left_s = 0.0

    def tick(self, dt: float, scene: str) -> bool:
        """Once a frame, before drawing: collect when it is time and nobody plays. True if
        it did: the kiosk's quiet point, where it lets go of what only visitors' screens
        use (kiosk/booth/app.py's ``rest``)."""
        if not self.started:
            return False
        self._since_s += dt
        if self._left_s is not None:
            self._left_s += dt
        due = (self._left_s is not None and self._left_s >= AFTER_VISIT_S) or (
            self._since_s >= AT_LEAST_S
        )
        if due and scene in QUIET_SCENES:
            self.collect()
            return True
        return False

    def collect(self) -> None:
        t0 = time.thread_time()
        gc.collect()
        self.last_ms = (time.thread_time() - t0) * 1000
        self.collections += 1
        self._since_s, self._left_s = 0.0, None
        # The C heap's free pages back to the system, now that the cycles holding a visit's
        # surfaces are freed too: in a worker (see the module docstring).
        self.trim()
        log.debug("full collection: %.1f ms", self.last_ms)

    def trim(self) -> None:
        """Give the C heap's free pages back, in a worker (see the module docstring); asked
        while one is under way, it trims once more after it (what was freed since)."""
        self._trims.start(release_free_memory, again=True)

    def wait_trimmed(self, timeout_s: float = 10.0) -> bool:
        """Block until the heap's free pages are given back after the last collection (for
        tests and benchmarks; never the frame loop); returns whether they are."""
        return self._trims.wait(timeout_s)
