"""One round of Park Smart: cars arriving at the gates, the visitor sending them to bays,
drivers losing patience and circling, parked cars leaving; the counters and the score.

Arrivals are scheduled on the round's :class:`~games.kit.timers.Timers`. Each car's own
times (how long it has waited or circled, how long it will stay parked) are its state: the
score and the patience bars read them.
"""

from __future__ import annotations

import pygame

from games.base import Game, GameContext, GameResult, rgb
from games.kit.gamebar import Feedback, say, tick
from games.kit.hits import hits, moved_beyond, topmost_hit
from games.kit.timers import Timers
from games.park_smart.floor import (
    DEPART_Y,
    RING_B,
    RING_L,
    RING_LH,
    RING_LV,
    advance,
    lay_out_bays,
    lay_out_lanes,
    path_to_bay,
    ring_pos,
    vector,
)
from games.park_smart.rules import (
    DRAG_SLOP,
    FLASH_S,
    GONE_S,
    GRAB_SLOP,
    MAX_PUFFS,
    POP_S,
    PUFF_EVERY_S,
    PUFF_S,
    READ_S,
    SHAKE_S,
    Bay,
    Car,
    Drag,
    credit,
    load_pace,
    load_scoring,
    refusal,
)
from games.park_smart.view import ParkView
from kiosk.input import PointerEvent


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
        self.bays = lay_out_bays(self.pace)
        self.lanes = lay_out_lanes(self.pace)
        self.lane_cars: list[Car | None] = [None] * len(self.lanes)
        self.cars: list[Car] = []
        self.selected: Car | None = None
        self.drags: dict[int, Drag] = {}
        self._uid = 0
        self.timers = Timers()  # the round's scheduled events (the next car's arrival)
        self.car_due = False  # a car is at the entrance, waiting for a free gate lane
        self.timers.schedule(self._car_arrives, self.first_arrival_s)

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
        self.marks: list[tuple[float, float, bool, float]] = []  # x, y, good, age
        self.puffs: list[list[float]] = []  # x, y, age, drift x, drift y
        self._fill_at_start()
        self.view = ParkView(self)

    # -- setting up -------------------------------------------------------------------

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
        return refusal(car, bay)

    def free_bays_for(self, car: Car) -> list[Bay]:
        return [b for b in self.bays if not self.can_park(car, b)]

    def car_at(self, x: float, y: float) -> Car | None:
        """The waiting car under a finger (generous round moving cars), nearest first."""
        near = [c for c in self.cars if c.waiting and hits(c.rect, (x, y), GRAB_SLOP)]
        if not near:
            return None
        return min(near, key=lambda c: (c.x - x) ** 2 + (c.y - y) ** 2)

    def bay_at(self, x: float, y: float) -> Bay | None:
        return topmost_hit(self.bays, (x, y))  # bays never overlap: at most one is hit

    def credit_for(self, car: Car) -> float:
        """What guiding ``car`` into a bay now would earn (0–1)."""
        return credit(car, self.pace, self.scoring)

    def active_car(self) -> Car | None:
        """The car being dragged, else the one chosen (if it still waits)."""
        for drag in self.drags.values():
            if drag.car.waiting:
                return drag.car
        return self.selected if self.selected is not None and self.selected.waiting else None

    def hover_bay(self) -> Bay | None:
        """The bay under a finger dragging a car."""
        for drag in self.drags.values():
            if drag.moved and drag.car.waiting:
                return self.bay_at(*drag.pos)
        return None

    # -- input ------------------------------------------------------------------------

    def handle(self, event: PointerEvent) -> None:
        if self.finished:
            return
        x, y = event.x, event.y
        if event.kind == "down":
            self.drags.pop(event.pointer, None)  # its "up" got lost: forget that drag
            car = self.car_at(x, y)
            if car is not None:
                self.selected = car
                car.pop = POP_S
                self.drags[event.pointer] = Drag(car, (x, y), (x, y))
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
            drag = self.drags.get(event.pointer)
            if drag is not None:
                drag.pos = (x, y)
                if moved_beyond(drag.start, (x, y), DRAG_SLOP):
                    drag.moved = True
        elif event.kind == "up":
            drag = self.drags.pop(event.pointer, None)
            if drag is None:
                return
            drag.pos = (x, y)
            if moved_beyond(drag.start, (x, y), DRAG_SLOP):
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
            self.marks.append((*bay.rect.center, False, 0.0))
            self.cue("bad")
            self._say(self.ctx.tr(reason), "bad")
            return
        earned = self.credit_for(car)
        car.credit = earned
        car.path = path_to_bay(car, bay)
        if car.lane >= 0:
            self.lane_cars[car.lane] = None
            car.lane = -1
        car.state = "driving"
        car.bay, bay.car = bay, car
        bay.flash, bay.flash_good = FLASH_S, True
        if self.selected is car:
            self.selected = None
        for drag in [p for p, d in self.drags.items() if d.car is car]:
            del self.drags[drag]
        self.parked += 1
        self.credits += earned
        if earned >= 0.999:
            self.prompt += 1
        self.marks.append((*bay.rect.center, True, 0.0))
        self.cue("good")
        if car.kind == "ev" and bay.kind == "ev":
            self.ev_charged += 1
            self._say(self.ctx.tr("parked_ev"), "good")
        elif earned >= 0.999:
            self._say(self.ctx.tr("parked"), "good", weak=True)
        else:
            self._say(self.ctx.tr("parked_late"), "good", weak=True)

    def _say(self, text: str, tone: str, weak: bool = False) -> None:
        """Show one line; a routine line never hides a warning the visitor is still reading."""
        self.feedback = say(self.feedback, text, tone, self.feedback_s, weak, READ_S)

    # -- time -------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        if self.finished:
            return
        dt = self.step(dt)
        self.elapsed += dt
        p = self.pace

        self.timers.update(dt)
        # A car that is due comes in as soon as a gate lane is free, unless time is nearly up.
        if self.car_due and self.time_left > self.no_arrive_last_s and self._arrive():
            self.car_due = False
            jitter = self.rng.uniform(-p.arrive_jitter, p.arrive_jitter)
            self.timers.schedule(self._car_arrives, p.arrive_every_s * (1.0 + jitter))

        for car in list(self.cars):
            self._step_car(car, dt)
        self._make_room()

        for bay in self.bays:
            bay.flash = max(0.0, bay.flash - dt)
        for puff in self.puffs:
            puff[2] += dt
            puff[0] += puff[3] * dt
            puff[1] += puff[4] * dt
        self.puffs = [pf for pf in self.puffs if pf[2] < PUFF_S]
        self.marks = [(x, y, g, a + dt) for x, y, g, a in self.marks if a + dt < FLASH_S]
        self.feedback = tick(self.feedback, dt)
        if self.selected is not None and not self.selected.waiting:
            self.selected = None

        if self.elapsed >= p.duration_s:
            self._finish()

    def _car_arrives(self) -> None:
        self.car_due = True

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
            advance(car, p.drive_speed * 0.8 * dt)
            if car.waited >= p.patience_s:
                self._start_circling(car)
        elif car.state == "circling":
            car.waited += dt
            car.circled += dt
            self.circling_s += dt
            if car.path:
                advance(car, p.circle_speed * 1.5 * dt)
            else:
                car.ring_s += p.circle_speed * dt
                car.x, car.y, car.heading = ring_pos(car.ring_s)
            car.puff_t += dt
            while car.puff_t >= PUFF_EVERY_S:
                car.puff_t -= PUFF_EVERY_S
                self._puff(car)
            if car.circled >= p.circle_max_s:
                self._give_up(car)
        elif car.state == "driving":
            advance(car, p.drive_speed * dt)
            if not car.path:
                car.state = "parked"
                car.stay_left = self.rng.uniform(p.stay_min_s, p.stay_max_s)
        elif car.state == "parked":
            car.stay_left -= dt
            if car.stay_left <= 0:
                self._leave(car)
        elif car.state == "leaving":
            advance(car, p.drive_speed * (0.35 if car.bay is not None else 1.0) * dt)
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
        if len(self.puffs) >= MAX_PUFFS:
            return
        hx, hy = vector(car.heading)
        back = car.length / 2 + 6
        x = car.x - hx * back + self.rng.uniform(-spread, spread)
        y = car.y - hy * back + self.rng.uniform(-spread, spread)
        self.puffs.append(
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
        self.drags.clear()
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
        self.damage = self.view.draw(surface, self.surface_kept)
