"""The car park floor on the 1920×1080 canvas, and how cars drive on it.

On the left the entrance panel (a vacancy board, the gate lanes, the CO₂ card); on the right
the floor: a one-way ring road running clockwise round two rows of bays that face an aisle.
Cars follow paths of waypoints; a circling car's place on the ring is a distance ``s``
measured clockwise from the top-left corner.
"""

from __future__ import annotations

import math

import pygame

from games.park_smart.rules import Bay, Car, Pace, Path

MARGIN = 40
PLAY_TOP = 126
PLAY_BOTTOM = 990
PANEL = pygame.Rect(36, PLAY_TOP, 380, PLAY_BOTTOM - PLAY_TOP)  # entrance gates and counters
FLOOR = pygame.Rect(436, PLAY_TOP, 1448, PLAY_BOTTOM - PLAY_TOP)  # the car park floor
RING_W = 100  # the one-way ring road round the bays, where circling cars go
BLOCK = FLOOR.inflate(-2 * (RING_W + 10), -2 * (RING_W + 10))  # the two rows of bays
BAY_D = 232  # bay depth
AISLE = pygame.Rect(FLOOR.x, BLOCK.y + BAY_D, FLOOR.w, BLOCK.h - 2 * BAY_D)
ARRIVE_Y = AISLE.y + round(AISLE.h * 0.3)  # lane of cars driving to a bay
DEPART_Y = AISLE.y + round(AISLE.h * 0.72)  # lane of cars leaving for the exit
RING_L = FLOOR.x + RING_W // 2  # centre lines of the ring road
RING_R = FLOOR.right - RING_W // 2
RING_T = FLOOR.y + RING_W // 2
RING_B = FLOOR.bottom - RING_W // 2
RING_LH = RING_R - RING_L
RING_LV = RING_B - RING_T
RING_P = 2 * (RING_LH + RING_LV)
BOARD = pygame.Rect(PANEL.x + 16, PLAY_TOP + 14, PANEL.w - 32, 132)
SIGN_Y = BOARD.bottom + 34  # centre of the "Entrance" plate
LANES_TOP = SIGN_Y + 34
LANES_BOTTOM = 782
CO2_CARD = pygame.Rect(PANEL.x + 16, 796, PANEL.w - 32, PLAY_BOTTOM - 796 - 14)
BANNER_Y = 1034

HEADINGS = (0, 90, 180, 270)  # degrees, counter-clockwise from "facing right" (pygame's sense)


def lay_out_bays(pace: Pace) -> list[Bay]:
    """Two rows of bays facing the aisle, with their reserved bays marked."""
    n = max(2, pace.bays_per_row)
    w = BLOCK.w / n
    bays: list[Bay] = []
    for row, top in enumerate((True, False)):
        y = BLOCK.y if top else BLOCK.bottom - BAY_D
        for i in range(n):
            x0, x1 = round(BLOCK.x + i * w), round(BLOCK.x + (i + 1) * w)
            bays.append(Bay(row * n + i, pygame.Rect(x0, y, x1 - x0, BAY_D), top))
    top_row, bottom_row = bays[:n], bays[n:]
    # Charging bays at the far end of the top row; accessible bays nearest the entrance.
    for bay in top_row[n - min(pace.ev_bays, n - 1) :] if pace.ev_bays > 0 else []:
        bay.kind = "ev"
    for bay in bottom_row[: min(pace.accessible_bays, n - 1)]:
        bay.kind = "accessible"
    return bays


def lay_out_lanes(pace: Pace) -> list[tuple[float, float, int]]:
    """Entrance gate lanes: (car centre x, centre y, lane height)."""
    n = max(1, pace.queue_max)
    h = min(180, (LANES_BOTTOM - LANES_TOP) // n)
    top = LANES_TOP + ((LANES_BOTTOM - LANES_TOP) - n * h) // 2
    x = PANEL.x + 34 + pace.car_len / 2
    return [(x, top + h * (k + 0.5), h) for k in range(n)]


def heading_of(dx: float, dy: float) -> int:
    """The heading of a move by (dx, dy), to the nearest right angle."""
    if abs(dx) >= abs(dy):
        return 0 if dx > 0 else 180
    return 270 if dy > 0 else 90


def vector(heading: int) -> tuple[float, float]:
    """The unit step of a heading, in screen coordinates (y down)."""
    return {0: (1.0, 0.0), 90: (0.0, -1.0), 180: (-1.0, 0.0), 270: (0.0, 1.0)}[heading % 360]


def ring_pos(s: float) -> tuple[float, float, int]:
    """Where on the ring road ``s`` px clockwise from the top-left corner is, and the
    heading of a car there."""
    s %= RING_P
    if s < RING_LH:
        return (RING_L + s, RING_T, 0)
    s -= RING_LH
    if s < RING_LV:
        return (RING_R, RING_T + s, 270)
    s -= RING_LV
    if s < RING_LH:
        return (RING_R - s, RING_B, 180)
    s -= RING_LH
    return (RING_L, RING_B - s, 90)


def path_to_bay(car: Car, bay: Bay) -> Path:
    """The way from where ``car`` is to ``bay``: from the gate, down the left of the ring to
    the aisle; from the ring, on round it (whichever aisle end comes first) into the aisle."""
    bx, (px, py) = bay.rect.centerx, bay.park
    tail = [(float(bx), float(ARRIVE_Y), False), (px, py, False)]
    if car.state != "circling" or car.path:  # at the gate, or still joining the ring
        return [(float(RING_L), car.y, False), (float(RING_L), float(ARRIVE_Y), False), *tail]
    s = car.ring_s % RING_P
    left = 2 * RING_LH + RING_LV + (RING_B - ARRIVE_Y)
    right = RING_LH + (ARRIVE_Y - RING_T)
    d_left, d_right = (left - s) % RING_P, (right - s) % RING_P
    target, dist = (left, d_left) if d_left <= d_right else (right, d_right)
    corners = [
        (0.0, (RING_L, RING_T)),
        (float(RING_LH), (RING_R, RING_T)),
        (float(RING_LH + RING_LV), (RING_R, RING_B)),
        (float(2 * RING_LH + RING_LV), (RING_L, RING_B)),
    ]
    path = []
    for cs, (cx, cy) in sorted(corners, key=lambda c: (c[0] - s) % RING_P):
        if 0 < (cs - s) % RING_P < dist:
            path.append((float(cx), float(cy), False))
    jx, jy, _ = ring_pos(target)
    return [*path, (jx, jy, False), *tail]


def advance(car: Car, dist: float) -> None:
    """Drive ``car`` ``dist`` px along its path, turning to face where it goes (a reversing
    car keeps its heading)."""
    while car.path and dist > 0:
        tx, ty, reversing = car.path[0]
        dx, dy = tx - car.x, ty - car.y
        d = math.hypot(dx, dy)
        if d > 0.5 and not reversing:
            car.heading = heading_of(dx, dy)
        if d <= dist:
            car.x, car.y = tx, ty
            dist -= d
            car.path.pop(0)
        else:
            car.x += dx / d * dist
            car.y += dy / d * dist
            dist = 0.0
