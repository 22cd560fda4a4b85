"""QR codes as pygame surfaces, drawn from the module matrix of kiosk/prizes/qr.py.

qrcode's automatic mask search is its slow part, so surfaces are cached per payload and the
payload is kept short (or a fixed ``mask`` passed); a bounded cache keeps a day of unique
codes from growing memory.
"""

from __future__ import annotations

from collections import OrderedDict

import pygame

from kiosk.prizes.qr import qr_matrix

_cache: OrderedDict[tuple[str, int, int | None, int | None], pygame.Surface] = OrderedDict()
_CACHE_SIZE = 4  # a prize QR is ~0.9 MB as a surface; only the current one is shown


def qr_surface(
    data: str, size_px: int, *, mask: int | None = None, max_version: int | None = None
) -> pygame.Surface:
    """A square black-on-white QR symbol, quiet zone included, at most ``size_px`` wide.

    Modules are whole pixels (never fractional) so a camera sees crisp edges. ``mask`` and
    ``max_version`` are :func:`kiosk.prizes.qr.qr_matrix`'s.

    :raises ValueError: the data needs a symbol above ``max_version``
    """
    key = (data, size_px, mask, max_version)
    surf = _cache.get(key)
    if surf is not None:
        _cache.move_to_end(key)
        return surf
    matrix = qr_matrix(data, mask=mask, max_version=max_version)
    n = len(matrix)
    small = pygame.Surface((n, n))  # one pixel per module, then scaled up
    small.fill((255, 255, 255))
    with pygame.PixelArray(small) as pixels:
        black = small.map_rgb((0, 0, 0))
        for y, row in enumerate(matrix):
            for x, dark in enumerate(row):
                if dark:
                    pixels[x, y] = black
    module = max(1, size_px // n)
    surf = pygame.transform.scale(small, (n * module, n * module))  # nearest neighbour: crisp
    _cache[key] = surf
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return surf
