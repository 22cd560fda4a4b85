"""Fonts and text: a CJK-capable font shipped in assets/fonts, and a bounded render cache.

Rendering text is the costliest thing most screens do, so rendered surfaces are cached by
(text, size, colour, weight). The cache is an LRU with a fixed size so a long day of varied
scores and timers cannot grow memory.

A font file that cannot be used (missing, empty, truncated, not a font) must not take the
kiosk down: the renderer falls back to pygame's built-in font (Latin only, so Chinese shows
as boxes), logs the problem once, and keeps serving. ``SMARTIZEN_FONT_DIR`` points the kiosk
at other font files of the same names.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path

import pygame

from kiosk import ASSETS
from kiosk.background import Background
from kiosk.ui import linebreak

log = logging.getLogger(__name__)

FONT_DIR = Path(os.environ.get("SMARTIZEN_FONT_DIR") or ASSETS / "fonts")
PROBE = "Ag"  # a font that cannot measure this cannot draw anything
FONT_FILES = {
    "regular": "NotoSansHK-Subset-Regular.otf",
    "bold": "NotoSansHK-Subset-Bold.otf",
}
Color = tuple[int, int, int] | tuple[int, int, int, int]
LARGE_MIN = 48  # px: in large-text mode no text is smaller than this, or grows past it
WRAPS_KEPT = 2000  # wrapped texts remembered (a few hundred bytes each)
OPEN_PAUSE_S = 0.0005  # between fonts opened ahead: the frame thread gets the lock promptly
_FONT_COPIES: dict[Path, str | bytes] = {}  # shared by every renderer; two files, ~0.5 MB each
# A game's next round is drawn ahead in a worker thread while its how-to is on screen
# (kiosk/booth/pregame.py), so the font and render caches are shared by two threads: their
# check-then-move LRU steps must not interleave.
_LOCK = threading.RLock()


def _sealed_file(name: str, data: bytes) -> str | None:
    """A name under which ``data`` can be opened and nothing can change it: an anonymous
    memory file of this process (Linux), kept open for the process's life. None where the
    system has no such files."""
    if not (hasattr(os, "memfd_create") and os.path.isdir("/proc/self/fd")):
        return None
    try:
        fd = os.memfd_create(name, os.MFD_CLOEXEC)
    except OSError as exc:  # out of file descriptors or memory: the bytes will do
        log.warning("font %s kept in memory only (%s)", name, exc)
        return None
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    return f"/proc/self/fd/{fd}"


def _locked(method):
    @functools.wraps(method)
    def guarded(*args, **kwargs):
        with _LOCK:
            return method(*args, **kwargs)

    return guarded


class TextRenderer:
    def __init__(
        self,
        font_dir: Path = FONT_DIR,
        cache_size: int = 600,
        cache_bytes: int = 8 << 20,
        font_limit: int = 32,
    ) -> None:
        if not pygame.font.get_init():
            pygame.font.init()
        self.font_dir = font_dir
        # Each open font keeps its own cache of rendered glyphs in C (SDL_ttf: up to 256
        # glyphs, ~5 MB for a 140 px CJK face), filled slowly as new characters appear, so
        # over a day they grow. Shrink-to-fit opens a font per size it tries: bound how many
        # stay open (LRU), and let the kiosk start each visitor's fonts with empty glyph
        # caches (``forget_glyphs``).
        self._fonts: OrderedDict[tuple[str, int], pygame.font.Font] = OrderedDict()
        self.font_limit = font_limit
        self._stale: set[tuple[str, int]] = set()  # fonts whose glyphs are to be dropped
        self._cache: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self.cache_size = cache_size
        self.cache_bytes = cache_bytes  # big titles are large surfaces: bound bytes, not only count
        self._bytes = 0
        self.broken: dict[Path, str] = {}  # font files that failed, and why (logged once each)
        self.large = False  # large-text mode (a visitor's choice): see shown_size
        self._wraps: OrderedDict[tuple[str, int, int, str], tuple[str, ...]] = OrderedDict()
        self.fits: dict[tuple, int] = {}  # kiosk/ui/typeset.py fit_size's answers
        self._in_use: set[tuple] | None = None  # fonts and text used since ``rest``
        self.visit_fonts: list[tuple[str, int]] = []  # open at the last ``settle``

    def shown_size(self, size: int) -> int:
        """The size text asked for at ``size`` is drawn at: itself, or in large-text mode at
        least a third larger up to ``LARGE_MIN`` (small text grows most; headlines, already
        large, keep their size so every screen still fits)."""
        if not self.large or size >= LARGE_MIN:
            return size
        return min(LARGE_MIN, round(size * 4 / 3))

    @_locked
    def font(self, size: int, weight: str = "regular") -> pygame.font.Font:
        size = self.shown_size(size)
        key = (weight, size)
        if self._in_use is not None:
            self._in_use.add(key)
        font = self._fonts.get(key)
        if font is not None:
            self._fonts.move_to_end(key)
            if key in self._stale:
                self._stale.discard(key)
                font.point_size = size  # SDL_ttf empties a font's glyph cache on a resize
        else:
            font = self._open(self._file(weight), size)
            self._fonts[key] = font
            while len(self._fonts) > self.font_limit:
                old, _ = self._fonts.popitem(last=False)
                self._stale.discard(old)
        return font

    def _file(self, weight: str) -> Path:
        return self.font_dir / FONT_FILES.get(weight, FONT_FILES["regular"])

    def _open(self, path: Path, size: int) -> pygame.font.Font:
        """``path`` at ``size``, or pygame's built-in font if the file cannot serve."""
        if path not in self.broken:
            try:
                copy = self._font_copy(path)
                font = pygame.font.Font(copy if isinstance(copy, str) else io.BytesIO(copy), size)
                font.size(PROBE)  # SDL_ttf opens some damaged files and fails on first use
                return font
            except Exception as exc:  # OSError, ValueError (0 bytes), pygame.error (damaged)
                self.broken[path] = f"{type(exc).__name__}: {exc}"
                log.error(
                    "font %s unusable (%s); using pygame's built-in font, Chinese text will "
                    "show as boxes until the file is replaced and the kiosk restarted",
                    path,
                    self.broken[path],
                )
        return pygame.font.Font(None, size)

    @property
    def cached_bytes(self) -> int:
        """Pixel bytes of the rendered text kept (at most ``cache_bytes``)."""
        return self._bytes

    def forget_glyphs(self) -> None:
        """Drop every open font's cached glyphs, each the next time the font is used.

        Lazily, because emptying one costs ~0.2 ms: a font that is not used again keeps its
        glyphs only until the LRU closes it. Fonts stay open (reopening costs ~0.8 ms) and
        rendered text stays cached.
        """
        self._stale = set(self._fonts)

    @_locked
    def rest(self) -> None:
        """Start letting go of the fonts and rendered text: between visitors (the kiosk's
        quiet point), a booth at rest should not hold what the last visitor's screens made.
        A day of visitors left 32 fonts open (each FreeType face with its glyphs: 9–25 MB
        in all at 4K) and 8 MB of text. What is used until ``settle`` (the screen on show,
        drawn once more: a failsafe or paused notice) stays; everything else goes then.
        The next visitor's screens open and render what they need again, as the first
        visitor's after start-up did. Text kept for the day elsewhere (attract's labels)
        holds its own surfaces."""
        self._in_use = set()

    def settle(self) -> Background[None] | None:
        """Close the fonts and drop the text not used since ``rest``, in a worker (closing
        30 fonts and freeing their text cost the quiet point's frame 1-2 ms): the job, or
        None when not resting."""
        if self._in_use is None:
            return None
        with _LOCK:
            used, self._in_use = self._in_use, None
            self.visit_fonts = list(self._fonts)
            fonts = [self._fonts.pop(k) for k in [k for k in self._fonts if k not in used]]
            self._stale.intersection_update(self._fonts)
            texts = [self._cache.pop(k) for k in [k for k in self._cache if k not in used]]
            self._bytes -= sum(map(_surface_bytes, texts))
        return Background("text-rest", "letting go of a visit's fonts").start(_let_go, fonts, texts)

    def open_ahead(self, keys: list[tuple[str, int]]) -> int:
        """Open the fonts ``keys`` names (``visit_fonts``: what the last visit used) in a
        worker as a visitor arrives, so the first frames of their screens (how-to, claim)
        do not open them: 1-2 ms each. One at a time, the lock let go between them.
        Returns how many it opened."""
        opened = 0
        for weight, size in keys:
            with _LOCK:
                key = (weight, size)
                if key in self._fonts or len(self._fonts) >= self.font_limit:
                    continue
                self._fonts[key] = self._open(self._file(weight), size)
                opened += 1
            time.sleep(OPEN_PAUSE_S)
        return opened

    def _font_copy(self, path: Path) -> str | bytes:
        """The file's bytes as they were when first read, as a file name where the system
        can (a memfd), else in memory.

        A copy because SDL_ttf reads glyphs lazily from the file, so a file replaced while
        the kiosk runs (an update, `make fonts`) would break rendering mid-day. A file name
        because SDL_ttf reads a Python file object (BytesIO) through a callback that takes
        the GIL for every read: a worker opening a font or rendering new glyphs while the
        frame thread runs Python waited for the GIL on each read, 0.5 s for one font here
        instead of 7 ms, and held the text lock all that time."""
        copy = _FONT_COPIES.get(path)
        if copy is None:
            data = path.read_bytes()
            copy = _FONT_COPIES[path] = _sealed_file(path.name, data) or data
        return copy

    @_locked
    def render(self, text: str, size: int, color: Color, weight: str = "regular") -> pygame.Surface:
        key = (text, self.shown_size(size), color, weight)
        if self._in_use is not None:
            self._in_use.add(key)
        surf = self._cache.get(key)
        if surf is not None:
            self._cache.move_to_end(key)
            return surf
        surf = self.font(size, weight).render(text, True, color)
        self._cache[key] = surf
        self._bytes += _surface_bytes(surf)
        while len(self._cache) > self.cache_size or self._bytes > self.cache_bytes:
            _, old = self._cache.popitem(last=False)
            self._bytes -= _surface_bytes(old)
        return surf

    def wrap(self, text: str, size: int, width: int, weight: str = "regular") -> list[str]:
        """Break text into lines no wider than ``width`` (kiosk/ui/linebreak.py: Unicode
        line breaking with the Chinese punctuation rules). Explicit newlines are kept.

        Games wrap at draw time, so answers are cached (LRU, bounded): the same text at the
        same size and width is measured once.
        """
        key = (text, self.shown_size(size), width, weight)
        with _LOCK:
            lines = self._wraps.get(key)
            if lines is not None:
                self._wraps.move_to_end(key)
                return list(lines)
        # Finding the break opportunities (uniseg, pure Python: milliseconds for a CJK
        # paragraph) needs no font: done outside the lock, so a worker wrapping a long text
        # ahead (kiosk/booth/pregame.py, the menu) does not hold up the frame thread's text.
        for paragraph in text.split("\n"):
            linebreak.units(paragraph)
        with _LOCK:
            font = self.font(size, weight)
            found = tuple(linebreak.wrap(text, width, lambda s: font.size(s)[0]))
            self._wraps[key] = found
            while len(self._wraps) > WRAPS_KEPT:
                self._wraps.popitem(last=False)
        return list(found)

    def draw(
        self,
        surface: pygame.Surface,
        text: str,
        size: int,
        color: Color,
        *,
        center: tuple[float, float] | None = None,
        topleft: tuple[float, float] | None = None,
        midtop: tuple[float, float] | None = None,
        weight: str = "regular",
    ) -> pygame.Rect:
        surf = self.render(text, size, color, weight)
        rect = surf.get_rect()
        if center is not None:
            rect.center = (round(center[0]), round(center[1]))
        elif midtop is not None:
            rect.midtop = (round(midtop[0]), round(midtop[1]))
        elif topleft is not None:
            rect.topleft = (round(topleft[0]), round(topleft[1]))
        surface.blit(surf, rect)
        return rect

    def draw_block(
        self,
        surface: pygame.Surface,
        text: str,
        size: int,
        color: Color,
        *,
        midtop: tuple[float, float],
        width: int,
        weight: str = "regular",
        line_gap: float = 1.35,
    ) -> pygame.Rect:
        """Draw wrapped, centred text starting at ``midtop``; returns the area used."""
        x, y = midtop
        area = pygame.Rect(round(x), round(y), 0, 0)
        for line in self.wrap(text, size, width, weight):
            if line:
                area.union_ip(self.draw(surface, line, size, color, midtop=(x, y), weight=weight))
            y += self.shown_size(size) * line_gap
        return area


def _let_go(fonts: list[pygame.font.Font], texts: list[pygame.Surface]) -> None:
    """Free ``fonts`` (under the lock: FreeType's faces share one library) and ``texts``."""
    with _LOCK:
        fonts.clear()
    texts.clear()


def _surface_bytes(surf: pygame.Surface) -> int:
    return surf.get_pitch() * surf.get_height()
