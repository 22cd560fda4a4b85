"""What a Smart Commute frame changed since the one before (``Game.damage``, issue 13).

The view repaints the whole canvas every frame; most of it is the same picture again. Each
part of the screen has a signature, the state it is drawn from: where a signature changed,
the part's whole area is reported. What moves every frame (the pulsing rings, the vehicle
on its way, a pulsing countdown, touch ripples) is reported at its old and new places.
Reporting more than changed costs a little comparison; reporting less would leave old
pixels on screen, so every area here is generous.
"""

from __future__ import annotations

import pygame

from games.smart_commute.state import (
    BANNER_RECT,
    HEADER_RECT,
    MAP_RECT,
    OPTIONS_RECT,
    TRIP_RECT,
)

# Each part's area, with room for what is drawn past its rect: shadows 8 px below, a pressed
# card 4 px lower, the "best" tag 12 px above the first card, name pills at the map's edge.
AREAS: dict[str, pygame.Rect] = {
    "pills": pygame.Rect(0, 0, 1920, 94),  # the timer and the score (drawn round y 50)
    "track": pygame.Rect(0, 94, 1920, 22),  # the time bar (y 100–108), shorter every frame
    "map": MAP_RECT.inflate(80, 80).clip(pygame.Rect(0, 0, 1920, 1080)),
    "trip": TRIP_RECT.inflate(16, 24),
    "header": HEADER_RECT.inflate(16, 8),
    "end": pygame.Rect(
        OPTIONS_RECT.x - 8, OPTIONS_RECT.y - 24, OPTIONS_RECT.w + 16, OPTIONS_RECT.h + 40
    ),
    "banner": BANNER_RECT.inflate(16, 8).clip(pygame.Rect(0, 0, 1920, 1080)),
}


class DamageTracker:
    """Turns one frame's signatures and moving places into the rectangles it changed."""

    def __init__(self) -> None:
        self._signs: dict[str, object] | None = None
        self._moving: list[pygame.Rect] = []
        self._size: tuple[int, int] | None = None
        self._areas: dict[str, pygame.Rect] = {}

    def report(
        self,
        size: tuple[int, int],
        signs: dict[str, object],
        moving: list[pygame.Rect],
        areas: dict[str, pygame.Rect] | None = None,
    ) -> list[pygame.Rect] | None:
        """This frame's changed places, or None when it is the first (or a new size).

        ``areas``: a part's own area this frame (the map's drawn-over parts, each ride
        card), else its place in :data:`AREAS`; a changed part is reported where it was
        and where it is."""
        last, last_moving, last_areas = self._signs, self._moving, self._areas
        self._signs, self._moving, self._areas = dict(signs), list(moving), dict(areas or {})
        if last is None or size != self._size:
            self._size = size
            return None
        changed = []
        for k in signs.keys() | last.keys():  # a card gone since is a change too
            if last.get(k) != signs.get(k):
                for where in (self._areas, last_areas):
                    area = where.get(k, AREAS.get(k))
                    if area is not None:
                        changed.append(area.copy())
        changed += [r for r in last_moving + moving if r.w > 0 and r.h > 0]
        return changed
