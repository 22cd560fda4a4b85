"""The carnival backdrop: a night-sky gradient, Central's skyline, and drifting data lights.

The static part is rendered once (per screen size and palette) and blitted; only a few
dozen small lights move, so every screen stays far inside its frame budget. The lights are
drawn last (``draw_lights``) and only where the screen still shows bare sky, so they never
sit on or between the letters of a headline, a card or a button. In high contrast
(theme.use_high_contrast) the backdrop is plain and the lights stay off.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Callable, Hashable
from functools import partial

import pygame

from kiosk import DESIGN_SIZE
from kiosk.background import Background, Lane
from kiosk.ui import lit_ahead, theme
from kiosk.ui.lit_ahead import Paint, Patch

try:
    import numpy as np
except ImportError:  # pragma: no cover - the booth extra installs numpy
    np = None  # type: ignore[assignment]

Light = tuple[float, float, float, int, theme.RGB]
_static: dict[tuple[int, int, bool], pygame.Surface] = {}
_lights: dict[tuple[int, int], list[Light]] = {}  # one set per screen size (orientation)
# A surface viewed as an array is locked, and a blit from it fails: workers paint screens
# too (drawn ahead), so nothing blits from the backdrop while the frame thread views it.
_sky_viewed = threading.Lock()
LIGHT_CLEARANCE = 6  # px of bare sky a light keeps around itself
MASK_ROWS = 64  # rows of a still picture compared with the sky at a time
# Rows of a new still picture whose sky is found per frame, from its second frame on:
# found whole in its first, 1 ms of the first frame of thanks and attract at 2560x1440;
# meanwhile each light's square is compared with the sky on the canvas itself.
MASK_ROWS_PER_FRAME = 4 * MASK_ROWS
# A picture made ahead is asked for this long after the last change: not beside the frames
# just after it, which show it in slices at 4K (kiosk/ui/slicing.py) and have the least
# room for a worker at their side (the worker's memory traffic slowed them 1-3 ms).
ASK_AFTER_S = 0.5


def _make_lights(size: tuple[int, int] = DESIGN_SIZE) -> list[Light]:
    rng = random.Random(36)  # fixed, so screenshots are repeatable
    colours = (theme.SUN, theme.MINT, theme.SKY, theme.CORAL)
    w, h = size
    return [
        (
            rng.random() * w,
            rng.random() * (h - 320) + 20,
            12 + rng.random() * 30,
            3 + (i % 4) * 2,
            colours[i % 4],
        )
        for i in range(36)
    ]


def lights_for(size: tuple[int, int]) -> list[Light]:
    """The lights scattered over a screen of ``size``."""
    if size not in _lights:
        _lights[size] = _make_lights(size)
    return _lights[size]


def _build_static(size: tuple[int, int]) -> pygame.Surface:
    w, h = size
    surf = pygame.Surface(size)
    if theme.high_contrast:
        surf.fill(theme.BACKGROUND)
        return surf
    top, bottom = theme.NAVY, (22, 46, 86)
    for y in range(h):
        k = y / h
        colour = tuple(round(a + (b - a) * k) for a, b in zip(top, bottom, strict=True))
        pygame.draw.line(surf, colour, (0, y), (w, y))
    rng = random.Random(2019)
    x = 0
    skyline = (20, 40, 74)
    while x < w:
        bw = rng.randint(60, 150)
        bh = rng.randint(90, 300)
        pygame.draw.rect(surf, skyline, (x, h - bh, bw - 6, bh))
        if rng.random() < 0.3:  # a spire, as on IFC and the Bank of China tower
            pygame.draw.polygon(
                surf, skyline, [(x, h - bh), (x + bw // 2, h - bh - 60), (x + bw - 6, h - bh)]
            )
        for wy in range(h - bh + 20, h - 10, 34):
            for wx in range(x + 12, x + bw - 18, 26):
                if rng.random() < 0.35:
                    surf.fill((44, 72, 118), (wx, wy, 10, 14))
        x += bw
    return surf


def static_backdrop(size: tuple[int, int]) -> pygame.Surface:
    """The still part of the backdrop for a screen of ``size`` in the current palette."""
    key = (*size, theme.high_contrast)
    surf = _static.get(key)
    if surf is None:
        surf = _static[key] = _build_static(size)
    if not theme.high_contrast and len(_static) > 1:
        # A high-contrast visitor's plain backdrop (8 MB) is not kept past their visit: it
        # is one fill to make again; the sky is kept, it takes far longer to draw.
        for other in [k for k in _static if k[2]]:
            del _static[other]
    return surf


def draw_backdrop(surface: pygame.Surface, t: float = 0.0) -> None:
    """The sky and skyline; screens with drifting lights add ``draw_lights`` after their text."""
    sky = static_backdrop(surface.get_size())
    with _sky_viewed:
        surface.blit(sky, (0, 0))


def backdrop_part(size: tuple[int, int], box: pygame.Rect, like: pygame.Surface) -> pygame.Surface:
    """The backdrop of a ``size`` screen in ``box``, on a surface of its own like ``like``."""
    part = pygame.Surface(box.size, 0, like)
    sky = static_backdrop(size)
    with _sky_viewed:
        part.blit(sky, (0, 0), box)
    return part


def light_positions(t: float, size: tuple[int, int] = DESIGN_SIZE) -> list[tuple[int, int, int]]:
    """Where each light of a ``size`` screen is at ``t``: (x, y, radius)."""
    out = []
    for i, (x0, y0, speed, r, _) in enumerate(lights_for(size)):
        x = (x0 + t * speed) % size[0]
        y = y0 + math.sin(t * 0.6 + i) * 18
        out.append((round(x), round(y), r))
    return out


def draw_lights(surface: pygame.Surface, t: float) -> None:
    """The drifting lights, each only where the screen around it is still bare backdrop.

    Called after the screen's text and buttons: a light whose square (plus a margin) shows
    anything but the backdrop is skipped for this frame, so it passes behind content
    instead of sparkling between letters. 36 small byte compares, a few µs each.
    """
    if theme.high_contrast:
        return
    sky = static_backdrop(surface.get_size())
    _place_lights(surface, t, lambda box, _drawn: _pixels(surface, box) == _pixels(sky, box))


def _place_lights(
    surface: pygame.Surface,
    t: float,
    bare: Callable[[pygame.Rect, list[pygame.Rect]], bool],
) -> list[pygame.Rect | None]:
    """Draws each light whose box ``bare(box, drawn so far)`` says is bare sky; returns per
    light the area it painted (a margin round its circle), None where it was skipped."""
    bounds = surface.get_rect()
    lights = lights_for(bounds.size)
    drawn: list[pygame.Rect] = []
    out: list[pygame.Rect | None] = []
    for (x, y, r), light in zip(light_positions(t, bounds.size), lights, strict=True):
        box = pygame.Rect(x - r, y - r, 2 * r + 1, 2 * r + 1).inflate(
            2 * LIGHT_CLEARANCE, 2 * LIGHT_CLEARANCE
        )
        box = box.clip(bounds)
        if not box.w or not box.h or not bare(box, drawn):
            out.append(None)
            continue
        pygame.draw.circle(surface, light[4], (x, y), r)
        # The circle's own pixels lie inside this; a margin costs nothing to repaint.
        painted = pygame.Rect(x - r - 1, y - r - 1, 2 * r + 3, 2 * r + 3).clip(bounds)
        drawn.append(painted)
        out.append(painted)
    return out


def _pixels(surface: pygame.Surface, box: pygame.Rect) -> bytes:
    return pygame.image.tobytes(surface.subsurface(box), "RGB")


Moving = list[tuple[pygame.Rect, Hashable]]


class _Still:
    """Where the still picture of one canvas size (the screen without its lights) differs
    from the bare sky; one per size, shared by the screens that use it in turn.

    The picture itself is not kept: a light stands only on bare sky, so the backdrop is
    what it covered (8 MB less at rest: issue 13's 150 MB at 4K)."""

    def __init__(self, like: pygame.Surface) -> None:
        # The canvas's pixel format, for what workers paint: not the canvas itself (the
        # display surface at some sizes, which a worker must not hold).
        self.sample = pygame.Surface((1, 1), 0, like)
        self.owner: object | None = None
        # Where it is not bare sky, a bit per pixel (numpy uint8 (rows, columns / 8), the
        # first column in the top bit), or None (no numpy). A bool per pixel was 2 MB.
        self.covered = None
        self._sky = None  # the backdrop in the canvas's pixel format
        self._sky_key: tuple | None = None
        self.version = 0  # counts the pictures taken: a patch made for another is stale
        self._next_row: int | None = None  # the next row ``take_rows`` takes, if any

    def take(self, owner: object, canvas: pygame.Surface) -> None:
        """``canvas`` (drawn without lights) is ``owner``'s still picture: find its sky."""
        self.begin(owner, canvas)
        self.take_rows(canvas, canvas.get_height())

    def begin(self, owner: object, canvas: pygame.Surface) -> None:
        """``canvas`` (drawn without lights) is ``owner``'s still picture: its sky is found
        by ``take_rows``, some rows at a time, each time the canvas shows it again (lights
        off); ``covered`` is None until all are."""
        self.owner = owner
        self.version += 1
        self.covered = None
        self._next_row = None
        if not lit_ahead.usable(canvas) or theme.high_contrast:
            return
        w, h = canvas.get_size()
        key = (w, h, canvas.get_masks())
        if self._sky_key != key:
            sky = static_backdrop((w, h))
            if sky.get_masks() != canvas.get_masks() or sky.get_bitsize() != 32:
                sky = pygame.Surface((w, h), 0, canvas)  # a copy in the canvas's format
                sky.blit(static_backdrop((w, h)), (0, 0))
            self._sky, self._sky_key = sky, key
            # Kept, not made per picture: blocks this big are mapped afresh each time.
            self._diff = np.empty((MASK_ROWS, w), dtype=np.uint32)
            self._differs = np.empty((MASK_ROWS, w), dtype=bool)
            self._covered = np.empty((h, -(-w // 8)), dtype=np.uint8)
        self._next_row = 0

    def take_rows(self, canvas: pygame.Surface, rows: int) -> None:
        """The sky of up to ``rows`` more rows of the still picture ``canvas`` shows now."""
        if self._next_row is None:
            return
        w, h = canvas.get_size()
        start, end = self._next_row, min(h, self._next_row + rows)
        r, g, b, _ = canvas.get_masks()
        colour = np.uint32(r | g | b)  # only the colour bits: a canvas's unused byte may differ
        with _sky_viewed:
            still, sky = lit_ahead.words(canvas), lit_ahead.words(self._sky)
            for y in range(start, end, MASK_ROWS):  # a few rows at a time: a small buffer
                y1 = min(end, y + MASK_ROWS)
                diff = self._diff[: y1 - y]
                np.bitwise_xor(still[y:y1, :w], sky[y:y1, :w], out=diff)
                np.bitwise_and(diff, colour, out=diff)
                differs = self._differs[: y1 - y]
                np.not_equal(diff, 0, out=differs)
                self._covered[y:y1] = np.packbits(differs, axis=1)
            del still, sky  # (the views: the canvas and backdrop are blitted again once gone)
        self._next_row = end if end < h else None
        if self._next_row is None:
            self.covered = self._covered

    def bare(self, box: pygame.Rect) -> bool:
        """Whether the still picture shows only sky in ``box`` (requires ``covered``)."""
        first, end = box.left >> 3, (box.right + 7) >> 3
        seen = np.bitwise_or.reduce(self.covered[box.top : box.bottom, first:end], axis=0)
        seen[0] &= 0xFF >> (box.left & 7)  # the first byte's columns left of the box
        last = box.right - 8 * (end - 1)  # columns of the last byte inside the box: 1-8
        seen[-1] &= (0xFF << (8 - last)) & 0xFF
        return not seen.any()

    def patch(self, patch: Patch) -> None:
        """The sky mask as ``patch`` (made for this picture) says the next picture's is."""
        self.version += 1
        if self._next_row is not None:  # still being taken: from the top, of this picture
            self._next_row = 0
        box = patch.box
        if box is None or self.covered is None or patch.covered is None:
            return
        # The mask is 8 columns to a byte: the box's bytes are unpacked, written, packed.
        first, end = box.left >> 3, (box.right + 7) >> 3
        rows = self.covered[box.top : box.bottom, first:end]
        bits = np.unpackbits(rows, axis=1).view(bool)
        bits[:, box.left - 8 * first : box.right - 8 * first] = patch.covered_rows()
        rows[:] = np.packbits(bits, axis=1)


_stills: dict[tuple[int, int], _Still] = {}
# What comes next on a lit screen, painted by a worker: (the look, its paint, the paint of
# the picture shown now), both paints fixed in time, for frames go on meanwhile; None when
# nothing changes by itself.
Coming = Callable[[pygame.Surface], tuple[Hashable, Paint, Paint] | None]
_ahead = Lane("lit-ahead", "drawing a lit screen's next picture ahead")


def wait_for_ahead(timeout_s: float = 10.0) -> None:
    """Block until a picture being made ahead is done (tests, benchmarks, before exit)."""
    _ahead.wait(timeout_s)


class LitScreen:
    """A mostly still screen with drifting lights, drawn on a kept canvas (issue 13).

    The screen's picture without its lights (``paint``) is drawn whole only when its
    ``look`` changes or the canvas was drawn over; where it is bare sky is kept (a mask).
    Other frames repaint only: each light's old place (from the backdrop: a light stands
    only where the picture is bare sky), each ``moving`` area whose state changed
    (``paint`` clipped to it: what moves, a pulse or a counter, drawn as a whole draw
    would), and each light's new place. Where a light may stand is decided from the sky
    mask, read from the canvas only where a moving area or a light drawn before it is
    near (the mask is not redone for them). The picture is the same, pixel for pixel, as
    ``paint`` followed by ``draw_lights``; ``draw`` returns what changed (None: all).

    A screen whose look changes by itself (attract: the game it names) says what comes
    (``coming``): a worker then makes, in a quiet frame, the patch that turns the picture
    shown now into the next one (kiosk/ui/lit_ahead.py), and the frame of the change only
    copies it, repaints the moving areas and moves the lights. A patch not ready, or made
    for another picture, look or moving areas, is not used: the frame paints whole.
    """

    def __init__(self) -> None:
        self._look: Hashable | None = None
        self._states: list[Hashable] = []
        self._lights: list[pygame.Rect | None] = []
        self._on: pygame.Surface | None = None  # the surface drawn on last (a test's own)
        self._patch: Background[Patch] | None = None  # the next picture, being made
        self._asked: tuple[Hashable, int] | None = None  # the picture it was asked for
        self._since = 0.0  # the time of the last change of look
        self.patched = 0  # changes of look drawn from a patch made ahead (for tests)

    def draw(
        self,
        surface: pygame.Surface,
        t: float,
        kept: bool,
        look: Hashable,
        paint: Paint,
        moving: Callable[[], Moving] = list,
        coming: Coming | None = None,
    ) -> list[pygame.Rect] | None:
        """``kept``: the canvas holds this screen's last frame; ``look``: everything the
        still picture depends on; ``moving``: the areas that change by themselves, each
        with the state drawn there (asked after ``paint``); ``coming``: what the look
        changes to next by itself, if it does."""
        size = surface.get_size()
        still = _stills.get(size)
        if still is None or still.sample.get_bitsize() != surface.get_bitsize():
            still = _stills[size] = _Still(surface)
        mine = kept and still.owner is self and surface is self._on
        if mine:  # last frame's lights off first: what is drawn next goes over them
            with _sky_viewed:
                sky = static_backdrop(size)
                for spot in self._lights:
                    if spot is not None:
                        surface.blit(sky, spot, spot)
            # The canvas shows the still picture again: some more of its sky found.
            still.take_rows(surface, MASK_ROWS_PER_FRAME)
        areas: Moving | None = None
        changed: list[pygame.Rect] | None = None
        if mine and look != self._look:
            areas = moving()
            changed = self._patched(surface, still, look, areas)
        if changed is None and (not mine or look != self._look):
            self._look = None  # (a paint that fails leaves nothing kept)
            paint(surface)
            still.begin(self, surface)  # (its sky found over the next frames)
            self._states = [state for _, state in moving()]
            self._lights = self._place(surface, t, still, [])
            self._look, self._on, self._since = look, surface, t
            return None
        fresh = changed is not None  # a patch went in: every moving area is painted again
        changed = changed or []
        areas = moving() if areas is None else areas
        for i, (area, state) in enumerate(areas):
            if fresh or state != self._states[i]:
                _clipped(surface, area, paint)
                self._states[i] = state
                changed.append(area)
        lights = self._place(surface, t, still, [a for a, _ in areas])
        for old, new in zip(self._lights, lights, strict=True):
            if old == new:
                continue
            if old is None or new is None:
                changed.append(old or new)
            elif old.colliderect(new):  # moved a pixel: both in one
                changed.append(old.union(new))
            else:  # across the screen's edge, from one side to the other
                changed += [old, new]
        self._lights = lights
        if fresh:
            self._since = t
        elif coming is not None and t - self._since >= ASK_AFTER_S:  # a quiet frame
            self._ask(surface, still, coming, areas)
        return changed

    def _patched(
        self, surface: pygame.Surface, still: _Still, look: Hashable, areas: Moving
    ) -> list[pygame.Rect] | None:
        """The kept picture and the canvas turned into ``look``'s by the patch made ahead:
        what changed; None if there is no patch for this change (then all is painted)."""
        job, self._patch, self._asked = self._patch, None, None
        patch = job.result_or_none() if job is not None else None
        if (
            patch is None
            or patch.look != look
            or patch.basis != (self._look, still.version)
            or patch.moving != tuple(area for area, _ in areas)
            or (still.covered is not None and patch.box is not None and patch.covered is None)
        ):
            return None
        still.patch(patch)
        self._look = look
        self.patched += 1
        if patch.box is None or patch.picture is None:
            return []
        surface.blit(patch.picture, patch.box)
        return [patch.box]

    def _ask(self, surface: pygame.Surface, still: _Still, coming: Coming, areas: Moving) -> None:
        """Start making the patch to the next picture, once per kept picture."""
        basis = (self._look, still.version)
        if self._asked == basis or not lit_ahead.usable(surface):
            return
        what = coming(surface)
        if what is None:
            self._asked = basis  # nothing changes by itself
            return
        look, coming_paint, now_paint = what
        sky = None
        if still.covered is not None:  # the mask is kept: the patch brings its part
            sky = partial(backdrop_part, surface.get_size(), like=still.sample)
        moving = tuple([area.copy() for area, _ in areas])
        job = _ahead.start(
            lit_ahead.make_patch, look, basis, now_paint, coming_paint, surface.get_size(),
            still.sample, sky,
            moving, if_idle=True,
        )  # fmt: skip
        if job is not None:  # else another screen's is being made: asked again next frame
            self._patch, self._asked = job, basis

    def _place(
        self, surface: pygame.Surface, t: float, still: _Still, moving: list[pygame.Rect]
    ) -> list[pygame.Rect | None]:
        if theme.high_contrast:
            return [None] * len(lights_for(surface.get_size()))
        sky = static_backdrop(surface.get_size())

        def bare(box: pygame.Rect, drawn: list[pygame.Rect]) -> bool:
            near = box.collidelist(moving) != -1 or box.collidelist(drawn) != -1
            if still.covered is None or near:  # the canvas itself, as draw_lights reads it
                return _pixels(surface, box) == _pixels(sky, box)
            return still.bare(box)

        return _place_lights(surface, t, bare)


def _clipped(surface: pygame.Surface, area: pygame.Rect, paint: Paint) -> None:
    clip = surface.get_clip()
    surface.set_clip(area.clip(clip))
    try:
        paint(surface)
    finally:
        surface.set_clip(clip)
