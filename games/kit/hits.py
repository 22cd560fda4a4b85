"""Hit-testing for fingers: a little slop round every target, and taps told from drags.

A child's or an elderly visitor's finger lands a few pixels off what they meant, so every
grabbable thing counts a touch within ``slop`` pixels of its edge; when two targets are in
reach, the topmost (the last drawn) wins, as the eye expects.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import TypeVar

import pygame

T = TypeVar("T")
Point = tuple[float, float]


def hits(rect: pygame.Rect, pos: Point, slop: float = 0) -> bool:
    """Whether ``pos`` is on ``rect`` or within ``slop`` pixels of it."""
    s = round(slop)
    return rect.inflate(2 * s, 2 * s).collidepoint(pos[0], pos[1])


def topmost_hit(
    items: Iterable[T],
    pos: Point,
    slop: float = 0,
    rect: Callable[[T], pygame.Rect] = lambda item: item.rect,  # type: ignore[attr-defined]
    when: Callable[[T], bool] = lambda item: True,
) -> T | None:
    """The last of ``items`` (drawn on top) that ``when`` allows and ``pos`` touches."""
    found = None
    for item in items:
        if when(item) and hits(rect(item), pos, slop):
            found = item
    return found


def moved_beyond(start: Point, pos: Point, distance: float) -> bool:
    """Whether a finger that went down at ``start`` has slid further than ``distance``:
    from then on it is dragging, not tapping."""
    return math.hypot(pos[0] - start[0], pos[1] - start[1]) > distance
