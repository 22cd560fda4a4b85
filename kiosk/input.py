"""Touch and mouse become one stream of pointer events in design coordinates.

SDL reports every touch twice: as a finger event and as a synthetic mouse event whose
``touch`` attribute is true. We keep finger events and drop the synthetic mouse ones, so one
physical tap is exactly one tap. Real mice (``touch`` false) still work, as pointer id -1.

A driver can report a finger at NaN or infinity (a glitching touch controller, a bad
calibration): such an event is dropped here, once, so no game ever sees a position that
breaks its arithmetic.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import pygame

from kiosk.ui.scaling import Letterbox

log = logging.getLogger(__name__)

PointerKind = Literal["down", "move", "up"]
MOUSE_ID = -1


@dataclass(frozen=True, slots=True)
class PointerEvent:
    """One pointer action at a position on the canvas (1920×1080, or 1080×1920 portrait)."""

    kind: PointerKind
    x: float
    y: float
    pointer: int = MOUSE_ID

    @property
    def pos(self) -> tuple[float, float]:
        return (self.x, self.y)


_FINGER_KINDS: dict[int, PointerKind] = {
    pygame.FINGERDOWN: "down",
    pygame.FINGERMOTION: "move",
    pygame.FINGERUP: "up",
}
_MOUSE_KINDS: dict[int, PointerKind] = {
    pygame.MOUSEBUTTONDOWN: "down",
    pygame.MOUSEMOTION: "move",
    pygame.MOUSEBUTTONUP: "up",
}


class PointerTranslator:
    """Turns raw pygame events into :class:`PointerEvent` s for one window geometry."""

    def __init__(self, letterbox: Letterbox) -> None:
        self.letterbox = letterbox
        self._mouse_down = False
        self.dropped = 0  # events dropped for a position that is not a finite number

    def _finite(self, event: pygame.event.Event, *values: float) -> bool:
        if all(math.isfinite(v) for v in values):
            return True
        self.dropped += 1
        if self.dropped == 1 or self.dropped % 1000 == 0:
            log.warning(
                "input: dropped %s at a non-finite position %s (%d such events so far)",
                pygame.event.event_name(event.type),
                values,
                self.dropped,
            )
        return False

    def translate(self, event: pygame.event.Event) -> PointerEvent | None:
        if event.type in _FINGER_KINDS:
            # Finger positions are fractions of the window, whatever its size.
            if not self._finite(event, event.x, event.y):
                return None
            wx = event.x * self.letterbox.window[0]
            wy = event.y * self.letterbox.window[1]
            x, y = self.letterbox.to_design((wx, wy))
            return PointerEvent(_FINGER_KINDS[event.type], x, y, int(event.finger_id))
        if event.type in _MOUSE_KINDS:
            if getattr(event, "touch", False):
                return None  # SDL's echo of a finger event: already handled above
            kind = _MOUSE_KINDS[event.type]
            if kind in ("down", "up") and getattr(event, "button", 1) != 1:
                return None  # wheel and right button are not taps
            if kind == "move" and not self._mouse_down:
                return None  # hover is meaningless on a touchscreen
            self._mouse_down = kind == "down" or (kind == "move" and self._mouse_down)
            if kind == "up":
                self._mouse_down = False
            if not self._finite(event, *event.pos):
                return None
            x, y = self.letterbox.to_design(event.pos)
            return PointerEvent(kind, x, y, MOUSE_ID)
        return None

    def translate_all(self, events: Iterable[pygame.event.Event]) -> list[PointerEvent]:
        return [p for p in (self.translate(e) for e in events) if p is not None]
