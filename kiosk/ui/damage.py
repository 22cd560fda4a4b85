"""What changed on the canvas since the last frame, as a few rectangles.

Scenes redraw the whole canvas every frame, but on most screens only a few small things move
(the attract screen's lights, a countdown, a card being dragged). Copying, scaling and
pushing only the changed rectangles is what keeps a 4K or software-rendered screen cheap.

The comparison is done with numpy over the canvas pixels against a copy of the last frame,
two pixels per 64-bit word, reduced to tiles of ``BAND`` rows × ``TILE`` columns (40 divides
both 1920 and 1080, so the landscape and the portrait canvas tile exactly); adjacent
changed tiles in a band are merged into one run, and each run is reported shrunk to the
rows and 2-pixel columns that really differ (a small light is rescaled as itself, not as
the tiles it touches). The comparison writes into buffers
kept from frame to frame: the kiosk's allocator (kiosk/booth/memory.py) maps and unmaps
every block over 256 kB, so a fresh 1 MB result per frame cost more than the comparison
itself (1.9 ms against 0.8 ms a frame at 1366×768). Most bands of most frames have not
changed: each band is first checked with the C library's ``memcmp`` (it reads both copies
once and stops at the first difference, about twice as fast as numpy writing a result for
every word), and only runs of changed bands are compared word by word. Without numpy (or on
a surface that is not 32-bit) every frame is reported as fully changed, which is always
correct; without a ``memcmp`` every band is compared word by word.

A scene that knows what its draw changed says so (kiosk/booth/scenes/base.py's
``Scene.damage``); then only the tiles those rectangles touch are compared (or, when they
touch much of the canvas, the bands), and the rest of the canvas is not read at all. A
frame that drew a new screen says so with :class:`Redrawn`: it is taken as changed
everywhere without a compare (the kept copy only refreshed).
"""

from __future__ import annotations

import ctypes

import pygame

from kiosk.background import Background

try:
    import numpy as np
except ImportError:  # pragma: no cover - the booth extra installs numpy
    np = None  # type: ignore[assignment]

try:
    _memcmp = ctypes.CDLL(None).memcmp
    _memcmp.restype = ctypes.c_int
    _memcmp.argtypes = (ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)
except (OSError, AttributeError):  # pragma: no cover - no C library to ask (not Linux)
    _memcmp = None

BAND = 40  # rows per band
TILE = 40  # pixels per tile column (even: whole 2-pixel words)
WORDS = TILE // 2
GAP = 3  # changed tiles this close in a band are copied as one rectangle
WHOLE_SHARE = 0.6  # bands, then sampled tiles, changed beyond this share: reported whole
MAX_RECTS = 48  # more than this and one rectangle per band is cheaper than many small ones
# Reported rectangles touching at most this share of the tiles have those tiles compared;
# beyond it, whole bands (their quick equal check pays off on large reports). Below
# WHOLE_SHARE: a report this small never has the frame taken for a new screen.
SPOTS_SHARE = 0.25


class Redrawn(list):
    """A report that the whole canvas was drawn anew (a new screen's first frame): taken
    as changed everywhere, not compared. Comparing found what differs from the screen
    before, 1-2.6 ms of that frame (the whole canvas read twice, then dozens of bands
    shrunk in Python), while the presenter puts the picture on a slice at a time
    (kiosk/ui/slicing.py) whatever its size. Anything added to it makes a plain list: a
    report compared as usual."""

    def __init__(self, surface: pygame.Surface) -> None:
        super().__init__([surface.get_rect()])


class Damage:
    """``changed(surface)``: the rectangles that differ from the previous call's surface."""

    def __init__(self) -> None:
        self._prev = None  # numpy array (rows, words) of the last frame
        self._shape: tuple[int, int, int] | None = None
        self._ne = None  # numpy bool array (rows, words): which words differ
        self._bands = None  # numpy bool array (bands, words): which words differ in a band
        self._kept = None  # the last frame's buffer, reused after reset()
        self._making: Background[tuple] | None = None  # buffers made ahead (see prepare)

    @property
    def holding(self) -> bool:
        """Whether a copy of the last frame is kept (8 MB at 1080p, a bit more with the
        comparison's own buffers)."""
        return self._shape is not None

    def release(self) -> None:
        """Let every buffer go: the next call reports everything and makes them again."""
        self._prev = self._kept = self._ne = self._bands = None
        self._shape = None
        self._making = None

    def prepare(self, surface: pygame.Surface) -> None:
        """Make the buffers for ``surface`` in a worker, their pages touched there, for
        :meth:`adopt`. Made in a frame, their fresh pages (9 MB, about 500 page faults)
        cost 6-17 ms of that frame's CPU at 4K in benchmarks/frames.py: the first frame of
        a screen, where they are made again after a still screen let them go."""
        if self._making is None and np is not None:
            w, h = surface.get_size()
            job = Background("damage-buffers", "making the comparison's buffers")
            self._making = job.start(_buffers, w, h, surface.get_pitch())

    def wait_prepared(self, timeout_s: float = 10.0) -> bool:
        """Block until the buffers :meth:`prepare` makes are ready (tests); returns whether
        they are."""
        return self._making is not None and self._making.wait(timeout_s)

    def adopt(self, surface: pygame.Surface) -> bool:
        """Take the buffers :meth:`prepare` made, if they are ready, with ``surface``
        copied in: the next call compares with it. Returns whether it did."""
        making = self._making
        if making is None or not making.done():
            return False
        self._making = None
        buffers = making.result_or_none()
        w, h = surface.get_size()
        if buffers is None or buffers[0].shape != (h, surface.get_pitch() // 8):
            return False
        view = surface.get_view("1")
        try:
            cur = np.frombuffer(view, dtype=np.uint64).reshape(buffers[0].shape)
            np.copyto(buffers[0], cur)
            del cur
        finally:
            del view
        self._prev, self._ne, self._bands = buffers
        self._shape, self._kept = (w, h, surface.get_pitch()), None
        return True

    def reset(self) -> None:
        """Forget the last frame: the next call reports everything as changed."""
        if self._prev is not None:
            self._kept = self._prev
        self._prev = None

    def changed(
        self, surface: pygame.Surface, within: list[pygame.Rect] | None = None
    ) -> list[pygame.Rect]:
        """``within``: the only places the surface may differ from the last call's (a
        scene's own report), or None for anywhere."""
        full = [surface.get_rect()]
        w, h = surface.get_size()
        pitch = surface.get_pitch()
        if np is None or surface.get_bytesize() != 4 or pitch % 8 or w % TILE or h % BAND:
            return full
        shape = (w, h, pitch)
        view = surface.get_view("1")  # locks the surface until released below
        try:
            cur = np.frombuffer(view, dtype=np.uint64).reshape(h, pitch // 8)
            if self._shape != shape:
                self._prev, self._shape = cur.copy(), shape
                self._ne = np.empty((h, w // 2), dtype=bool)
                self._bands = np.empty((h // BAND, w // 2), dtype=bool)
                return full
            if self._prev is None:  # after reset(): keep the buffer, refill it
                self._prev = self._kept
                np.copyto(self._prev, cur)
                return full
            if isinstance(within, Redrawn):  # a new screen: the copy kept, nothing compared
                np.copyto(self._prev, cur)
                return full
            count = h // BAND
            touched = None if within is None else _tiles_of(within, w, h)
            if touched is not None and sum(map(len, touched.values())) <= SPOTS_SHARE * (
                (w // TILE) * count
            ):
                return self._diff_tiles(cur, w, touched)
            runs = self._changed_bands(cur, count, _bands_of(within, w, h))
            if sum(b1 - b0 for b0, b1 in runs) > WHOLE_SHARE * count and self._mostly_changed(
                cur, w, runs, count
            ):
                # A new screen: comparing it all would only say "everything", dearly
                # (the rest of the frame is a whole rescale anyway).
                np.copyto(self._prev, cur)
                return full
            return self._diff(cur, w, runs)
        finally:
            del view

    def _diff_tiles(self, cur, w: int, touched: dict[int, list[int]]) -> list[pygame.Rect]:
        """The bands' rectangles, as ``_diff_bands`` finds them, reading only the tiles a
        report touched (a few dozen lights touch most bands, and a band compared whole
        had the whole canvas read). With the change all inside the report, the rectangles
        are the same as a whole compare's: what the presenter scales depends on them."""
        prev = self._prev
        rects: list[pygame.Rect] = []
        for band in sorted(touched):
            y = band * BAND
            ne, spots = self._ne[y : y + BAND], self._bands[band]
            ne.fill(False)
            spots.fill(False)
            for c0, c1 in _spans(touched[band]):
                cols = slice(c0 * WORDS, c1 * WORDS)
                np.not_equal(cur[y : y + BAND, cols], prev[y : y + BAND, cols], out=ne[:, cols])
                np.logical_or.reduce(ne[:, cols], axis=0, out=spots[cols])
            tiles = spots.reshape(w // TILE, WORDS).any(axis=1).tobytes()
            self._shrink(cur, y, ne, tiles, spots.tobytes(), rects)
        if len(rects) > MAX_RECTS:
            rects = _per_band(rects)
        return merge_vertical(rects)

    def _mostly_changed(self, cur, w: int, runs: list[tuple[int, int]], count: int) -> bool:
        """Whether most tiles differ, judged by the middle row of each changed band: one
        row in forty, so a few lights never trip it while a new screen does, and only rows
        the comparison reads next anyway. A wrong guess either way costs time, never a
        missed change."""
        words = w // 2
        middle = [b * BAND + BAND // 2 for b0, b1 in runs for b in range(b0, b1)]
        rows = np.not_equal(cur[middle, :words], self._prev[middle, :words])
        tiles = rows.reshape(len(middle), w // TILE, WORDS).any(axis=2)
        return int(np.count_nonzero(tiles)) > WHOLE_SHARE * count * (w // TILE)

    def _diff(self, cur, w: int, runs: list[tuple[int, int]]) -> list[pygame.Rect]:
        rects: list[pygame.Rect] = []
        for b0, b1 in runs:
            self._diff_bands(cur, w, b0, b1, rects)
        if len(rects) > MAX_RECTS:
            rects = _per_band(rects)
        return merge_vertical(rects)

    def _changed_bands(
        self, cur, count: int, only: list[int] | None = None
    ) -> list[tuple[int, int]]:
        """Runs [first, end) of bands that differ from the kept frame (of the bands
        ``only``, when given)."""
        if _memcmp is None:
            return [(0, count)] if only is None else [(b, b + 1) for b in only]
        size = BAND * cur.strides[0]
        a, b = cur.ctypes.data, self._prev.ctypes.data
        runs: list[tuple[int, int]] = []
        for i in range(count) if only is None else only:
            if _memcmp(a + i * size, b + i * size, size):
                if runs and runs[-1][1] == i:
                    runs[-1] = (runs[-1][0], i + 1)
                else:
                    runs.append((i, i + 1))
        return runs

    def _diff_bands(self, cur, w: int, b0: int, b1: int, rects: list[pygame.Rect]) -> None:
        """The changed runs of tiles of bands [b0, b1) as rectangles, each shrunk to what
        differs; that is copied into the kept frame. The small per-band searches are done
        on bytes (``find``), not with numpy calls, whose overhead is larger than the work
        here."""
        prev, words = self._prev, w // 2
        y0, y1 = b0 * BAND, b1 * BAND
        ne, bands = self._ne[y0:y1], self._bands[b0:b1]
        np.not_equal(cur[y0:y1, :words], prev[y0:y1, :words], out=ne)
        np.logical_or.reduce(ne.reshape(b1 - b0, BAND, words), axis=1, out=bands)
        per_row = w // TILE
        tiles = bands.reshape(b1 - b0, per_row, TILE // 2).any(axis=2).tobytes()
        changed_words = bands.tobytes()  # (band, word): some row of the band differs there
        for band in range(b1 - b0):
            y = y0 + band * BAND
            self._shrink(
                cur,
                y,
                ne[y - y0 : y - y0 + BAND],
                tiles[band * per_row : (band + 1) * per_row],
                changed_words[band * words : (band + 1) * words],
                rects,
            )

    def _shrink(
        self, cur, y: int, ne, tiles: bytes, changed_words: bytes, rects: list[pygame.Rect]
    ) -> None:
        """One band's changed runs of tiles (``tiles``: one byte per tile; ``ne``: the
        band's rows, which words differ; ``changed_words``: which differ in some row) as
        rectangles shrunk to what differs, copied into the kept frame."""
        prev = self._prev
        for c0, c1 in _runs(tiles):
            x0, x1 = c0 * WORDS, (c1 + 1) * WORDS
            # The run shrunk to the words and rows that differ: a light a few pixels
            # across is rescaled as that, not as the 40×80 tiles it touches.
            spots = changed_words[x0:x1]
            left, right = x0 + spots.find(1), x0 + spots.rfind(1) + 1
            lines = ne[:, left:right].any(axis=1).tobytes()
            top, bottom = y + lines.find(1), y + lines.rfind(1) + 1
            rects.append(pygame.Rect(left * 2, top, (right - left) * 2, bottom - top))
            # Only what changed is copied into the kept frame (the rest is equal).
            prev[top:bottom, left:right] = cur[top:bottom, left:right]


def _buffers(w: int, h: int, pitch: int) -> tuple:
    """The comparison's buffers for a ``w``×``h`` surface, every page touched (the worker
    takes the page faults, not the frame that uses them)."""
    prev = np.empty((h, pitch // 8), dtype=np.uint64)
    ne = np.empty((h, w // 2), dtype=bool)
    bands = np.empty((h // BAND, w // 2), dtype=bool)
    for buffer in (prev, ne, bands):
        buffer.fill(0)
    return prev, ne, bands


def _tiles_of(areas: list[pygame.Rect], w: int, h: int) -> dict[int, list[int]]:
    """The tile columns ``areas`` touch, per band."""
    touched: dict[int, set[int]] = {}
    for area in areas:
        a = area.clip((0, 0, w, h))
        if a.w and a.h:
            cols = range(a.left // TILE, -(-a.right // TILE))
            for band in range(a.top // BAND, -(-a.bottom // BAND)):
                touched.setdefault(band, set()).update(cols)
    return {band: sorted(cols) for band, cols in touched.items()}


def _spans(cols: list[int]) -> list[tuple[int, int]]:
    """Sorted column numbers as runs [first, end) of consecutive ones."""
    out: list[tuple[int, int]] = []
    for c in cols:
        if out and out[-1][1] == c:
            out[-1] = (out[-1][0], c + 1)
        else:
            out.append((c, c + 1))
    return out


def _bands_of(areas: list[pygame.Rect] | None, w: int, h: int) -> list[int] | None:
    """The bands ``areas`` touch, in order (None: all of them)."""
    if areas is None:
        return None
    touched: set[int] = set()
    for area in areas:
        a = area.clip((0, 0, w, h))
        if a.w and a.h:
            touched.update(range(a.top // BAND, -(-a.bottom // BAND)))
    return sorted(touched)


def _runs(row: bytes) -> list[tuple[int, int]]:
    """First and last index of each run of set bytes in ``row``, runs less than ``GAP``
    apart joined (one larger copy is cheaper than several small ones)."""
    out: list[tuple[int, int]] = []
    i = row.find(1)
    while i != -1:
        j = i
        k = row.find(1, j + 1)
        while k != -1 and k - j <= GAP:
            j = k
            k = row.find(1, j + 1)
        out.append((i, j))
        i = k
    return out


def _per_band(rects: list[pygame.Rect]) -> list[pygame.Rect]:
    """Many rectangles joined into one per band (their bounding box in that band), so a
    frame with changes scattered everywhere is still copied band by band, not as the
    bounding box of the whole canvas."""
    bands: dict[int, pygame.Rect] = {}
    for r in rects:
        key = r.y // BAND
        if key in bands:
            bands[key].union_ip(r)
        else:
            bands[key] = r.copy()
    return [bands[k] for k in sorted(bands)]


def merge_vertical(rects: list[pygame.Rect]) -> list[pygame.Rect]:
    """Join rectangles that sit exactly on top of each other with the same columns (a tall
    object spans several bands): fewer, larger copies."""
    out: list[pygame.Rect] = []
    open_by_cols: dict[tuple[int, int], pygame.Rect] = {}
    for r in rects:  # in band order, top to bottom
        key = (r.x, r.w)
        above = open_by_cols.get(key)
        if above is not None and above.bottom == r.y:
            above.h += r.h
            continue
        out.append(r)
        open_by_cols[key] = r
    return out
