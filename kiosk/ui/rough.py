"""Which parts of a scaled picture were copied unfiltered and still need filtering.

kiosk/ui/rescale.py copies big moving pieces nearest-pixel and filters them properly once
things are quieter. The parts waiting are kept as a set of tiles (whole scaling blocks,
about 48 source pixels a side), not as rectangles: the rectangles of a card's trail
overlap frame after frame and would be filtered again many times over.
"""

from __future__ import annotations

import pygame

TILE_PX = 48  # about this many source pixels a side, rounded up to whole blocks


class RoughTiles:
    """Tiles of a ``size`` source picture, ``block`` (x, y) pixels the scaling's blocks."""

    def __init__(self, size: tuple[int, int], block: tuple[int, int]) -> None:
        self.w = block[0] * -(-TILE_PX // block[0])
        self.h = block[1] * -(-TILE_PX // block[1])
        self.bounds = pygame.Rect((0, 0), size)
        self._tiles: set[tuple[int, int]] = set()

    def __bool__(self) -> bool:
        return bool(self._tiles)

    @property
    def px(self) -> int:
        """Source pixels waiting (tiles at the picture's edge counted whole)."""
        return len(self._tiles) * self.w * self.h

    def clear(self) -> None:
        self._tiles.clear()

    def add(self, area: pygame.Rect) -> None:
        self._tiles.update(self._under(area))

    def take(self, budget: int) -> list[pygame.Rect]:
        """Whole columns of tiles from the left, as one rectangle (their bounding box) of
        about ``budget`` pixels (at least one column): the filter reads a block around
        each piece, so one larger piece reads less twice than many small ones."""
        columns: dict[int, list[int]] = {}
        for x, y in self._tiles:
            columns.setdefault(x, []).append(y)
        box: pygame.Rect | None = None
        for x in sorted(columns):
            ys = columns[x]
            col = pygame.Rect(
                x * self.w, min(ys) * self.h, self.w, (max(ys) + 1 - min(ys)) * self.h
            )
            grown = col if box is None else box.union(col)
            if box is not None and grown.w * grown.h > budget:
                break
            box = grown
            self._tiles.difference_update((x, y) for y in ys)
        return [] if box is None else [box.clip(self.bounds)]

    def _under(self, area: pygame.Rect) -> list[tuple[int, int]]:
        a = area.clip(self.bounds)
        if not (a.w and a.h):
            return []
        xs = range(a.left // self.w, (a.right - 1) // self.w + 1)
        ys = range(a.top // self.h, (a.bottom - 1) // self.h + 1)
        return [(x, y) for x in xs for y in ys]
