"""Park Smart / 智能泊車: send each arriving car straight to a free bay before it circles.

A top-down car park floor in Central. Every bay has an occupancy sensor light: green means
free, red means taken. Cars roll up to the entrance gates on the left; the visitor taps a
waiting car and then a green bay (or drags from the car to the bay; tapping a green bay with
no car chosen sends the car that has waited longest). The car drives in, the light turns red,
and some time later a parked car backs out and leaves, so its light turns green again.

A driver left waiting past their patience gives up on the gate and starts circling the ring
road, puffing exhaust: circling minutes and grams of CO₂ pile up on the counter. A circling
car can still be guided in (for less credit); after a while its driver gives up and leaves.
Sending a car to a red bay, or a petrol car into an electric-car charging bay, or a car
without a permit into an accessible bay, is a mistake: the bay's light flashes and the car
stays put. Electric cars may park anywhere, and charge in a charging bay.

Score (0–100, same meaning at every difficulty)::

    score = 100 × Σ credit ÷ counted

Each car that arrives earns a credit from 0 to 1 when it is parked: 1 if guided within
``grace_s`` of arriving, sliding to ``queue_floor`` as the driver's patience runs out; once
circling, from ``circle_start`` down to 0 when the driver gives up. Every wrong bay tried for
that car takes ``mistake_penalty`` off. ``counted`` is every car parked, every car that gave
up, and every car still circling or waiting past ``grace_s`` when time runs out (a car that
arrived in the final seconds is not held against the visitor). No input at all: every driver
gives up, score 0. Pace per difficulty, the scoring numbers and every visitor-facing word live
in ``assets/games/park_smart.toml``.

Public state for bots and tests: ``cars`` (:class:`Car` with ``x``/``y``, ``rect``, ``kind``,
``state``), ``waiting_cars()`` (longest wait first), ``bays`` (:class:`Bay` with ``rect``,
``kind``, ``free``), ``free_bays_for(car)``, ``can_park(car, bay)``, ``car_at``/``bay_at``,
``selected``, the counters ``parked``/``gave_up``/``mistakes`` and ``feedback``.
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass, field
from typing import Any

import pygame

from games.base import Bot, Game, GameContext, GameResult, GameSpec, level_for, rgb, typed
from games.kit.gamebar import Chip, Feedback, FeedbackLine, draw_top_bar, say, tick
from kiosk.input import PointerEvent
from kiosk.ui import theme
from kiosk.ui.blend import ease, lerp, shade
from kiosk.ui.shapes import SHADOW, draw_mark, point
from kiosk.ui.typeset import render_sub2

RGB = tuple[int, int, int]

# Layout on the 1920×1080 design canvas.
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

# Colours (text pairs are checked for contrast in the tests).
PANEL_FILL: RGB = (22, 42, 76)
BOARD_FILL: RGB = (8, 14, 26)
FLOOR_FILL: RGB = (60, 74, 100)
ROAD: RGB = (36, 48, 70)
BAY_FILL: RGB = (52, 66, 92)
EV_FILL: RGB = (26, 104, 86)
ACCESSIBLE_FILL: RGB = (30, 76, 158)
PAINT: RGB = (222, 228, 238)
WALL: RGB = (88, 104, 134)
SENSOR_FREE: RGB = (48, 232, 112)
SENSOR_TAKEN: RGB = (244, 58, 58)
HOUSING: RGB = (14, 20, 32)
ACCESSIBLE_BLUE: RGB = (26, 96, 214)
GLASS: RGB = (34, 50, 76)
PUFF: RGB = (196, 202, 212)

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

HEADINGS = (0, 90, 180, 270)  # degrees, counter-clockwise from "facing right" (pygame's sense)


# --------------------------------------------------------------------------- content


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
    path: list[tuple[float, float, bool]] = field(default_factory=list)  # x, y, reversing
    ring_s: float = -1.0  # position along the ring road once on it
    bay: Bay | None = None
    stay_left: float = 0.0
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
class _Drag:
    car: Car
    start: tuple[float, float]
    pos: tuple[float, float]
    moved: bool = False


# --------------------------------------------------------------------------- the game


class ParkSmart(Game):
    def __init__(self, ctx: GameContext) -> None:
        super().__init__(ctx)
        content = ctx.content
        self.pace = load_pace(content, ctx.difficulty)
        self.duration_s = self.pace.duration_s
        self.scoring = load_scoring(content)
        play = content.get("play", {})
        self.first_arrival_s = float(play.get("first_arrival_s", 1.0))
        self.no_arrive_last_s = float(play.get("no_arrive_last_s", 3.0))
        self.feedback_s = float(play.get("feedback_s", 3.0))
        self.minutes_per_s = float(play.get("minutes_per_s", 1.0))
        self.co2_g_per_min = float(play.get("co2_g_per_min", 40.0))
        cars = content.get("cars", {})
        self.colors = [rgb(c) for c in cars.get("colors", [])] or [(226, 64, 64)]
        self.ev_colors = [rgb(c) for c in cars.get("ev_colors", [])] or self.colors

        self.rng = ctx.new_rng()
        self.bays = self._layout_bays()
        self.lanes = self._layout_lanes()
        self.lane_cars: list[Car | None] = [None] * len(self.lanes)
        self.cars: list[Car] = []
        self.selected: Car | None = None
        self._drags: dict[int, _Drag] = {}
        self._uid = 0
        self._next_arrival = self.first_arrival_s

        self.arrived = 0
        self.parked = 0
        self.prompt = 0  # parked with full credit
        self.credits = 0.0
        self.gave_up = 0
        self.stranded = 0  # still circling or waiting too long when time ran out
        self.unresolved = 0  # arrived in the final seconds; not held against the visitor
        self.mistakes = 0
        self.circled_cars = 0
        self.ev_charged = 0
        self.circling_s = 0.0

        self.feedback: Feedback | None = Feedback(
            ctx.tr("hint"), "info", float(play.get("hint_s", 4.5)), weak=True
        )
        self._marks: list[tuple[float, float, bool, float]] = []  # x, y, good, age
        self._puffs: list[list[float]] = []  # x, y, age, drift x, drift y
        self._sprites: dict[tuple, pygame.Surface] = {}
        self._puff_frames: list[pygame.Surface] = []
        self._glow: pygame.Surface | None = None
        self._bg: pygame.Surface | None = None
        self._banner = FeedbackLine((ctx.size[0] / 2, BANNER_Y), ctx.size[0] - 2 * MARGIN - 80, 38)
        self._fill_at_start()

    # -- layout -----------------------------------------------------------------------

    def _layout_bays(self) -> list[Bay]:
        p = self.pace
        n = max(2, p.bays_per_row)
        w = BLOCK.w / n
        bays: list[Bay] = []
        for row, top in enumerate((True, False)):
            y = BLOCK.y if top else BLOCK.bottom - BAY_D
            for i in range(n):
                x0, x1 = round(BLOCK.x + i * w), round(BLOCK.x + (i + 1) * w)
                bays.append(Bay(row * n + i, pygame.Rect(x0, y, x1 - x0, BAY_D), top))
        top_row, bottom_row = bays[:n], bays[n:]
        # Charging bays at the far end of the top row; accessible bays nearest the entrance.
        for bay in top_row[n - min(p.ev_bays, n - 1) :] if p.ev_bays > 0 else []:
            bay.kind = "ev"
        for bay in bottom_row[: min(p.accessible_bays, n - 1)]:
            bay.kind = "accessible"
        return bays

    def _layout_lanes(self) -> list[tuple[float, float, int]]:
        """Entrance gate lanes: (car centre x, centre y, lane height)."""
        n = max(1, self.pace.queue_max)
        h = min(180, (LANES_BOTTOM - LANES_TOP) // n)
        top = LANES_TOP + ((LANES_BOTTOM - LANES_TOP) - n * h) // 2
        x = PANEL.x + 34 + self.pace.car_len / 2
        return [(x, top + h * (k + 0.5), h) for k in range(n)]

    def _fill_at_start(self) -> None:
        p = self.pace
        count = round(p.start_occupied * len(self.bays))
        for bay in self.rng.sample(self.bays, min(count, len(self.bays))):
            kind = bay.kind
            car = self._new_car(kind, *bay.park)
            car.state, car.heading, car.bay = "parked", bay.parked_heading, bay
            car.stay_left = self.rng.uniform(2.0, p.stay_max_s)
            bay.car = car
            self.cars.append(car)

    def _new_car(self, kind: str, x: float, y: float) -> Car:
        self._uid += 1
        palette = self.ev_colors if kind == "ev" else self.colors
        return Car(
            self._uid, kind, self.rng.choice(palette), self.pace.car_len, self.pace.car_wid, x, y
        )

    # -- public queries ---------------------------------------------------------------

    @property
    def counted(self) -> int:
        return self.parked + self.gave_up + self.stranded

    @property
    def circling_minutes(self) -> float:
        return self.circling_s * self.minutes_per_s

    @property
    def co2_grams(self) -> float:
        return self.circling_minutes * self.co2_g_per_min

    def score(self) -> int:
        return round(100 * self.credits / self.counted) if self.counted else 0

    def waiting_cars(self) -> list[Car]:
        """Cars the visitor can still guide, the longest-waiting first."""
        return sorted((c for c in self.cars if c.waiting), key=lambda c: (-c.waited, c.uid))

    def free_bays(self) -> list[Bay]:
        return [b for b in self.bays if b.free]

    def can_park(self, car: Car, bay: Bay) -> str:
        """'' if ``car`` may park in ``bay``, else the string key of the reason it may not."""
        if not bay.free:
            return "taken"
        if bay.kind == "ev" and car.kind != "ev":
            return "ev_only"
        if bay.kind == "accessible" and car.kind != "accessible":
            return "accessible_only"
        return ""

    def free_bays_for(self, car: Car) -> list[Bay]:
        return [b for b in self.bays if not self.can_park(car, b)]

    def car_at(self, x: float, y: float) -> Car | None:
        """The waiting car under a finger (generous round moving cars), nearest first."""
        hits = [
            c
            for c in self.cars
            if c.waiting and c.rect.inflate(2 * GRAB_SLOP, 2 * GRAB_SLOP).collidepoint(x, y)
        ]
        if not hits:
            return None
        return min(hits, key=lambda c: (c.x - x) ** 2 + (c.y - y) ** 2)

    def bay_at(self, x: float, y: float) -> Bay | None:
        for bay in self.bays:
            if bay.rect.collidepoint(x, y):
                return bay
        return None

    def credit_for(self, car: Car) -> float:
        """What guiding ``car`` into a bay now would earn (0–1)."""
        p, s = self.pace, self.scoring
        if car.state == "circling":
            base = s.circle_start * max(0.0, 1.0 - car.circled / max(0.1, p.circle_max_s))
        elif car.waited <= p.grace_s:
            base = 1.0
        else:
            f = min(1.0, (car.waited - p.grace_s) / max(0.1, p.patience_s - p.grace_s))
            base = 1.0 - (1.0 - s.queue_floor) * f
        return max(0.0, base - s.mistake_penalty * car.mistakes)

    # -- input ------------------------------------------------------------------------

    def handle(self, event: PointerEvent) -> None:
        if self.finished:
            return
        x, y = event.x, event.y
        if event.kind == "down":
            self._drags.pop(event.pointer, None)  # its "up" got lost: forget that drag
            car = self.car_at(x, y)
            if car is not None:
                self.selected = car
                car.pop = POP_S
                self._drags[event.pointer] = _Drag(car, (x, y), (x, y))
                self.cue("tap")
                self._say(self.ctx.tr("pick_bay"), "info", weak=True)
                return
            bay = self.bay_at(x, y)
            if bay is not None:
                car = (
                    self.selected
                    if self.selected is not None and self.selected.waiting
                    else next(iter(self.waiting_cars()), None)
                )
                self._send(car, bay)
        elif event.kind == "move":
            drag = self._drags.get(event.pointer)
            if drag is not None:
                drag.pos = (x, y)
                if math.hypot(x - drag.start[0], y - drag.start[1]) > DRAG_SLOP:
                    drag.moved = True
        elif event.kind == "up":
            drag = self._drags.pop(event.pointer, None)
            if drag is None:
                return
            drag.pos = (x, y)
            if math.hypot(x - drag.start[0], y - drag.start[1]) > DRAG_SLOP:
                drag.moved = True
            bay = self.bay_at(x, y)
            if drag.moved and bay is not None and drag.car.waiting:
                self._send(drag.car, bay)

    def _send(self, car: Car | None, bay: Bay) -> None:
        if car is None or not car.waiting:
            # Nobody to send: a touch on a bay just shows what its sensor says.
            bay.flash, bay.flash_good = FLASH_S, bay.free
            self.cue("tap")
            return
        reason = self.can_park(car, bay)
        if reason:
            car.mistakes += 1
            self.mistakes += 1
            car.shake = SHAKE_S
            bay.flash, bay.flash_good = FLASH_S, False
            self._marks.append((*bay.rect.center, False, 0.0))
            self.cue("bad")
            self._say(self.ctx.tr(reason), "bad")
            return
        credit = self.credit_for(car)
        car.credit = credit
        car.path = self._path_to_bay(car, bay)
        if car.lane >= 0:
            self.lane_cars[car.lane] = None
            car.lane = -1
        car.state = "driving"
        car.bay, bay.car = bay, car
        bay.flash, bay.flash_good = FLASH_S, True
        if self.selected is car:
            self.selected = None
        for drag in [p for p, d in self._drags.items() if d.car is car]:
            del self._drags[drag]
        self.parked += 1
        self.credits += credit
        if credit >= 0.999:
            self.prompt += 1
        self._marks.append((*bay.rect.center, True, 0.0))
        self.cue("good")
        if car.kind == "ev" and bay.kind == "ev":
            self.ev_charged += 1
            self._say(self.ctx.tr("parked_ev"), "good")
        elif credit >= 0.999:
            self._say(self.ctx.tr("parked"), "good", weak=True)
        else:
            self._say(self.ctx.tr("parked_late"), "good", weak=True)

    def _say(self, text: str, tone: str, weak: bool = False) -> None:
        """Show one line; a routine line never hides a warning the visitor is still reading."""
        self.feedback = say(self.feedback, text, tone, self.feedback_s, weak, READ_S)

    # -- paths ------------------------------------------------------------------------

    def _ring_pos(self, s: float) -> tuple[float, float, int]:
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

    def _path_to_bay(self, car: Car, bay: Bay) -> list[tuple[float, float, bool]]:
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
        jx, jy, _ = self._ring_pos(target)
        return [*path, (jx, jy, False), *tail]

    def _advance(self, car: Car, dist: float) -> None:
        while car.path and dist > 0:
            tx, ty, reversing = car.path[0]
            dx, dy = tx - car.x, ty - car.y
            d = math.hypot(dx, dy)
            if d > 0.5 and not reversing:
                car.heading = _heading(dx, dy)
            if d <= dist:
                car.x, car.y = tx, ty
                dist -= d
                car.path.pop(0)
            else:
                car.x += dx / d * dist
                car.y += dy / d * dist
                dist = 0.0

    # -- time -------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        if self.finished:
            return
        dt = min(max(dt, 0.0), 0.25)
        self.elapsed += dt
        p = self.pace

        self._next_arrival -= dt
        due = self._next_arrival <= 0 and self.time_left > self.no_arrive_last_s
        if due and self._arrive():
            jitter = self.rng.uniform(-p.arrive_jitter, p.arrive_jitter)
            self._next_arrival = p.arrive_every_s * (1.0 + jitter)

        for car in list(self.cars):
            self._step_car(car, dt)
        self._make_room()

        for bay in self.bays:
            bay.flash = max(0.0, bay.flash - dt)
        for puff in self._puffs:
            puff[2] += dt
            puff[0] += puff[3] * dt
            puff[1] += puff[4] * dt
        self._puffs = [pf for pf in self._puffs if pf[2] < PUFF_S]
        self._marks = [(x, y, g, a + dt) for x, y, g, a in self._marks if a + dt < FLASH_S]
        self.feedback = tick(self.feedback, dt)
        if self.selected is not None and not self.selected.waiting:
            self.selected = None

        if self.elapsed >= p.duration_s:
            self._finish()

    def _arrive(self) -> bool:
        free = [k for k, c in enumerate(self.lane_cars) if c is None]
        if not free:
            return False  # every gate is busy: the next car comes when one clears
        p = self.pace
        lane = min(free)
        roll = self.rng.random()
        kind = (
            "ev"
            if roll < p.ev_share
            else "accessible"
            if roll < p.ev_share + p.accessible_share
            else "regular"
        )
        lx, ly, _ = self.lanes[lane]
        car = self._new_car(kind, -p.car_len * 0.6, ly)
        car.lane = lane
        car.path = [(lx, ly, False)]
        self.lane_cars[lane] = car
        self.cars.append(car)
        self.arrived += 1
        return True

    def _step_car(self, car: Car, dt: float) -> None:
        p = self.pace
        car.shake = max(0.0, car.shake - dt)
        car.pop = max(0.0, car.pop - dt)
        if car.state == "queue":
            car.waited += dt
            self._advance(car, p.drive_speed * 0.8 * dt)
            if car.waited >= p.patience_s:
                self._start_circling(car)
        elif car.state == "circling":
            car.waited += dt
            car.circled += dt
            self.circling_s += dt
            if car.path:
                self._advance(car, p.circle_speed * 1.5 * dt)
            else:
                car.ring_s += p.circle_speed * dt
                car.x, car.y, car.heading = self._ring_pos(car.ring_s)
            car.puff_t += dt
            while car.puff_t >= PUFF_EVERY_S:
                car.puff_t -= PUFF_EVERY_S
                self._puff(car)
            if car.circled >= p.circle_max_s:
                self._give_up(car)
        elif car.state == "driving":
            self._advance(car, p.drive_speed * dt)
            if not car.path:
                car.state = "parked"
                car.stay_left = self.rng.uniform(p.stay_min_s, p.stay_max_s)
        elif car.state == "parked":
            car.stay_left -= dt
            if car.stay_left <= 0:
                self._leave(car)
        elif car.state == "leaving":
            self._advance(car, p.drive_speed * (0.35 if car.bay is not None else 1.0) * dt)
            if car.bay is not None and len(car.path) <= 1:
                car.bay.car = None  # backed out: the sensor turns green
                car.bay = None
            if not car.path:
                self.cars.remove(car)
        elif car.state == "gone":
            car.anim += dt
            if car.anim >= GONE_S:
                self.cars.remove(car)

    def _start_circling(self, car: Car) -> None:
        if car.lane >= 0:
            self.lane_cars[car.lane] = None
            car.lane = -1
        car.state = "circling"
        car.path = [(float(RING_L), car.y, False)]
        car.ring_s = 2 * RING_LH + RING_LV + (RING_B - car.y)
        self.circled_cars += 1
        self.cue("bad")
        self._say(self.ctx.tr("circling"), "bad")

    def _give_up(self, car: Car) -> None:
        car.state, car.anim, car.path = "gone", 0.0, []
        self.gave_up += 1
        for _ in range(4):
            self._puff(car, spread=40.0)
        self.cue("bad")
        self._say(self.ctx.tr("gave_up"), "bad")

    def _leave(self, car: Car) -> None:
        bay = car.bay
        if bay is None:
            return
        car.state = "leaving"
        car.path = [
            (float(bay.rect.centerx), float(DEPART_Y), True),
            (float(self.ctx.size[0] + car.length), float(DEPART_Y), False),
        ]

    def _make_room(self) -> None:
        """Free a bay early if the drivers waiting could not all park in the free ones.

        Smart sensors guide; they cannot conjure space. So that a quick, careful visitor can
        always park every car, a parked car leaves early whenever waiting cars outnumber the
        free (or soon free) bays they may use.
        """
        waiting = [c for c in self.cars if c.waiting]
        if not waiting:
            return
        soon = [c.bay for c in self.cars if c.state == "leaving" and c.bay is not None]
        free = self.free_bays() + soon
        regular_waiting = sum(1 for c in waiting if c.kind == "regular")
        regular_free = sum(1 for b in free if b.kind == "regular")
        if len(waiting) <= len(free) and regular_waiting <= regular_free:
            return
        parked = [
            c
            for c in self.cars
            if c.state == "parked" and c.bay is not None and c.bay.kind == "regular"
        ]
        if parked:
            self._leave(min(parked, key=lambda c: (c.stay_left, c.uid)))

    def _puff(self, car: Car, spread: float = 0.0) -> None:
        if len(self._puffs) >= MAX_PUFFS:
            return
        hx, hy = _vector(car.heading)
        back = car.length / 2 + 6
        x = car.x - hx * back + self.rng.uniform(-spread, spread)
        y = car.y - hy * back + self.rng.uniform(-spread, spread)
        self._puffs.append(
            [
                x,
                y,
                0.0,
                -hx * 20 + self.rng.uniform(-12, 12),
                -hy * 20 - 18 + self.rng.uniform(-8, 8),
            ]
        )

    def _finish(self) -> None:
        self.finished = True
        for car in self.cars:
            if car.state == "circling" or (car.state == "queue" and car.waited > self.pace.grace_s):
                self.stranded += 1
            elif car.state == "queue":
                self.unresolved += 1
        self._drags.clear()
        self.selected = None
        self._say(self.ctx.tr("times_up"), "info")

    def result(self) -> GameResult:
        return self.graded(
            arrived=self.arrived,
            counted=self.counted,
            parked=self.parked,
            parked_promptly=self.prompt,
            circled=self.circled_cars,
            gave_up=self.gave_up,
            stranded=self.stranded,
            unresolved=self.unresolved,
            mistakes=self.mistakes,
            ev_charged=self.ev_charged,
            circling_minutes=round(self.circling_minutes, 1),
            co2_g=round(self.co2_grams),
        )

    # -- drawing ----------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        surface.blit(self._background(), (0, 0))
        pulse = 0.5 + 0.5 * math.sin(self.elapsed * 7.0)
        self._draw_bay_states(surface, pulse)
        for car in self.cars:
            if car.state in ("parked", "driving", "leaving"):
                self._draw_car(surface, car)
        self._draw_sensors(surface)
        for car in self.cars:
            if car.state in ("circling", "gone"):
                self._draw_car(surface, car)
        self._draw_puffs(surface)
        self._draw_gates(surface)
        for car in self.cars:
            if car.state == "queue":
                self._draw_car(surface, car)
                self._draw_patience(surface, car)
        for car in self.cars:
            if car.state == "circling" and not car.path:
                self._draw_patience(surface, car)
        self._draw_selection(surface, pulse)
        for x, y, good, age in self._marks:
            f = age / FLASH_S
            draw_mark(surface, (x, y - 50 * f), 34, good, fade=1 - f)
        self._draw_top_bar(surface)
        self._draw_counters(surface)
        self._banner.draw(surface, self.ctx.text, self.feedback)

    # static layer

    def _background(self) -> pygame.Surface:
        if self._bg is not None:
            return self._bg
        w, h = self.ctx.size
        bg = pygame.Surface((w, h))
        bg.fill(theme.BACKGROUND)
        text, tr = self.ctx.text, self.ctx.tr
        # The entrance panel: a vacancy board, the gate lanes, the CO₂ card.
        pygame.draw.rect(bg, PANEL_FILL, PANEL, border_radius=theme.RADIUS)
        pygame.draw.rect(bg, BOARD_FILL, BOARD, border_radius=18)
        pygame.draw.rect(bg, WALL, BOARD, 3, border_radius=18)
        _draw_p_sign(bg, pygame.Rect(BOARD.x + 18, BOARD.y + 30, 72, 72))
        text.draw(
            bg,
            tr("free_board"),
            30,
            theme.TEXT_MUTED,
            center=(BOARD.x + 92 + (BOARD.w - 92) / 2, BOARD.y + 30),
            weight="bold",
        )
        label = text.render(tr("entrance"), 30, theme.INK, "bold")
        plate = label.get_rect(center=(PANEL.centerx, SIGN_Y)).inflate(72, 12)
        pygame.draw.rect(bg, theme.SUN, plate, border_radius=12)
        bg.blit(label, label.get_rect(midleft=(plate.x + 16, plate.centery)))
        _draw_arrow(bg, (plate.right - 18, plate.centery), 0, 12, theme.INK)
        pygame.draw.rect(bg, theme.CARD, CO2_CARD, border_radius=22)
        _draw_cloud(bg, (CO2_CARD.x + 58, CO2_CARD.y + 56), 30, PUFF)
        co2 = render_sub2(text, tr("co2_label"), 34, theme.TEXT_MUTED, "bold")
        bg.blit(co2, co2.get_rect(midleft=(CO2_CARD.x + 106, CO2_CARD.y + 40)))

        # The floor: wall, ring road, aisle, bay rows.
        pygame.draw.rect(bg, WALL, FLOOR.inflate(12, 12), border_radius=theme.RADIUS + 6)
        pygame.draw.rect(bg, ROAD, FLOOR, border_radius=theme.RADIUS)
        pygame.draw.rect(bg, FLOOR_FILL, BLOCK.inflate(20, 20), border_radius=18)
        pygame.draw.rect(bg, ROAD, AISLE)
        # Gate lanes from the panel into the ring road, and the exit gap on the right.
        for _, ly, lh in self.lanes:
            lane = pygame.Rect(PANEL.x + 10, 0, FLOOR.x + RING_W - PANEL.x - 10, lh - 26)
            lane.centery = round(ly)
            pygame.draw.rect(bg, ROAD, lane, border_radius=16)
            for x in range(PANEL.x + 24, PANEL.right - 50, 40):
                pygame.draw.line(bg, PAINT, (x, lane.top + 5), (x + 18, lane.top + 5), 3)
        exit_gap = pygame.Rect(FLOOR.right - 10, DEPART_Y - 56, w - FLOOR.right + 10, 112)
        pygame.draw.rect(bg, ROAD, exit_gap)
        # Ring road: dashed edge lines and one-way chevrons (clockwise).
        inner = FLOOR.inflate(-2 * RING_W, -2 * RING_W)
        pygame.draw.rect(bg, PAINT, inner.inflate(6, 6), 3, border_radius=10)
        for s in range(120, RING_P, 260):
            x, y, heading = self._ring_pos(s)
            if abs(y - ARRIVE_Y) > 90 or RING_L + 60 < x < RING_R - 60:
                _draw_chevron(bg, (x, y), heading, 16, (86, 100, 128))
        # Aisle: a dashed centre line and arrows towards the bays, then the exit.
        mid = (ARRIVE_Y + DEPART_Y) // 2
        for x in range(BLOCK.x, BLOCK.right - 20, 56):
            pygame.draw.line(bg, theme.SUN, (x, mid), (x + 28, mid), 4)
        for x in range(BLOCK.x + 100, BLOCK.right - 200, 300):
            _draw_chevron(bg, (x, ARRIVE_Y), 0, 18, (86, 100, 128))
        exit_label = text.render(tr("exit"), 28, theme.INK, "bold")
        plate = exit_label.get_rect(midright=(BLOCK.right - 50, DEPART_Y)).inflate(68, 12)
        pygame.draw.rect(bg, theme.SUN, plate, border_radius=12)
        bg.blit(exit_label, exit_label.get_rect(midleft=(plate.x + 14, plate.centery)))
        _draw_arrow(bg, (plate.right - 16, plate.centery), 0, 11, theme.INK)
        # Bays: tinted floor for special bays, white lines, a symbol, a sensor housing.
        for bay in self.bays:
            fill = {"ev": EV_FILL, "accessible": ACCESSIBLE_FILL}.get(bay.kind, BAY_FILL)
            pygame.draw.rect(bg, fill, bay.rect.inflate(-6, -6))
            back = bay.rect.top if bay.top_row else bay.rect.bottom - 4
            pygame.draw.rect(bg, PAINT, (bay.rect.x, back, bay.rect.w, 4))
            for x in (bay.rect.left, bay.rect.right - 4):
                pygame.draw.rect(bg, PAINT, (x, bay.rect.y, 4, bay.rect.h))
            side = min(bay.rect.w - 40, 96)
            sym = pygame.Rect(0, 0, side, side)
            sym.center = (bay.rect.centerx, bay.rect.centery + (14 if bay.top_row else -14))
            if bay.kind == "ev":
                _draw_bolt(bg, sym, shade(EV_FILL, 1.45))
            elif bay.kind == "accessible":
                _draw_wheelchair(bg, sym, shade(ACCESSIBLE_FILL, 1.5))
            else:
                glyph = pygame.Rect(0, 0, round(side * 0.42), round(side * 0.66))
                glyph.center = sym.center
                _draw_p_glyph(bg, glyph, shade(BAY_FILL, 1.25), BAY_FILL)
            sx, sy = bay.sensor
            pygame.draw.rect(bg, HOUSING, (sx - 30, sy - 17, 60, 34), border_radius=17)
        # Pillars of a multi-storey car park at the ends of the rows.
        for x in (BLOCK.x - 18, BLOCK.right + 2):
            for y in (BLOCK.y + 20, BLOCK.bottom - 56):
                pygame.draw.rect(bg, WALL, (x, y, 16, 36), border_radius=4)
        self._bg = bg
        return bg

    # dynamic layers

    def _draw_bay_states(self, surface: pygame.Surface, pulse: float) -> None:
        car = self._active_car()
        hover = self._hover_bay()
        for bay in self.bays:
            rect = bay.rect.inflate(-8, -8)
            if bay.flash > 0:
                color = theme.GOOD if bay.flash_good else SENSOR_TAKEN
                width = 8 if bay.flash_good else round(6 + 6 * abs(math.sin(bay.flash * 14)))
                pygame.draw.rect(surface, color, rect, width, border_radius=12)
            elif bay is hover:
                pygame.draw.rect(surface, theme.SUN, rect, 8, border_radius=12)
            elif car is not None and not self.can_park(car, bay):
                pygame.draw.rect(surface, theme.GOOD, rect, round(3 + 4 * pulse), border_radius=12)

    def _draw_sensors(self, surface: pygame.Surface) -> None:
        glow = self._glow_surface()
        for bay in self.bays:
            sx, sy = bay.sensor
            if bay.free:
                surface.blit(glow, glow.get_rect(center=(sx, sy)))
                color = SENSOR_FREE
            else:
                color = SENSOR_TAKEN
            r = 13
            if bay.flash > 0 and not bay.flash_good:
                r = round(13 + 9 * (bay.flash / FLASH_S))
                pygame.draw.circle(surface, SENSOR_TAKEN, (sx, sy), r + 10, 4)
            pygame.draw.circle(surface, color, (sx, sy), r)
            pygame.draw.circle(surface, shade(color, 1.5), (sx - 4, sy - 4), 4)

    def _draw_gates(self, surface: pygame.Surface) -> None:
        for k, (_, ly, lh) in enumerate(self.lanes):
            car = self.lane_cars[k]
            closed = car is not None and car.state == "queue" and not car.path
            post = (PANEL.right - 24, round(ly - lh / 2 + 20))
            pygame.draw.circle(surface, WALL, post, 9)
            # A boom across the lane while a car waits; raised once it drives through.
            end = (post[0], round(ly + lh / 2 - 22)) if closed else (post[0] + 40, post[1] - 6)
            pygame.draw.line(surface, (245, 245, 245), post, end, 10)
            n = 4
            for i in range(1, n, 2):
                a = (lerp(post[0], end[0], i / n), lerp(post[1], end[1], i / n))
                b = (lerp(post[0], end[0], (i + 1) / n), lerp(post[1], end[1], (i + 1) / n))
                pygame.draw.line(surface, SENSOR_TAKEN, a, b, 10)

    def _draw_patience(self, surface: pygame.Surface, car: Car) -> None:
        p = self.pace
        if car.state == "queue":
            left = max(0.0, 1.0 - car.waited / max(0.1, p.patience_s))
            bar = pygame.Rect(0, 0, min(200, round(car.length * 1.05)), 14)
            bar.midtop = (round(car.x), round(car.y + car.width / 2 + 10))
        else:
            left = max(0.0, 1.0 - car.circled / max(0.1, p.circle_max_s))
            bar = pygame.Rect(0, 0, 110, 12)
            rect = car.rect
            if car.y < FLOOR.y + RING_W:  # top of the ring: below the car, clear of the top bar
                bar.midtop = (rect.centerx, rect.bottom + 14)
            else:
                bar.midbottom = (rect.centerx, rect.top - 14)
        color = theme.GOOD if left > 0.55 else theme.SUN if left > 0.25 else theme.BAD
        pygame.draw.rect(surface, SHADOW, bar.inflate(6, 6), border_radius=10)
        if left > 0:
            fill = bar.copy()
            fill.width = max(6, round(bar.width * left))
            pygame.draw.rect(surface, color, fill, border_radius=7)

    def _draw_selection(self, surface: pygame.Surface, pulse: float) -> None:
        car = self.selected
        if car is not None and car.waiting:
            rect = car.rect.inflate(22 + 8 * pulse, 22 + 8 * pulse)
            pygame.draw.rect(surface, theme.SUN, rect, 6, border_radius=24)
        elif self.parked == 0 and not self._drags:
            # Until the first car is parked, a ring ripples out from the car to tap first.
            first = next(iter(self.waiting_cars()), None)
            if first is not None and first.state == "queue":
                f = (self.elapsed * 1.2) % 1.0
                rect = first.rect.inflate(16 + 40 * f, 16 + 40 * f)
                pygame.draw.rect(
                    surface, theme.SUN, rect, max(2, round(7 * (1 - f))), border_radius=26
                )
        for drag in self._drags.values():
            if not drag.moved or not drag.car.waiting:
                continue
            start = (drag.car.x, drag.car.y)
            _dashed_line(surface, theme.SUN, start, drag.pos, 8, 26)
            pygame.draw.circle(surface, theme.SUN, (round(drag.pos[0]), round(drag.pos[1])), 22, 6)

    def _draw_puffs(self, surface: pygame.Surface) -> None:
        frames = self._puff_surfaces()
        n = len(frames)
        for x, y, age, _, _ in self._puffs:
            img = frames[min(n - 1, int(age / PUFF_S * n))]
            surface.blit(img, img.get_rect(center=(round(x), round(y))))

    def _draw_car(self, surface: pygame.Surface, car: Car) -> None:
        sprite = self._sprite(car)
        x, y = car.x, car.y
        if car.shake > 0:
            x += math.sin(car.shake * 50) * 9 * (car.shake / SHAKE_S)
        if car.pop > 0:
            f = 1.0 + 0.12 * math.sin(math.pi * car.pop / POP_S)
            w, h = sprite.get_size()
            sprite = pygame.transform.smoothscale(sprite, (round(w * f), round(h * f)))
        if car.state == "gone":
            sprite = sprite.copy()
            sprite.set_alpha(round(255 * max(0.0, 1.0 - car.anim / GONE_S)))
        surface.blit(sprite, sprite.get_rect(center=(round(x) + 2, round(y) + 2)))
        if car.state == "circling":
            rect = car.rect.inflate(12, 12)
            pygame.draw.rect(surface, theme.BAD, rect, 4, border_radius=20)

    def _draw_top_bar(self, surface: pygame.Surface) -> None:
        tally = self.ctx.tr("tally", parked=self.parked, total=self.arrived)
        chips = [Chip(tally, _p_sign_chip, pad=100, text_x=74)]
        duration = self.pace.duration_s
        draw_top_bar(surface, self.ctx, self.time_left, duration, self.finished, chips, track_y=100)

    def _draw_counters(self, surface: pygame.Surface) -> None:
        text, tr = self.ctx.text, self.ctx.tr
        free = sum(1 for b in self.bays if b.free)
        text.draw(
            surface,
            str(free),
            76,
            SENSOR_FREE if free else SENSOR_TAKEN,
            center=(BOARD.x + 92 + (BOARD.w - 92) / 2, BOARD.y + 88),
            weight="bold",
        )
        text.draw(
            surface,
            tr("co2_value", grams=round(self.co2_grams)),
            54,
            theme.BAD,
            topleft=(CO2_CARD.x + 104, CO2_CARD.y + 62),
            weight="bold",
        )
        minutes = tr("circling_minutes", minutes=f"{self.circling_minutes:.1f}")
        text.draw(
            surface, minutes, 28, theme.TEXT_MUTED, topleft=(CO2_CARD.x + 24, CO2_CARD.bottom - 48)
        )

    # helpers for drawing

    def _active_car(self) -> Car | None:
        for drag in self._drags.values():
            if drag.car.waiting:
                return drag.car
        return self.selected if self.selected is not None and self.selected.waiting else None

    def _hover_bay(self) -> Bay | None:
        for drag in self._drags.values():
            if drag.moved and drag.car.waiting:
                return self.bay_at(*drag.pos)
        return None

    def _sprite(self, car: Car) -> pygame.Surface:
        key = (car.color, car.kind, car.heading)
        sprite = self._sprites.get(key)
        if sprite is None:
            base_key = (car.color, "body", 0)
            base = self._sprites.get(base_key)
            if base is None:
                base = render_car(car.color, car.kind, car.length, car.width, badge=False)
                self._sprites[base_key] = base
            sprite = pygame.transform.rotate(base, car.heading) if car.heading else base.copy()
            if car.kind != "regular":  # the badge stays upright whichever way the car faces
                hx, hy = _vector(car.heading)
                cx, cy = sprite.get_rect().center
                draw_badge(
                    sprite,
                    (cx - hx * 0.07 * car.length, cy - hy * 0.07 * car.length),
                    car.kind,
                    car.width,
                )
            self._sprites[key] = sprite
        return sprite

    def _glow_surface(self) -> pygame.Surface:
        if self._glow is None:
            glow = pygame.Surface((64, 64), pygame.SRCALPHA)
            for r, a in ((30, 40), (24, 60), (19, 90)):
                pygame.draw.circle(glow, (*SENSOR_FREE, a), (32, 32), r)
            self._glow = glow
        return self._glow

    def _puff_surfaces(self) -> list[pygame.Surface]:
        if not self._puff_frames:
            for k in range(10):
                f = k / 9
                r = round(10 + 18 * f)
                img = pygame.Surface((2 * r + 4, 2 * r + 4), pygame.SRCALPHA)
                alpha = round(200 * (1 - f) ** 1.2)
                pygame.draw.circle(img, (*PUFF, alpha), (r + 2, r + 2), r)
                pygame.draw.circle(
                    img, (*shade(PUFF, 1.3), alpha), (r - r // 3, r - r // 3), max(2, r // 2)
                )
                self._puff_frames.append(img)
        return self._puff_frames


# --------------------------------------------------------------------------- the bot


class ParkBot(Bot):
    """Plays through pointer events only: look, tap a waiting car, tap a bay (or drag).

    ``skill`` sets the reaction time, whether it picks the longest-waiting car, and the
    chance of choosing a bay the car may use (8 % at skill 0, where its wrong picks are red
    or reserved bays; 100 % at skill 1, when it also puts electric cars on chargers).
    """

    POINTER = 103

    def __init__(self, game: Game, rng: random.Random, skill: float) -> None:
        super().__init__(game, rng, max(0.0, min(1.0, skill)))
        self.phase = "think"
        self.wait = self._reaction() + 0.3
        self.car: Car | None = None
        self.bay: Bay | None = None
        self.t = 0.0
        self.travel = 0.5
        self.start = (0.0, 0.0)

    def _reaction(self) -> float:
        return (0.22 + 3.8 * (1.0 - self.skill)) * self.rng.uniform(0.8, 1.25)

    def _choose(self, game: ParkSmart) -> bool:
        waiting = game.waiting_cars()
        if not waiting:
            return False
        longest = self.rng.random() < 0.4 + 0.6 * self.skill
        car = waiting[0] if longest else self.rng.choice(waiting)
        if self.rng.random() < 0.08 + 0.92 * math.sqrt(self.skill):
            options = game.free_bays_for(car)
            if not options:
                return False
            chargers = [b for b in options if b.kind == "ev"]
            if chargers and self.rng.random() < self.skill:
                options = chargers
            bay = self.rng.choice(options)
        else:
            wrong = [b for b in game.bays if game.can_park(car, b)]
            bay = self.rng.choice(wrong or game.bays)
        self.car, self.bay = car, bay
        return True

    def _bay_point(self) -> tuple[float, float]:
        assert self.bay is not None
        r = self.bay.rect
        return (
            r.centerx + self.rng.uniform(-0.25, 0.25) * r.w,
            r.centery + self.rng.uniform(-0.25, 0.25) * r.h,
        )

    def step(self, dt: float) -> list[PointerEvent]:
        game = self.game
        assert isinstance(game, ParkSmart)
        if game.finished:
            return []
        pid = self.POINTER
        if self.phase == "think":
            self.wait -= dt
            if self.wait > 0:
                return []
            if not self._choose(game):
                self.wait = 0.1
                return []
            car = self.car
            assert car is not None
            self.start = (
                car.x + self.rng.uniform(-0.2, 0.2) * car.rect.w,
                car.y + self.rng.uniform(-0.2, 0.2) * car.rect.h,
            )
            if self.rng.random() < 0.3:
                self.phase, self.t = "drag", 0.0
                self.travel = (0.25 + 0.6 * (1.0 - self.skill)) * self.rng.uniform(0.85, 1.2)
                self.end = self._bay_point()
                return [PointerEvent("down", *self.start, pid)]
            self.phase = "gap"
            self.wait = (0.12 + 0.5 * (1.0 - self.skill)) * self.rng.uniform(0.8, 1.25)
            return [PointerEvent("down", *self.start, pid), PointerEvent("up", *self.start, pid)]
        if self.phase == "gap":
            self.wait -= dt
            if self.wait > 0:
                return []
            self.phase, self.wait = "think", self._reaction()
            if self.car is None or not self.car.waiting:
                return []
            pos = self._bay_point()
            return [PointerEvent("down", *pos, pid), PointerEvent("up", *pos, pid)]
        # Dragging from the car to the bay.
        self.t += dt
        f = ease(min(1.0, self.t / self.travel))
        pos = (lerp(self.start[0], self.end[0], f), lerp(self.start[1], self.end[1], f))
        events = [PointerEvent("move", *pos, pid)]
        if self.t >= self.travel:
            events.append(PointerEvent("up", *pos, pid))
            self.phase, self.wait = "think", self._reaction()
        return events


# --------------------------------------------------------------------------- drawing helpers


def _heading(dx: float, dy: float) -> int:
    if abs(dx) >= abs(dy):
        return 0 if dx > 0 else 180
    return 270 if dy > 0 else 90


def _vector(heading: int) -> tuple[float, float]:
    return {0: (1.0, 0.0), 90: (0.0, -1.0), 180: (-1.0, 0.0), 270: (0.0, 1.0)}[heading % 360]


def _rot(
    points: list[tuple[float, float]], centre: tuple[float, float], heading: int, scale: float
) -> list[tuple[float, float]]:
    """Unit-shape points (facing right, around 0,0) turned to a heading and placed."""
    cx, cy = centre
    a = math.radians(heading)
    ca, sa = math.cos(a), math.sin(a)
    return [(cx + (x * ca + y * sa) * scale, cy + (-x * sa + y * ca) * scale) for x, y in points]


def _draw_chevron(
    s: pygame.Surface, centre: tuple[float, float], heading: int, size: float, color: RGB
) -> None:
    pts = _rot([(-0.6, -1.0), (0.4, 0.0), (-0.6, 1.0)], centre, heading, size)
    pygame.draw.lines(s, color, False, pts, 6)


def _draw_arrow(
    s: pygame.Surface, centre: tuple[float, float], heading: int, size: float, color: RGB
) -> None:
    pts = _rot(
        [(-1.0, -0.3), (0.1, -0.3), (0.1, -0.9), (1.0, 0.0), (0.1, 0.9), (0.1, 0.3), (-1.0, 0.3)],
        centre,
        heading,
        size,
    )
    pygame.draw.polygon(s, color, pts)


def _dashed_line(
    s: pygame.Surface,
    color: RGB,
    a: tuple[float, float],
    b: tuple[float, float],
    width: int,
    dash: float,
) -> None:
    length = math.hypot(b[0] - a[0], b[1] - a[1])
    if length < 1:
        return
    ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    d = 0.0
    while d < length:
        e = min(length, d + dash)
        pygame.draw.line(
            s, color, (a[0] + ux * d, a[1] + uy * d), (a[0] + ux * e, a[1] + uy * e), width
        )
        d += dash * 1.8


def _draw_cloud(s: pygame.Surface, centre: tuple[float, float], r: float, color: RGB) -> None:
    cx, cy = centre
    for fx, fy, fr in ((-0.7, 0.2, 0.55), (0.0, -0.15, 0.75), (0.75, 0.2, 0.55), (0.1, 0.35, 0.6)):
        pygame.draw.circle(s, color, (round(cx + fx * r), round(cy + fy * r)), round(fr * r))


def _draw_bolt(s: pygame.Surface, r: pygame.Rect, color: RGB) -> None:
    pts = [
        (0.58, 0.0),
        (0.16, 0.58),
        (0.46, 0.58),
        (0.36, 1.0),
        (0.84, 0.38),
        (0.54, 0.38),
        (0.7, 0.0),
    ]
    pygame.draw.polygon(s, color, [(r.x + fx * r.w, r.y + fy * r.h) for fx, fy in pts])


def _draw_wheelchair(s: pygame.Surface, r: pygame.Rect, color: RGB) -> None:
    """The international symbol of access, in shapes."""
    lw = max(3, r.w // 11)
    p = functools.partial(point, r)
    pygame.draw.circle(s, color, p(0.42, 0.12), max(3, round(r.w * 0.1)))
    pygame.draw.line(s, color, p(0.4, 0.26), p(0.4, 0.56), lw)  # back
    pygame.draw.line(s, color, p(0.4, 0.38), p(0.62, 0.38), lw)  # arms
    pygame.draw.line(s, color, p(0.4, 0.56), p(0.7, 0.56), lw)  # seat
    pygame.draw.line(s, color, p(0.7, 0.56), p(0.82, 0.84), lw)  # leg
    pygame.draw.line(s, color, p(0.82, 0.84), p(0.94, 0.8), lw)
    wheel = pygame.Rect(0, 0, round(r.w * 0.56), round(r.h * 0.56))
    wheel.center = p(0.4, 0.68)
    pygame.draw.arc(s, color, wheel, math.radians(100), math.radians(400), lw)


def _draw_p_glyph(s: pygame.Surface, r: pygame.Rect, color: RGB, bg: RGB) -> None:
    """A bold letter P (the parking symbol) filling ``r``, cut out of ``bg``."""
    lw = max(3, round(r.w * 0.26))
    bowl_h = round(r.h * 0.6)
    rad = bowl_h // 2
    xb = max(r.x + lw, r.right - rad)
    yc = r.y + rad
    pygame.draw.circle(s, color, (xb, yc), rad)
    pygame.draw.rect(s, color, (r.x, r.y, xb - r.x, bowl_h))
    pygame.draw.circle(s, bg, (xb, yc), max(1, rad - lw))
    pygame.draw.rect(s, bg, (r.x + lw, r.y + lw, xb - r.x - lw, bowl_h - 2 * lw))
    pygame.draw.rect(s, color, (r.x, r.y, lw, r.h))


def _p_sign_chip(s: pygame.Surface, box: pygame.Rect) -> None:
    _draw_p_sign(s, pygame.Rect(box.x + 16, box.y + 14, 44, 44))


def _draw_p_sign(s: pygame.Surface, r: pygame.Rect) -> None:
    """A blue parking sign with a white P, drawn with shapes."""
    pygame.draw.rect(s, ACCESSIBLE_BLUE, r, border_radius=max(4, r.w // 6))
    pygame.draw.rect(s, theme.WHITE, r, max(2, r.w // 18), border_radius=max(4, r.w // 6))
    inner = pygame.Rect(0, 0, round(r.w * 0.4), round(r.h * 0.62))
    inner.center = (r.centerx, r.centery)
    _draw_p_glyph(s, inner, theme.WHITE, ACCESSIBLE_BLUE)


def render_car(
    color: RGB, kind: str, length: int, width: int, badge: bool = True
) -> pygame.Surface:
    """A car seen from above, facing right, with a soft shadow; EVs and permit cars badged."""
    pad = 8
    s = pygame.Surface((length + 2 * pad, width + 2 * pad), pygame.SRCALPHA)
    body = pygame.Rect(pad, pad, length, width)

    def p(fx: float, fy: float) -> tuple[float, float]:
        return (body.x + fx * length, body.y + fy * width)

    pygame.draw.rect(s, (0, 0, 0, 90), body.move(5, 6), border_radius=round(width * 0.34))
    tyre = (20, 22, 28)
    for fx in (0.14, 0.7):
        for fy in (-0.06, 0.9):
            pygame.draw.rect(s, tyre, (*p(fx, fy), length * 0.16, width * 0.16), border_radius=4)
    edge = shade(color, 0.62)
    pygame.draw.rect(s, color, body, border_radius=round(width * 0.34))
    pygame.draw.rect(s, edge, body, 3, border_radius=round(width * 0.34))
    # Bonnet crease lines, windscreen, roof, rear window.
    pygame.draw.line(s, shade(color, 0.85), p(0.78, 0.3), p(0.95, 0.32), 2)
    pygame.draw.line(s, shade(color, 0.85), p(0.78, 0.7), p(0.95, 0.68), 2)
    pygame.draw.polygon(s, GLASS, [p(0.6, 0.16), p(0.75, 0.1), p(0.75, 0.9), p(0.6, 0.84)])
    pygame.draw.polygon(s, GLASS, [p(0.14, 0.2), p(0.25, 0.16), p(0.25, 0.84), p(0.14, 0.8)])
    roof = pygame.Rect(*p(0.27, 0.14), length * 0.32, width * 0.72)
    pygame.draw.rect(s, shade(color, 1.12), roof, border_radius=round(width * 0.16))
    pygame.draw.rect(s, edge, roof, 2, border_radius=round(width * 0.16))
    pygame.draw.line(s, (120, 150, 190), p(0.64, 0.2), p(0.7, 0.6), 3)  # glint
    # Mirrors, headlights, tail lights.
    for fy in (-0.08, 0.98):
        pygame.draw.ellipse(s, edge, (*p(0.56, fy), length * 0.06, width * 0.12))
    for fy in (0.08, 0.74):
        pygame.draw.ellipse(s, (255, 244, 190), (*p(0.92, fy), length * 0.06, width * 0.18))
        pygame.draw.rect(
            s, (220, 40, 40), (*p(0.0, fy), length * 0.04, width * 0.18), border_radius=3
        )
    if badge:
        draw_badge(s, (roof.centerx, roof.centery), kind, width)
    return s


def draw_badge(s: pygame.Surface, centre: tuple[float, float], kind: str, width: int) -> None:
    """The roof badge, always upright: a charging bolt for EVs, the access symbol for permits."""
    badge = pygame.Rect(0, 0, round(width * 0.52), round(width * 0.52))
    badge.center = (round(centre[0]), round(centre[1]))
    if kind == "ev":
        pygame.draw.circle(s, theme.MINT, badge.center, badge.w // 2 + 2)
        pygame.draw.circle(s, theme.INK, badge.center, badge.w // 2 + 2, 3)
        _draw_bolt(s, badge.inflate(-badge.w // 4, -badge.h // 5), theme.INK)
    elif kind == "accessible":
        pygame.draw.rect(s, ACCESSIBLE_BLUE, badge.inflate(6, 6), border_radius=8)
        pygame.draw.rect(s, theme.WHITE, badge.inflate(6, 6), 2, border_radius=8)
        _draw_wheelchair(s, badge.inflate(-badge.w // 5, -badge.h // 5), theme.WHITE)


def draw_icon(surface: pygame.Surface, rect: pygame.Rect) -> None:
    """Menu icon: two bays seen from above, one taken (red light) and one free (green)."""
    floor = rect.inflate(-rect.w // 20, -rect.h // 20)
    pygame.draw.rect(surface, ROAD, floor, border_radius=max(6, rect.w // 10))
    bw = floor.w * 0.36
    bays = []
    for k in range(2):
        bay = pygame.Rect(
            round(floor.x + floor.w * 0.12 + k * (bw + floor.w * 0.04)),
            round(floor.y + floor.h * 0.1),
            round(bw),
            round(floor.h * 0.62),
        )
        bays.append(bay)
        pygame.draw.rect(surface, BAY_FILL, bay)
        lw = max(2, rect.w // 60)
        for x in (bay.left, bay.right - lw):
            pygame.draw.rect(surface, PAINT, (x, bay.y, lw, bay.h))
        pygame.draw.rect(surface, PAINT, (bay.x, bay.y, bay.w, lw))
    car_w, car_l = round(bw * 0.62), round(floor.h * 0.5)
    car = pygame.transform.smoothscale(
        pygame.transform.rotate(render_car((226, 64, 64), "regular", 168, 92), 90), (car_w, car_l)
    )
    surface.blit(car, car.get_rect(center=(bays[0].centerx, bays[0].centery + rect.h // 14)))
    r = max(4, rect.w // 18)
    for bay, color in ((bays[0], SENSOR_TAKEN), (bays[1], SENSOR_FREE)):
        centre = (bay.centerx, bay.y + r + rect.h // 40)
        pygame.draw.circle(surface, HOUSING, centre, r + 3)
        pygame.draw.circle(surface, color, centre, r)
    sign = pygame.Rect(0, 0, round(rect.w * 0.3), round(rect.w * 0.3))
    sign.midbottom = (bays[1].centerx, floor.bottom - rect.h // 30)
    _draw_p_sign(surface, sign)


GAME = GameSpec(
    id="park_smart",
    factory=ParkSmart,
    bot=ParkBot,
    idle_limit_s=20.0,
    draw_icon=draw_icon,
)
