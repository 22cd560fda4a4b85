"""Letterbox: the design canvas scaled into any window without distortion.

Besides the geometry (where the picture sits, window ↔ canvas coordinates) it says how to
scale a piece of the canvas so pieces fit together exactly: an integer factor (4K is 2×
1080p) is a plain pixel copy; any other factor is a ratio p/q, so canvas blocks of q pixels
map onto exactly p window pixels and a changed rectangle snapped to those blocks scales on
its own without seams. The scale is chosen so that blocks stay small: the largest p/q that
fits, with q dividing both sides of the canvas (1920 and 1080 share 120). Every common
screen fits exactly (2/3, 3/4, 4/3, 2 …); a 1366×768 panel gets 17/24, a 1360×765 picture
with bars of a few pixels, instead of 91/128 across and 32/45 down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import pygame

from kiosk import DESIGN_SIZE


@dataclass
class Letterbox:
    window: tuple[int, int]
    design: tuple[int, int] = DESIGN_SIZE
    scale: float = field(init=False)
    ratio: Fraction = field(init=False)  # window pixels per canvas pixel, exactly
    rect: pygame.Rect = field(init=False)

    def __post_init__(self) -> None:
        ww, wh = self.window
        dw, dh = self.design
        fit = min(Fraction(ww, dw), Fraction(wh, dh))
        common = math.gcd(dw, dh)
        ratio = Fraction(math.floor(fit * common), common) or fit
        self.ratio = ratio
        self.scale = float(ratio)
        w, h = round(dw * ratio), round(dh * ratio)
        self.rect = pygame.Rect((ww - w) // 2, (wh - h) // 2, w, h)

    def resize(self, window: tuple[int, int]) -> None:
        """The window changed size: the picture is placed again, in place, so whoever holds
        this letterbox (the pointer translator) maps touches through the new geometry."""
        self.window = (int(window[0]), int(window[1]))
        self.__post_init__()

    @property
    def is_identity(self) -> bool:
        return self.rect.size == self.design and self.rect.topleft == (0, 0)

    @property
    def factor(self) -> int | None:
        """The whole number the canvas is enlarged by (1, 2, 3 …), or None for any other."""
        return self.ratio.numerator if self.ratio.denominator == 1 else None

    @property
    def block(self) -> int:
        """Canvas pixels per scaling block (they land on exactly ``ratio`` × as many)."""
        return self.ratio.denominator

    def bars(self) -> list[pygame.Rect]:
        """The parts of the window outside the picture (painted black once, not per frame)."""
        ww, wh = self.window
        r = self.rect
        parts = [
            pygame.Rect(0, 0, ww, r.top),
            pygame.Rect(0, r.bottom, ww, wh - r.bottom),
            pygame.Rect(0, r.top, r.left, r.h),
            pygame.Rect(r.right, r.top, ww - r.right, r.h),
        ]
        return [p for p in parts if p.w > 0 and p.h > 0]

    def snap(self, area: pygame.Rect) -> tuple[pygame.Rect, pygame.Rect]:
        """``area`` of the canvas grown to whole scaling blocks, and where that lands in the
        window: (canvas rect, window rect), sizes in exact proportion."""
        r, b = self.ratio, self.block
        x0, x1 = _snap_span(area.left, area.right, b, self.design[0])
        y0, y1 = _snap_span(area.top, area.bottom, b, self.design[1])
        src = pygame.Rect(x0, y0, x1 - x0, y1 - y0)
        dst = pygame.Rect(
            self.rect.x + round(x0 * r),
            self.rect.y + round(y0 * r),
            round(x1 * r) - round(x0 * r),
            round(y1 * r) - round(y0 * r),
        )
        return src, dst

    def to_design(self, pos: tuple[float, float]) -> tuple[float, float]:
        """Window pixels to design pixels; points in the black bars clamp to the edge."""
        x = (pos[0] - self.rect.x) / self.scale
        y = (pos[1] - self.rect.y) / self.scale
        return (min(max(x, 0.0), self.design[0] - 1.0), min(max(y, 0.0), self.design[1] - 1.0))

    def present(self, canvas: pygame.Surface, window: pygame.Surface) -> None:
        """Copy the whole canvas into the window and paint the bars (nothing to do when the
        canvas is the window). The booth's presenters copy only what changed; this is the
        simple way for screenshots and tools."""
        if canvas is window:
            return
        for bar in self.bars():
            window.fill((0, 0, 0), bar)
        scale_into(canvas, window.subsurface(self.rect), self.factor)


def scale_into(source: pygame.Surface, dest: pygame.Surface, factor: int | None) -> None:
    """Scale ``source`` to fill ``dest``: a pixel copy for a whole-number factor (crisp, and
    a third of the cost of filtering), filtered otherwise."""
    if factor == 1:
        dest.blit(source, (0, 0))
    elif factor is not None:
        pygame.transform.scale(source, dest.get_size(), dest)
    else:
        smoothscale_into(source, dest)


_BIG = 256 * 1024  # bytes: from here glibc maps a block of its own (kiosk/booth/memory.py)
_between: dict[tuple[int, int], pygame.Surface] = {}  # kept halfway pictures, by size


def smoothscale_into(source: pygame.Surface, dest: pygame.Surface) -> None:
    """``smoothscale`` of ``source`` into ``dest``. For a large picture one axis at a time
    through a kept surface: in one call smoothscale allocates the halfway picture (11 MB
    from 1920×1080 to 2560×1440) every time, mapped and faulted in page by page under the
    kiosk's allocator, about as dear as the scaling; the pixels are the same."""
    size = (dest.get_width(), source.get_height())
    if size[0] * size[1] * 4 < _BIG:
        pygame.transform.smoothscale(source, dest.get_size(), dest)
        return
    between = _between.get(size)
    if between is None or between.get_masks() != dest.get_masks():
        if len(_between) >= 2:  # a window that changes size: do not keep every one
            _between.clear()
        between = _between[size] = pygame.Surface(size, 0, dest)
    pygame.transform.smoothscale(source, size, between)
    pygame.transform.smoothscale(between, dest.get_size(), dest)


def _snap_span(lo: int, hi: int, block: int, limit: int) -> tuple[int, int]:
    if block > limit // 2:  # blocks as wide as the canvas: take the whole span
        return 0, limit
    return (lo // block) * block, min(limit, -(-hi // block) * block)
