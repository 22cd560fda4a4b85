"""The canvas the scenes draw on: 1920×1080 on a landscape screen, 1080×1920 on a portrait
totem, chosen once from the screen's shape or ``orientation`` in kiosk.toml.

Every screen keeps its geometry in one small table per orientation and picks it with
:func:`pick`, so a portrait totem gets layouts of its own instead of a letterboxed
landscape picture (a third of the glass, every target at 56 %).
"""

from __future__ import annotations

from typing import TypeVar

LANDSCAPE = (1920, 1080)
PORTRAIT = (1080, 1920)

T = TypeVar("T")


def canvas_size(screen: tuple[int, int], orientation: str = "auto") -> tuple[int, int]:
    """The canvas for a screen of ``screen`` pixels. ``orientation`` is kiosk.toml's
    (``"auto"`` | ``"landscape"`` | ``"portrait"``, checked by kiosk/config.py): ``"auto"``
    follows the screen's shape (taller than wide → portrait), the others force one."""
    if orientation == "portrait" or (orientation == "auto" and screen[1] > screen[0]):
        return PORTRAIT
    return LANDSCAPE


def is_portrait(size: tuple[int, int]) -> bool:
    return size[1] > size[0]


def pick(size: tuple[int, int], landscape: T, portrait: T) -> T:
    """The layout for a canvas of ``size``."""
    return portrait if is_portrait(size) else landscape
