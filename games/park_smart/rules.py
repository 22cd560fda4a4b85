"""Park Smart's rules: the pace per difficulty, the scoring numbers, the bays and the cars,
where a car may park, and what guiding it in earns.

Read from ``assets/games/park_smart.toml``. Drawing and the floor's geometry live elsewhere;
pygame is used here only for the rectangles bays and cars occupy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pygame

from games.base import RGB, level_for, typed

GRAB_SLOP = 24  # px round a car that still counts as touching it
DRAG_SLOP = 26  # a finger that moved this far is dragging, not tapping
FLASH_S = 0.9
SHAKE_S = 0.45
POP_S = 0.25
GONE_S = 0.8
PUFF_S = 1.4
PUFF_EVERY_S = 0.2
MAX_PUFFS = 90
READ_S = 1.6  # a mistake line stays at least this long before a routine line replaces it

Path = list[tuple[float, float, bool]]  # x, y, reversing


@dataclass(frozen=True)
class Pace:
    duration_s: float = 60.0
    arrive_every_s: float = 2.4
    arrive_jitter: float = 0.3
    queue_max: int = 3
    grace_s: float = 3.0
    patience_s: float = 9.0
    circle_max_s: float = 12.0
    circle_speed: float = 220.0
    drive_speed: float = 760.0
    stay_min_s: float = 18.0
    stay_max_s: float = 36.0
    start_occupied: float = 0.75
    bays_per_row: int = 8
    ev_bays: int = 2
    accessible_bays: int = 2
    ev_share: float = 0.2
    accessible_share: float = 0.1
    car_len: int = 168
    car_wid: int = 92


@dataclass(frozen=True)
class Scoring:
    queue_floor: float = 0.7
    circle_start: float = 0.5
    mistake_penalty: float = 0.25
    lesson_high_from: int = 80  # read by Game (high_from / mid_from)
    lesson_mid_from: int = 50


def load_pace(content: dict[str, Any], difficulty: str) -> Pace:
    return level_for(Pace, content, difficulty)


def load_scoring(content: dict[str, Any]) -> Scoring:
    return typed(Scoring, content.get("scoring", {}))


# --------------------------------------------------------------------------- state


@dataclass
class Bay:
    index: int
    rect: pygame.Rect
    top_row: bool  # top-row bays open downwards onto the aisle, bottom-row ones upwards
    kind: str = "regular"  # regular | ev | accessible
    car: Car | None = None  # parked, arriving or still backing out: the sensor says taken
    flash: float = 0.0
    flash_good: bool = True

    @property
    def free(self) -> bool:
        return self.car is None

    @property
    def sensor(self) -> tuple[int, int]:
        """The light at the back of the bay, away from the aisle."""
        y = self.rect.top + 22 if self.top_row else self.rect.bottom - 22
        return (self.rect.centerx, y)

    @property
    def park(self) -> tuple[float, float]:
        """Where a parked car's centre sits: nudged towards the aisle, clear of the light."""
        nudge = 16 if self.top_row else -16
        return (float(self.rect.centerx), float(self.rect.centery + nudge))

    @property
    def parked_heading(self) -> int:
        return 90 if self.top_row else 270


@dataclass
class Car:
    uid: int
    kind: str  # regular | ev | accessible
    color: RGB
    length: int
    width: int
    x: float
    y: float
    heading: int = 0
    state: str = "queue"  # queue | circling | driving | parked | leaving | gone
    lane: int = -1
    waited: float = 0.0  # since arriving at the gate (includes circling)
    circled: float = 0.0  # seconds spent circling
    mistakes: int = 0
    credit: float = 0.0
    path: Path = field(default_factory=list)
    ring_s: float = -1.0  # position along the ring road once on it
    bay: Bay | None = None
    stay_left: float = 0.0  # parked: seconds until the driver leaves
    shake: float = 0.0
    pop: float = 0.0
    anim: float = 0.0
    puff_t: float = 0.0

    @property
    def waiting(self) -> bool:
        return self.state in ("queue", "circling")

    @property
    def rect(self) -> pygame.Rect:
        w, h = (self.length, self.width) if self.heading in (0, 180) else (self.width, self.length)
        r = pygame.Rect(0, 0, w, h)
        r.center = (round(self.x), round(self.y))
        return r


@dataclass
class Drag:
    """A finger that went down on a waiting car; once it has ``moved`` it is dragging."""

    car: Car
    start: tuple[float, float]
    pos: tuple[float, float]
    moved: bool = False


def refusal(car: Car, bay: Bay) -> str:
    """'' if ``car`` may park in ``bay``, else the string key of the reason it may not."""
    if not bay.free:
        return "taken"
    if bay.kind == "ev" and car.kind != "ev":
        return "ev_only"
    if bay.kind == "accessible" and car.kind != "accessible":
        return "accessible_only"
    return ""


def credit(car: Car, pace: Pace, scoring: Scoring) -> float:
    """What guiding ``car`` into a bay now earns (0–1): full marks within ``grace_s`` of
    arriving, sliding to ``queue_floor`` as patience runs out; from ``circle_start`` down to
    0 while circling; less ``mistake_penalty`` for every wrong bay tried."""
    p, s = pace, scoring
    if car.state == "circling":
        base = s.circle_start * max(0.0, 1.0 - car.circled / max(0.1, p.circle_max_s))
    elif car.waited <= p.grace_s:
        base = 1.0
    else:
        f = min(1.0, (car.waited - p.grace_s) / max(0.1, p.patience_s - p.grace_s))
        base = 1.0 - (1.0 - s.queue_floor) * f
    return max(0.0, base - s.mistake_penalty * car.mistakes)
