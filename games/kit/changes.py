"""What a frame drawn whole changed since the one before (``Game.damage``, issue 13).

A game that still paints its whole frame every time can say where the picture may differ
from its last frame, so the presenter compares only there. The frame is its backdrop and,
over it, parts drawn in order; each part has a ``name`` (the same part from frame to frame),
a ``key`` (everything its pixels depend on) and the ``rect`` holding every pixel it drew.
A pixel can only differ where a part that covers it in either frame changed its key or
rect, appeared or went; that is the damage. Two parts that swap places in the order may
cover each other differently: the fewest parts whose moves explain the new order are
reported at both places (covering where they overlapped anything). On a new backdrop or
surface the damage is not known.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import pygame

from games.kit.redraw import merge, moved

Part = tuple[Hashable, Hashable, pygame.Rect]  # name, key, rect drawn


class Changes:
    """The rectangles one frame's parts changed since the last frame on the same surface."""

    def __init__(self) -> None:
        self._last: dict[Hashable, tuple[Hashable, tuple[int, int, int, int]]] = {}
        self._order: list[Hashable] = []
        self._surface: pygame.Surface | None = None  # what the last frame was drawn on
        self._open = False  # a draw started and not reported yet
        self._base: Hashable = None

    def start(self) -> None:
        """Before a draw: a draw that fails (never reported) leaves the surface unknown
        to the next."""
        if self._open:
            self._surface = None
        self._open = True

    def report(
        self, surface: pygame.Surface, kept: bool, base: Hashable, parts: Sequence[Part]
    ) -> list[pygame.Rect] | None:
        """The frame just drawn on ``surface`` over the backdrop ``base`` (any value that
        changes with it): the areas that may differ from the last frame, or None when that
        is not known (a surface not ``kept``, a new one, the first frame)."""
        now = {name: (key, (r.x, r.y, r.w, r.h)) for name, key, r in parts}
        names = [name for name, _, _ in parts]
        last, order = self._last, self._order
        known = kept and surface is self._surface and base == self._base
        self._last, self._order, self._surface, self._base = now, names, surface, base
        self._open = False
        if not known or len(now) != len(names):
            return None
        dirty: list[pygame.Rect] = []
        for name in moved([n for n in order if n in now], [n for n in names if n in last]):
            dirty += [pygame.Rect(last[name][1]), pygame.Rect(now[name][1])]
        for name, look in now.items():
            before = last.get(name)
            if before != look:
                dirty.append(pygame.Rect(look[1]))
                if before is not None and before[1] != look[1]:
                    dirty.append(pygame.Rect(before[1]))
        dirty += [pygame.Rect(rect) for name, (_, rect) in last.items() if name not in now]
        return merge(dirty, surface.get_rect())
