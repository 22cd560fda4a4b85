"""Smart Commute / 智慧出行: ride across a stylised Hong Kong, fast and green, by live boards.

Each round is a few trips ("Dim sum with Grandma: Central → Mong Kok"). At every stop the
visitor gets two or three rides on cards that look like a real-time arrival board: the line
(MTR Island Line, tram, bus, Star Ferry, bike, walking, taxi) and where to get off, a
countdown to the next departure that ticks down ("3 min", "Arriving"), the minutes on the
way and the grams of CO₂ per passenger. They tap a card (or its numbered stop on the map);
the ride runs on the map while the board's clock jumps on by the wait and the ride; then the
next stop's board appears, until the destination. Wander too far and you are "lost in the
city": on to the next trip.

Score (0–100, same meaning at every difficulty). A ride's cost is its minutes (waiting +
riding, with the walk to and from a deep MTR platform) plus its CO₂ grams ÷
``grams_per_minute``. A choice is worth that cost plus the best cost still to go from where
it leads (timetable-average waits), with the countdowns as they were when the card was
pressed. Per trip::

    trip score = 100 × best ÷ chosen,   chosen = best + Σ (your pick − the best pick shown)

where ``best`` is the best journey cost from the start as the first board showed it, and a
pick within ``good_within`` of the best counts as the best. So always taking the best card
scores exactly 100 whatever the countdowns did, and a taxi or a wrong-way train costs what
it really adds. The round score is the mean over all trips
offered; a trip unfinished at the bell, or lost, counts 0. No input scores 0.

Content (stops, lines, links with minutes and grams, trips, the pace per level, every word)
lives in ``assets/games/smart_commute.toml``.

Public state for bots and tests: ``phase`` ("choose", "ride", "arrived", "done"),
``options`` (:class:`Option`: ``number``, ``ride``, ``rect``), ``best_option()``,
``value_of(option)``, ``wait_of(option)``, ``offer_id``, ``run`` (the :class:`TripRun` in
progress), ``trips``, ``trip_scores``, ``outcomes``, ``map_target(option)``, ``score()``,
``feedback``.
"""

from __future__ import annotations

import heapq
import math
import random
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import pygame

from games.base import Bot, Game, GameContext, GameResult, GameSpec, level_for, rgb
from games.kit.gamebar import Chip, draw_top_bar, tone_colour
from kiosk.input import PointerEvent
from kiosk.ui import theme
from kiosk.ui.blend import ease, lerp, mix, shade
from kiosk.ui.shapes import SHADOW, draw_clock, draw_mark, draw_star, leaf, point, sub_rect
from kiosk.ui.typeset import CO2, render_sub2, sub2_width

RGB = tuple[int, int, int]

MARGIN = 40
MAP_RECT = pygame.Rect(24, 124, 1100, 932)
SIDE_X = 1144
SIDE_W = 752
TRIP_RECT = pygame.Rect(SIDE_X, 124, SIDE_W, 186)
HEADER_RECT = pygame.Rect(SIDE_X, 322, SIDE_W, 64)
OPTIONS_RECT = pygame.Rect(SIDE_X, 398, SIDE_W, 566)
BANNER_RECT = pygame.Rect(SIDE_X, 974, SIDE_W, 82)

WATER: RGB = (19, 62, 112)
WAVE: RGB = (34, 84, 140)
LAND: RGB = (33, 56, 92)
HILL: RGB = (40, 68, 108)
LED_BG: RGB = (12, 16, 24)
LED_AMBER: RGB = (255, 184, 40)
PRESSED: RGB = (40, 74, 128)  # a card under a finger (white text stays ≥ 4.5:1)
DIM: tuple[int, int, int, int] = (14, 30, 58, 150)

SLOP = 30  # px a finger may slide off a card and still choose it
MAP_HIT_R = 56  # px around a numbered badge on the map that counts as touching it
RIPPLE_S = 0.45
FLASH_S = 0.6
TOP_BAR: dict[str, Any] = {"title": False, "pill_dx": -60, "track_y": 100}  # title: in bg

MODE_ORDER = ("mtr", "tram", "bus", "ferry", "bike", "walk", "taxi")


# --------------------------------------------------------------------------- content


@dataclass(frozen=True)
class Mode:
    id: str
    glyph: str
    color: RGB
    headway: float  # minutes between departures; 0 = no timetable
    fixed_wait: float  # minutes before a ride without a timetable starts
    access: float  # minutes down to the platform and back up at the other end
    name: dict[str, str]

    @property
    def scheduled(self) -> bool:
        return self.headway > 0


@dataclass(frozen=True)
class Stop:
    id: str
    x: float
    y: float
    label: str
    name: dict[str, str]


@dataclass(frozen=True)
class Edge:
    """One direction of a link between two neighbouring stops."""

    idx: int
    frm: str
    to: str
    mode: Mode
    line: str
    color: RGB
    name: dict[str, str]  # the line's name, or the mode's
    minutes: int
    co2: int
    link: int  # index of the two-way link in the content
    headway: float  # the line's minutes between departures (0: no timetable)

    @property
    def scheduled(self) -> bool:
        return self.headway > 0


@dataclass(frozen=True)
class Ride:
    """What a card offers: board one line here and get off at ``to`` (one or more stops)."""

    idx: int
    segs: tuple[Edge, ...]
    minutes: int  # riding, plus the platform walks of a deep MTR station
    co2: int

    @property
    def first(self) -> Edge:
        return self.segs[0]

    @property
    def frm(self) -> str:
        return self.segs[0].frm

    @property
    def to(self) -> str:
        return self.segs[-1].to

    @property
    def mode(self) -> Mode:
        return self.segs[0].mode

    @property
    def line(self) -> str:
        return self.segs[0].line

    @property
    def color(self) -> RGB:
        return self.segs[0].color

    @property
    def name(self) -> dict[str, str]:
        return self.segs[0].name

    @property
    def stops(self) -> int:
        return len(self.segs)

    @property
    def scheduled(self) -> bool:
        return self.segs[0].scheduled


@dataclass(frozen=True)
class TripSpec:
    id: str
    start: str
    dest: str
    goal: dict[str, str]


@dataclass(frozen=True)
class Pace:
    duration_s: float = 75.0
    trips: int = 5
    options: int = 3
    clock_rate: float = 0.5
    max_best_rides: int = 3
    extra_rides: int = 2
    rival_share: float = 0.5
    ride_s: float = 1.0
    arrive_pause_s: float = 1.8
    title_size: int = 40
    text_size: int = 30
    map_label_size: int = 28


def load_pace(content: dict[str, Any], difficulty: str) -> Pace:
    return level_for(Pace, content, difficulty)


class Network:
    """Stops, links, the rides they make, and the cost of getting anywhere from anywhere."""

    def __init__(self, content: dict[str, Any]) -> None:
        self.k = float(content.get("scoring", {}).get("grams_per_minute", 20.0))
        self.modes: dict[str, Mode] = {}
        for raw in content.get("modes", []):
            self.modes[raw["id"]] = Mode(
                id=str(raw["id"]),
                glyph=str(raw.get("glyph", "")),
                color=rgb(raw.get("color")),
                headway=float(raw.get("headway", 0)),
                fixed_wait=float(raw.get("fixed_wait", 0)),
                access=float(raw.get("access", 0)),
                name=dict(raw.get("name", {})),
            )
        lines = {str(r["id"]): r for r in content.get("lines", [])}
        self.stops: dict[str, Stop] = {}
        for raw in content.get("stops", []):
            self.stops[raw["id"]] = Stop(
                id=str(raw["id"]),
                x=float(raw.get("x", 0.5)),
                y=float(raw.get("y", 0.5)),
                label=str(raw.get("label", "below")),
                name=dict(raw.get("name", {})),
            )
        self.edges: list[Edge] = []
        out: dict[str, list[Edge]] = {s: [] for s in self.stops}
        for n, raw in enumerate(content.get("links", [])):
            a, b = (str(s) for s in raw.get("between", ("", "")))
            mode = self.modes.get(str(raw.get("mode")))
            if mode is None or a not in self.stops or b not in self.stops or a == b:
                continue  # a content typo must not crash a visitor's game (a test catches it)
            line_id = str(raw.get("line", mode.id))
            line = lines.get(line_id, {})
            for frm, to in ((a, b), (b, a)):
                edge = Edge(
                    idx=len(self.edges),
                    frm=frm,
                    to=to,
                    mode=mode,
                    line=line_id,
                    color=rgb(line.get("color"), mode.color),
                    name=dict(line.get("name", mode.name)),
                    minutes=int(raw.get("minutes", 1)),
                    co2=int(raw.get("co2", 0)),
                    link=n,
                    headway=float(line.get("headway", mode.headway)) if mode.scheduled else 0.0,
                )
                self.edges.append(edge)
                out[frm].append(edge)
        # Rides: a timetabled line may be ridden any number of stops onwards; walking,
        # cycling and taxis go one link at a time.
        self.rides: list[Ride] = []
        self.rides_from: dict[str, list[Ride]] = {s: [] for s in self.stops}
        for first in self.edges:
            path = [first]
            while True:
                self._add_ride(path)
                if not first.scheduled or len(path) > 12:
                    break
                last = path[-1]
                seen = {first.frm, *(e.to for e in path)}
                onward = [e for e in out[last.to] if e.line == last.line and e.to not in seen]
                if len(onward) != 1:
                    break  # the line ends here (or forks: keep it simple and stop)
                path = [*path, onward[0]]
        self.trips: list[TripSpec] = [
            TripSpec(str(r["id"]), str(r["start"]), str(r["dest"]), dict(r.get("goal", {})))
            for r in content.get("trips", [])
            if r.get("start") in self.stops and r.get("dest") in self.stops
        ]
        self._to_go: dict[str, dict[str, float]] = {}

    def _add_ride(self, path: list[Edge]) -> None:
        minutes = sum(e.minutes for e in path) + path[0].mode.access
        ride = Ride(len(self.rides), tuple(path), round(minutes), sum(e.co2 for e in path))
        self.rides.append(ride)
        self.rides_from[ride.frm].append(ride)

    # -- costs -------------------------------------------------------------------------

    @staticmethod
    def expected_wait(ride: Ride) -> float:
        if ride.scheduled:
            return (ride.first.headway - 1) / 2  # the mean of what the board shows
        return ride.mode.fixed_wait

    @staticmethod
    def wait_range(ride: Ride) -> tuple[float, float]:
        """The shortest and longest wait the board can show for a ride."""
        if ride.scheduled:
            return (0.0, math.ceil(ride.first.headway) - 1.0)
        return (ride.mode.fixed_wait, ride.mode.fixed_wait)

    def cost(self, ride: Ride, wait: float) -> float:
        """Minutes (waiting + riding) plus CO₂ turned into minutes."""
        return wait + ride.minutes + ride.co2 / self.k

    def usual_cost(self, ride: Ride) -> float:
        return self.cost(ride, self.expected_wait(ride))

    def to_go(self, dest: str) -> dict[str, float]:
        """Best cost from every stop to ``dest`` with timetable-average waits (Dijkstra)."""
        table = self._to_go.get(dest)
        if table is not None:
            return table
        into: dict[str, list[Ride]] = {s: [] for s in self.stops}
        for ride in self.rides:
            into[ride.to].append(ride)
        table = {dest: 0.0}
        heap = [(0.0, dest)]
        while heap:
            g, stop = heapq.heappop(heap)
            if g > table.get(stop, math.inf):
                continue
            for ride in into[stop]:
                c = g + self.usual_cost(ride)
                if c < table.get(ride.frm, math.inf) - 1e-9:
                    table[ride.frm] = c
                    heapq.heappush(heap, (c, ride.frm))
        for stop in self.stops:
            table.setdefault(stop, math.inf)
        self._to_go[dest] = table
        return table

    def best_route(self, start: str, dest: str) -> list[Ride]:
        """The best rides with timetable-average waits (for trip lengths and tests)."""
        g = self.to_go(dest)
        route: list[Ride] = []
        stop = start
        while stop != dest and len(route) < 12 and self.rides_from[stop]:
            ride = min(self.rides_from[stop], key=lambda r: (self.usual_cost(r) + g[r.to], r.idx))
            route.append(ride)
            stop = ride.to
        return route


# --------------------------------------------------------------------------- state


@dataclass
class Option:
    number: int  # 1, 2, 3: the badge on the card and on the map
    ride: Ride
    rect: pygame.Rect
    card: pygame.Surface | None = None


@dataclass
class TripRun:
    spec: TripSpec
    stop: str
    max_rides: int
    came_from: str = ""
    rides: int = 0
    best: float | None = None  # best journey cost from the start, as the first board showed
    regret: float = 0.0  # what the picks added over the best pick shown each time
    minutes: int = 0
    co2: int = 0
    good_picks: int = 0
    taken: list[Ride] = field(default_factory=list)
    outcome: str = ""  # "" on the way, then "arrived" or "lost"
    score: float = 0.0

    def trip_score(self) -> float:
        if self.outcome != "arrived" or self.best is None:
            return 0.0
        if self.best <= 0:
            return 100.0
        return 100.0 * self.best / (self.best + self.regret)


@dataclass
class Move:
    """The ride on screen: the vehicle waits, then runs along the line to the stop."""

    ride: Ride
    wait: int
    sim0: float
    sim1: float
    duration: float
    chosen: int  # option number picked
    best: int  # option number that was best
    good: bool
    t: float = 0.0


@dataclass
class Press:
    option: Option
    area: pygame.Rect  # where lifting the finger still chooses it
    waits: dict[int, int]  # the board as the finger went down


@dataclass
class Feedback:
    text: str
    tone: str  # "good" | "bad" | "info"
    ttl: float
    lines: list[str] = field(default_factory=list)  # laid out once, drawn every frame
    size: int = 34


# --------------------------------------------------------------------------- the game


class SmartCommute(Game):
    def __init__(self, ctx: GameContext) -> None:
        super().__init__(ctx)
        content = ctx.content
        self.pace = load_pace(content, ctx.difficulty)
        self.duration_s = self.pace.duration_s
        self.net = Network(content)
        play = content.get("play", {})
        self.feedback_s = float(play.get("feedback_s", 3.0))
        self.rival_gap = (float(play.get("rival_min", 1.5)), float(play.get("rival_max", 6.0)))
        self.distractor_min = float(play.get("distractor_min", 6.0))
        scoring = content.get("scoring", {})
        self.good_within = float(scoring.get("good_within", 0.5))
        self.co2_low = int(scoring.get("co2_low", 40))
        self.co2_mid = int(scoring.get("co2_mid", 150))

        self.rng = ctx.new_rng()
        # Each direction of each timetabled link runs on its own phase: a live-looking board.
        self.phase_of = {
            e.idx: self.rng.uniform(0, e.headway) for e in self.net.edges if e.scheduled
        }
        self.trips = self._plan()
        for spec in self.trips:
            self.net.to_go(spec.dest)  # the costs now, not in the middle of a frame
        self.trip_scores: list[float | None] = [None] * len(self.trips)
        self.outcomes: list[str] = [""] * len(self.trips)  # "arrived" | "lost" | "" (not yet)
        self.trip_index = 0
        self.sim = float(play.get("clock_start", 600))
        self.t = 0.0  # animation time
        self.phase = "choose"
        self.options: list[Option] = []
        self.offer_id = 0
        self.move: Move | None = None
        self.pause = 0.0
        self.presses: dict[int, Press] = {}
        self.ripples: list[tuple[float, float, float]] = []
        self.hinted: set[int] = set()  # option numbers flashing after an ambiguous map tap
        self.hint_t = 0.0
        self.feedback: Feedback | None = None
        self.picks = 0
        self.good_picks = 0
        self.taxi_rides = 0
        self.total_co2 = 0
        self.total_minutes = 0

        self._points = {
            s.id: (
                round(MAP_RECT.x + 56 + s.x * (MAP_RECT.w - 112)),
                round(MAP_RECT.y + 20 + s.y * (MAP_RECT.h - 40)),
            )
            for s in self.net.stops.values()
        }
        self._glyphs: dict[tuple[str, RGB, int], pygame.Surface] = {}
        self._fits: dict[tuple[str, int, int, str], int] = {}
        self._subs: dict[tuple[str, int, RGB, str], pygame.Surface] = {}
        self._bg: pygame.Surface | None = None
        self._trip_card: pygame.Surface | None = None
        self._end_card: pygame.Surface | None = None
        self._dim: pygame.Surface | None = None
        self._labels: dict[str, pygame.Rect] = {}  # where each stop's name sits on screen
        self.run: TripRun = self._start_trip(0)
        self.feedback = self._feedback(ctx.tr("hint"), "info", float(play.get("hint_s", 4.0)))

    # -- planning ---------------------------------------------------------------------

    def _plan(self) -> list[TripSpec]:
        pool = [
            t
            for t in self.net.trips
            if 1 <= len(self.net.best_route(t.start, t.dest)) <= self.pace.max_best_rides
        ] or list(self.net.trips)
        plan: list[TripSpec] = []
        while len(plan) < self.pace.trips and pool:
            batch = pool[:]
            self.rng.shuffle(batch)
            for spec in batch:
                if len(plan) >= self.pace.trips:
                    break
                if plan and spec.start == plan[-1].dest and len(pool) > 2:
                    continue  # vary the scenery a little
                plan.append(spec)
        return plan

    def _start_trip(self, index: int) -> TripRun:
        spec = self.trips[index]
        best = len(self.net.best_route(spec.start, spec.dest))
        self.run = TripRun(spec, spec.start, best + self.pace.extra_rides)
        self.trip_index = index
        self._trip_card = None
        self._end_card = None
        self.phase = "choose"
        self._offer()
        return self.run

    # -- the board --------------------------------------------------------------------

    def wait_of(self, option: Option) -> int:
        return self._wait(option.ride)

    def _wait(self, ride: Ride) -> int:
        first = ride.first
        if first.scheduled:
            left = (self.phase_of[first.idx] - self.sim) % first.headway
            return min(math.ceil(first.headway) - 1, int(left))
        return int(ride.mode.fixed_wait)

    def _value(self, ride: Ride, wait: float) -> float:
        return self.net.cost(ride, wait) + self.net.to_go(self.run.spec.dest)[ride.to]

    def value_of(self, option: Option) -> float:
        """The option's cost now: this ride plus the best still to go from where it leads."""
        return self._value(option.ride, self.wait_of(option))

    def best_option(self) -> Option | None:
        if not self.options:
            return None
        return min(self.options, key=lambda o: (self.value_of(o), o.number))

    def _offer(self) -> None:
        run = self.run
        rides = [
            r
            for r in self.net.rides_from.get(run.stop, [])
            if math.isfinite(self.net.to_go(run.spec.dest)[r.to])
        ]
        if not rides:
            self._lose()
            return
        g = self.net.to_go(run.spec.dest)
        value = {r.idx: self._value(r, self._wait(r)) for r in rides}
        # A ride's value at its luckiest and unluckiest countdown.
        usual = {r.idx: self.net.usual_cost(r) + g[r.to] for r in rides}
        luck = {r.idx: self.net.cost(r, self.net.wait_range(r)[0]) + g[r.to] for r in rides}
        worst = {r.idx: self.net.cost(r, self.net.wait_range(r)[1]) + g[r.to] for r in rides}
        ranked = sorted(rides, key=lambda r: (value[r.idx], r.idx))
        best = ranked[0]
        chosen = [best]
        pool = ranked[1:]
        self.rng.shuffle(pool)
        # The first other card is often a close rival: one that would win with other
        # countdowns but loses with these (read the board!). The rest are plainly worse:
        # a taxi, a slow walk, a train the wrong way.
        want_rival = self.rng.random() < self.pace.rival_share
        lo, hi = self.rival_gap
        while len(chosen) < self.pace.options and pool:
            modes = {c.mode.id for c in chosen}
            lines = {c.line for c in chosen}
            ends = {(c.to, c.mode.id) for c in chosen}
            rival_slot = want_rival and len(chosen) == 1

            def rank(
                r: Ride,
                modes: set[str] = modes,
                lines: set[str] = lines,
                ends: set[tuple[str, str]] = ends,
                rival_slot: bool = rival_slot,
            ) -> tuple[bool | float, ...]:
                gap = value[r.idx] - value[best.idx]
                could_win = luck[r.idx] < worst[best.idx]
                return (
                    (r.to, r.mode.id) in ends,  # the same ride in other words
                    rival_slot and not usual[r.idx] < usual[best.idx],  # usually best, not now
                    rival_slot and not (could_win and gap >= lo),
                    rival_slot and not could_win,
                    rival_slot and not (lo <= gap <= hi),
                    not rival_slot and gap < self.distractor_min,  # plainly worse, or skip
                    r.line in lines,
                    r.mode.id in modes,  # variety of modes first
                    r.to == run.came_from,  # straight back
                    -gap if not rival_slot else 0.0,  # short of plain ones: the worst
                )

            pool.sort(key=rank)
            chosen.append(pool.pop(0))
        self.rng.shuffle(chosen)
        n = len(chosen)
        gap = 16 if n >= 3 else 22
        h = (OPTIONS_RECT.h - gap * (n - 1)) // max(1, n)
        self.options = []
        for k, ride in enumerate(chosen):
            rect = pygame.Rect(OPTIONS_RECT.x, OPTIONS_RECT.y + k * (h + gap), OPTIONS_RECT.w, h)
            self.options.append(Option(k + 1, ride, rect))
        self.offer_id += 1
        self.presses.clear()
        self.hinted.clear()

    def map_target(self, option: Option) -> tuple[int, int]:
        """Where the option's numbered badge sits on the map (a second way to choose it)."""
        stop = option.ride.to
        x, y = self._points[stop]
        same = [o for o in self.options if o.ride.to == stop]
        spread = ((same.index(option) if option in same else 0) - (len(same) - 1) / 2) * 60
        side = self.net.stops[stop].label
        if side == "below":
            return (round(x + spread), y - 52)
        if side == "above":
            return (round(x + spread), y + 52)
        if side == "left":
            return (x + 52, round(y + spread))
        return (x - 52, round(y + spread))

    # -- input ------------------------------------------------------------------------

    def handle(self, event: PointerEvent) -> None:
        if self.finished:
            return
        x, y, pointer = event.x, event.y, event.pointer
        if event.kind == "down":
            self.presses.pop(pointer, None)  # its "up" got lost: forget the old press
            if len(self.ripples) < 12:
                self.ripples.append((x, y, 0.0))
            if self.phase != "choose":
                return
            for opt in self.options:
                if opt.rect.collidepoint(x, y):
                    self._press(pointer, opt, opt.rect.inflate(2 * SLOP, 2 * SLOP))
                    return
            hits = [o for o in self.options if math.dist(self.map_target(o), (x, y)) <= MAP_HIT_R]
            if not hits:
                hits = [
                    o
                    for o in self.options
                    if math.dist(self._points[o.ride.to], (x, y)) <= MAP_HIT_R * 0.7
                ]
            if len(hits) == 1:
                area = pygame.Rect(0, 0, 2 * (MAP_HIT_R + SLOP), 2 * (MAP_HIT_R + SLOP))
                area.center = (round(x), round(y))
                self._press(pointer, hits[0], area)
            elif hits:  # two rides to that stop: point at both cards
                self.hinted = {o.number for o in hits}
                self.hint_t = FLASH_S * 2
                self.cue("tap")
        elif event.kind == "move":
            press = self.presses.get(pointer)
            if press is not None and not press.area.collidepoint(x, y):
                del self.presses[pointer]  # slid away: a change of mind, not a choice
        elif event.kind == "up":
            press = self.presses.pop(pointer, None)
            if press is None or self.phase != "choose":
                return
            if press.option in self.options and press.area.collidepoint(x, y):
                self._choose(press.option, press.waits)

    def _press(self, pointer: int, option: Option, area: pygame.Rect) -> None:
        if any(p.option is option for p in self.presses.values()):
            return  # another finger already holds this card
        waits = {o.number: self.wait_of(o) for o in self.options}
        self.presses[pointer] = Press(option, area, waits)
        self.cue("tap")

    def pressed(self, option: Option) -> bool:
        return any(p.option is option for p in self.presses.values())

    def _choose(self, option: Option, waits: dict[int, int]) -> None:
        run = self.run
        values = {o.number: self._value(o.ride, waits[o.number]) for o in self.options}
        best_n = min(values, key=lambda n: (values[n], n))
        regret = values[option.number] - values[best_n]
        good = regret <= self.good_within
        if run.best is None:
            run.best = values[best_n]
        if not good:
            run.regret += regret
        wait = waits[option.number]
        ride = option.ride
        run.rides += 1
        run.minutes += wait + ride.minutes
        run.co2 += ride.co2
        run.taken.append(ride)
        self.picks += 1
        self.total_co2 += ride.co2
        self.total_minutes += wait + ride.minutes
        if ride.mode.id == "taxi":
            self.taxi_rides += 1
        if good:
            run.good_picks += 1
            self.good_picks += 1
            self.cue("good")
            self._say(self.ctx.tr("good_green" if ride.co2 == 0 else "good"), "good")
        else:
            self.cue("bad")
            best = next(o for o in self.options if o.number == best_n)
            self._say(self._why(option, best, waits), "bad")
        self.presses.clear()
        span = wait + ride.minutes
        duration = self.pace.ride_s * min(1.5, 0.7 + 0.03 * span)
        self.move = Move(
            ride, wait, self.sim, self.sim + span, duration, option.number, best_n, good
        )
        self.phase = "ride"

    def _why(self, chosen: Option, best: Option, waits: dict[int, int]) -> str:
        tr, pick = self.ctx.tr, self.ctx.pick
        run = self.run
        dest = run.spec.dest
        stops = self.net.stops
        g = self.net.to_go(dest)
        if g[chosen.ride.to] >= g[run.stop] - 1e-9:
            return tr("bad_away", dest=pick(stops[dest].name))
        if chosen.ride.co2 - best.ride.co2 >= 100:
            return tr("bad_dirty", g=chosen.ride.co2, mode=pick(best.ride.name))
        if best.ride.scheduled and waits[chosen.number] - waits[best.number] >= 3:
            return tr("bad_wait", mode=pick(best.ride.name))
        return tr("bad_slow", mode=pick(best.ride.name), stop=pick(stops[best.ride.to].name))

    def _say(self, text: str, tone: str) -> None:
        self.feedback = self._feedback(text, tone, self.feedback_s)

    def _feedback(self, text: str, tone: str, ttl: float) -> Feedback:
        """One line at 34 px if it fits beside the mark, else two lines at 28 (or 24)."""
        width = BANNER_RECT.w - 70
        fb = Feedback(text, tone, ttl, [text], 34)
        if sub2_width(self.ctx.text, text, 34, "bold") > width:
            for size in (28, 24):
                lines = self.ctx.text.wrap(text, size, width, "bold")
                fb.lines, fb.size = lines[:2], size
                if len(lines) <= 2:
                    break
        return fb

    # -- time -------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        if self.finished:
            return
        dt = min(max(dt, 0.0), 0.25)
        self.elapsed += dt
        self.t += dt
        if self.phase == "ride" and self.move is not None:
            move = self.move
            move.t += dt
            f = min(1.0, move.t / move.duration)
            self.sim = lerp(move.sim0, move.sim1, f)
            if f >= 1.0:
                self._arrive(move)
        else:
            self.sim += dt * self.pace.clock_rate
        if self.phase == "arrived":
            self.pause -= dt
            if self.pause <= 0:
                self._start_trip(self.trip_index + 1)
        self.ripples = [(x, y, a + dt) for x, y, a in self.ripples if a + dt < RIPPLE_S]
        self.hint_t = max(0.0, self.hint_t - dt)
        if self.hint_t == 0:
            self.hinted.clear()
        if self.feedback is not None:
            self.feedback.ttl -= dt
            if self.feedback.ttl <= 0:
                self.feedback = None
        if not self.finished and self.elapsed >= self.pace.duration_s:
            self._finish("times_up")

    def _arrive(self, move: Move) -> None:
        run = self.run
        run.came_from, run.stop = run.stop, move.ride.to
        self.sim = move.sim1
        self.move = None
        if run.stop == run.spec.dest:
            run.outcome = "arrived"
            run.score = run.trip_score()
            self.trip_scores[self.trip_index] = run.score
            self.outcomes[self.trip_index] = "arrived"
            self.cue("good")
            self._end_trip()
        elif run.rides >= run.max_rides:
            self._lose()
        else:
            self.phase = "choose"
            self._offer()

    def _lose(self) -> None:
        run = self.run
        run.outcome, run.score = "lost", 0.0
        self.trip_scores[self.trip_index] = 0.0
        self.outcomes[self.trip_index] = "lost"
        self.cue("bad")
        self._say(self.ctx.tr("lost"), "bad")
        self._end_trip()

    def _end_trip(self) -> None:
        self.options = []
        self.presses.clear()
        self._end_card = None
        self.phase = "arrived"
        self.pause = self.pace.arrive_pause_s
        if self.trip_index + 1 >= len(self.trips):
            self._finish("all_done")

    def _finish(self, key: str) -> None:
        self.finished = True
        if self.phase != "arrived":
            self.phase = "done"
        self.presses.clear()
        self._say(self.ctx.tr(key), "info")

    # -- results ----------------------------------------------------------------------

    def score(self) -> int:
        if not self.trips:
            return 0
        return round(sum(s or 0.0 for s in self.trip_scores) / len(self.trips))

    def result(self) -> GameResult:
        return self.graded(
            trips_offered=len(self.trips),
            trips_arrived=self.outcomes.count("arrived"),
            trips_lost=self.outcomes.count("lost"),
            trip_scores=[round(s) for s in self.trip_scores if s is not None],
            trip_ids=[t.id for t in self.trips],
            rides=self.picks,
            good_picks=self.good_picks,
            taxi_rides=self.taxi_rides,
            co2_g=self.total_co2,
            ride_minutes=self.total_minutes,
        )

    # -- drawing ----------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        surface.blit(self._background(), (0, 0))
        self._draw_map(surface)
        self._draw_top_bar(surface)
        self._draw_trip(surface)
        self._draw_header(surface)
        if self.phase == "arrived" or (self.finished and self.run.outcome):
            self._draw_end_card(surface)
        elif self.options:
            self._draw_options(surface)
        self._draw_banner(surface)
        for x, y, age in self.ripples:
            f = age / RIPPLE_S
            r = round(24 + 46 * f)
            pygame.draw.circle(
                surface,
                mix(theme.SUN, theme.NAVY, f),
                (round(x), round(y)),
                r,
                max(2, round(6 * (1 - f))),
            )

    # background: the panels and the whole static map, in the visitor's language

    def _background(self) -> pygame.Surface:
        if self._bg is None:
            self._bg = self._build_background()
        return self._bg

    def _build_background(self) -> pygame.Surface:
        w, h = self.ctx.size
        bg = pygame.Surface((w, h))
        bg.fill(theme.BACKGROUND)
        text, tr = self.ctx.text, self.ctx.tr
        text.draw(bg, tr("title"), 50, theme.SUN, topleft=(MARGIN, 22), weight="bold")
        # The map: water, two shores, the Peak, then the network and the stop names.
        m = pygame.Surface(MAP_RECT.size)
        m.fill(WATER)
        mw, mh = MAP_RECT.size

        def p(fx: float, fy: float) -> tuple[int, int]:
            return (round(fx * mw), round(20 + fy * (mh - 40)))

        kowloon = [
            (0.0, -0.1),
            (1.0, -0.1),
            (1.0, 0.455),
            (0.9, 0.47),
            (0.8, 0.5),
            (0.7, 0.51),
            (0.6, 0.52),
            (0.5, 0.545),
            (0.42, 0.555),
            (0.36, 0.53),
            (0.3, 0.48),
            (0.12, 0.46),
            (0.0, 0.45),
        ]
        island = [
            (0.0, 0.76),
            (0.14, 0.765),
            (0.28, 0.75),
            (0.36, 0.735),
            (0.37, 0.715),
            (0.45, 0.715),
            (0.47, 0.745),
            (0.6, 0.745),
            (0.66, 0.72),
            (0.7, 0.705),
            (0.8, 0.71),
            (0.84, 0.74),
            (1.0, 0.745),
            (1.0, 1.1),
            (0.0, 1.1),
        ]
        pygame.draw.polygon(m, LAND, [p(*q) for q in kowloon])
        pygame.draw.polygon(m, LAND, [p(*q) for q in island])
        for cx, top, half in ((0.16, 0.93, 0.16), (0.5, 0.95, 0.2), (0.84, 0.94, 0.14)):
            pygame.draw.polygon(m, HILL, [p(cx - half, 1.1), p(cx, top), p(cx + half, 1.1)])
        rng = random.Random(11)  # fixed decoration, not the game's randomness
        for _ in range(26):
            fx, fy = rng.uniform(0.03, 0.97), rng.uniform(0.58, 0.68)
            x0, y0 = p(fx, fy)
            pygame.draw.arc(m, WAVE, (x0, y0, 30, 14), 0.3, 2.8, 3)
        small = 26
        text.draw(m, tr("harbour"), small, theme.MIST, center=p(0.16, 0.62), weight="bold")
        text.draw(m, tr("kowloon"), small, theme.MIST, topleft=(24, 20), weight="bold")
        self._draw_network(m)
        self._draw_stops(m)
        isl = text.render(tr("island"), small, theme.MIST, "bold")
        m.blit(isl, isl.get_rect(bottomright=(mw - 22, mh - 14)))
        # Rounded corners: keep the map only inside a rounded rectangle.
        mask = pygame.Surface(MAP_RECT.size, pygame.SRCALPHA)
        pygame.draw.rect(mask, (255, 255, 255, 255), mask.get_rect(), border_radius=theme.RADIUS)
        framed = pygame.Surface(MAP_RECT.size, pygame.SRCALPHA)
        framed.blit(m, (0, 0))
        framed.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MIN)
        pygame.draw.rect(bg, SHADOW, MAP_RECT.move(0, 8), border_radius=theme.RADIUS)
        bg.blit(framed, MAP_RECT)
        return bg

    def _link_offsets(self) -> dict[int, float]:
        """Parallel links between the same two stops sit side by side."""
        groups: dict[frozenset[str], list[Edge]] = {}
        seen = set()
        for e in self.net.edges:
            if e.link in seen or e.mode.id == "taxi":
                continue
            seen.add(e.link)
            groups.setdefault(frozenset((e.frm, e.to)), []).append(e)
        offsets = {}
        for edges in groups.values():
            edges.sort(
                key=lambda e: (
                    MODE_ORDER.index(e.mode.id) if e.mode.id in MODE_ORDER else 9,
                    e.line,
                )
            )
            n = len(edges)
            for k, e in enumerate(edges):
                offsets[e.link] = (k - (n - 1) / 2) * 12
        return offsets

    def _segment(self, edge: Edge, offset: float, shift: tuple[int, int] = (0, 0)):
        a = self._points[edge.frm]
        b = self._points[edge.to]
        if edge.frm > edge.to:  # the same side whichever way the edge runs
            a, b = b, a
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / length * offset, dx / length * offset
        a2 = (a[0] + nx - shift[0], a[1] + ny - shift[1])
        b2 = (b[0] + nx - shift[0], b[1] + ny - shift[1])
        if edge.frm > edge.to:
            a2, b2 = b2, a2
        return a2, b2

    def _draw_network(self, m: pygame.Surface) -> None:
        shift = MAP_RECT.topleft
        offsets = self._link_offsets()
        drawn = set()
        order = sorted(
            self.net.edges,
            key=lambda e: -MODE_ORDER.index(e.mode.id) if e.mode.id in MODE_ORDER else 0,
        )
        for e in order:
            if e.link in drawn or e.mode.id == "taxi":
                continue
            drawn.add(e.link)
            a, b = self._segment(e, offsets.get(e.link, 0.0), shift)
            _draw_route(m, e.mode.id, e.color, a, b, 1.0)

    def _draw_stops(self, m: pygame.Surface) -> None:
        text = self.ctx.text
        size = self.pace.map_label_size
        ox, oy = MAP_RECT.topleft
        for stop in self.net.stops.values():
            x, y = self._points[stop.id]
            x, y = x - ox, y - oy
            pygame.draw.circle(m, theme.WHITE, (x, y), 15)
            pygame.draw.circle(m, theme.INK, (x, y), 15, 4)
            label = self.ctx.pick(stop.name)
            surf = text.render(label, size, theme.WHITE, "bold")
            shadow = text.render(label, size, theme.NAVY, "bold")
            r = surf.get_rect()
            if stop.label == "above":
                r.midbottom = (x, y - 24)
            elif stop.label == "left":
                r.midright = (x - 26, y)
            elif stop.label == "right":
                r.midleft = (x + 26, y)
            else:
                r.midtop = (x, y + 20)
            r.clamp_ip(m.get_rect().inflate(-16, -16))
            m.blit(shadow, r.move(2, 2))
            m.blit(surf, r)
            self._labels[stop.id] = r.move(ox, oy)

    def _path(self, ride: Ride) -> list[tuple[int, int]]:
        return [self._points[ride.frm], *(self._points[e.to] for e in ride.segs)]

    def _draw_ride(self, surface: pygame.Surface, ride: Ride, glow: RGB) -> None:
        pts = self._path(ride)
        for a, b in pairwise(pts):
            pygame.draw.line(surface, glow, a, b, 16)
        for a, b in pairwise(pts):
            _draw_route(surface, ride.mode.id, ride.color, a, b, 1.0, solid=True)
        for pt in pts[1:-1]:
            pygame.draw.circle(surface, theme.WHITE, pt, 11)
            pygame.draw.circle(surface, theme.INK, pt, 11, 3)

    def _name_pill(self, surface: pygame.Surface, stop: str, fill: RGB) -> None:
        rect = self._labels.get(stop)
        if rect is None:
            return
        pill = rect.inflate(20, 2)
        pygame.draw.rect(surface, SHADOW, pill.move(0, 4), border_radius=pill.h // 2)
        pygame.draw.rect(surface, fill, pill, border_radius=pill.h // 2)
        name = self.ctx.pick(self.net.stops[stop].name)
        text = self.ctx.text.render(name, self.pace.map_label_size, theme.INK, "bold")
        surface.blit(text, text.get_rect(center=pill.center))

    def _draw_map(self, surface: pygame.Surface) -> None:
        run = self.run
        pulse = 0.5 + 0.5 * math.sin(self.t * 5.0)
        for ride in run.taken:
            pts = self._path(ride)
            pygame.draw.lines(surface, theme.SUN, False, pts, 12)
            for pt in pts:
                pygame.draw.circle(surface, theme.SUN, pt, 12)
        if self.phase == "choose":
            for opt in self.options:
                if not self.pressed(opt):
                    self._draw_ride(surface, opt.ride, theme.WHITE)
            for opt in self.options:
                if self.pressed(opt):  # the one under a finger on top, in gold
                    self._draw_ride(surface, opt.ride, theme.SUN)
        # the destination and where the visitor is: rings, and their names in pills
        dx, dy = self._points[run.spec.dest]
        pygame.draw.circle(surface, theme.CORAL, (dx, dy), round(24 + 10 * pulse), 5)
        pygame.draw.circle(surface, theme.CORAL, (dx, dy), 14)
        pygame.draw.circle(surface, theme.INK, (dx, dy), 14, 3)
        self._name_pill(surface, run.spec.dest, theme.CORAL)
        if self.move is None:
            cx, cy = self._points[run.stop]
            pygame.draw.circle(surface, theme.SUN, (cx, cy), round(22 + 8 * pulse), 5)
            pygame.draw.circle(surface, theme.SUN, (cx, cy), 14)
            pygame.draw.circle(surface, theme.INK, (cx, cy), 14, 3)
            if run.stop != run.spec.dest:
                self._name_pill(surface, run.stop, theme.SUN)
        if self.phase == "choose":
            for opt in self.options:
                bx, by = self.map_target(opt)
                hot = self.pressed(opt) or opt.number in self.hinted
                r = 30 if hot else 26
                pygame.draw.line(surface, theme.INK, (bx, by), self._points[opt.ride.to], 4)
                pygame.draw.circle(surface, SHADOW, (bx + 2, by + 4), r)
                pygame.draw.circle(surface, theme.WHITE if hot else theme.SUN, (bx, by), r)
                pygame.draw.circle(surface, theme.INK, (bx, by), r, 3)
                self.ctx.text.draw(
                    surface, str(opt.number), 32, theme.INK, center=(bx, by), weight="bold"
                )
        if self.move is not None:
            move = self.move
            pts = self._path(move.ride)
            self._draw_ride(surface, move.ride, theme.SUN)
            span = max(1e-6, move.sim1 - move.sim0)
            riding = max(1e-6, span - move.wait)
            f = ease(min(1.0, max(0.0, (self.sim - move.sim0 - move.wait) / riding)))
            x, y = _along(pts, f)
            icon = self._glyph(move.ride.mode.glyph, move.ride.color, 34)
            surface.blit(icon, icon.get_rect(center=(round(x), round(y) - 4)))

    # top bar

    def _draw_top_bar(self, surface: pygame.Surface) -> None:
        dots_w = len(self.trips) * 34  # score pill: one dot per trip, then the running score
        label = self.ctx.tr("score", score=self.score())
        chip = Chip(label, self._draw_trip_dots, pad=dots_w + 70, text_x=36 + dots_w)
        duration = self.pace.duration_s
        draw_top_bar(surface, self.ctx, self.time_left, duration, self.finished, [chip], **TOP_BAR)

    def _draw_trip_dots(self, surface: pygame.Surface, box: pygame.Rect) -> None:
        for k in range(len(self.trips)):
            c = (box.x + 36 + k * 34, box.centery)
            s = self.trip_scores[k]
            if s is None:
                pygame.draw.circle(surface, theme.MIST, c, 12, 3)
                if k == self.trip_index and not self.finished:
                    pygame.draw.circle(surface, theme.SUN, c, 7)
            else:
                colour = theme.GOOD if s >= 70 else theme.SUN if s >= 40 else theme.BAD
                pygame.draw.circle(surface, colour, c, 13)

    # side panel

    def _draw_trip(self, surface: pygame.Surface) -> None:
        if self._trip_card is None:
            self._trip_card = self._render_trip_card()
        pygame.draw.rect(surface, SHADOW, TRIP_RECT.move(0, 8), border_radius=theme.RADIUS)
        surface.blit(self._trip_card, TRIP_RECT)

    def _render_trip_card(self) -> pygame.Surface:
        text, tr, pick = self.ctx.text, self.ctx.tr, self.ctx.pick
        spec = self.run.spec
        card = pygame.Surface(TRIP_RECT.size, pygame.SRCALPHA)
        r = card.get_rect()
        pygame.draw.rect(card, theme.CARD, r, border_radius=theme.RADIUS)
        label = tr("trip_of", n=self.trip_index + 1, total=len(self.trips))
        text.draw(card, label, 28, theme.SUN, topleft=(28, 16), weight="bold")
        goal = pick(spec.goal)
        size = self._fit(goal, 42, r.w - 56, "bold", 28)
        text.draw(card, goal, size, theme.WHITE, topleft=(28, 54), weight="bold")
        stops = self.net.stops
        col_w = (r.w - 56 - 70) // 2
        for k, (key, sid, colour) in enumerate(
            (("from", spec.start, theme.SUN), ("to", spec.dest, theme.CORAL))
        ):
            x = 28 + k * (col_w + 70)
            if k == 0:
                pygame.draw.circle(card, colour, (x + 14, 140), 14)
                pygame.draw.circle(card, theme.INK, (x + 14, 140), 14, 3)
            else:
                _draw_pin(card, (x + 14, 150), 24)
            text.draw(card, tr(key), 24, theme.MIST, topleft=(x + 40, 110))
            name = pick(stops[sid].name)
            size = self._fit(name, 34, col_w - 40, "bold", 22)
            text.draw(card, name, size, theme.WHITE, topleft=(x + 40, 136), weight="bold")
        ax = 28 + col_w + 12
        pygame.draw.polygon(
            card,
            theme.MIST,
            [
                (ax, 138),
                (ax + 30, 138),
                (ax + 30, 128),
                (ax + 48, 146),
                (ax + 30, 164),
                (ax + 30, 154),
                (ax, 154),
            ],
        )
        return card

    def _draw_header(self, surface: pygame.Surface) -> None:
        text, tr, pick = self.ctx.text, self.ctx.tr, self.ctx.pick
        r = HEADER_RECT
        if self.move is not None:
            line = tr("riding", stop=pick(self.net.stops[self.move.ride.to].name))
        else:
            line = tr("you_are_at", stop=pick(self.net.stops[self.run.stop].name))
        size = self._fit(line, 36, r.w - 230, "bold", 24)
        text.draw(
            surface,
            line,
            size,
            theme.WHITE,
            topleft=(r.x + 6, r.centery - round(size * 0.7)),
            weight="bold",
        )
        minutes = int(self.sim) % (24 * 60)
        clock = tr("clock", h=minutes // 60, m=minutes % 60)
        board = pygame.Rect(0, 0, 196, r.h)
        board.midright = r.midright
        pygame.draw.rect(surface, LED_BG, board, border_radius=16)
        pygame.draw.rect(surface, theme.CARD, board, 3, border_radius=16)
        draw_clock(surface, (board.x + 34, board.centery), 18, LED_AMBER)
        text.draw(
            surface, clock, 40, LED_AMBER, center=(board.centerx + 22, board.centery), weight="bold"
        )

    def _draw_options(self, surface: pygame.Surface) -> None:
        text, tr = self.ctx.text, self.ctx.tr
        ride = self.move
        for opt in self.options:
            if opt.card is None:
                opt.card = self._render_option(opt)
            pressed = self.pressed(opt) or opt.number in self.hinted
            rect = opt.rect.move(0, 4) if pressed else opt.rect
            pygame.draw.rect(surface, SHADOW, opt.rect.move(0, 8), border_radius=theme.RADIUS)
            if pressed:
                pygame.draw.rect(surface, PRESSED, rect, border_radius=theme.RADIUS)
                surface.blit(opt.card, rect)
            else:
                surface.blit(opt.card, rect)
            # the live board part: the countdown
            led = self._led_rect(rect)
            wait = (
                ride.wait if ride is not None and ride.chosen == opt.number else self.wait_of(opt)
            )
            label, colour = self._wait_label(opt, wait)
            size = self._fit(label, self.pace.title_size + 4, led.w - 20, "bold", 22)
            text.draw(
                surface, label, size, colour, center=(led.centerx, led.centery + 12), weight="bold"
            )
            if opt.ride.scheduled and wait == 0 and ride is None:  # arriving: a pulsing frame
                glow = mix(LED_AMBER, LED_BG, 0.5 + 0.5 * math.sin(self.t * 8))
                pygame.draw.rect(surface, glow, led, 5, border_radius=18)
            if pressed:
                pygame.draw.rect(surface, theme.SUN, rect, 6, border_radius=theme.RADIUS)
            if ride is not None:
                if opt.number == ride.chosen:
                    edge = theme.GOOD if ride.good else theme.BAD
                    pygame.draw.rect(surface, edge, rect, 8, border_radius=theme.RADIUS)
                    draw_mark(surface, (rect.right - 26, rect.y + 26), 24, ride.good)
                elif opt.number == ride.best and not ride.good:
                    pygame.draw.rect(surface, theme.GOOD, rect, 6, border_radius=theme.RADIUS)
                    tag = text.render(tr("best_tag"), 28, theme.INK, "bold")
                    pill = tag.get_rect().inflate(28, 10)
                    pill.topright = (rect.right - 16, rect.y - 12)
                    pygame.draw.rect(surface, theme.GOOD, pill, border_radius=18)
                    surface.blit(tag, tag.get_rect(center=pill.center))
                else:
                    surface.blit(self._dimmer(rect.size), rect)

    def _dimmer(self, size: tuple[int, int]) -> pygame.Surface:
        if self._dim is None or self._dim.get_size() != size:
            self._dim = pygame.Surface(size, pygame.SRCALPHA)
            pygame.draw.rect(self._dim, DIM, self._dim.get_rect(), border_radius=theme.RADIUS)
        return self._dim

    def _led_rect(self, card: pygame.Rect) -> pygame.Rect:
        h = min(card.h - 36, 128)
        led = pygame.Rect(0, 0, 188, h)
        led.midright = (card.right - 20, card.centery)
        return led

    def _wait_label(self, opt: Option, wait: int) -> tuple[str, RGB]:
        tr = self.ctx.tr
        if wait <= 0:
            if opt.ride.scheduled:
                return tr("wait_now"), LED_AMBER
            return tr("wait_go"), theme.MINT
        return tr("wait_min", n=wait), LED_AMBER

    def _render_option(self, opt: Option) -> pygame.Surface:
        """The still part of a ride card; the countdown is drawn live on top."""
        text, tr, pick = self.ctx.text, self.ctx.tr, self.ctx.pick
        e = opt.ride
        w, h = opt.rect.size
        card = pygame.Surface((w, h), pygame.SRCALPHA)
        r = card.get_rect()
        pygame.draw.rect(card, theme.CARD, r, border_radius=theme.RADIUS)
        pygame.draw.rect(
            card,
            e.color,
            pygame.Rect(0, 0, 16, h),
            border_top_left_radius=theme.RADIUS,
            border_bottom_left_radius=theme.RADIUS,
        )
        big = h >= 240
        disc_r = 50 if big else 42
        cx, cy = 30 + disc_r + 8, h // 2 + (6 if big else 4)
        card.blit(self._glyph(e.mode.glyph, e.color, disc_r), (cx - disc_r, cy - disc_r))
        # number badge, matching the one on the map
        bx, by = cx - disc_r + 4, cy - disc_r + 2
        pygame.draw.circle(card, theme.SUN, (bx, by), 22)
        pygame.draw.circle(card, theme.INK, (bx, by), 22, 3)
        text.draw(card, str(opt.number), 28, theme.INK, center=(bx, by), weight="bold")
        led = self._led_rect(r)
        x0 = cx + disc_r + 22
        avail = led.x - x0 - 16
        ts, ss = self.pace.title_size, self.pace.text_size
        line = pick(e.name)
        if e.scheduled:
            line = tr("line_stops" if e.stops > 1 else "line_stop", line=line, n=e.stops)
        dest = tr("to_stop", stop=pick(self.net.stops[e.to].name))
        line_size = self._fit(line, ss, avail, "regular", 20)
        dest_size = self._fit(dest, ts, avail, "bold", 24)
        chip_h = ss + 16
        ride_label = tr("ride", n=e.minutes)
        co2_label = tr("co2", g=e.co2)
        cs_size = ss - 6
        while cs_size > 18 and (
            sub2_width(text, ride_label, cs_size, "bold")
            + sub2_width(text, co2_label, cs_size, "bold")
            + 122
            > avail
        ):
            cs_size -= 4
        block = line_size + 10 + dest_size + 14 + chip_h
        y = (h - block) // 2 - 2
        text.draw(card, line, line_size, theme.MIST, topleft=(x0, y))
        y += line_size + 8
        text.draw(card, dest, dest_size, theme.WHITE, topleft=(x0, y - 4), weight="bold")
        y += dest_size + 16
        # chips: riding minutes, CO₂ grams
        rs = text.render(ride_label, cs_size, theme.MIST, "bold")
        chip = pygame.Rect(x0, y, rs.get_width() + 56, chip_h)
        pygame.draw.rect(card, theme.NAVY, chip, border_radius=chip_h // 2)
        draw_clock(card, (chip.x + 24, chip.centery), max(9, chip_h // 4), theme.MIST)
        card.blit(rs, rs.get_rect(midleft=(chip.x + 42, chip.centery)))
        fill = self._co2_fill(e.co2)
        cs = self._render(co2_label, cs_size, theme.INK, "bold")
        chip2 = pygame.Rect(chip.right + 10, y, cs.get_width() + 56, chip_h)
        pygame.draw.rect(card, fill, chip2, border_radius=chip_h // 2)
        leaf(
            card,
            (chip2.x + 24, chip2.centery),
            chip_h * 0.6,
            chip_h * 0.32,
            -0.7,
            shade(fill, 0.55),
        )
        card.blit(cs, cs.get_rect(midleft=(chip2.x + 42, chip2.centery)))
        # the board window
        pygame.draw.rect(card, LED_BG, led, border_radius=18)
        pygame.draw.rect(card, theme.NAVY, led, 3, border_radius=18)
        text.draw(card, tr("wait_label"), 24, theme.MIST, center=(led.centerx, led.y + 22))
        return card

    def _co2_fill(self, grams: int) -> RGB:
        if grams <= 0:
            return theme.MINT
        if grams <= self.co2_low:
            return theme.SKY
        if grams <= self.co2_mid:
            return theme.SUN
        return theme.CORAL

    def _draw_end_card(self, surface: pygame.Surface) -> None:
        if self._end_card is None:
            self._end_card = self._render_end_card()
        rect = OPTIONS_RECT
        pygame.draw.rect(surface, SHADOW, rect.move(0, 8), border_radius=theme.RADIUS)
        surface.blit(self._end_card, rect)

    def _render_end_card(self) -> pygame.Surface:
        text, tr, pick = self.ctx.text, self.ctx.tr, self.ctx.pick
        run = self.run
        card = pygame.Surface(OPTIONS_RECT.size, pygame.SRCALPHA)
        r = card.get_rect()
        pygame.draw.rect(card, theme.CARD, r, border_radius=theme.RADIUS)
        cx = r.centerx
        if run.outcome == "arrived":
            pygame.draw.rect(card, theme.GOOD, r, 8, border_radius=theme.RADIUS)
            head = tr("arrived", stop=pick(self.net.stops[run.spec.dest].name))
            size = self._fit(head, 52, r.w - 60, "bold", 30)
            text.draw(card, head, size, theme.WHITE, center=(cx, 90), weight="bold")
            summary = self._render(
                tr("trip_summary", minutes=run.minutes, g=run.co2), 38, theme.MIST, "bold"
            )
            card.blit(summary, summary.get_rect(center=(cx, 170)))
            stars = 3 if run.score >= 90 else 2 if run.score >= 70 else 1 if run.score >= 40 else 0
            for k in range(3):
                _draw_star(card, (cx + (k - 1) * 120, 300), 52, k < stars)
            score = tr("trip_score", score=round(run.score))
            text.draw(card, score, 46, theme.SUN, center=(cx, 430), weight="bold")
        else:
            pygame.draw.rect(card, theme.BAD, r, 8, border_radius=theme.RADIUS)
            text.draw(card, tr("lost"), 52, theme.WHITE, center=(cx, 150), weight="bold")
            draw_mark(card, (cx, 290), 60, False)
            if self.trip_index + 1 < len(self.trips):
                text.draw(card, tr("lost_next"), 38, theme.MIST, center=(cx, 430), weight="bold")
        return card

    def _draw_banner(self, surface: pygame.Surface) -> None:
        fb = self.feedback
        if fb is None:
            return
        colour = tone_colour(fb.tone)
        r = BANNER_RECT
        surfs = [self._render(line, fb.size, colour, "bold") for line in fb.lines]
        mark = fb.tone in ("good", "bad")
        width = max(s.get_width() for s in surfs) + (60 if mark else 0)
        x = r.centerx - width // 2
        if mark:
            draw_mark(surface, (x + 22, r.centery), 22, fb.tone == "good")
            x += 60
        step = round(fb.size * 1.3)
        y = r.centery - step * (len(surfs) - 1) / 2
        for surf in surfs:
            surface.blit(surf, surf.get_rect(midleft=(x, round(y))))
            y += step

    # helpers

    def _render(self, s: str, size: int, colour: RGB, weight: str = "regular") -> pygame.Surface:
        """Text, with "CO2" typeset as CO₂ (the shipped font has no subscripts)."""
        if CO2 not in s:
            return self.ctx.text.render(s, size, colour, weight)
        key = (s, size, colour, weight)
        surf = self._subs.get(key)
        if surf is None:
            surf = render_sub2(self.ctx.text, s, size, colour, weight)
            if len(self._subs) > 64:
                self._subs.clear()
            self._subs[key] = surf
        return surf

    def _fit(self, s: str, size: int, width: int, weight: str, smallest: int) -> int:
        key = (s, size, width, weight)
        got = self._fits.get(key)
        if got is None:
            got = size
            while got > smallest and sub2_width(self.ctx.text, s, got, weight) > width:
                got -= 4  # few distinct sizes: each new one loads the font file again
            if len(self._fits) > 400:
                self._fits.clear()
            self._fits[key] = got
        return got

    def _glyph(self, glyph: str, colour: RGB, radius: int) -> pygame.Surface:
        key = (glyph, colour, radius)
        surf = self._glyphs.get(key)
        if surf is None:
            surf = render_glyph(glyph, colour, radius)
            self._glyphs[key] = surf
        return surf


# --------------------------------------------------------------------------- the bot


class CommuteBot(Bot):
    """Plays through pointer events only: read the board, tap a card, let go.

    ``skill`` sets the reading time (about 0.4 s at skill 1, 3 s at skill 0) and the chance of
    tapping the best ride (5 % at skill 0, 100 % at skill 1); a weak player's other picks lean
    to the costliest card, the taxi-loving naive choice. Now and then it taps the numbered stop
    on the map instead of the card.
    """

    POINTER = 111

    def __init__(self, game: Game, rng: random.Random, skill: float) -> None:
        super().__init__(game, rng, max(0.0, min(1.0, skill)))
        self.seen = -1
        self.wait = 0.0
        self.hold = 0.0
        self.at: tuple[float, float] | None = None

    def _reaction(self) -> float:
        return (0.4 + 2.6 * (1.0 - self.skill)) * self.rng.uniform(0.8, 1.25)

    def step(self, dt: float) -> list[PointerEvent]:
        game = self.game
        assert isinstance(game, SmartCommute)
        if game.finished:
            return []
        if self.at is not None:
            self.hold -= dt
            if self.hold > 0:
                return []
            pos, self.at = self.at, None
            return [PointerEvent("up", *pos, self.POINTER)]
        if game.phase != "choose" or not game.options:
            return []
        if game.offer_id != self.seen:
            self.seen = game.offer_id
            self.wait = self._reaction()
        self.wait -= dt
        if self.wait > 0:
            return []
        best = game.best_option()
        if best is None:
            return []
        others = [o for o in game.options if o is not best] or game.options
        if self.rng.random() < 0.05 + 0.95 * self.skill:
            target = best
        elif self.rng.random() < 1.0 - 0.5 * self.skill:  # naive: the flashiest, costliest
            target = max(others, key=game.value_of)
        else:
            target = self.rng.choice(others)
        same_stop = sum(1 for o in game.options if o.ride.to == target.ride.to)
        if same_stop == 1 and self.rng.random() < 0.15:
            x, y = game.map_target(target)
            pos = (x + self.rng.uniform(-12, 12), y + self.rng.uniform(-12, 12))
        else:
            r = target.rect
            pos = (
                r.centerx + self.rng.uniform(-0.3, 0.3) * r.w,
                r.centery + self.rng.uniform(-0.3, 0.3) * r.h,
            )
        self.at = pos
        self.hold = self.rng.uniform(0.06, 0.18)
        self.seen = game.offer_id
        self.wait = 1e9  # until the next board
        return [PointerEvent("down", *pos, self.POINTER)]


# --------------------------------------------------------------------------- drawing helpers


def _along(pts: list[tuple[int, int]], f: float) -> tuple[float, float]:
    """The point a fraction ``f`` of the way along a polyline."""
    lengths = [math.dist(a, b) for a, b in pairwise(pts)]
    todo = f * sum(lengths)
    for (a, b), seg in zip(pairwise(pts), lengths, strict=True):
        if seg > 0 and todo <= seg:
            return (lerp(a[0], b[0], todo / seg), lerp(a[1], b[1], todo / seg))
        todo -= seg
    return (float(pts[-1][0]), float(pts[-1][1]))


def _draw_route(
    s: pygame.Surface, mode: str, colour: RGB, a, b, scale: float, solid: bool = False
) -> None:
    """A link in its mode's style: thick MTR, tram and bus lines, dashed ferry and bike,
    dotted walks, and a dashed taxi line (drawn only when a taxi is offered)."""
    ax, ay = a
    bx, by = b
    length = math.hypot(bx - ax, by - ay) or 1.0
    if mode == "mtr":
        pygame.draw.line(s, colour, (ax, ay), (bx, by), round(10 * scale))
    elif mode in ("tram", "bus"):
        pygame.draw.line(s, colour, (ax, ay), (bx, by), round(7 * scale))
        if mode == "tram":
            pygame.draw.line(s, shade(colour, 1.5), (ax, ay), (bx, by), max(1, round(2 * scale)))
    elif mode == "walk":
        step = 16
        for k in range(int(length // step) + 1):
            f = k * step / length
            pygame.draw.circle(
                s,
                theme.MIST if not solid else theme.INK,
                (round(lerp(ax, bx, f)), round(lerp(ay, by, f))),
                round((4 if solid else 3) * scale),
            )
    else:  # ferry, bike, taxi: dashes
        dash, gap = (22, 12) if mode != "bike" else (14, 10)
        width = round((6 if mode == "ferry" else 5) * scale)
        pos = 0.0
        while pos < length:
            f0, f1 = pos / length, min(1.0, (pos + dash) / length)
            pygame.draw.line(
                s,
                colour if mode != "ferry" else shade(colour, 1.6),
                (lerp(ax, bx, f0), lerp(ay, by, f0)),
                (lerp(ax, bx, f1), lerp(ay, by, f1)),
                width,
            )
            pos += dash + gap


def _draw_pin(s: pygame.Surface, tip: tuple[int, int], size: int) -> None:
    """A coral map pin whose point rests on ``tip``."""
    x, y = tip
    head = (x, y - size)
    r = round(size * 0.55)
    pygame.draw.polygon(
        s, theme.CORAL, [(x, y), (x - r * 0.8, y - size * 0.8), (x + r * 0.8, y - size * 0.8)]
    )
    pygame.draw.circle(s, theme.CORAL, head, r)
    pygame.draw.circle(s, theme.INK, head, r, 3)
    pygame.draw.circle(s, theme.WHITE, head, max(3, r // 2))


def _draw_star(s: pygame.Surface, centre: tuple[int, int], r: int, filled: bool) -> None:
    draw_star(s, centre, r, theme.SUN if filled else theme.NAVY)
    draw_star(s, centre, r, theme.SUN, 4)


def render_glyph(glyph: str, colour: RGB, radius: int) -> pygame.Surface:
    """A mode badge: a disc in the line's colour with a white pictogram."""
    size = radius * 2
    surf = pygame.Surface((size, size), pygame.SRCALPHA)
    pygame.draw.circle(surf, colour, (radius, radius), radius)
    pygame.draw.circle(surf, shade(colour, 0.7), (radius, radius), radius, max(2, radius // 14))
    box = pygame.Rect(0, 0, round(size * 0.64), round(size * 0.64))
    box.center = (radius, radius)
    fg = theme.INK if sum(colour) > 560 else theme.WHITE
    GLYPHS.get(glyph, _g_default)(surf, box, fg, colour)
    return surf


def _g_train(s, r, fg, bg):
    body = sub_rect(r, 0.18, 0.02, 0.64, 0.78)
    pygame.draw.rect(s, fg, body, border_radius=max(4, r.w // 6))
    pygame.draw.rect(s, bg, sub_rect(r, 0.28, 0.14, 0.44, 0.28), border_radius=max(2, r.w // 14))
    for fx in (0.33, 0.67):
        pygame.draw.circle(s, bg, point(r, fx, 0.6), max(2, r.w // 14))
    lw = max(2, r.w // 12)
    pygame.draw.line(s, fg, point(r, 0.32, 0.82), point(r, 0.2, 1.0), lw)
    pygame.draw.line(s, fg, point(r, 0.68, 0.82), point(r, 0.8, 1.0), lw)


def _g_bus(s, r, fg, bg):
    body = sub_rect(r, 0.04, 0.08, 0.92, 0.74)
    pygame.draw.rect(s, fg, body, border_radius=max(4, r.w // 8))
    for row, (y, hgt) in enumerate(((0.18, 0.2), (0.48, 0.18))):
        for k in range(3):
            x = 0.12 + k * 0.22 + (0.1 if row else 0)
            pygame.draw.rect(s, bg, sub_rect(r, x, y, 0.16, hgt), border_radius=2)
    pygame.draw.rect(s, bg, sub_rect(r, 0.12, 0.48, 0.1, 0.3))  # door
    for fx in (0.26, 0.74):
        pygame.draw.circle(s, bg, point(r, fx, 0.84), max(3, r.w // 8))
        pygame.draw.circle(s, fg, point(r, fx, 0.84), max(2, r.w // 14))


def _g_tram(s, r, fg, bg):
    lw = max(2, r.w // 14)
    pygame.draw.line(s, fg, point(r, 0.5, 0.16), point(r, 0.7, -0.04), lw)
    body = sub_rect(r, 0.22, 0.14, 0.56, 0.72)
    pygame.draw.rect(s, fg, body, border_radius=max(3, r.w // 10))
    for y in (0.22, 0.5):
        for fx in (0.3, 0.54):
            pygame.draw.rect(s, bg, sub_rect(r, fx, y, 0.16, 0.18), border_radius=2)
    pygame.draw.rect(s, fg, sub_rect(r, 0.14, 0.84, 0.72, 0.08), border_radius=2)
    for fx in (0.34, 0.66):
        pygame.draw.circle(s, fg, point(r, fx, 0.96), max(2, r.w // 14))


def _g_ferry(s, r, fg, bg):
    pygame.draw.polygon(
        s, fg, [point(r, 0.0, 0.5), point(r, 1.0, 0.5), point(r, 0.84, 0.76), point(r, 0.16, 0.76)]
    )
    pygame.draw.rect(s, fg, sub_rect(r, 0.22, 0.28, 0.56, 0.2), border_radius=3)
    pygame.draw.rect(s, fg, sub_rect(r, 0.16, 0.2, 0.68, 0.08), border_radius=2)
    for k in range(3):
        pygame.draw.rect(s, bg, sub_rect(r, 0.28 + k * 0.17, 0.32, 0.1, 0.1))
    lw = max(2, r.w // 14)
    for k in range(3):
        x = 0.1 + k * 0.3
        pygame.draw.arc(s, fg, sub_rect(r, x, 0.82, 0.3, 0.16), math.pi, 2 * math.pi, lw)


def _g_walk(s, r, fg, bg):
    lw = max(3, r.w // 9)
    pygame.draw.circle(s, fg, point(r, 0.56, 0.12), max(3, r.w // 9))
    hip = point(r, 0.48, 0.58)
    neck = point(r, 0.54, 0.3)
    pygame.draw.line(s, fg, neck, hip, lw)
    pygame.draw.line(s, fg, hip, point(r, 0.3, 0.96), lw)
    pygame.draw.line(s, fg, hip, point(r, 0.56, 0.76), lw)
    pygame.draw.line(s, fg, point(r, 0.56, 0.76), point(r, 0.72, 0.96), lw)
    pygame.draw.line(s, fg, point(r, 0.52, 0.36), point(r, 0.3, 0.52), lw)
    pygame.draw.line(s, fg, point(r, 0.52, 0.36), point(r, 0.74, 0.48), lw)
    for pt in (neck, hip, point(r, 0.56, 0.76), point(r, 0.52, 0.36)):
        pygame.draw.circle(s, fg, pt, lw // 2)


def _g_bike(s, r, fg, bg):
    lw = max(2, r.w // 14)
    wr = round(r.w * 0.2)
    back, front = point(r, 0.22, 0.68), point(r, 0.78, 0.68)
    pygame.draw.circle(s, fg, back, wr, lw)
    pygame.draw.circle(s, fg, front, wr, lw)
    crank = point(r, 0.48, 0.68)
    seat = point(r, 0.4, 0.34)
    bar = point(r, 0.7, 0.3)
    pygame.draw.lines(s, fg, False, [back, seat, crank, back], lw)
    pygame.draw.line(s, fg, seat, point(r, 0.68, 0.4), lw)
    pygame.draw.line(s, fg, crank, point(r, 0.68, 0.4), lw)
    pygame.draw.line(s, fg, point(r, 0.68, 0.4), front, lw)
    pygame.draw.line(s, fg, point(r, 0.68, 0.4), bar, lw)
    pygame.draw.line(s, fg, point(r, 0.32, 0.3), point(r, 0.48, 0.3), lw + 1)
    pygame.draw.line(s, fg, bar, point(r, 0.82, 0.3), lw + 1)


def _g_taxi(s, r, fg, bg):
    pygame.draw.polygon(
        s,
        fg,
        [point(r, 0.24, 0.46), point(r, 0.34, 0.24), point(r, 0.68, 0.24), point(r, 0.8, 0.46)],
    )
    pygame.draw.rect(s, fg, sub_rect(r, 0.02, 0.44, 0.96, 0.3), border_radius=max(3, r.w // 10))
    pygame.draw.rect(s, fg, sub_rect(r, 0.4, 0.1, 0.2, 0.12), border_radius=2)  # roof sign
    for fx in (0.38, 0.56):
        pygame.draw.rect(s, bg, sub_rect(r, fx, 0.3, 0.14, 0.14))
    for fx in (0.24, 0.76):
        pygame.draw.circle(s, bg, point(r, fx, 0.76), max(3, r.w // 8))
        pygame.draw.circle(s, fg, point(r, fx, 0.76), max(2, r.w // 14))


def _g_default(s, r, fg, bg):
    pygame.draw.circle(s, fg, r.center, min(r.w, r.h) // 3)


GLYPHS = {
    "train": _g_train,
    "bus": _g_bus,
    "tram": _g_tram,
    "ferry": _g_ferry,
    "walk": _g_walk,
    "bike": _g_bike,
    "taxi": _g_taxi,
}


def draw_icon(surface: pygame.Surface, rect: pygame.Rect) -> None:
    """Menu icon: a bright little harbour map, two MTR lines, a pin and a train badge."""
    radius = max(6, rect.w // 8)
    pygame.draw.rect(surface, theme.SKY, rect, border_radius=radius)
    pale: RGB = (236, 240, 226)
    top = sub_rect(rect, 0.0, 0.0, 1.0, 0.34)
    pygame.draw.rect(
        surface, pale, top, border_top_left_radius=radius, border_top_right_radius=radius
    )
    bottom = sub_rect(rect, 0.0, 0.66, 1.0, 0.34)
    pygame.draw.rect(
        surface, pale, bottom, border_bottom_left_radius=radius, border_bottom_right_radius=radius
    )
    for k in range(3):  # waves
        pygame.draw.arc(
            surface,
            theme.WHITE,
            sub_rect(rect, 0.08 + k * 0.3, 0.44, 0.16, 0.1),
            0.3,
            2.8,
            max(2, rect.w // 60),
        )
    a, b, c, d = (
        point(rect, 0.1, 0.82),
        point(rect, 0.46, 0.82),
        point(rect, 0.6, 0.3),
        point(rect, 0.9, 0.82),
    )
    lw = max(4, rect.w // 16)
    pygame.draw.line(surface, (0, 117, 194), a, b, lw)
    pygame.draw.line(surface, (0, 117, 194), b, d, lw)
    pygame.draw.line(surface, (227, 0, 25), b, c, lw)
    r = max(4, rect.w // 18)
    for pt in (a, b, c, d):
        pygame.draw.circle(surface, theme.WHITE, pt, r)
        pygame.draw.circle(surface, theme.INK, pt, r, max(2, rect.w // 70))
    _draw_pin(surface, c, max(12, rect.w // 6))
    badge = render_glyph("train", (227, 0, 25), max(10, rect.w // 6))
    surface.blit(badge, badge.get_rect(center=point(rect, 0.84, 0.4)))


GAME = GameSpec(
    id="smart_commute",
    factory=SmartCommute,
    bot=CommuteBot,
    idle_limit_s=20.0,
    draw_icon=draw_icon,
)
