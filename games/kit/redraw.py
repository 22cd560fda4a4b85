"""Redraw only what changed: a game's frame as its backdrop and keyed pieces drawn over it.

Most of a game's frame looks the same from one frame to the next (the flat's tiles, the
bins, the meter's labels); drawing all of it every frame (a whole-canvas backdrop blit,
dozens of rounded rectangles and texts) cost 2-4 ms a frame. Here a frame is the backdrop
and, over it, a list of :class:`Piece` in drawing order. Each piece has a ``name`` (the
same piece from frame to frame), a ``rect`` covering every pixel its draw may touch, and a
``key``: everything else its pixels depend on (its state, a pulse's radius …).

When the surface still holds the frame drawn last (``kept``), only the rectangles of pieces
that changed, appeared, went or moved in the order are painted again, each whole: the
backdrop under it, then every piece touching it in order, clipped to it. Inside a clip a
blit or a ``pygame.draw`` call writes what it writes unclipped, so the surface ends byte
for byte as a whole redraw would leave it (tests/test_redraw.py and each game's round
compare every frame). The rectangles painted are the draw's damage (``Scene.damage``):
only there may the picture differ from the last one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import NamedTuple

import pygame

MERGE_SLACK = 1.3  # two rects become their union when it is at most this much larger
KEPT_BYTES = 16 << 20  # still pieces' pictures kept, all looks together


class Piece(NamedTuple):
    """One part of the frame: ``draw(surface)`` touches no pixel outside ``rect``.

    ``still``: worth keeping as a picture (a bin, a tile: costly to draw, seldom changed).
    Where nothing before it in the frame overlaps it, its pixels are the backdrop and its
    own draw alone: they are copied once drawn whole and blitted back while its key and
    rect stay the same, instead of drawn again under a moving piece.
    """

    name: Hashable
    key: Hashable
    rect: pygame.Rect
    draw: Callable[[pygame.Surface], None]
    still: bool = False


class Redraw:
    """Draws a frame's pieces over a backdrop, repainting only what changed since the last
    frame it drew on the same surface."""

    def __init__(self) -> None:
        self._last: dict[Hashable, tuple[Hashable, tuple[int, int, int, int]]] = {}
        self._order: list[Hashable] = []
        self._surface: pygame.Surface | None = None
        # Still pieces' pictures by (name, key, rect), for one backdrop and surface, the
        # least recently used dropped past KEPT_BYTES: a bin shows a few looks in turn.
        self._kept: OrderedDict[Hashable, pygame.Surface] = OrderedDict()
        self._kept_bytes = 0
        self._kept_for: tuple[pygame.Surface, tuple] | None = None

    def moved(self, old: pygame.Surface, new: pygame.Surface) -> bool:
        """``new`` holds a copy of the frame drawn last on ``old``: the next draw on ``new``
        goes on from it. Returns whether ``old`` held the last frame (else nothing)."""
        same = old.get_size() == new.get_size() and pixel_format(old) == pixel_format(new)
        if self._surface is not old or not same:
            return False
        self._surface = new
        return True

    def forget(self) -> None:
        """The next draw paints everything (the surface was drawn over)."""
        self._surface = None

    def draw(
        self,
        surface: pygame.Surface,
        backdrop: pygame.Surface,
        pieces: Sequence[Piece],
        kept: bool,
    ) -> list[pygame.Rect] | None:
        """Paint the frame; returns the rectangles painted, or None when everything was
        (a surface not kept: what it held before is not known)."""
        last, order = self._last, self._order
        now = {p.name: (p.key, tuple(p.rect)) for p in pieces}
        names = [p.name for p in pieces]
        whole = not kept or surface is not self._surface or len(now) != len(pieces)
        # Forgotten until the paint is done: a piece that fails leaves the surface unknown.
        self._last, self._order, self._surface = now, names, None
        # Pictures over another backdrop or in another pixel format are of no use. Another
        # surface of the same format may use them: a round drawn ahead on a scratch surface
        # (kiosk/booth/pregame.py) leaves its first frame on the canvas only blits to do.
        if (backdrop, pixel_format(surface)) != self._kept_for:
            self._kept.clear()
            self._kept_bytes, self._kept_for = 0, (backdrop, pixel_format(surface))
        alone = _alone(pieces)
        if whole:
            surface.blit(backdrop, (0, 0))
            for i, piece in enumerate(pieces):
                self._paint(surface, piece, i in alone, whole=True)
            self._surface = surface
            return None if not kept else [surface.get_rect()]
        dirty: list[pygame.Rect] = []
        # Two pieces that swapped places in the order may cover each other differently
        # (a card picked up is drawn last): the fewest pieces whose moves explain the new
        # order are painted again at both places, which holds wherever they overlap
        # anything (repainting everything cost a whole frame's paint and compare).
        for name in moved([n for n in order if n in now], [n for n in names if n in last]):
            dirty += [pygame.Rect(last[name][1]), pygame.Rect(now[name][1])]
        for name, (key, rect) in now.items():
            before = last.get(name)
            if before is None:
                dirty.append(pygame.Rect(rect))
            elif before != (key, rect):
                dirty.append(pygame.Rect(rect))
                if before[1] != rect:
                    dirty.append(pygame.Rect(before[1]))
        for name, (_, rect) in last.items():
            if name not in now:
                dirty.append(pygame.Rect(rect))
        areas = merge(dirty, surface.get_rect())
        clip = surface.get_clip()
        try:
            for area in areas:
                surface.set_clip(area)
                surface.blit(backdrop, area, area)
                for i, piece in enumerate(pieces):
                    if piece.rect.colliderect(area):
                        self._paint(surface, piece, i in alone, area.contains(piece.rect))
        finally:
            surface.set_clip(clip)
        self._surface = surface
        return areas

    def _paint(self, surface: pygame.Surface, piece: Piece, alone: bool, whole: bool) -> None:
        """Draw ``piece`` (``whole``: all of its rect is being painted), from its kept
        picture when it has one that shows the same."""
        if not alone:
            piece.draw(surface)
            return
        look = (piece.name, piece.key, tuple(piece.rect))
        kept = self._kept.get(look)
        if kept is not None:
            self._kept.move_to_end(look)
            surface.blit(kept, piece.rect)
            return
        piece.draw(surface)
        if whole and surface.get_rect().contains(piece.rect):
            # The backdrop and this piece alone are under its rect now.
            picture = surface.subsurface(piece.rect).copy()
            self._kept[look] = picture
            self._kept_bytes += picture.get_pitch() * picture.get_height()
            while self._kept_bytes > KEPT_BYTES and len(self._kept) > 1:
                _, old = self._kept.popitem(last=False)
                self._kept_bytes -= old.get_pitch() * old.get_height()


def pixel_format(surface: pygame.Surface) -> tuple:
    """What a picture copied from ``surface`` blits back like (its bits, channels, alpha)."""
    return surface.get_bitsize(), surface.get_masks(), surface.get_flags() & pygame.SRCALPHA


def moved(before: list[Hashable], after: list[Hashable]) -> list[Hashable]:
    """The names of ``after`` outside a longest run in the order they have in ``before``
    (the same names): of any two parts whose order changed, at least one is here."""
    if before == after:
        return []
    place = {name: i for i, name in enumerate(before)}
    seq = [place[name] for name in after]
    tails: list[int] = []  # tails[k]: index in seq ending the best run of length k + 1
    back = [-1] * len(seq)
    for i, v in enumerate(seq):
        k = bisect_left([seq[t] for t in tails], v)
        back[i] = tails[k - 1] if k else -1
        if k == len(tails):
            tails.append(i)
        else:
            tails[k] = i
    keep = set()
    i = tails[-1] if tails else -1
    while i >= 0:
        keep.add(i)
        i = back[i]
    return [name for i, name in enumerate(after) if i not in keep]


def _alone(pieces: Sequence[Piece]) -> set[int]:
    """The still pieces nothing drawn before them overlaps."""
    rects = [p.rect for p in pieces]
    return {i for i, p in enumerate(pieces) if p.still and p.rect.collidelist(rects[:i]) == -1}


def merge(rects: list[pygame.Rect], bounds: pygame.Rect) -> list[pygame.Rect]:
    """``rects`` clipped to ``bounds``, overlapping ones (and neighbours whose union is not
    much larger than the two) joined: each is painted once, backdrop and pieces."""
    out: list[pygame.Rect] = []
    for r in rects:
        r = r.clip(bounds)
        if not (r.w and r.h):
            continue
        joined = True
        while joined:
            joined = False
            for i, o in enumerate(out):
                u = r.union(o)
                if r.colliderect(o) or u.w * u.h <= MERGE_SLACK * (r.w * r.h + o.w * o.h):
                    r = u
                    del out[i]
                    joined = True
                    break
        out.append(r)
    return out


def bounds(*rects: pygame.Rect | tuple[float, float, float, float]) -> pygame.Rect:
    """The smallest whole-pixel rect holding ``rects`` (float ones rounded outwards, a
    pixel more each side: ``pygame.draw`` rounds float corners either way)."""
    out: pygame.Rect | None = None
    for r in rects:
        if isinstance(r, pygame.Rect):
            whole = r
        else:
            x, y, w, h = r
            whole = pygame.Rect(int(x) - 1, int(y) - 1, int(w) + 3, int(h) + 3)
        out = whole.copy() if out is None else out.union(whole)
    return out if out is not None else pygame.Rect(0, 0, 0, 0)


def circle_rect(centre: tuple[float, float], radius: float) -> pygame.Rect:
    """What ``pygame.draw.circle`` at ``centre`` with ``radius`` may touch."""
    cx, cy = round(centre[0]), round(centre[1])
    r = int(radius) + 2
    return pygame.Rect(cx - r, cy - r, 2 * r + 1, 2 * r + 1)
