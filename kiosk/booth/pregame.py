"""The visitor's next round, built and drawn once ahead while the how-to screen is up.

A game's first frame builds its backdrop (gradients, a city map, a flat's walls) and renders
its text: 5–40 ms here, several frames on a slower booth PC, all in the frame where Start
was touched. The how-to screen stays up for seconds while the instructions are read, and
the frame loop sleeps most of each frame, so a worker thread builds the round for the
visit's current choices (game, language, seed, level) and draws it once on a scratch
surface: the backdrops (games/kit/backdrop.py caches them on the game's view) and text
are then ready. Start takes that round if the choices still match; a changed level starts
another build; anything else falls back to building the round in the frame, as before. A
Start touched while the round is still underway keeps the how-to up until it is ready, for
at most ``START_WAIT_S`` (kiosk/booth/app.py).

Building a round is pure: a game is made from its context (the seed fixes its random
stream) and no database row is written until Start (``Kiosk.new_game``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from concurrent.futures import Future

import pygame

from games.base import Game
from kiosk.background import Background


class _Job:
    """The round for ``key``: ``done`` builds it (its result: the round, or None when it was
    superseded while it queued), then ``settled`` does the work after it (its texts)."""

    def __init__(self, key: Hashable) -> None:
        self.key = key
        self.started = False  # False while it queues behind a build it replaced
        self.done: Background[Game | None] = Background("pregame", "building the next round ahead")
        self.settled: Background[None] = Background("pregame", "the next round's texts")

    @property
    def game(self) -> Game | None:
        return self.done.result_or_none()


class GamePrep:
    """One round being built ahead at a time; ``take`` hands it over if it is the one."""

    def __init__(self) -> None:
        self._job: _Job | None = None
        # One for a visit's rounds (no 8 MB churn), let go between visitors (``release``).
        self._scratch: pygame.Surface | None = None
        self.built = 0  # rounds built ahead (tests and benchmarks read it)
        self.waited = 0  # Starts that found their round still being built, and waited

    def wait(self, timeout_s: float = 30.0) -> None:
        """Block (real time) until the round being built, if any, is ready: for tests and
        benchmarks that drive a kiosk faster than its builder thread; never the frame loop."""
        job = self._job
        if job is not None:
            job.done.wait(timeout_s)

    def wait_settled(self, timeout_s: float = 30.0) -> None:
        """Like ``wait``, and also for the work after the build (the round's texts): what a
        visitor reading the how-to for seconds leaves the worker time to finish."""
        job = self._job
        if job is not None:
            job.settled.wait(timeout_s)  # started or cancelled once the build is over

    def wants(self, key: Hashable) -> bool:
        """Is ``key`` a round not yet built or underway?"""
        return self._job is None or self._job.key != key

    def prepare(
        self,
        key: Hashable,
        build: Callable[[], Game],
        size: tuple[int, int],
        then: Callable[[], None] | None = None,
        draw: Callable[[Game], None] | None = None,
        like: pygame.Surface | None = None,
    ) -> None:
        """Build the round ``build()`` makes for ``key``, unless it is already underway;
        ``then`` runs in a worker once the round is ready (Start does not wait for it).
        ``draw(game)`` draws the round's first picture where its first frame finds it (a
        portrait totem's playfield); None: on a scratch surface of ``size``, in ``like``'s
        pixel format (the canvas's: pictures a game keeps of its pieces are then of use
        on the canvas, games/kit/redraw.py)."""
        if not self.wants(key):
            return
        previous, job = self._job, _Job(key)
        self._job = job
        settled = job.settled  # not the job: the round is its taker's alone once built

        def after(built: Future[Game | None]) -> None:
            if then is not None and built.exception() is None and built.result() is not None:
                settled.start(then)
            else:
                settled.cancel()

        job.done.add_done_callback(after)
        job.done.start(
            self._build, job, previous, build, size, draw or self._on_scratch(size, like)
        )

    def _build(
        self,
        job: _Job,
        previous: _Job | None,
        build: Callable[[], Game],
        size: tuple[int, int],
        draw: Callable[[Game], None],
    ) -> Game | None:
        if previous is not None:
            previous.done.wait()  # one build at a time: they share the fonts
        if self._job is not job:  # superseded (or taken) while it queued
            return None
        job.started = True
        game = build()
        if self._job is not job:  # the costly part only for a round still wanted
            return None
        draw(game)  # backdrops built, text rendered (and pictures kept)
        game.draw_ahead()  # pictures it shows later (cards dealt mid-round)
        self.built += 1
        return game

    def _on_scratch(
        self, size: tuple[int, int], like: pygame.Surface | None
    ) -> Callable[[Game], None]:
        """Draws a round on the scratch surface, made (in the worker) if need be."""
        masks = None if like is None else like.get_masks()

        def draw(game: Game) -> None:
            scratch = self._scratch  # (``release`` may let go of it meanwhile)
            if (
                scratch is None
                or scratch.get_size() != tuple(size)
                or (masks is not None and scratch.get_masks() != masks)
            ):
                scratch = pygame.Surface(size) if like is None else pygame.Surface(size, 0, like)
                self._scratch = scratch
            game.draw(scratch)
            game.drawn_ahead_on = scratch  # (the next build, if any, is another round's)

        return draw

    def pending(self, key: Hashable) -> bool:
        """Is the round for ``key`` being built (or queued behind another) right now?"""
        job = self._job
        return job is not None and job.key == key and not job.done.done()

    def take(self, key: Hashable) -> Game | None:
        """The round built for ``key`` (waiting for the rest of its build if it is nearly
        there), or None: the caller builds one itself."""
        job = self._job
        if job is None or job.key != key or not (job.started or job.done.done()):
            # Nothing for this round, or it still queues behind a replaced one: building
            # it here is quicker than waiting for both (the queued one is then skipped).
            self._job = None
            return None
        if not job.done.done():  # still its job while it finishes: it must not give up
            self.waited += 1
            job.done.wait()
        self._job = None
        return job.game

    def release(self) -> None:
        """Let go of the scratch surface (8 MB at 1080p): the booth is at rest between
        visitors; the next visitor's first round makes one again, in the worker."""
        self._scratch = None

    def cancel(self, wait_s: float = 0.0) -> None:
        """Drop whatever was built ahead (the visitor left). ``wait_s``: also wait that long
        for a build underway to end, before pygame is shut down under it."""
        job, self._job = self._job, None
        if job is not None and wait_s > 0:
            job.done.wait(wait_s)
