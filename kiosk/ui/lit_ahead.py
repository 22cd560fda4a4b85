"""A lit screen's next still picture, made ahead in a worker (kiosk/ui/decor.py LitScreen).

The attract screen names one game after another every few seconds. The frame where the
name changed painted the whole picture again and built its sky mask anew on the frame
thread (2–4 ms at 1080p). What comes next is known seconds before, so a worker paints it
then, with the picture shown now, each on a surface of its own (no view of a surface the
frame thread blits: a viewed surface is locked, and its blits would fail), and keeps only
what differs outside the areas that move (repainted in that frame anyway): a patch, with
its part of the sky mask. The frame of the change copies the patch into the canvas and
its mask into the kept one, and does nothing else it would not do in a quiet frame.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

import pygame

try:
    import numpy as np
except ImportError:  # pragma: no cover - the booth extra installs numpy
    np = None  # type: ignore[assignment]

Paint = Callable[[pygame.Surface], None]
ROWS = 64  # rows compared at a time: a small buffer


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
    """Paint the picture shown now (``now``) and the one ``look`` shows (``coming``) on
    ``size`` surfaces in ``like``'s pixel format; where they differ outside ``moving``, the
    new one and (given ``sky``, the backdrop in a box, like ``like``) where it is not bare
    sky. Run in a worker."""
    old = pygame.Surface(size, 0, like)
    new = pygame.Surface(size, 0, like)
    now(old)
    coming(new)
    box = _changed_box(old, new, moving)
    del old  # (8 MB)
    if box is None:
        return Patch(look, basis, moving, None, None, None)
    picture = new.subsurface(box).copy()
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


def _changed_box(
    a: pygame.Surface, b: pygame.Surface, moving: tuple[pygame.Rect, ...]
) -> pygame.Rect | None:
    """The smallest rectangle holding every pixel where ``a`` and ``b`` differ outside
    ``moving``, or None."""
    w, h = a.get_size()
    colour = np.uint32(_colour_bits(a))
    wa, wb = words(a), words(b)
    rows = np.zeros(h, dtype=bool)
    cols = np.zeros(w, dtype=bool)
    diff = np.empty((ROWS, w), dtype=np.uint32)
    for y in range(0, h, ROWS):
        y1 = min(h, y + ROWS)
        d = diff[: y1 - y]
        np.bitwise_xor(wa[y:y1, :w], wb[y:y1, :w], out=d)
        np.bitwise_and(d, colour, out=d)
        for area in moving:
            part = area.clip(0, y, w, y1 - y)
            if part.w and part.h:
                d[part.top - y : part.bottom - y, part.left : part.right] = 0
        differs = d != 0
        rows[y:y1] = differs.any(axis=1)
        cols |= differs.any(axis=0)
    ys, xs = np.flatnonzero(rows), np.flatnonzero(cols)
    if not len(ys):
        return None
    return pygame.Rect(int(xs[0]), int(ys[0]), int(xs[-1] - xs[0]) + 1, int(ys[-1] - ys[0]) + 1)


def _not_sky(picture: pygame.Surface, sky: pygame.Surface):
    """Where ``picture`` is not ``sky`` (two surfaces of one size and format)."""
    w = picture.get_width()
    colour = np.uint32(_colour_bits(picture))
    return (np.bitwise_xor(words(picture)[:, :w], words(sky)[:, :w]) & colour) != 0
