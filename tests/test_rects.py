"""kiosk/ui/rects.py: rectangles joined so each pixel is worked on once."""

from __future__ import annotations

import random

import numpy as np
import pygame

from kiosk.ui.rects import join_overlapping, outside

BOUNDS = pygame.Rect(0, 0, 400, 300)


def _cover(rects: list[pygame.Rect], bounds: pygame.Rect = BOUNDS) -> np.ndarray:
    """How many of ``rects`` cover each pixel of ``bounds``."""
    grid = np.zeros((bounds.h, bounds.w), dtype=np.int32)
    for r in rects:
        r = r.clip(bounds)
        grid[r.top : r.bottom, r.left : r.right] += 1
    return grid


def _random_rects(rng: random.Random, n: int) -> list[pygame.Rect]:
    return [
        pygame.Rect(rng.randrange(-40, 420), rng.randrange(-40, 320), rng.randrange(0, 90),
                    rng.randrange(0, 70))
        for _ in range(n)
    ]  # fmt: skip


def test_joined_rects_never_overlap_and_cover_every_input_pixel() -> None:
    rng = random.Random(3)
    for _ in range(200):
        rects = _random_rects(rng, rng.randrange(0, 40))
        joined = join_overlapping(rects, BOUNDS)
        assert all(r.w and r.h and BOUNDS.contains(r) for r in joined)
        assert _cover(joined).max(initial=0) <= 1  # none overlap
        assert not ((_cover(rects) > 0) & (_cover(joined) == 0)).any()  # nothing lost
        # Each joined rect is the bounding box of inputs only: no joins beyond overlaps.
        for r in joined:
            parts = [p.clip(BOUNDS) for p in rects if p.clip(BOUNDS).colliderect(r)]
            assert parts and parts[0].unionall(parts[1:]) == r


def test_far_apart_rects_stay_apart_and_slack_joins_close_neighbours() -> None:
    a, b = pygame.Rect(0, 0, 10, 10), pygame.Rect(12, 0, 10, 10)  # a 2-pixel gap
    assert join_overlapping([a, b]) == [a, b]
    assert join_overlapping([a, b], slack=1.2) == [pygame.Rect(0, 0, 22, 10)]
    far = pygame.Rect(300, 200, 10, 10)
    assert join_overlapping([a, far], slack=1.2) == [a, far]
    assert join_overlapping([a, a.move(5, 5), far]) == [pygame.Rect(0, 0, 15, 15), far]
    assert join_overlapping([pygame.Rect(500, 0, 10, 10), pygame.Rect(5, 5, 0, 4)], BOUNDS) == []


def test_outside_a_hole_is_the_rest_of_the_rect_exactly_once() -> None:
    rng = random.Random(5)
    for _ in range(300):
        r, hole = _random_rects(rng, 2)
        parts = outside(r, hole)
        want = (_cover([r]) > 0) & ~(_cover([hole]) > 0)
        assert (_cover(parts) == want.astype(np.int32)).all()
