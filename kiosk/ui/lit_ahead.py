"""A lit screen's next still picture, made ahead in a worker (kiosk/ui/decor.py LitScreen).

The attract screen names one game after another every few seconds. The frame where the
name changed painted the whole picture again and built its sky mask anew on the frame
thread (2–4 ms at 1080p). What comes next is known seconds before, so a worker paints it
then, after the picture shown now, on a surface of its own (no view of a surface the
frame thread blits: a viewed surface is locked, and its blits would fail), and keeps only
the tiles that differ outside the areas that move (repainted in that frame anyway): a
patch, with its part of the sky mask. The frame of the change copies the patch into the
canvas and its mask into the kept one, and does nothing else it would not do in a quiet
frame.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass

import pygame

try:
    import numpy as np
except ImportError:  # pragma: no cover - the booth extra installs numpy
    np = None  # type: ignore[assignment]

Paint = Callable[[pygame.Surface], None]
TILE = (64, 16)  # columns × rows of a picture compared by digest: a 4 kB buffer


@dataclass(frozen=True)
class Patch:
    """How the kept picture of ``basis`` (look, version) becomes ``look``'s picture."""

    look: Hashable
    basis: tuple[Hashable, int]
    moving: tuple[pygame.Rect, ...]  # left out: the frame repaints them
    box: pygame.Rect | None  # where the pictures differ (None: nowhere)
    picture: pygame.Surface | None  # the new picture in ``box``
    covered: object | None  # numpy: ``box``'s pixels that are not bare sky, 8 to a byte

    def covered_rows(self) -> np.ndarray:
        """``covered`` as bool (rows, columns) of ``box``, for the kept mask."""
        assert self.box is not None and self.covered is not None
        w, h = self.box.size
        return np.unpackbits(self.covered, count=w * h).reshape(h, w).view(bool)


def usable(like: pygame.Surface) -> bool:
    """Whether pictures like ``like`` can be compared here (numpy, 32-bit pixels)."""
    return np is not None and like.get_bytesize() == 4


def make_patch(
    look: Hashable,
    basis: tuple[Hashable, int],
    now: Paint,
    coming: Paint,
    size: tuple[int, int],
    like: pygame.Surface,
    sky: Callable[[pygame.Rect], pygame.Surface] | None,
    moving: tuple[pygame.Rect, ...],
) -> Patch:
    """Paint the picture shown now (``now``), then the one ``look`` shows (``coming``), on
    one ``size`` surface in ``like``'s pixel format; where they differ outside ``moving``
    (to a tile), the new one and (given ``sky``, the backdrop in a box, like ``like``)
    where it is not bare sky. Run in a worker.

    One surface, not one per picture: the picture shown now is kept as a digest per tile
    (a few kB), so making a patch holds 8 MB at 1080p for a moment, not 16."""
    canvas = pygame.Surface(size, 0, like)
    now(canvas)
    before = _digests(canvas, moving)
    coming(canvas)
    box = _changed_box(before, _digests(canvas, moving), size)
    if box is None:
        return Patch(look, basis, moving, None, None, None)
    picture = canvas.subsurface(box).copy()
    del canvas  # (8 MB)
    covered = None
    if sky is not None:  # (packed: one is held for seconds, a title's is 50-100 KB)
        covered = np.packbits(_not_sky(picture, sky(box)), axis=None)
    return Patch(look, basis, moving, box, picture, covered)


def _colour_bits(surface: pygame.Surface) -> int:
    r, g, b, _ = surface.get_masks()
    return r | g | b  # a surface's unused byte may differ


def words(surface: pygame.Surface):
    """The pixels of a 32-bit ``surface`` as (rows, pitch) words, viewed: the surface is
    locked (no blit to or from it) until the view is let go."""
    h, pitch = surface.get_height(), surface.get_pitch()
    return np.frombuffer(surface.get_view("1"), dtype=np.uint32).reshape(h, pitch // 4)


def _digests(surface: pygame.Surface, moving: tuple[pygame.Rect, ...]) -> list[int]:
    """A 64-bit digest of each ``TILE`` of ``surface``'s colour, row by row, with the parts
    of ``moving`` left out (zero): equal digests, equal tiles."""
    w, h = surface.get_size()
    colour = np.uint32(_colour_bits(surface))
    tile = np.empty(TILE[1] * TILE[0], dtype=np.uint32)
    out = []
    pixels = words(surface)
    try:
        for y in range(0, h, TILE[1]):
            y1 = min(h, y + TILE[1])
            for x in range(0, w, TILE[0]):
                x1 = min(w, x + TILE[0])
                part = tile[: (y1 - y) * (x1 - x)].reshape(y1 - y, x1 - x)
                np.bitwise_and(pixels[y:y1, x:x1], colour, out=part)
                for area in moving:
                    hole = area.clip(x, y, x1 - x, y1 - y)
                    if hole.w and hole.h:
                        part[hole.top - y : hole.bottom - y, hole.left - x : hole.right - x] = 0
                data = part.tobytes()
                out.append(zlib.crc32(data) << 32 | zlib.adler32(data))
    finally:
        del pixels  # (the view: the surface is painted on again once it is gone)
    return out


def _changed_box(before: list[int], after: list[int], size: tuple[int, int]) -> pygame.Rect | None:
    """The tiles whose digests differ, as one rectangle of ``size``'s pixels, or None."""
    w, h = size
    across = -(-w // TILE[0])
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    if not changed:
        return None
    rows = [i // across for i in changed]
    cols = [i % across for i in changed]
    left, top = min(cols) * TILE[0], min(rows) * TILE[1]
    right, bottom = min(w, (max(cols) + 1) * TILE[0]), min(h, (max(rows) + 1) * TILE[1])
    return pygame.Rect(left, top, right - left, bottom - top)


def _not_sky(picture: pygame.Surface, sky: pygame.Surface):
    """Where ``picture`` is not ``sky`` (two surfaces of one size and format)."""
    w = picture.get_width()
    colour = np.uint32(_colour_bits(picture))
    return (np.bitwise_xor(words(picture)[:, :w], words(sky)[:, :w]) & colour) != 0
