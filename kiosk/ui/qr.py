"""QR codes as pygame surfaces, built from qrcode's module matrix (no Pillow needed).

qrcode's automatic mask search is its slow part, so surfaces are cached per payload and the
payload is kept short; a bounded cache keeps a day of unique codes from growing memory.
"""

from __future__ import annotations

from collections import OrderedDict

import pygame
import qrcode
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4  # modules of white border the QR standard requires around the symbol
_cache: OrderedDict[tuple[str, int], pygame.Surface] = OrderedDict()
_CACHE_SIZE = 4  # a prize QR is ~0.9 MB as a surface; only the current one is shown


def qr_matrix(data: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def qr_surface(data: str, size_px: int) -> pygame.Surface:
    """A square black-on-white QR symbol, quiet zone included, at most ``size_px`` wide.

    Modules are whole pixels (never fractional) so a camera sees crisp edges.
    """
    key = (data, size_px)
    surf = _cache.get(key)
    if surf is not None:
        _cache.move_to_end(key)
        return surf
    matrix = qr_matrix(data)
    n = len(matrix)
    module = max(1, size_px // n)
    surf = pygame.Surface((n * module, n * module))
    surf.fill((255, 255, 255))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                surf.fill((0, 0, 0), (x * module, y * module, module, module))
    _cache[key] = surf
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return surf
