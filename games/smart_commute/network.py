"""The city as the content draws it: stops, lines and links, the rides they make, and what
getting anywhere costs (minutes plus CO₂ turned into minutes). No pygame here.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from typing import Any

from games.base import level_for, rgb

RGB = tuple[int, int, int]


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
