"""The flat on screen: its rooms, appliances and people as the game keeps them, where each
sits on the 1920×1080 canvas, and how long each little animation lasts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pygame

from games.smart_home_saver.content import ApplianceSpec, PersonSpec, RoomSpec

MARGIN = 40
PLAY_TOP = 128
METER_W = 380
GAP = 24
WALL = 14  # between rooms and round the flat
FLOOR_H = 26
TILE_TOP = 66  # tiles start this far below a room's top edge
BANNER_H = 104

PRESS_S = 0.14
FLASH_S = 0.6
SPARK_S = 0.6
FLOAT_S = 1.1
RIPPLE_S = 0.35
UPSET_S = 1.8
DEBOUNCE_S = 0.1  # one touch reported twice within this is one tap
HEARTS = 5


# --------------------------------------------------------------------------- state


@dataclass
class Room:
    id: str
    spec: RoomSpec
    rect: pygame.Rect
    door_x: float
    light: Appliance | None = None
    slots: list[float] = field(default_factory=list)  # where people stand: between tiles


@dataclass
class Appliance:
    uid: int
    spec: ApplianceSpec
    room: str
    rect: pygame.Rect
    mode: str = "off"  # the visitor's flat
    base_mode: str = "off"  # the flat nobody touches
    ideal_mode: str = "off"  # the flat an ideal player looks after
    ideal_since: float | None = None
    last_tap: float = -1.0
    press: float = 0.0
    flash: float = 0.0
    flash_tone: str = "info"
    spark: float = 0.0
    alarm: float = 0.0  # a "!" over the tile (the fridge protesting)


@dataclass
class Person:
    spec: PersonSpec
    room: str | None = None
    state: str = "out"  # out | entering | in | leaving
    x: float = 0.0
    from_x: float = 0.0
    to_x: float = 0.0
    anim: float = 0.0
    slot: int = 0
    upset: float = 0.0
    bob: float = 0.0

    @property
    def present(self) -> bool:
        return self.state in ("entering", "in")


@dataclass
class Float:
    """A "−120 W" rising from a tile switched off."""

    text: str
    x: float
    y: float
    age: float = 0.0


# --------------------------------------------------------------------------- layout


def screen_layout(size: tuple[int, int]) -> tuple[pygame.Rect, pygame.Rect, pygame.Rect]:
    """The flat, the smart meter right of it and the feedback banner under it."""
    w, h = size
    meter = pygame.Rect(w - MARGIN - METER_W, PLAY_TOP, METER_W, h - PLAY_TOP - 20)
    flat_w = meter.x - GAP - MARGIN
    flat = pygame.Rect(MARGIN, PLAY_TOP, flat_w, h - PLAY_TOP - BANNER_H - 36)
    banner = pygame.Rect(MARGIN, flat.bottom + 16, flat_w, BANNER_H)
    return flat, meter, banner


def place_rooms(flat: pygame.Rect, specs: dict[str, RoomSpec], wanted: Sequence[str]) -> list[Room]:
    """The ``wanted`` rooms that the content has, laid out in ``flat``; each room's door is
    on its side towards the middle of the flat."""
    ids = [r for r in wanted if r in specs]
    rooms = []
    for rid, rect in zip(ids, layout_rooms(flat, len(ids)), strict=True):
        door = rect.right - 30 if rect.centerx < flat.centerx - 2 else rect.x + 30
        rooms.append(Room(rid, specs[rid], rect, door))
    return rooms


def layout_tiles(rooms: list[Room], appliances: list[Appliance], card: int) -> None:
    """Each room's tiles in a row, ``card`` px square (an air-con half as wide again), evenly
    spaced; the gaps between them become the places where people stand."""
    s = card
    for room in rooms:
        tiles = [a for a in appliances if a.room == room.id]
        widths = [round(s * 1.5) if a.spec.is_ac else s for a in tiles]
        gap = (room.rect.w - sum(widths)) / (len(tiles) + 1)
        x = room.rect.x + gap
        gaps = [room.rect.x + gap / 2]
        for a, tw in zip(tiles, widths, strict=True):
            a.rect = pygame.Rect(round(x), room.rect.y + TILE_TOP, tw, s)
            x += tw + gap
            gaps.append(x - gap / 2)
        # Heads fit between the tiles' name labels; the middle of the room first.
        gaps.sort(key=lambda gx: abs(gx - room.rect.centerx))
        room.slots = gaps


def layout_rooms(flat: pygame.Rect, n: int) -> list[pygame.Rect]:
    """Rooms two rows deep inside the flat's walls: ceil(n/2) on top, the rest below."""
    if n <= 0:
        return []
    inner = flat.inflate(-2 * WALL, -2 * WALL)
    top_n = (n + 1) // 2
    rows = [top_n, n - top_n] if n - top_n else [top_n]
    row_h = (inner.h - WALL * (len(rows) - 1)) / len(rows)
    rects = []
    for ri, count in enumerate(rows):
        y = inner.y + ri * (row_h + WALL)
        cw = (inner.w - WALL * (count - 1)) / count
        for ci in range(count):
            x = inner.x + ci * (cw + WALL)
            rects.append(
                pygame.Rect(
                    round(x), round(y), round(x + cw) - round(x), round(y + row_h) - round(y)
                )
            )
    return rects
