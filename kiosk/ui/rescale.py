"""A picture kept smoothly scaled into another, rescaling only what changed, an axis at a time.

``smoothscale`` filters across first and then down, through a halfway picture (the source's
height, the destination's width). :class:`Rescaler` keeps that halfway picture from frame to
frame, so a changed rectangle of the source is filtered across for its own rows only, and
then down for its own columns only, each axis snapped to the blocks of that axis alone
(1920 → 1080 across is 16 → 9 pixels; 1080 → 608 down is 135 → 76). Scaling the same piece
both ways at once would snap it to whole blocks on both axes: a card's 40-row strip became
a 135-row band, and a few small moving things cost as much as the whole picture.

Shrinking averages whole blocks, so a snapped block lands on its own block of the
destination whatever is beside it (within a few levels of the whole picture: smoothscale's
fixed-point step is rounded, so its weights drift by a hair along a line). Enlarging
interpolates between neighbours at a step pygame sets from the line's length,
(n − 1) / m: a piece scaled on its own would land up to a pixel off. Given one source
pixel more than it covers, a piece steps exactly n / m, which is what the whole picture
here steps too (its last line repeated once), so enlarged pieces land exactly.

With ``rough_px`` set (the booth's presenter), a frame whose changed pieces cover that many
source pixels or more (a card being dragged or sliding in, not a few lights) has them
copied unfiltered (``transform.scale``: nearest pixel, a third of the filter's cost at
1440p): a thing in motion shows its edges a hair harder for those frames and nobody can
tell at 60 Hz. Those pieces are remembered and filtered again once the frame is quieter, a
share at a time (``REFILTER_PX`` a frame), so the picture at rest is the filtered one. The
halfway picture is stale under a rough part, so while there are any, each piece filtered
is first filtered across over every row its filtering down will read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pygame

from kiosk.ui.rects import join_overlapping
from kiosk.ui.rough import RoughTiles

WHOLE_SHARE = 0.6  # changed pieces covering more than this share of the source: scale it all
# Changed source pixels in a frame from which they are scaled unfiltered while they move
# (``rough_px`` for the booth's scalers): a dragged or sliding card, not a few lights.
ROUGH_PX = 120_000
REFILTER_PX = 160_000  # rough source pixels filtered again per quieter frame (< 1 ms)


@dataclass(frozen=True)
class Axis:
    """One axis of the scaling: ``n`` source pixels onto ``m`` destination pixels."""

    n: int
    m: int
    src_block: int = field(init=False)
    dst_block: int = field(init=False)

    def __post_init__(self) -> None:
        g = math.gcd(self.n, self.m)
        object.__setattr__(self, "src_block", self.n // g)
        object.__setattr__(self, "dst_block", self.m // g)

    @property
    def enlarges(self) -> bool:
        return self.m > self.n

    def snap(self, lo: int, hi: int, before: int = 0) -> tuple[int, int, int, int]:
        """Source span [lo, hi) grown to whole blocks (and ``before`` blocks more before it,
        within the picture): (source start, source end, destination start, end)."""
        a = max(0, lo // self.src_block - before)
        b = min(self.n // self.src_block, -(-hi // self.src_block))
        return a * self.src_block, b * self.src_block, a * self.dst_block, b * self.dst_block


class Rescaler:
    """Keeps a destination surface equal to a source surface smoothly scaled into it.

    ``update(source, dest, changed)``: rescale the ``changed`` rectangles of ``source`` into
    ``dest`` (everything on the first call, and when most of it changed); returns the
    rectangles of ``dest`` that were rewritten. Sizes are fixed per instance; the halfway
    picture is kept from call to call. A new ``dest`` needs a new Rescaler (or a whole
    ``changed``): only the changed pieces of the one it keeps are rewritten.
    """

    def __init__(
        self, source: tuple[int, int], dest: tuple[int, int], rough_px: int | None = None
    ) -> None:
        self.x = Axis(source[0], dest[0])
        self.y = Axis(source[1], dest[1])
        self.source_rect = pygame.Rect((0, 0), source)
        self.dest_rect = pygame.Rect((0, 0), dest)
        self._mid: pygame.Surface | None = None  # the source filtered across only
        self._ready = False  # the halfway picture holds the source (a whole pass was made)
        self.rough_px = rough_px
        # What was copied unfiltered, to be filtered again.
        self.rough = RoughTiles(source, (self.x.src_block, self.y.src_block))

    def update(
        self,
        source: pygame.Surface,
        dest: pygame.Surface,
        changed: list[pygame.Rect],
        rough: bool | None = None,
        refilter_px: int = REFILTER_PX,
    ) -> list[pygame.Rect]:
        """``rough``: copy the pieces unfiltered (None: when they cover ``rough_px`` or
        more); ``refilter_px``: how much of what was copied rough to filter again now."""
        mid = self._halfway(dest)
        areas = [a.clip(self.source_rect) for a in changed]
        areas = [a for a in areas if a.w and a.h]
        if not areas and not self.rough:
            return []
        px = sum(a.w * a.h for a in areas)
        share = px / (self.source_rect.w * self.source_rect.h)
        if share > WHOLE_SHARE or not self._ready:
            areas = [self.source_rect]
            self.rough.clear()
        elif rough or (rough is None and self.rough_px is not None and px >= self.rough_px):
            return [self._copy_rough(source, dest, a) for a in areas]
        # Under rough parts the halfway picture is stale: then each piece is filtered
        # across over every row its filtering down reads, and on its own (strips joined
        # into a box would read the box's corners too).
        exact = bool(self.rough)
        if exact and refilter_px > 0:
            areas = areas + self.rough.take(refilter_px)
        if not areas:
            return []
        if self.x.enlarges:
            return self._enlarge(source, mid, dest, areas, exact)
        if areas[0] == self.source_rect:
            pygame.transform.smoothscale(source, mid.get_size(), mid)
            pygame.transform.smoothscale(mid, dest.get_size(), dest)
            self._ready = True
            return [self.dest_rect.copy()]
        strips = []  # the halfway picture's rewritten rectangles, snapped to the down blocks
        for a in areas:
            s0, s1, d0, d1 = self.x.snap(a.left, a.right)
            y0, y1, _, _ = self.y.snap(a.top, a.bottom)
            top, h = (y0, y1 - y0) if exact else (a.top, a.h)
            _filter(source, (s0, top, s1 - s0, h), mid, (d0, top, d1 - d0, h))
            strips.append(pygame.Rect(d0, y0, d1 - d0, y1 - y0))
        written = []
        for strip in strips if exact else join_overlapping(strips):
            left, w = strip.left, strip.w
            s0, s1, d0, d1 = self.y.snap(strip.top, strip.bottom)
            _filter(mid, (left, s0, w, s1 - s0), dest, (left, d0, w, d1 - d0))
            written.append(pygame.Rect(left, d0, w, d1 - d0))
        return written

    def _copy_rough(
        self, source: pygame.Surface, dest: pygame.Surface, area: pygame.Rect
    ) -> pygame.Rect:
        """``area`` grown to whole blocks and copied nearest-pixel into ``dest``; it is
        remembered for filtering later. Returns the rewritten rectangle of ``dest``."""
        s0, s1, d0, d1 = self.x.snap(area.left, area.right)
        t0, t1, e0, e1 = self.y.snap(area.top, area.bottom)
        src = pygame.Rect(s0, t0, s1 - s0, t1 - t0)
        out = pygame.Rect(d0, e0, d1 - d0, e1 - e0)
        piece = dest.subsurface(out)
        pygame.transform.scale(source.subsurface(src), out.size, piece)
        # Enlarged, the block before the piece blends with its first line: filtered again
        # later as well.
        before = 1 if self.x.enlarges else 0
        x0, _, _, _ = self.x.snap(area.left, area.right, before=before)
        y0, _, _, _ = self.y.snap(area.top, area.bottom, before=before)
        self.rough.add(pygame.Rect(x0, y0, s1 - x0, t1 - y0))
        return out

    def _enlarge(
        self,
        source: pygame.Surface,
        mid: pygame.Surface,
        dest: pygame.Surface,
        areas: list[pygame.Rect],
        exact: bool = False,
    ) -> list[pygame.Rect]:
        """Across, then down, each piece from one block before it (a pixel there blends
        with the piece's first one). ``exact``: across over every row read going down
        (from a block before to the line after), each piece on its own."""
        strips = []
        for a in areas:
            s0, s1, d0, d1 = self.x.snap(a.left, a.right, before=1)
            y0, y1, _, _ = self.y.snap(a.top, a.bottom, before=1)
            rows = (y0, min(self.y.n, y1 + 1) - y0) if exact else (a.top, a.h)
            self._expand(self.x, source, mid, s0, s1, rows)
            strips.append(pygame.Rect(d0, y0, d1 - d0, y1 - y0))
        written = []
        for strip in strips if exact else join_overlapping(strips):
            self._expand(self.y, mid, dest, strip.top, strip.bottom, (strip.left, strip.w))
            _, _, d0, d1 = self.y.snap(strip.top, strip.bottom)
            written.append(pygame.Rect(strip.left, d0, strip.w, d1 - d0))
        self._ready = True
        return written

    def _expand(
        self,
        axis: Axis,
        source: pygame.Surface,
        dest: pygame.Surface,
        s0: int,
        s1: int,
        across: tuple[int, int],
    ) -> None:
        """Source lines [s0, s1) (whole blocks) of ``axis`` enlarged into ``dest``, over
        the span ``across`` of the other axis. pygame steps (k − 1)/m' through k source
        pixels: given the line after the piece as well, it steps exactly n/m, as the
        whole picture does; the last block has no line after it, so it gets its own last
        line twice, in a small copy."""

        def rect(lo: int, length: int) -> tuple[int, int, int, int]:
            if axis is self.x:
                return (lo, across[0], length, across[1])
            return (across[0], lo, across[1], length)

        n, m, block = axis.n, axis.m, axis.src_block
        end = min(s1, n - block)
        if end > s0:
            _filter(source, rect(s0, end - s0 + 1), dest, rect(s0 * m // n, (end - s0) * m // n))
        if s1 == n:
            size = rect(0, block + 1)[2:]
            edge = pygame.Surface(size, 0, source)
            edge.blit(source, (0, 0), rect(n - block, block))
            edge.blit(source, (block, 0) if axis is self.x else (0, block), rect(n - 1, 1))
            _filter(edge, (0, 0, *size), dest, rect(m - axis.dst_block, axis.dst_block))

    def _halfway(self, like: pygame.Surface) -> pygame.Surface:
        if self._mid is None or self._mid.get_masks() != like.get_masks():
            self._mid = pygame.Surface((self.x.m, self.y.n), 0, like)
            self._ready = False
        return self._mid


def _filter(source: pygame.Surface, area: tuple, dest: pygame.Surface, onto: tuple) -> None:
    """``area`` of ``source`` smoothly scaled onto ``onto`` of ``dest`` (one axis at a
    time here: the other keeps its size, so smoothscale needs no buffer of its own)."""
    piece = dest.subsurface(onto)
    pygame.transform.smoothscale(source.subsurface(area), piece.get_size(), piece)


def _spans(spans) -> list[tuple[int, int]]:
    """Overlapping or touching [start, end) spans joined."""
    out: list[list[int]] = []
    for lo, hi in sorted(spans):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]
