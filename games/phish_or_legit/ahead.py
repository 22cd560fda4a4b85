"""The next card drawn in a worker while the current one is on screen.

Drawing a card (fitting its text size: a font opened per size tried, line breaking, the
poster's QR) costs 10–20 ms, and it used to happen in the frame the previous card left: one
frame in each card's life over 16.7 ms. The deck's order does not depend on the visitor's
answers, so the next card is drawn from the deck the moment the current one is dealt and
painted by a worker during the seconds it is read; the frame that deals it only takes the
picture. The picture is the one :func:`render_card` gives in the frame (same function, same
inputs), so a round looks and plays the same either way. The worker then runs ``also``
for the card, if given: the banner's verdict for it is prepared there too (its sign's
lines fitted and drawn, 10–20 ms the frame of the verdict once spent on them). The worker
also splits the picture for drawing (games/phish_or_legit/solid.py: two fresh card-sized
surfaces, 0.5-2 ms with their pages faulted in, which a quiet frame of the round spent
before and set the screen's p99 at 3840×2160); a quiet frame only takes the split
(:meth:`CardAhead.split`), so the card's busy first frame does not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import NamedTuple

import pygame

from games.base import GameContext
from games.kit.weak import held_weakly
from games.phish_or_legit.cardart import Regions, render_card
from games.phish_or_legit.deck import CardSpec, Pace
from games.phish_or_legit.painter import CARD_RADIUS, CARD_SHADOW
from games.phish_or_legit.solid import SolidCard
from kiosk.background import Background

log = logging.getLogger(__name__)


class _Job(NamedTuple):
    spec: CardSpec
    # Its result: the card's picture, its regions and the picture split for drawing.
    done: Background[tuple[pygame.Surface, Regions, SolidCard | None]]


class CardAhead:
    """One card being drawn ahead at a time: :meth:`start` it, :meth:`take` it later."""

    def __init__(
        self, ctx: GameContext, pace: Pace, also: Callable[[CardSpec], None] | None = None
    ) -> None:
        self.ctx = ctx
        self.pace = pace
        self._also = None if also is None else held_weakly(also)  # (its owner: the round)
        self._job: _Job | None = None
        self._solid: SolidCard | None = None  # the job's picture split for drawing
        self.drawn_ahead = 0  # cards whose picture the worker had ready (for tests)
        self.split_ahead = 0  # pictures split for drawing before their card was dealt

    def start(self, spec: CardSpec) -> None:
        """Draw ``spec`` in a worker; what was started before and not taken is dropped."""
        drawing = Background("phish-card", f"phish_or_legit: drawing card {spec.id} ahead")
        self._job = _Job(spec, drawing.start(self._draw, spec))
        self._solid = None

    def _draw(self, spec: CardSpec) -> tuple[pygame.Surface, Regions, SolidCard | None]:
        picture, regions = render_card(self.ctx, spec, self.pace)
        also = None if self._also is None else self._also()
        if also is not None:
            try:
                also(spec)
            except Exception:  # only time lost: the frame of the verdict does it again
                log.exception("phish_or_legit: preparing the verdict of %s failed", spec.id)
        try:  # for surfaces in the usual pixel format, as the view draws on
            solid = SolidCard(picture, pygame.Surface((1, 1)), CARD_RADIUS, CARD_SHADOW)
        except Exception:  # only time lost: the card's first frame splits it
            log.exception("phish_or_legit: splitting card %s for drawing failed", spec.id)
            solid = None
        return picture, regions, solid

    def split(self) -> None:
        """If the card being drawn ahead is ready, take its picture's split for drawing
        (made by the worker) now, in a quiet frame."""
        job = self._job
        if job is None or self._solid is not None or not job.done.done():
            return
        result = job.done.result_or_none()
        if result is not None and result[2] is not None:
            self._solid = result[2]
            self.split_ahead += 1

    def drop(self) -> None:
        """Let go of the card drawn ahead, as the round ends with it never dealt. A worker
        still drawing it is cancelled or waited for: until its call returns it holds the
        round (the verdict it prepares is the round's), and a finished round must be
        freed the moment the kiosk lets go of it. In the kiosk the worker was done seconds
        before (it started a whole card's reading earlier); only a clock run faster than
        real time, a test's, gets to the end first."""
        job, self._job, self._solid = self._job, None, None
        if job is not None and not job.done.cancel():
            job.done.wait()

    @property
    def pending(self) -> CardSpec | None:
        """The card being drawn ahead (the next one dealt), if any."""
        return self._job.spec if self._job is not None else None

    def take(self) -> tuple[CardSpec, pygame.Surface, Regions, SolidCard | None]:
        """The card started last, its picture and the picture split for drawing (None: a
        frame splits it when first drawn). A worker still drawing is waited for (it
        is that far along already); one that failed leaves the drawing to this frame, which
        then meets the error itself."""
        job, self._job = self._job, None
        solid, self._solid = self._solid, None
        if job is None:
            raise LookupError("no card was started")
        result = job.done.result_or_none(timeout_s=None)
        if result is None:
            return (job.spec, *render_card(self.ctx, job.spec, self.pace), None)
        self.drawn_ahead += 1
        picture, regions, made = result
        return (job.spec, picture, regions, solid or made)
