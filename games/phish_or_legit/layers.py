"""A frame put together from a kept "still layer" and the few parts that move (issue 13).

Most of a Phish or Legit frame looks the same as the one before: the backdrop, the answer
buttons, the top bar, the banner. Drawing all of it every frame cost most of the frame's
2–4 ms. :class:`Compositor` keeps those *still parts* drawn on a layer of their own and
redraws one there only when its *look* (a small value that changes whenever its picture
does) changed; the *moving parts* (drawn above the still ones, in order) are drawn on
the frame itself, and an *over* part (a still part that lies above the moving ones, the
banner) is put back over whatever a moving part drew on it.

When the surface still holds the frame the compositor drew last (``kept``), only what
changed is touched: the still regions redrawn, and the moving parts whose look changed
(the old place restored from the still layer, the new one drawn), together with every
other moving part that overlaps a restored place (redrawn whole, never blended twice).
A still part may change in place (only the pieces of the top bar that changed, the
banner's words) and a moving part may be patched in place (the verdict drawn over a card
at rest) or say what it covers whole (nothing is restored under a card's opaque body).
What was touched is returned as rectangles that do not overlap, for the presenter to
compare only there (kiosk/booth/scenes/base.py ``Scene.damage``). Otherwise the whole
still layer is copied and every moving part drawn.

The picture is the same as drawing every part in order on the backdrop: the still layer
has the surface's pixel format (copying it is an exact copy), each still part only ever
draws inside its ``region`` and the regions do not overlap (else any change redraws the
whole layer), and a moving part draws only inside the bounds its ``draw`` returns (or its
fixed ``within``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import pygame

from games.kit.redraw import pixel_format
from games.kit.weak import held_weakly
from kiosk.ui.rects import outside

Look = Hashable  # None: nothing to draw (a moving part)


Update = Callable[[pygame.Surface, pygame.Surface, Look, Look], "list[pygame.Rect] | None"]


@dataclass
class StillPart:
    """A part of the still layer: draws ``look`` inside ``region`` (on the backdrop).

    ``update(layer, backdrop, old, new)``, when given, may turn the part as drawn with
    look ``old`` into the part with look ``new`` on the layer in place and return the
    areas it changed (inside ``region``), or return None to have the region drawn again
    from the backdrop (a part whose look changes only in a corner need not cost its
    whole region, here and in the presenter's comparison)."""

    region: pygame.Rect
    draw: Callable[[pygame.Surface, Look], object]
    update: Update | None = None


Patch = Callable[[pygame.Surface], list[pygame.Rect]]


@dataclass
class MovingPart:
    """A part drawn on the frame: ``draw`` returns the bounds of what it drew; ``within``,
    when given, is a fixed area it never leaves, used as its bounds instead.

    ``patch(old, new)``, when given, may return a way to turn the part as drawn with look
    ``old`` into the part with look ``new`` on the surface, in place, drawing over it (it
    returns the areas it drew over; the part's bounds grow by them), or None to have it
    drawn again. ``covers(look)``, when given, names areas where the part with that look
    replaces every pixel with one of its own, whatever lay under it: nothing there need
    be put back from the still layer before it is drawn (a card moving a few pixels
    would otherwise have its whole old place copied back, then drawn over)."""

    draw: Callable[[pygame.Surface, Look], pygame.Rect]
    within: pygame.Rect | None = None
    patch: Callable[[Look, Look], Patch | None] | None = None
    covers: Callable[[Look], list[pygame.Rect]] | None = None


@dataclass
class OverPart:
    """Which still part lies above the moving ones. ``solid``: areas of its region it
    covers completely, so the still layer's pixels there are its own whatever lies under
    it (put back by copying); elsewhere in ``region`` it is drawn again, clipped (by
    ``draw``, when the still part's own draw is only for the layer)."""

    index: int
    solid: Sequence[pygame.Rect]
    draw: Callable[[pygame.Surface, Look], object] | None = None  # else the still part's


class Compositor:
    """Draws frames from ``backdrop()`` (a surface of the frame's size), ``still`` parts
    (any order: their regions are disjoint), ``moving`` parts (bottom to top) and the
    ``over`` part; :meth:`draw` is given each part's look for this frame."""

    def __init__(
        self,
        backdrop: Callable[[], pygame.Surface],
        still: Sequence[StillPart],
        moving: Sequence[MovingPart],
        over: OverPart | None = None,
    ) -> None:
        # Held weakly (games/kit/weak.py): the parts are mostly their owner's methods, and
        # a finished round must be freed the moment it is let go, not by the collector.
        self.backdrop = held_weakly(backdrop)
        self.still = [(p.region, held_weakly(p.draw)) for p in still]
        self._updates = [None if p.update is None else held_weakly(p.update) for p in still]
        self.moving = [
            (m.within, held_weakly(m.draw), None if m.patch is None else held_weakly(m.patch))
            for m in moving
        ]
        self._covers = [None if m.covers is None else held_weakly(m.covers) for m in moving]
        self.over = None if over is None else OverPart(over.index, over.solid)
        self._over_draw = None if over is None or over.draw is None else held_weakly(over.draw)
        regions = [region for region, _ in self.still]
        self._disjoint = not any(
            a.colliderect(b) for i, a in enumerate(regions) for b in regions[i + 1 :]
        )
        self._layer: pygame.Surface | None = None
        self._base: pygame.Surface | None = None  # the backdrop the layer was built on
        self._still_looks: list[Look | None] = []  # None: not drawn (or being drawn)
        self._looks: list[Look | None] = [None] * len(self.moving)  # as last drawn
        self._bounds: list[pygame.Rect | None] = [None] * len(self.moving)
        self._drawn_on: pygame.Surface | None = None  # the surface of the last whole draw

    def moved(self, old: pygame.Surface, new: pygame.Surface) -> bool:
        """``new`` holds a copy of the frame drawn last on ``old``: the next draw on ``new``
        goes on from it. Returns whether ``old`` held the last frame (else nothing)."""
        same = old.get_size() == new.get_size() and pixel_format(old) == pixel_format(new)
        if self._drawn_on is not old or not same or new.get_flags() & pygame.SRCALPHA:
            return False
        self._drawn_on = new
        return True

    def draw(
        self,
        surface: pygame.Surface,
        still_looks: Sequence[Look],
        moving_looks: Sequence[Look | None],
        kept: bool = False,
    ) -> list[pygame.Rect] | None:
        """The frame on ``surface``. ``kept``: the surface holds nothing but the frame this
        compositor drew there last. Returns the rectangles this draw may have changed, or
        None if it drew everything."""
        drawn_on, self._drawn_on = self._drawn_on, None  # unknown until this draw ends
        changed = self._update_layer(surface, still_looks)
        layer = self._layer
        assert layer is not None
        patches: dict[int, Patch] = {}
        if changed is None or not kept or drawn_on is not surface:
            surface.blit(layer, (0, 0))
            areas = None
            redraw = set(range(len(self.moving)))
        else:
            areas, redraw, patches = self._to_redraw(changed, moving_looks)
            # Each pixel restored once: a card's old place mostly overlaps its new one.
            areas = disjoint(areas, surface.get_rect())
            covered = self._covered(redraw, moving_looks)
            for area in areas:
                for piece in _minus(area, covered):
                    surface.blit(layer, piece, piece)
        drawn: list[pygame.Rect] = []
        for i, (within, draw, _) in enumerate(self.moving):  # bottom to top
            look = moving_looks[i]
            patch = patches.get(i)
            if patch is not None:
                self._looks[i] = None
                over = patch(surface)
                drawn += over
                bounds = self._bounds[i]
                if within is None and bounds is not None:
                    self._bounds[i] = bounds.unionall(over)
                self._looks[i] = look
            elif i in redraw:
                self._looks[i] = self._bounds[i] = None
                if look is None:
                    continue
                bounds = _alive(draw)(surface, look)
                self._bounds[i] = within or bounds
                self._looks[i] = look
                drawn.append(bounds)
        self._put_over_back(surface, drawn)
        self._drawn_on = surface
        # Rectangles that do not overlap: each pixel compared and scaled once.
        return None if areas is None else disjoint(areas + drawn, surface.get_rect())

    def _covered(self, redraw: set[int], looks: Sequence[Look | None]) -> list[pygame.Rect]:
        """What the moving parts about to be drawn cover whole (see MovingPart.covers)."""
        covered: list[pygame.Rect] = []
        for i in redraw:
            covers, look = self._covers[i], looks[i]
            if covers is not None and look is not None:
                covered += _alive(covers)(look)
        return covered

    def _update_layer(
        self, surface: pygame.Surface, looks: Sequence[Look]
    ) -> list[pygame.Rect] | None:
        """Redraw the still parts whose look changed; their regions (None: all of it)."""
        base = _alive(self.backdrop)()
        layer = self._layer
        if (
            layer is None
            or base is not self._base
            or layer.get_size() != surface.get_size()
            or layer.get_masks() != surface.get_masks()
            or layer.get_bitsize() != surface.get_bitsize()
        ):
            layer = self._layer = pygame.Surface(surface.get_size(), 0, surface)
            self._base = base
            self._still_looks = [None] * len(self.still)
            changed = None
        else:
            stale = [i for i, look in enumerate(looks) if look != self._still_looks[i]]
            if self._disjoint or not stale:
                areas: list[pygame.Rect] = []
                for i in stale:
                    areas += self._change_still(i, looks[i])
                return areas
            changed = None
        layer.blit(base, (0, 0))
        for i in range(len(self.still)):
            self._draw_still(i, looks[i], None)
        return changed

    def _change_still(self, i: int, look: Look) -> list[pygame.Rect]:
        """Still part ``i`` turned to ``look`` on the layer: in place by its ``update`` if
        it can, else drawn again in its region; the areas that changed."""
        old, update, region = self._still_looks[i], self._updates[i], self.still[i][0]
        if update is not None and old is not None:
            self._still_looks[i] = None
            areas = _alive(update)(self._layer, self._base, old, look)
            if areas is not None:
                self._still_looks[i] = look
                return areas
        self._draw_still(i, look, region)
        return [region]

    def _draw_still(self, i: int, look: Look, region: pygame.Rect | None) -> None:
        layer, base = self._layer, self._base
        assert layer is not None and base is not None
        self._still_looks[i] = None
        if region is not None:
            layer.blit(base, region, region)
        _alive(self.still[i][1])(layer, look)
        self._still_looks[i] = look

    def _to_redraw(
        self, changed: list[pygame.Rect], looks: Sequence[Look | None]
    ) -> tuple[list[pygame.Rect], set[int], dict[int, Patch]]:
        """The places to restore from the still layer, the moving parts to draw again (in
        order: those whose look changed, and those lying on a restored place) and those
        patched in place instead (a changed part that can be, on no restored place and
        under no other moving part)."""
        areas = list(changed)
        redraw: set[int] = set()
        patches: dict[int, Patch] = {}
        for i, look in enumerate(looks):
            old = self._looks[i]
            if look == old:
                continue
            patch = self._patch(i, old, look)
            if patch is not None:
                patches[i] = patch
                continue
            redraw.add(i)
            bounds = self._bounds[i]
            if bounds is not None:
                areas.append(bounds)
        grown = True
        while grown:
            grown = False
            # A part that may land anywhere new is drawn under every part above it.
            free = [i for i in redraw if self.moving[i][0] is None]
            for i, bounds in enumerate(self._bounds):
                if i in redraw or bounds is None:
                    continue
                if bounds.collidelist(areas) != -1 or any(j < i for j in free):
                    redraw.add(i)
                    patches.pop(i, None)
                    areas.append(bounds)
                    grown = True
        return areas, redraw, patches

    def _patch(self, i: int, old: Look | None, new: Look | None) -> Patch | None:
        patch, bounds = self.moving[i][2], self._bounds[i]
        if patch is None or old is None or new is None or bounds is None:
            return None
        for j in range(i + 1, len(self.moving)):
            above = self._bounds[j]
            if above is not None and above.colliderect(bounds):
                return None  # drawn over it: the part above would need drawing again
        return _alive(patch)(old, new)

    def _put_over_back(self, surface: pygame.Surface, drawn: list[pygame.Rect]) -> None:
        """The over part again where a moving part was just drawn on it."""
        over, layer = self.over, self._layer
        if over is None or layer is None or not drawn:
            return
        region, draw = self.still[over.index]
        draw = self._over_draw or draw
        look = self._still_looks[over.index]
        for bounds in drawn:
            area = bounds.clip(region)
            if not area.w or not area.h:
                continue
            if any(s.contains(area) for s in over.solid):
                surface.blit(layer, area, area)
                continue
            clip = surface.get_clip()
            surface.set_clip(area.clip(clip))
            try:
                _alive(draw)(surface, look)
            finally:
                surface.set_clip(clip)


def disjoint(rects: list[pygame.Rect], bounds: pygame.Rect) -> list[pygame.Rect]:
    """``rects`` clipped to ``bounds`` and cut so that no two overlap: the same pixels,
    each in one rectangle."""
    out: list[pygame.Rect] = []
    for r in rects:
        r = r.clip(bounds)
        if r.w and r.h:
            out += _minus(r, out)
    return out


def _minus(area: pygame.Rect, holes: list[pygame.Rect]) -> list[pygame.Rect]:
    """``area`` but for ``holes``, as rectangles that do not overlap (most areas touch no
    hole: found in C)."""
    pieces = [area]
    for i in area.collidelistall(holes):
        pieces = [p for piece in pieces for p in outside(piece, holes[i])]
    return pieces


def _alive(held: Callable[[], Callable | None]) -> Callable:
    func = held()
    if func is None:
        raise ReferenceError("the compositor's owner is gone")
    return func
