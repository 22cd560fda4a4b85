"""Smart Home Saver / 智能家居慳電: switch off what nobody uses in a cut-away Hong Kong flat.

A Hong Kong flat on a summer evening, drawn as a cut-away: two rows of rooms, each with an
occupancy sensor (it glows while someone is in the room) and a row of appliance tiles. People
walk from room to room and out of the flat; whoever walks in switches on what they use (the
air-con straight to 20 °C) and leaves it all on when they walk out. The visitor taps:

- anything on in an empty room → off (saved; the tile's wasted watts float up);
- an air-con → cycles 20 °C → 25.5 °C → off → 20 °C (25.5 °C is what an occupied room needs);
- something needed (the fridge; anything in a room with people in it) → a comfort mistake:
  the occupant protests and switches it back on a moment later.

A smart meter shows kWh and HK$ saved (tariff and time compression in the TOML), the watts
being wasted right now, and comfort hearts.

Score (0–100, same meaning at every difficulty)::

    score = 100 × saved ÷ ideal − mistake_penalty × comfort mistakes,   clamped to 0–100

Three copies of every appliance's state run side by side on the same people schedule (people
never react to the visitor, so the schedule is fixed by the seed): the visitor's, one nobody
touches, and one an ideal player handles ``grace_s`` after each waste starts. ``saved`` is the
untouched copy's wasted energy minus the visitor's; ``ideal`` is the untouched copy's minus the
ideal player's. No input saves nothing (score 0); a player as quick as the ideal one scores
100. Rooms, appliances, wattages, people and the pace per difficulty live in
``assets/games/smart_home_saver.toml``; no visitor-facing words are in this file.

Public state for bots and tests: ``rooms`` (:class:`Room` with ``id``, ``rect``),
``appliances`` (:class:`Appliance` with ``spec``, ``room``, ``mode``, ``rect``),
``occupied(room_id)``, ``waste_w(appliance)``, ``wasting()``, ``appliance_at(x, y)``,
``people``, the counters ``mistakes`` / ``good_taps`` / ``wasteful_taps`` / ``taps``, the
energy totals ``saved_kwh`` / ``ideal_kwh`` / ``baseline_kwh``, and ``feedback``.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

import pygame

from games.base import DIFFICULTIES, Bot, Game, GameContext, GameResult, GameSpec, level_for, rgb
from games.kit.gamebar import Chip, Feedback, FeedbackLine, draw_top_bar, say, tick
from kiosk.input import PointerEvent
from kiosk.ui import theme
from kiosk.ui.blend import ease, lerp, mix, shade
from kiosk.ui.shapes import CARD_FILL, SHADOW, draw_mark, leaf, point, poly, sub_rect
from kiosk.ui.typeset import fit_size

RGB = tuple[int, int, int]

MARGIN = 40
PLAY_TOP = 128
METER_W = 380
GAP = 24
WALL = 14  # between rooms and round the flat
FLOOR_H = 26
TILE_TOP = 66  # tiles start this far below a room's top edge
BANNER_H = 104

TILE_ON: RGB = (255, 244, 204)
TILE_ON_EDGE: RGB = (255, 200, 40)
TILE_OFF: RGB = (52, 66, 92)
TILE_OFF_EDGE: RGB = (104, 120, 150)
COLD_TEXT: RGB = (20, 84, 190)
ECO_TEXT: RGB = (16, 112, 60)
BUILDING: RGB = (64, 80, 108)
DARK_ROOM: RGB = (8, 14, 32)  # blended over a room whose light is off
DISPLAY: RGB = theme.NAVY  # the meter's LCD insets: known-good text pairs

PRESS_S = 0.14
FLASH_S = 0.6
SPARK_S = 0.6
FLOAT_S = 1.1
RIPPLE_S = 0.35
UPSET_S = 1.8
DEBOUNCE_S = 0.1  # one touch reported twice within this is one tap
HEARTS = 5

MODES_AC = ("cold", "eco", "off")  # the tap cycle of an air-con


# --------------------------------------------------------------------------- content


@dataclass(frozen=True)
class RoomSpec:
    id: str
    name: dict[str, str]
    phrase: dict[str, str]
    wall: RGB
    decor: str


@dataclass(frozen=True)
class ApplianceSpec:
    id: str
    room: str
    kind: str
    need: str  # "room" | "always"
    power_w: float
    eco_power_w: float
    use: float
    levels: tuple[str, ...]

    @property
    def is_ac(self) -> bool:
        return self.kind == "ac"

    def power(self, mode: str) -> float:
        if mode == "off":
            return 0.0
        return self.eco_power_w if mode == "eco" else self.power_w


@dataclass(frozen=True)
class PersonSpec:
    id: str
    build: str
    shirt: RGB
    trousers: RGB
    hair: RGB
    skin: RGB
    long_hair: bool


@dataclass(frozen=True)
class Level:
    duration_s: float = 60.0
    rooms: tuple[str, ...] = ("bedroom", "bathroom", "living", "kitchen")
    people: tuple[str, ...] = ("dad", "mum", "kid")
    dwell_min_s: float = 3.5
    dwell_max_s: float = 7.0
    out_chance: float = 0.2
    out_min_s: float = 3.0
    out_max_s: float = 6.0
    min_gap_s: float = 0.8
    initial_waste: int = 3
    grace_s: float = 1.5
    card: int = 124
    label_size: int = 24
    figure_scale: float = 1.0
    hint_waste: bool = False


def load_level(content: dict[str, Any], difficulty: str) -> Level:
    return level_for(Level, content, difficulty)


def load_rooms(content: dict[str, Any]) -> dict[str, RoomSpec]:
    return {
        str(r["id"]): RoomSpec(
            str(r["id"]),
            dict(r.get("name", {})),
            dict(r.get("phrase", {})),
            rgb(r.get("wall"), (230, 230, 230)),
            str(r.get("decor", "")),
        )
        for r in content.get("rooms", [])
    }


def load_appliances(content: dict[str, Any]) -> list[ApplianceSpec]:
    kinds = content.get("kinds", {})
    out = []
    for raw in content.get("appliances", []):
        if raw.get("kind") not in kinds:
            continue  # a content typo must not crash a visitor's game (a test catches it)
        power = float(raw.get("power_w", 0))
        out.append(
            ApplianceSpec(
                id=str(raw["id"]),
                room=str(raw["room"]),
                kind=str(raw["kind"]),
                need=str(raw.get("need", "room")),
                power_w=power,
                eco_power_w=float(raw.get("eco_power_w", power)),
                use=float(raw.get("use", 0.0)),
                levels=tuple(str(v) for v in raw.get("levels", ())),
            )
        )
    return out


def load_people(content: dict[str, Any]) -> dict[str, PersonSpec]:
    return {
        str(p["id"]): PersonSpec(
            str(p["id"]),
            str(p.get("build", "adult")),
            rgb(p.get("shirt")),
            rgb(p.get("trousers")),
            rgb(p.get("hair")),
            rgb(p.get("skin")),
            bool(p.get("long_hair", False)),
        )
        for p in content.get("people", [])
    }


def waste_w(spec: ApplianceSpec, mode: str, occupied: bool) -> float:
    """Watts wasted by an appliance in ``mode`` (what it draws beyond what people need)."""
    if mode == "off" or spec.need == "always":
        return 0.0
    if not occupied:
        return spec.power(mode)
    if spec.is_ac and mode == "cold":
        return spec.power_w - spec.eco_power_w  # 20 °C where 25.5 °C would do
    return 0.0


def best_mode(spec: ApplianceSpec, mode: str, occupied: bool) -> str:
    """What an ideal player would set."""
    if spec.need == "always" or mode == "off":
        return mode
    if not occupied:
        return "off"
    return "eco" if spec.is_ac else mode


def next_mode(spec: ApplianceSpec, mode: str) -> str:
    if spec.is_ac:
        return MODES_AC[(MODES_AC.index(mode) + 1) % len(MODES_AC)] if mode in MODES_AC else "off"
    return "off" if mode == "on" else "on"


def on_mode(spec: ApplianceSpec) -> str:
    """The mode a person switches it on to (air-con: straight to 20 °C)."""
    return "cold" if spec.is_ac else "on"


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


@dataclass(order=True)
class _Event:
    t: float
    seq: int
    kind: str = field(compare=False)  # enter | leave | use
    person: int = field(compare=False, default=-1)
    room: str = field(compare=False, default="")
    appliance: int = field(compare=False, default=-1)


@dataclass
class _Float:
    text: str
    x: float
    y: float
    age: float = 0.0


# --------------------------------------------------------------------------- the game


class SmartHomeSaver(Game):
    def __init__(self, ctx: GameContext) -> None:
        super().__init__(ctx)
        content = ctx.content
        self.level = lv = load_level(content, ctx.difficulty)
        self.duration_s = self.level.duration_s
        play = content.get("play", {})
        self.hint_s = float(play.get("hint_s", 4.0))
        self.feedback_s = float(play.get("feedback_s", 3.2))
        self.walk_s = float(play.get("walk_s", 0.6))
        self.transit_s = float(play.get("transit_s", 0.7))
        self.use_delay_s = float(play.get("use_delay_s", 0.6))
        self.use_stagger_s = float(play.get("use_stagger_s", 0.35))
        self.restore_s = float(play.get("restore_s", 1.2))
        first_out = play.get("first_out_s", [1.5, 6.0])
        self.first_out_s = (float(first_out[0]), float(first_out[1]))
        energy = content.get("energy", {})
        self.tariff = float(energy.get("tariff_hkd_per_kwh", 1.3))
        self.minutes_per_s = float(energy.get("minutes_per_second", 5.0))
        self.day_start_min = float(energy.get("day_start_min", 1080))
        scoring = content.get("scoring", {})
        self.penalty = float(scoring.get("mistake_penalty", 8))
        self.kinds: dict[str, dict[str, Any]] = dict(content.get("kinds", {}))

        self.rng = ctx.new_rng()
        w, h = ctx.size
        self.meter_rect = pygame.Rect(w - MARGIN - METER_W, PLAY_TOP, METER_W, h - PLAY_TOP - 20)
        flat_w = self.meter_rect.x - GAP - MARGIN
        self.flat_rect = pygame.Rect(MARGIN, PLAY_TOP, flat_w, h - PLAY_TOP - BANNER_H - 36)
        self.banner_rect = pygame.Rect(MARGIN, self.flat_rect.bottom + 16, flat_w, BANNER_H)

        room_specs = load_rooms(content)
        wanted = [r for r in lv.rooms if r in room_specs]
        self.rooms: list[Room] = []
        for rid, rect in zip(wanted, layout_rooms(self.flat_rect, len(wanted)), strict=True):
            door = rect.right - 30 if rect.centerx < self.flat_rect.centerx - 2 else rect.x + 30
            self.rooms.append(Room(rid, room_specs[rid], rect, door))
        self._room = {r.id: r for r in self.rooms}
        level_key = ctx.difficulty if ctx.difficulty in DIFFICULTIES else "adult"
        self.appliances: list[Appliance] = []
        for spec in load_appliances(content):
            if level_key in spec.levels and spec.room in self._room:
                self.appliances.append(
                    Appliance(len(self.appliances), spec, spec.room, pygame.Rect(0, 0, 1, 1))
                )
        self._layout_tiles()
        for a in self.appliances:
            if a.spec.kind == "light" and self._room[a.room].light is None:
                self._room[a.room].light = a
            if a.spec.need == "always":
                a.mode = a.base_mode = a.ideal_mode = on_mode(a.spec)
        people = load_people(content)
        self.people = [Person(people[p]) for p in lv.people if p in people]

        self.taps = 0
        self.good_taps = 0
        self.wasteful_taps = 0
        self.mistakes = 0
        self.mistake_ids: list[str] = []
        self.base_wh = 0.0  # energy wasted in the flat nobody touches
        self.actual_wh = 0.0  # … in the visitor's flat
        self.ideal_wh = 0.0  # … in the ideal player's flat
        self.waste_now_w = 0.0
        self._occ: dict[str, int] = {r.id: 0 for r in self.rooms}
        self._restores: list[tuple[float, int, str]] = []
        self._tips_shown: set[str] = set()
        self._floats: list[_Float] = []
        self._ripples: list[list[float]] = []
        self.feedback: Feedback | None = Feedback(ctx.tr("hint"), "info", self.hint_s, weak=True)

        self._events = self._plan()
        self._next_event = 0
        self._process_events(0.0)
        self._seed_initial_waste()
        self._count_occupancy()

        self._bg: pygame.Surface | None = None
        self._dark: pygame.Surface | None = None
        self._tiles: dict[tuple[int, str], pygame.Surface] = {}
        self._labels: dict[int, pygame.Surface] = {}
        self._figures: dict[tuple[str, bool], pygame.Surface] = {}
        self._room_pills: dict[str, pygame.Surface] = {}
        self._banner = FeedbackLine(
            self.banner_rect.center,
            self.banner_rect.w - 120,
            size=38,
            mark_radius=24,
            mark_gap=36,
            shift_info=False,
        )
        self._halo = pygame.Surface((1, 1), pygame.SRCALPHA)
        self._hearts: dict[bool, pygame.Surface] = {}

    # -- layout and public queries ----------------------------------------------------

    def _layout_tiles(self) -> None:
        s = self.level.card
        for room in self.rooms:
            tiles = [a for a in self.appliances if a.room == room.id]
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

    def occupied(self, room_id: str) -> bool:
        return self._occ.get(room_id, 0) > 0

    def waste_w(self, a: Appliance) -> float:
        return waste_w(a.spec, a.mode, self.occupied(a.room))

    def wasting(self) -> list[Appliance]:
        """Appliances wasting power right now, the hungriest first."""
        return sorted(
            (a for a in self.appliances if self.waste_w(a) > 0), key=lambda a: -self.waste_w(a)
        )

    def appliance_at(self, x: float, y: float) -> Appliance | None:
        hits = [a for a in self.appliances if a.rect.inflate(12, 12).collidepoint(x, y)]
        if not hits:
            return None
        return min(hits, key=lambda a: (a.rect.centerx - x) ** 2 + (a.rect.centery - y) ** 2)

    @property
    def baseline_kwh(self) -> float:
        return self.base_wh / 1000

    @property
    def saved_kwh(self) -> float:
        return (self.base_wh - self.actual_wh) / 1000

    @property
    def ideal_kwh(self) -> float:
        return (self.base_wh - self.ideal_wh) / 1000

    @property
    def saved_hkd(self) -> float:
        return max(0.0, self.saved_kwh) * self.tariff

    def ratio(self) -> float:
        ideal = self.ideal_kwh
        if ideal <= 1e-9:
            return 0.0
        return max(0.0, min(1.0, self.saved_kwh / ideal))

    def score(self) -> int:
        return max(0, min(100, round(100 * self.ratio() - self.penalty * self.mistakes)))

    # -- the people's evening (fixed by the seed) ---------------------------------------

    def _plan(self) -> list[_Event]:
        lv, rng = self.level, self.rng
        rooms = [r.id for r in self.rooms]
        events: list[_Event] = []
        seq = iter(range(1_000_000))
        if not rooms or not self.people:
            return events

        def arrive(i: int, room: str, t: float) -> None:
            events.append(_Event(t, next(seq), "enter", person=i, room=room))
            k = 0
            for a in self.appliances:
                if a.room == room and a.spec.need == "room" and rng.random() < a.spec.use:
                    delay = 0.0 if t == 0 else self.use_delay_s + k * self.use_stagger_s
                    events.append(_Event(t + delay, next(seq), "use", appliance=a.uid))
                    k += 1

        where: list[str] = []
        next_t: list[float] = []
        for i in range(len(self.people)):
            room = rng.choice(rooms)
            if i == 0 or rng.random() < 0.6:
                arrive(i, room, 0.0)
                next_t.append(rng.uniform(lv.dwell_min_s * 0.5, lv.dwell_max_s))
            else:
                t = rng.uniform(*self.first_out_s)
                arrive(i, room, t)
                next_t.append(t + rng.uniform(lv.dwell_min_s, lv.dwell_max_s))
            where.append(room)
        last_leave = -math.inf
        end = lv.duration_s
        while True:
            i = min(range(len(next_t)), key=lambda k: next_t[k])
            if next_t[i] == math.inf:
                break
            leave = max(next_t[i], last_leave + lv.min_gap_s)
            if leave > end - 1.0:
                next_t[i] = math.inf
                continue
            last_leave = leave
            events.append(_Event(leave, next(seq), "leave", person=i))
            others = [r for r in rooms if r != where[i]] or rooms
            if rng.random() < lv.out_chance:
                t = leave + rng.uniform(lv.out_min_s, lv.out_max_s)
                dest = rng.choice(rooms)
            else:
                t = leave + self.transit_s
                dest = rng.choice(others)
            if t > end - 0.5:
                next_t[i] = math.inf
                continue
            arrive(i, dest, t)
            where[i] = dest
            next_t[i] = t + rng.uniform(lv.dwell_min_s, lv.dwell_max_s)
        events.sort()
        return events

    def _seed_initial_waste(self) -> None:
        """Things left on in empty rooms since the morning: something to do at once."""
        candidates = [
            a
            for a in self.appliances
            if a.spec.need == "room" and a.mode == "off" and not self.occupied(a.room)
        ]
        self.rng.shuffle(candidates)
        for a in candidates[: self.level.initial_waste]:
            a.mode = a.base_mode = a.ideal_mode = on_mode(a.spec)

    def _process_events(self, now: float) -> None:
        events = self._events
        while self._next_event < len(events) and events[self._next_event].t <= now:
            ev = events[self._next_event]
            self._next_event += 1
            if ev.kind == "enter":
                self._enter(self.people[ev.person], ev.room, instant=ev.t == 0)
            elif ev.kind == "leave":
                self._leave(self.people[ev.person])
            elif ev.kind == "use":
                self._use(self.appliances[ev.appliance], visible=ev.t > 0)
            self._count_occupancy()

    def _count_occupancy(self) -> None:
        occ = dict.fromkeys(self._occ, 0)
        for p in self.people:
            if p.present and p.room in occ:
                occ[p.room] += 1
        self._occ = occ

    def _enter(self, person: Person, room_id: str, instant: bool) -> None:
        room = self._room[room_id]
        taken = {p.slot for p in self.people if p is not person and p.present and p.room == room_id}
        person.slot = next(k for k in range(len(self.people) + 1) if k not in taken)
        person.room = room_id
        slots = room.slots or [room.rect.centerx]
        target = slots[person.slot % len(slots)] + 40 * (person.slot // len(slots))
        person.to_x = target
        person.from_x = room.door_x
        person.x = target if instant else room.door_x
        person.state = "in" if instant else "entering"
        person.anim = 0.0
        person.upset = 0.0

    def _leave(self, person: Person) -> None:
        if person.room is None or not person.present:
            return
        person.state = "leaving"
        person.anim = 0.0
        person.from_x = person.x
        person.to_x = self._room[person.room].door_x

    def _use(self, a: Appliance, visible: bool) -> None:
        """A person switches it on in every copy of the flat (where it is off)."""
        on = on_mode(a.spec)
        if a.mode == "off":
            a.mode = on
            if visible:
                a.spark = SPARK_S
        if a.base_mode == "off":
            a.base_mode = on
        if a.ideal_mode == "off":
            a.ideal_mode = on
            a.ideal_since = None

    # -- input ------------------------------------------------------------------------

    def handle(self, event: PointerEvent) -> None:
        if self.finished or event.kind != "down":
            return
        self._ripples.append([event.x, event.y, 0.0])
        del self._ripples[:-12]
        a = self.appliance_at(event.x, event.y)
        if a is None:
            self.cue("tap")
            return
        if a.last_tap >= 0 and self.elapsed - a.last_tap < DEBOUNCE_S:
            return
        a.last_tap = self.elapsed
        self._tap(a)

    def _tap(self, a: Appliance) -> None:
        tr = self.ctx.tr
        room = self._room[a.room]
        occupied = self.occupied(a.room)
        old, new = a.mode, next_mode(a.spec, a.mode)
        before = waste_w(a.spec, old, occupied)
        after = waste_w(a.spec, new, occupied)
        a.mode = new
        a.press = PRESS_S
        a.flash = FLASH_S
        self.taps += 1
        fmt = {"room": self.ctx.pick(room.spec.phrase)}
        if new == "off" and old != "off" and (a.spec.need == "always" or occupied):
            self.mistakes += 1
            self.mistake_ids.append(a.spec.id)
            a.flash_tone = "bad"
            self._restores.append((self.elapsed + self.restore_s, a.uid, old))
            self.cue("bad")
            if a.spec.need == "always":
                a.alarm = UPSET_S
                self._say(tr("bad_fridge"), "bad")
            else:
                self._upset(a.room, a)
                self._say(tr("bad_needed", **fmt), "bad")
        elif after < before:
            self.good_taps += 1
            a.flash_tone = "good"
            self.cue("good")
            self._floats.append(
                _Float(
                    tr("float_saved", w=f"{round(before - after):,}"),
                    a.rect.centerx,
                    a.rect.centery,
                )
            )
            if a.spec.is_ac and new == "eco" and not occupied:
                self._say(tr("ac_half", **fmt), "info")
            elif a.spec.kind not in self._tips_shown and new == "off":
                self._tips_shown.add(a.spec.kind)
                tip = self.kinds.get(a.spec.kind, {}).get("tip", {})
                self._say(self.ctx.pick(tip) or tr("good_off", **fmt), "good")
            elif a.spec.is_ac and new == "eco":
                self._say(tr("good_ac"), "good", weak="ac_eco" in self._tips_shown)
                self._tips_shown.add("ac_eco")
            else:
                self._say(tr("good_off", **fmt), "good", weak=True)
        elif after > before:
            self.wasteful_taps += 1
            a.flash_tone = "bad"
            self.cue("bad")
            if a.spec.is_ac and occupied:
                self._say(tr("bad_cold"), "bad")
            else:
                self._say(tr("bad_on", **fmt), "bad")
        else:
            a.flash_tone = "info"
            self.cue("tap")

    def _upset(self, room_id: str, a: Appliance) -> None:
        here = [p for p in self.people if p.present and p.room == room_id]
        if here:
            min(here, key=lambda p: abs(p.x - a.rect.centerx)).upset = UPSET_S
        else:
            a.alarm = UPSET_S

    def _say(self, text: str, tone: str, weak: bool = False) -> None:
        """Show one line; a routine line never hides a tip the visitor is still reading."""
        self.feedback = say(self.feedback, text, tone, self.feedback_s, weak)

    # -- time -------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        if self.finished:
            return
        dt = min(max(dt, 0.0), 0.25)
        self.elapsed = min(self.elapsed + dt, self.level.duration_s)
        now = self.elapsed
        self._process_events(now)
        if self._restores:
            due = [r for r in self._restores if r[0] <= now]
            self._restores = [r for r in self._restores if r[0] > now]
            for _, uid, mode in due:
                a = self.appliances[uid]
                if a.mode == "off" and (a.spec.need == "always" or self.occupied(a.room)):
                    a.mode = mode
                    a.spark = SPARK_S
        self._integrate(dt, now)
        self._animate(dt)
        self.feedback = tick(self.feedback, dt)
        if self.elapsed >= self.level.duration_s:
            self._finish()

    def _integrate(self, dt: float, now: float) -> None:
        hours = dt * self.minutes_per_s / 60.0
        grace = self.level.grace_s
        waste_now = 0.0
        occupancy = self._occ
        for a in self.appliances:
            occ = occupancy[a.room] > 0
            # The ideal player fixes any waste grace_s after it starts.
            iw = waste_w(a.spec, a.ideal_mode, occ)
            if iw > 0:
                if a.ideal_since is None:
                    a.ideal_since = now - dt
                if now - a.ideal_since >= grace:
                    a.ideal_mode = best_mode(a.spec, a.ideal_mode, occ)
                    a.ideal_since = None
            else:
                a.ideal_since = None
            aw = waste_w(a.spec, a.mode, occ)
            self.actual_wh += aw * hours
            self.base_wh += waste_w(a.spec, a.base_mode, occ) * hours
            self.ideal_wh += iw * hours
            waste_now += aw
        self.waste_now_w = waste_now

    def _animate(self, dt: float) -> None:
        for a in self.appliances:
            if a.press or a.flash or a.spark or a.alarm:
                a.press = max(0.0, a.press - dt)
                a.flash = max(0.0, a.flash - dt)
                a.spark = max(0.0, a.spark - dt)
                a.alarm = max(0.0, a.alarm - dt)
        for p in self.people:
            if p.upset:
                p.upset = max(0.0, p.upset - dt)
            p.bob += dt
            if p.state in ("entering", "leaving"):
                p.anim += dt
                f = min(1.0, p.anim / self.walk_s) if self.walk_s > 0 else 1.0
                p.x = lerp(p.from_x, p.to_x, f)
                if f >= 1.0:
                    p.state = "in" if p.state == "entering" else "out"
        if self._floats:
            for fl in self._floats:
                fl.age += dt
            self._floats = [fl for fl in self._floats if fl.age < FLOAT_S]
        if self._ripples:
            for rp in self._ripples:
                rp[2] += dt
            self._ripples = [rp for rp in self._ripples if rp[2] < RIPPLE_S]

    def _finish(self) -> None:
        self.finished = True
        self._say(self.ctx.tr("times_up"), "info")

    def result(self) -> GameResult:
        return self.graded(
            kwh_saved=round(max(0.0, self.saved_kwh), 3),
            kwh_ideal=round(self.ideal_kwh, 3),
            kwh_wasted_untouched=round(self.baseline_kwh, 3),
            hkd_saved=round(self.saved_hkd, 2),
            waste_stopped_pct=round(100 * self.ratio(), 1),
            taps=self.taps,
            good_taps=self.good_taps,
            wasteful_taps=self.wasteful_taps,
            comfort_mistakes=self.mistakes,
            mistakes=self.mistake_ids[:30],
        )

    # -- drawing ----------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        if self._bg is None:
            self._prerender()
        assert self._bg is not None and self._dark is not None
        surface.blit(self._bg, (0, 0))
        fx, fy = self.flat_rect.topleft
        for room in self.rooms:
            if room.light is not None and room.light.mode == "off":
                surface.blit(self._dark, room.rect, room.rect.move(-fx, -fy))
        t = self.elapsed
        for room in self.rooms:
            self._draw_sensor(surface, room, t)
            surface.blit(self._room_pills[room.id], (room.rect.x + 14, room.rect.y + 12))
        for p in self.people:
            if p.state != "out":
                self._draw_person(surface, p)
        for a in self.appliances:
            self._draw_tile(surface, a, t)
        for fl in self._floats:
            self._draw_float(surface, fl)
        for p in self.people:
            if p.state != "out" and p.upset > 0:
                fig = self._figure(p)
                head = (p.x + fig.get_width() * 0.22, self._feet_y(p) - fig.get_height() * 0.86)
                _draw_bubble(
                    surface, head, side=1 if p.x < self._room[p.room or ""].rect.right - 90 else -1
                )
        for a in self.appliances:
            if a.alarm > 0:
                _draw_bubble(surface, (a.rect.right - 8, a.rect.y + 16), side=1)
        self._draw_top_bar(surface)
        self._draw_meter(surface)
        self._banner.draw(surface, self.ctx.text, self.feedback)
        for x, y, age in self._ripples:
            f = age / RIPPLE_S
            pygame.draw.circle(
                surface,
                theme.SUN,
                (round(x), round(y)),
                round(14 + 40 * f),
                max(2, round(6 * (1 - f))),
            )

    def _prerender(self) -> None:
        ctx, lv = self.ctx, self.level
        self._bg = self._build_background()
        dark = self._bg.subsurface(self.flat_rect).copy()
        veil = pygame.Surface(dark.get_size())
        veil.fill(DARK_ROOM)
        veil.set_alpha(150)
        dark.blit(veil, (0, 0))
        self._dark = dark
        halo = pygame.Surface((112, 112), pygame.SRCALPHA)
        for k, alpha in enumerate((40, 60, 90)):
            pygame.draw.circle(halo, (*theme.MINT, alpha), (56, 56), 56 - 12 * k)
        self._halo = halo
        for full in (False, True):
            heart = pygame.Surface((44, 44), pygame.SRCALPHA)
            _draw_heart(heart, (22, 22), 18, full)
            self._hearts[full] = heart
        for a in self.appliances:
            modes = MODES_AC if a.spec.is_ac else ("on", "off")
            for mode in modes:
                self._tiles[(a.uid, mode)] = render_tile(ctx, a.spec, mode, a.rect.size)
            self._labels[a.uid] = self._render_label(self._kind_name(a.spec.kind))
        for p in self.people:
            for upset in (False, True):
                self._figures[(p.spec.id, upset)] = render_person(p.spec, lv.figure_scale, upset)
        for room in self.rooms:
            self._room_pills[room.id] = self._render_pill(ctx.pick(room.spec.name), 30)

    def _kind_name(self, kind: str) -> str:
        return self.ctx.pick(self.kinds.get(kind, {}).get("name", {})) or kind

    def _render_label(self, text: str) -> pygame.Surface:
        size = self.level.label_size
        surf = self.ctx.text.render(text, size, theme.INK, "bold")
        pill = pygame.Surface((surf.get_width() + 22, surf.get_height() + 4), pygame.SRCALPHA)
        pygame.draw.rect(pill, CARD_FILL, pill.get_rect(), border_radius=pill.get_height() // 2)
        pill.blit(surf, surf.get_rect(center=pill.get_rect().center))
        return pill

    def _render_pill(self, text: str, size: int) -> pygame.Surface:
        surf = self.ctx.text.render(text, size, theme.TEXT, "bold")
        pill = pygame.Surface((surf.get_width() + 32, 48), pygame.SRCALPHA)
        pygame.draw.rect(pill, theme.NAVY, pill.get_rect(), border_radius=24)
        pill.blit(surf, surf.get_rect(center=pill.get_rect().center))
        return pill

    def _build_background(self) -> pygame.Surface:
        w, h = self.ctx.size
        bg = pygame.Surface((w, h))
        bg.fill(theme.BACKGROUND)
        flat = self.flat_rect
        pygame.draw.rect(bg, SHADOW, flat.move(0, 10), border_radius=18)
        pygame.draw.rect(bg, BUILDING, flat, border_radius=18)
        for room in self.rooms:
            draw_room(bg, room.rect, room.spec)
        # Smart meter panel: a card with dark "display" insets for the live numbers.
        m = self.meter_rect
        pygame.draw.rect(bg, SHADOW, m.move(0, 10), border_radius=theme.RADIUS)
        pygame.draw.rect(bg, theme.CARD, m, border_radius=theme.RADIUS)
        text, tr = self.ctx.text, self.ctx.tr
        _draw_bolt(bg, pygame.Rect(m.x + 22, m.y + 20, 32, 48), theme.SUN)
        clock = self._clock_rect()
        self._fit_draw(
            bg,
            tr("meter_title"),
            36,
            theme.SUN,
            (m.x + 64, m.y + 44),
            clock.x - 10 - (m.x + 64),
            anchor="midleft",
        )
        pygame.draw.rect(bg, DISPLAY, clock, border_radius=clock.h // 2)
        for key, (top, _) in self._meter_rows().items():
            text.draw(bg, tr(key), 28, theme.TEXT_MUTED, topleft=(m.x + 26, top))
        for _, (top, box_h) in self._meter_rows().items():
            pygame.draw.rect(bg, DISPLAY, (m.x + 18, top + 38, m.w - 36, box_h), border_radius=16)
        # Rules card: the three smart habits, each with a little picture.
        rules = pygame.Rect(m.x + 18, m.bottom - 262, m.w - 36, 244)
        pygame.draw.rect(bg, DISPLAY, rules, border_radius=18)
        self._fit_draw(
            bg, tr("rules_title"), 30, theme.SUN, (rules.centerx, rules.y + 30), rules.w - 30
        )
        keys = ("rule_empty", "rule_fridge", "rule_ac")
        size = min(self._fit_size(tr(key), 28, rules.w - 88) for key in keys)
        for k, key in enumerate(keys):
            cy = rules.y + 86 + k * 60
            icon = pygame.Rect(rules.x + 14, cy - 24, 48, 48)
            _rule_icon(bg, icon, key)
            text.draw(
                bg,
                tr(key),
                size,
                theme.TEXT,
                topleft=(rules.x + 74, cy - size * 0.72),
                weight="bold",
            )
        return bg

    def _clock_rect(self) -> pygame.Rect:
        m = self.meter_rect
        return pygame.Rect(m.right - 112, m.y + 20, 94, 48)

    def _meter_rows(self) -> dict[str, tuple[int, int]]:
        """Label top and display height of each meter row."""
        top = self.meter_rect.y + 84
        return {
            "saved_energy": (top, 70),
            "saved_money": (top + 128, 70),
            "wasting": (top + 256, 96),
            "comfort": (top + 410, 60),
        }

    def _fit_size(self, label: str, size: int, max_w: int) -> int:
        return fit_size(self.ctx.text, label, size, max_w, 18)

    def _fit_draw(
        self,
        surface: pygame.Surface,
        label: str,
        size: int,
        color: RGB,
        pos: tuple[float, float],
        max_w: int,
        anchor: str = "center",
    ) -> None:
        size = self._fit_size(label, size, max_w)
        surf = self.ctx.text.render(label, size, color, "bold")
        surface.blit(surf, surf.get_rect(**{anchor: (round(pos[0]), round(pos[1]))}))

    def _draw_sensor(self, surface: pygame.Surface, room: Room, t: float) -> None:
        cx, cy = room.rect.right - 38, room.rect.y + 36
        occupied = self.occupied(room.id)
        if occupied:
            pulse = 0.5 + 0.5 * math.sin(t * 5.0)
            surface.blit(self._halo, self._halo.get_rect(center=(cx, cy)))
            pygame.draw.circle(surface, theme.MINT, (cx, cy), round(28 + 6 * pulse), 3)
            for k in (1, 2):  # the waves of a motion sensor
                rr = pygame.Rect(0, 0, 24 + 16 * k, 24 + 16 * k)
                rr.center = (cx, cy)
                pygame.draw.arc(surface, theme.MINT, rr.move(-18 - 8 * k, 0), -0.7, 0.7, 3)
        pygame.draw.circle(surface, (226, 232, 242), (cx, cy), 22)
        pygame.draw.circle(surface, (150, 160, 180), (cx, cy), 22, 2)
        pygame.draw.circle(surface, theme.MINT if occupied else (120, 130, 148), (cx, cy), 14)
        pygame.draw.circle(surface, (255, 255, 255) if occupied else (92, 102, 120), (cx, cy), 5)

    def _feet_y(self, p: Person) -> int:
        room = self._room.get(p.room or "")
        return room.rect.bottom - 12 if room else 0

    def _figure(self, p: Person) -> pygame.Surface:
        return self._figures[(p.spec.id, p.upset > 0)]

    def _draw_person(self, surface: pygame.Surface, p: Person) -> None:
        fig = self._figure(p)
        walking = p.state in ("entering", "leaving")
        lift = abs(math.sin(p.bob * 12)) * 6 if walking else 0
        rect = fig.get_rect(midbottom=(round(p.x), round(self._feet_y(p) - lift)))
        pygame.draw.ellipse(
            surface,
            shade(self._room[p.room or ""].spec.wall, 0.6),
            (rect.centerx - rect.w * 0.4, self._feet_y(p) - 6, rect.w * 0.8, 10),
        )
        if walking:
            f = min(1.0, p.anim / self.walk_s) if self.walk_s else 1.0
            alpha = f if p.state == "entering" else 1 - f
            fig.set_alpha(round(255 * max(0.0, min(1.0, alpha))))
            surface.blit(fig, rect)
            fig.set_alpha(255)
        else:
            surface.blit(fig, rect)

    def _draw_tile(self, surface: pygame.Surface, a: Appliance, t: float) -> None:
        tile = self._tiles[(a.uid, a.mode)]
        rect = a.rect.move(0, 4) if a.press > 0 else a.rect
        if a.press <= 0:
            pygame.draw.rect(surface, SHADOW, a.rect.move(0, 7), border_radius=22)
        surface.blit(tile, rect)
        if self.level.hint_waste and self.waste_w(a) > 0:
            pulse = 0.5 + 0.5 * math.sin(t * 6.0)
            ring = rect.inflate(10 + round(8 * pulse), 10 + round(8 * pulse))
            pygame.draw.rect(surface, theme.CORAL, ring, 6, border_radius=26)
            _draw_bolt_badge(surface, (rect.x + 4, rect.y + 4))
        if a.flash > 0:
            color = {"good": theme.GOOD, "bad": theme.BAD}.get(a.flash_tone, theme.SUN)
            grow = round(14 * (1 - a.flash / FLASH_S))
            pygame.draw.rect(
                surface, color, rect.inflate(12 + grow, 12 + grow), 7, border_radius=28
            )
            if a.flash_tone in ("good", "bad"):
                draw_mark(surface, (rect.right - 4, rect.bottom - 6), 20, a.flash_tone == "good")
        if a.spark > 0:
            f = 1 - a.spark / SPARK_S
            cx, cy = rect.right - 10, rect.y + 10
            for k in range(8):
                ang = k * math.pi / 4
                r0, r1 = 10 + 18 * f, 22 + 22 * f
                pygame.draw.line(
                    surface,
                    theme.SUN,
                    (cx + r0 * math.cos(ang), cy + r0 * math.sin(ang)),
                    (cx + r1 * math.cos(ang), cy + r1 * math.sin(ang)),
                    4,
                )
        label = self._labels[a.uid]
        surface.blit(label, label.get_rect(midtop=(rect.centerx, rect.bottom + 8)))

    def _draw_float(self, surface: pygame.Surface, fl: _Float) -> None:
        f = fl.age / FLOAT_S
        surf = self.ctx.text.render(fl.text, 32, theme.GOOD, "bold")
        box = surf.get_rect(center=(round(fl.x), round(fl.y - 60 * ease(f))))
        box.inflate_ip(24, 8)
        layer = pygame.Surface(box.size, pygame.SRCALPHA)
        pygame.draw.rect(layer, theme.NAVY, layer.get_rect(), border_radius=box.h // 2)
        layer.blit(surf, surf.get_rect(center=layer.get_rect().center))
        if f > 0.6:
            layer.set_alpha(round(255 * (1 - f) / 0.4))
        surface.blit(layer, box)

    def _draw_top_bar(self, surface: pygame.Surface) -> None:
        chip = Chip(self.ctx.tr("tally", score=self.score()), _leaf_chip)
        duration = self.level.duration_s
        draw_top_bar(surface, self.ctx, self.time_left, duration, self.finished, [chip])

    def _draw_meter(self, surface: pygame.Surface) -> None:
        text, tr = self.ctx.text, self.ctx.tr
        m = self.meter_rect
        rows = self._meter_rows()
        # The evening clock, right of the heading.
        minutes = int(self.day_start_min + self.elapsed * self.minutes_per_s) % (24 * 60)
        clock = tr("clock", hh=f"{minutes // 60:02d}", mm=f"{minutes % 60:02d}")
        text.draw(surface, clock, 30, theme.TEXT, center=self._clock_rect().center, weight="bold")
        inner_w = m.w - 36
        top, hh = rows["saved_energy"]
        kwh = tr("kwh", kwh=f"{max(0.0, self.saved_kwh):.2f}")
        text.draw(
            surface, kwh, 48, theme.GOOD, center=(m.centerx, top + 38 + hh / 2), weight="bold"
        )
        top, hh = rows["saved_money"]
        hkd = tr("hkd", hkd=f"{self.saved_hkd:.2f}")
        text.draw(surface, hkd, 48, theme.SUN, center=(m.centerx, top + 38 + hh / 2), weight="bold")
        top, hh = rows["wasting"]
        watts = round(self.waste_now_w)
        color = theme.BAD if watts > 0 else theme.GOOD
        text.draw(
            surface,
            tr("watts", w=f"{watts:,}"),
            44,
            color,
            center=(m.centerx, top + 38 + 34),
            weight="bold",
        )
        track = pygame.Rect(m.x + 36, top + 38 + hh - 24, inner_w - 36, 12)
        pygame.draw.rect(surface, theme.CARD, track, border_radius=6)
        if watts > 0:
            frac = min(1.0, watts / 3000)
            pygame.draw.rect(
                surface,
                theme.BAD,
                (track.x, track.y, max(12, track.w * frac), track.h),
                border_radius=6,
            )
        top, hh = rows["comfort"]
        left = HEARTS - min(HEARTS, self.mistakes)
        step = (inner_w - 40) / HEARTS
        for k in range(HEARTS):
            heart = self._hearts[k < left]
            cx = m.x + 18 + 20 + step * (k + 0.5)
            surface.blit(heart, heart.get_rect(center=(round(cx), round(top + 38 + hh / 2))))


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


# --------------------------------------------------------------------------- the bot


class SaverBot(Bot):
    """Plays through pointer events only: look round the flat, tap, look again.

    ``skill`` sets the pause between looks (0.2 s at skill 1, about 2.4 s at skill 0), the
    chance that a look finds something really wasting (15 % → 100 %; otherwise it may guess
    any tile, needed or not: 70 % of misses at skill 0, 10 % at skill 1) and whether it goes
    for the hungriest appliance first.
    """

    POINTER = 201

    def __init__(self, game: Game, rng: random.Random, skill: float) -> None:
        super().__init__(game, rng, max(0.0, min(1.0, skill)))
        self.wait = self._reaction()
        self.hold = 0.0
        self.pos = (0.0, 0.0)
        self.down = False

    def _reaction(self) -> float:
        return (0.18 + 2.2 * (1.0 - self.skill)) * self.rng.uniform(0.8, 1.25)

    def step(self, dt: float) -> list[PointerEvent]:
        game = self.game
        assert isinstance(game, SmartHomeSaver)
        if game.finished:
            return []
        if self.down:
            self.hold -= dt
            if self.hold > 0:
                return []
            self.down = False
            self.wait = self._reaction()
            return [PointerEvent("up", *self.pos, self.POINTER)]
        self.wait -= dt
        if self.wait > 0:
            return []
        wasting = game.wasting()
        target: Appliance | None = None
        if self.rng.random() < 0.15 + 0.85 * self.skill:
            if not wasting:
                self.wait = 0.1 + 0.6 * (1.0 - self.skill)  # all fine: look again soon
                return []
            hungriest = self.rng.random() < 0.3 + 0.7 * self.skill
            target = wasting[0] if hungriest else self.rng.choice(wasting)
        elif game.appliances and self.rng.random() < 0.1 + 0.6 * (1.0 - self.skill):
            target = self.rng.choice(game.appliances)  # a guess: needed or not
        if target is None:
            self.wait = self._reaction()  # distracted: nothing done this time
            return []
        r = target.rect
        self.pos = (
            r.centerx + self.rng.uniform(-0.3, 0.3) * r.w,
            r.centery + self.rng.uniform(-0.3, 0.3) * r.h,
        )
        self.down = True
        self.hold = self.rng.uniform(0.05, 0.12)
        return [PointerEvent("down", *self.pos, self.POINTER)]


# --------------------------------------------------------------------------- drawing helpers


def _draw_bolt(s: pygame.Surface, r: pygame.Rect, color: RGB) -> None:
    poly(
        s,
        r,
        color,
        [
            (0.58, 0.0),
            (0.12, 0.58),
            (0.46, 0.58),
            (0.36, 1.0),
            (0.88, 0.38),
            (0.54, 0.38),
            (0.7, 0.0),
        ],
    )


def _draw_bolt_badge(s: pygame.Surface, topleft: tuple[int, int]) -> None:
    x, y = topleft
    pygame.draw.circle(s, theme.CORAL, (x + 16, y + 16), 18)
    _draw_bolt(s, pygame.Rect(x + 5, y + 2, 22, 28), theme.INK)


def _draw_leaf_badge(s: pygame.Surface, centre: tuple[int, int], r: int) -> None:
    pygame.draw.circle(s, theme.MINT, centre, r)
    leaf(s, centre, r * 1.3, r * 0.7, -0.8, theme.INK)
    pygame.draw.line(
        s,
        theme.MINT,
        (centre[0] - r * 0.4, centre[1] + r * 0.4),
        (centre[0] + r * 0.35, centre[1] - r * 0.35),
        2,
    )


def _leaf_chip(s: pygame.Surface, box: pygame.Rect) -> None:
    _draw_leaf_badge(s, (box.x + 40, box.centery), 22)


def _draw_heart(s: pygame.Surface, centre: tuple[float, float], r: int, full: bool) -> None:
    cx, cy = round(centre[0]), round(centre[1])
    color = theme.CORAL if full else (70, 86, 118)
    pts = []
    for k in range(33):
        t = 2 * math.pi * k / 32
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        pts.append((cx + x * r / 16, cy - y * r / 16))
    pygame.draw.polygon(s, color, pts)
    if not full:
        pygame.draw.polygon(s, (110, 124, 150), pts, 2)


def _draw_bubble(s: pygame.Surface, anchor: tuple[float, float], side: int = 1) -> None:
    """A speech bubble with a "!" drawn in shapes, up and to one ``side`` of ``anchor``."""
    ax, ay = round(anchor[0]), round(anchor[1])
    box = pygame.Rect(0, 0, 56, 60)
    box.bottomleft = (ax + 14, ay - 6) if side > 0 else (ax - 14 - 56, ay - 6)
    near = box.x + 10 if side > 0 else box.right - 10
    pygame.draw.polygon(
        s,
        theme.CORAL,
        [(near - 9 * side, box.bottom - 16), (near + 9 * side, box.bottom + 1), (ax, ay + 4)],
    )
    pygame.draw.rect(s, (255, 255, 255), box, border_radius=18)
    pygame.draw.rect(s, theme.CORAL, box, 4, border_radius=18)
    cx = box.centerx
    pygame.draw.rect(s, theme.CORAL, (cx - 5, box.y + 10, 10, 26), border_radius=4)
    pygame.draw.circle(s, theme.CORAL, (cx, box.y + 46), 6)


def _rule_icon(s: pygame.Surface, r: pygame.Rect, key: str) -> None:
    pygame.draw.rect(s, theme.CARD, r, border_radius=12)
    inner = r.inflate(-10, -10)
    if key == "rule_empty":
        pygame.draw.circle(s, (120, 130, 148), inner.center, inner.w // 2 - 2)
        pygame.draw.circle(s, (226, 232, 242), inner.center, inner.w // 2 - 2, 3)
        _draw_power(s, inner.center, inner.w // 4, theme.TEXT)
    elif key == "rule_fridge":
        draw_glyph(s, "fridge", inner, True)
    else:
        leaf(s, inner.center, inner.w * 0.9, inner.w * 0.46, -0.8, theme.MINT)


def _draw_power(s: pygame.Surface, centre: tuple[int, int], r: int, color: RGB) -> None:
    """The power symbol: a ring open at the top with a bar through the gap."""
    cx, cy = centre
    width = max(2, r // 3)
    box = pygame.Rect(cx - r, cy - r, 2 * r, 2 * r)
    pygame.draw.arc(s, color, box, math.pi / 2 + 0.6, math.pi / 2 - 0.6 + 2 * math.pi, width)
    pygame.draw.line(s, color, (cx, cy - r - 1), (cx, cy + 1), width)


def draw_room(s: pygame.Surface, r: pygame.Rect, spec: RoomSpec) -> None:
    """A room in cut-away: wall, skirting, floorboards and a piece of furniture."""
    wall = spec.wall
    pygame.draw.rect(s, wall, r)
    pygame.draw.rect(s, shade(wall, 0.93), (r.x, r.y, r.w, 10))  # cornice
    floor = pygame.Rect(r.x, r.bottom - FLOOR_H, r.w, FLOOR_H)
    pygame.draw.rect(s, (176, 128, 84), floor)
    for x in range(floor.x + 40, floor.right, 90):
        pygame.draw.line(s, (150, 106, 68), (x, floor.y + 4), (x, floor.bottom), 2)
    pygame.draw.rect(s, shade(wall, 0.8), (r.x, floor.y - 10, r.w, 10))  # skirting
    base = floor.y - 10
    dark = shade(wall, 0.84)
    deep = shade(wall, 0.7)
    if spec.decor == "sofa":
        sofa = pygame.Rect(r.x + r.w * 0.06, base - 86, min(300, r.w * 0.34), 86)
        pygame.draw.rect(s, dark, (sofa.x, sofa.y, sofa.w, 56), border_radius=18)
        pygame.draw.rect(s, deep, (sofa.x, sofa.y + 36, sofa.w, sofa.h - 36), border_radius=14)
        for ax in (sofa.x - 12, sofa.right - 22):
            pygame.draw.rect(s, dark, (ax, sofa.y + 26, 34, sofa.h - 26), border_radius=12)
        plant = (round(r.right - r.w * 0.08), base)
        pygame.draw.rect(s, deep, (plant[0] - 18, plant[1] - 40, 36, 40), border_radius=6)
        for ang in (-2.2, -1.57, -0.9):
            leaf(
                s,
                (plant[0] + 30 * math.cos(ang), plant[1] - 46 + 26 * math.sin(ang)),
                62,
                22,
                ang,
                shade(wall, 0.76),
            )
    elif spec.decor == "bed":
        bed = pygame.Rect(
            r.right - r.w * 0.06 - min(320, r.w * 0.4), base - 64, min(320, r.w * 0.4), 64
        )
        pygame.draw.rect(s, deep, (bed.right - 16, bed.y - 50, 16, bed.h + 50), border_radius=6)
        pygame.draw.rect(s, dark, bed, border_radius=14)
        pygame.draw.rect(
            s, shade(wall, 0.92), (bed.right - 90, bed.y - 16, 66, 26), border_radius=10
        )
        pygame.draw.rect(s, deep, (bed.x, bed.y + 8, bed.w - 100, bed.h - 8), border_radius=12)
    elif spec.decor == "counter":
        counter = pygame.Rect(r.x + r.w * 0.05, base - 80, min(340, r.w * 0.42), 80)
        pygame.draw.rect(s, dark, counter, border_radius=6)
        pygame.draw.rect(
            s, deep, (counter.x - 6, counter.y - 10, counter.w + 12, 14), border_radius=6
        )
        for k in range(3):
            door = pygame.Rect(
                counter.x + 10 + k * (counter.w - 20) / 3,
                counter.y + 16,
                (counter.w - 20) / 3 - 8,
                counter.h - 24,
            )
            pygame.draw.rect(s, shade(wall, 0.9), door, border_radius=4)
            pygame.draw.line(
                s, deep, (door.centerx - 10, door.y + 10), (door.centerx + 10, door.y + 10), 3
            )
        pot = pygame.Rect(counter.x + counter.w * 0.62, counter.y - 42, 64, 32)
        pygame.draw.rect(s, deep, pot, border_radius=8)
        pygame.draw.line(s, deep, (pot.right, pot.y + 8), (pot.right + 22, pot.y + 4), 5)
    elif spec.decor == "bath":
        tub = pygame.Rect(r.x + r.w * 0.05, base - 58, min(300, r.w * 0.38), 58)
        for y in range(r.y + 40, base, 34):  # wall tiles
            pygame.draw.line(s, shade(wall, 0.94), (r.x, y), (r.right, y), 2)
        for x in range(r.x + 34, r.right, 34):
            pygame.draw.line(s, shade(wall, 0.94), (x, r.y + 40), (x, base), 2)
        pygame.draw.rect(s, shade(wall, 1.5), tub, border_radius=22)
        pygame.draw.rect(s, deep, tub, 4, border_radius=22)
        pygame.draw.line(s, deep, (tub.x + 40, tub.y), (tub.x + 40, tub.y - 80), 5)
        pygame.draw.arc(s, deep, (tub.x + 40, tub.y - 100, 44, 40), 0, math.pi, 5)
        pygame.draw.circle(s, deep, (tub.x + 84, tub.y - 76), 10)


# Appliance glyphs: each draws into a rect, bright when on and dim when off.


def _g_light(s, r, on):
    c = (250, 214, 60) if on else (136, 146, 166)
    cx, cy = point(r, 0.5, 0.4)
    if on:
        for k in range(8):
            ang = k * math.pi / 4 + math.pi / 8
            pygame.draw.line(
                s,
                (245, 170, 30),
                (cx + r.w * 0.3 * math.cos(ang), cy + r.w * 0.3 * math.sin(ang)),
                (cx + r.w * 0.42 * math.cos(ang), cy + r.w * 0.42 * math.sin(ang)),
                max(3, r.w // 24),
            )
    pygame.draw.circle(s, c, (cx, cy), round(r.w * 0.24))
    poly(s, r, c, [(0.36, 0.5), (0.64, 0.5), (0.6, 0.66), (0.4, 0.66)])
    pygame.draw.circle(s, shade(c, 1.5), point(r, 0.42, 0.32), max(3, round(r.w * 0.06)))
    if on:
        pygame.draw.lines(
            s,
            (220, 120, 20),
            False,
            [
                point(r, 0.44, 0.56),
                point(r, 0.47, 0.44),
                point(r, 0.5, 0.5),
                point(r, 0.53, 0.44),
                point(r, 0.56, 0.56),
            ],
            3,
        )
    pygame.draw.rect(s, (130, 136, 150), sub_rect(r, 0.39, 0.66, 0.22, 0.16), border_radius=4)
    for k in range(2):
        y = 0.71 + 0.05 * k
        pygame.draw.line(s, (96, 102, 118), point(r, 0.4, y), point(r, 0.6, y), 2)
    pygame.draw.rect(s, (80, 86, 100), sub_rect(r, 0.45, 0.82, 0.1, 0.06), border_radius=3)


def _g_tv(s, r, on):
    pygame.draw.line(s, (60, 66, 80), point(r, 0.3, 0.7), point(r, 0.22, 0.88), max(3, r.w // 20))
    pygame.draw.line(s, (60, 66, 80), point(r, 0.7, 0.7), point(r, 0.78, 0.88), max(3, r.w // 20))
    pygame.draw.rect(s, (34, 38, 50), sub_rect(r, 0.04, 0.14, 0.92, 0.6), border_radius=8)
    screen = sub_rect(r, 0.09, 0.19, 0.82, 0.5)
    if on:
        pygame.draw.rect(s, (110, 190, 255), screen, border_radius=4)
        pygame.draw.circle(s, (255, 214, 60), point(r, 0.7, 0.32), round(r.w * 0.07))
        clip = s.get_clip()
        s.set_clip(screen)
        pygame.draw.ellipse(s, (70, 180, 90), sub_rect(r, 0.0, 0.52, 0.7, 0.34))
        pygame.draw.ellipse(s, (50, 150, 80), sub_rect(r, 0.4, 0.56, 0.7, 0.34))
        s.set_clip(clip)
    else:
        pygame.draw.rect(s, (18, 22, 30), screen, border_radius=4)
        pygame.draw.line(s, (60, 66, 84), point(r, 0.2, 0.6), point(r, 0.4, 0.26), 3)


def _g_ac(s, r, mode):
    on = mode != "off"
    body = sub_rect(r, 0.04, 0.1, 0.92, 0.5)
    pygame.draw.rect(s, (244, 247, 250) if on else (150, 160, 178), body, border_radius=12)
    pygame.draw.rect(s, (170, 180, 196) if on else (112, 122, 140), body, 3, border_radius=12)
    pygame.draw.rect(
        s,
        (150, 160, 176) if on else (100, 110, 128),
        sub_rect(r, 0.1, 0.46, 0.8, 0.07),
        border_radius=3,
    )
    led = (64, 214, 170) if on else (96, 104, 120)
    pygame.draw.circle(s, led, point(r, 0.86, 0.24), max(3, round(r.h * 0.05)))
    if on:
        color = (60, 140, 250) if mode == "cold" else (40, 180, 100)
        for k, fx in enumerate((0.28, 0.5, 0.72)):
            pts = [point(r, fx + 0.03 * math.sin(j * 1.4 + k), 0.64 + 0.07 * j) for j in range(5)]
            pygame.draw.lines(s, color, False, pts, max(3, r.h // 22))


def _g_fan(s, r, on):
    blade = (80, 160, 240) if on else (124, 134, 152)
    centre = point(r, 0.5, 0.38)
    pygame.draw.rect(s, (150, 160, 176), sub_rect(r, 0.46, 0.6, 0.08, 0.26))
    pygame.draw.ellipse(s, (150, 160, 176), sub_rect(r, 0.26, 0.82, 0.48, 0.12))
    pygame.draw.circle(s, (226, 234, 244) if on else (96, 108, 130), centre, round(r.w * 0.32))
    for k in range(3):
        ang = k * 2 * math.pi / 3 + 0.4
        tip = (centre[0] + r.w * 0.15 * math.cos(ang), centre[1] + r.w * 0.15 * math.sin(ang))
        leaf(s, tip, r.w * 0.3, r.w * 0.15, ang, blade)
    pygame.draw.circle(s, (170, 180, 196), centre, round(r.w * 0.32), 3)
    pygame.draw.circle(s, (90, 100, 120), centre, max(4, round(r.w * 0.06)))
    if on:
        for k in range(2):
            box = sub_rect(r, 0.66 + 0.08 * k, 0.16 - 0.04 * k, 0.3, 0.44 + 0.08 * k)
            pygame.draw.arc(s, (80, 160, 240), box, -0.8, 0.8, 3)


def _g_computer(s, r, on):
    pygame.draw.rect(s, (40, 44, 58), sub_rect(r, 0.08, 0.08, 0.84, 0.56), border_radius=6)
    screen = sub_rect(r, 0.12, 0.12, 0.76, 0.46)
    if on:
        pygame.draw.rect(s, (40, 120, 200), screen, border_radius=3)
        pygame.draw.rect(s, (240, 246, 255), sub_rect(r, 0.18, 0.18, 0.36, 0.26), border_radius=3)
        for k in range(3):
            pygame.draw.line(
                s,
                (120, 150, 190),
                point(r, 0.22, 0.24 + 0.06 * k),
                point(r, 0.48, 0.24 + 0.06 * k),
                2,
            )
        pygame.draw.rect(s, (255, 200, 40), sub_rect(r, 0.6, 0.2, 0.2, 0.14), border_radius=3)
        pygame.draw.rect(s, (64, 214, 170), sub_rect(r, 0.6, 0.38, 0.2, 0.14), border_radius=3)
    else:
        pygame.draw.rect(s, (16, 20, 28), screen, border_radius=3)
    pygame.draw.rect(s, (90, 96, 112), sub_rect(r, 0.44, 0.64, 0.12, 0.1))
    pygame.draw.rect(
        s,
        (200, 206, 216) if on else (120, 128, 144),
        sub_rect(r, 0.14, 0.76, 0.72, 0.12),
        border_radius=5,
    )
    for k in range(6):
        pygame.draw.rect(
            s,
            (150, 156, 170) if on else (96, 104, 120),
            sub_rect(r, 0.18 + 0.11 * k, 0.79, 0.07, 0.05),
            border_radius=2,
        )


def _g_fridge(s, r, on):
    body = sub_rect(r, 0.24, 0.04, 0.52, 0.92)
    pygame.draw.rect(s, (232, 240, 250) if on else (150, 160, 178), body, border_radius=10)
    pygame.draw.rect(s, (160, 172, 192), body, 3, border_radius=10)
    pygame.draw.line(s, (160, 172, 192), point(r, 0.24, 0.36), point(r, 0.76, 0.36), 3)
    for box in ((0.66, 0.12, 0.04, 0.16), (0.66, 0.44, 0.04, 0.26)):
        pygame.draw.rect(s, (120, 130, 150), sub_rect(r, *box), border_radius=3)
    led = (60, 150, 250) if on else (96, 104, 120)
    c = point(r, 0.38, 0.2)
    d = max(4, round(r.w * 0.06))
    for ang in (0, math.pi / 3, 2 * math.pi / 3):  # a little snowflake
        pygame.draw.line(
            s,
            led,
            (c[0] - d * math.cos(ang), c[1] - d * math.sin(ang)),
            (c[0] + d * math.cos(ang), c[1] + d * math.sin(ang)),
            3,
        )


def _g_rice_cooker(s, r, on):
    if on:
        for fx in (0.4, 0.6):
            pts = [point(r, fx + 0.04 * math.sin(j * 1.6), 0.2 - 0.045 * j) for j in range(5)]
            pygame.draw.lines(s, (150, 166, 194), False, pts, 3)
    pygame.draw.rect(
        s,
        (250, 244, 236) if on else (150, 158, 176),
        sub_rect(r, 0.12, 0.38, 0.76, 0.46),
        border_radius=16,
    )
    pygame.draw.ellipse(
        s, (226, 230, 238) if on else (128, 138, 156), sub_rect(r, 0.16, 0.24, 0.68, 0.24)
    )
    pygame.draw.rect(s, (120, 130, 150), sub_rect(r, 0.43, 0.22, 0.14, 0.07), border_radius=3)
    pygame.draw.rect(s, (60, 70, 90), sub_rect(r, 0.32, 0.56, 0.36, 0.16), border_radius=5)
    pygame.draw.circle(
        s,
        (255, 150, 40) if on else (100, 108, 124),
        point(r, 0.42, 0.64),
        max(3, round(r.w * 0.04)),
    )
    pygame.draw.rect(s, (96, 104, 120), sub_rect(r, 0.5, 0.62, 0.12, 0.04))
    for fx in (0.2, 0.72):
        pygame.draw.rect(s, (90, 96, 112), sub_rect(r, fx, 0.84, 0.08, 0.06), border_radius=2)


def _g_water_heater(s, r, on):
    pygame.draw.line(s, (220, 80, 60), point(r, 0.4, 0.74), point(r, 0.4, 0.94), max(4, r.w // 18))
    pygame.draw.line(s, (60, 120, 220), point(r, 0.6, 0.74), point(r, 0.6, 0.94), max(4, r.w // 18))
    tank = sub_rect(r, 0.28, 0.04, 0.44, 0.72)
    pygame.draw.rect(s, (240, 244, 248) if on else (150, 160, 178), tank, border_radius=18)
    pygame.draw.rect(s, (160, 172, 192), tank, 3, border_radius=18)
    c = point(r, 0.5, 0.26)
    pygame.draw.circle(s, (255, 255, 255), c, round(r.w * 0.1))
    pygame.draw.circle(s, (90, 100, 120), c, round(r.w * 0.1), 2)
    pygame.draw.line(s, (220, 60, 50), c, (c[0] + r.w * 0.06, c[1] - r.w * 0.04), 3)
    pygame.draw.circle(
        s, (235, 70, 50) if on else (100, 108, 124), point(r, 0.5, 0.54), max(4, round(r.w * 0.05))
    )
    if on:
        for fx in (0.14, 0.8):
            pts = [point(r, fx + 0.03 * math.sin(j * 1.6), 0.6 - 0.1 * j) for j in range(5)]
            pygame.draw.lines(s, (250, 120, 50), False, pts, 3)


def _g_exhaust_fan(s, r, on):
    frame = sub_rect(r, 0.14, 0.14, 0.72, 0.72)
    pygame.draw.rect(s, (226, 232, 240) if on else (140, 150, 168), frame, border_radius=12)
    pygame.draw.rect(s, (150, 160, 178), frame, 3, border_radius=12)
    centre = frame.center
    pygame.draw.circle(s, (70, 80, 100), centre, round(r.w * 0.28))
    for k in range(4):
        ang = k * math.pi / 2 + 0.5
        tip = (centre[0] + r.w * 0.13 * math.cos(ang), centre[1] + r.w * 0.13 * math.sin(ang))
        leaf(s, tip, r.w * 0.26, r.w * 0.12, ang, (150, 200, 240) if on else (120, 130, 150))
    pygame.draw.circle(s, (200, 206, 216), centre, max(4, round(r.w * 0.05)))
    if on:
        for k in range(3):
            y = 0.3 + 0.18 * k
            pygame.draw.line(s, (100, 170, 230), point(r, 0.88, y), point(r, 0.98, y - 0.04), 3)


def _g_default(s, r, on):
    pygame.draw.circle(s, (250, 214, 60) if on else (136, 146, 166), r.center, min(r.w, r.h) // 3)


GLYPHS = {
    "light": _g_light,
    "tv": _g_tv,
    "fan": _g_fan,
    "computer": _g_computer,
    "fridge": _g_fridge,
    "rice_cooker": _g_rice_cooker,
    "water_heater": _g_water_heater,
    "exhaust_fan": _g_exhaust_fan,
    "ac": None,
}


def draw_glyph(surface: pygame.Surface, kind: str, rect: pygame.Rect, on: bool | str) -> None:
    """Draw an appliance; ``on`` is a bool, or an air-con mode (cold / eco / off)."""
    if kind == "ac":
        mode = on if isinstance(on, str) else ("cold" if on else "off")
        _g_ac(surface, rect, mode)
        return
    fn = GLYPHS.get(kind) or _g_default
    fn(surface, rect, on is True or on in ("on", "cold", "eco"))


def render_tile(
    ctx: GameContext, spec: ApplianceSpec, mode: str, size: tuple[int, int]
) -> pygame.Surface:
    """An appliance tile: warm and outlined in sun yellow when on, dark slate when off."""
    w, h = size
    tile = pygame.Surface((w, h), pygame.SRCALPHA)
    rect = tile.get_rect()
    on = mode != "off"
    pygame.draw.rect(tile, TILE_ON if on else TILE_OFF, rect, border_radius=22)
    pygame.draw.rect(
        tile, TILE_ON_EDGE if on else TILE_OFF_EDGE, rect, 5 if on else 3, border_radius=22
    )
    if spec.is_ac:
        draw_glyph(tile, "ac", pygame.Rect(10, 8, w - 20, round(h * 0.58)), mode)
        if mode == "off":
            label, color = ctx.tr("ac_off"), theme.TEXT_MUTED
        else:
            t = "20" if mode == "cold" else "25.5"
            label, color = ctx.tr("ac_temp", t=t), COLD_TEXT if mode == "cold" else ECO_TEXT
        size_px = max(22, round(h * 0.24))
        font = ctx.text.font(size_px, "bold")
        while size_px > 18 and font.size(label)[0] > w - 64:
            size_px -= 2
            font = ctx.text.font(size_px, "bold")
        surf = ctx.text.render(label, size_px, color, "bold")
        cy = round(h * 0.8)
        text_rect = surf.get_rect(center=(w // 2 + 14, cy))
        icon_c = (text_rect.x - 20, cy)
        if mode == "cold":
            d = round(h * 0.08)
            for ang in (0, math.pi / 3, 2 * math.pi / 3):
                pygame.draw.line(
                    tile,
                    COLD_TEXT,
                    (icon_c[0] - d * math.cos(ang), icon_c[1] - d * math.sin(ang)),
                    (icon_c[0] + d * math.cos(ang), icon_c[1] + d * math.sin(ang)),
                    3,
                )
        elif mode == "eco":
            leaf(tile, icon_c, h * 0.2, h * 0.1, -0.8, ECO_TEXT)
        else:
            _draw_power(tile, icon_c, round(h * 0.07), theme.TEXT_MUTED)
        tile.blit(surf, text_rect)
    else:
        side = min(w, h) - 24
        draw_glyph(tile, spec.kind, pygame.Rect((w - side) // 2, (h - side) // 2, side, side), on)
    if not spec.is_ac:
        badge = (w - 20, 20)
        if on:
            pygame.draw.circle(tile, theme.MINT, badge, 13)
            _draw_power(tile, badge, 6, theme.INK)
        else:
            pygame.draw.circle(tile, TILE_OFF_EDGE, badge, 13, 2)
            _draw_power(tile, badge, 6, TILE_OFF_EDGE)
    return tile


def render_person(spec: PersonSpec, scale: float, upset: bool) -> pygame.Surface:
    """A simple figure: head, hair, shirt, trousers, a face that smiles (or frowns)."""
    tall = {"adult": 132, "child": 100, "elder": 124}.get(spec.build, 132) * scale
    w, h = round(tall * 0.62), round(tall)
    s = pygame.Surface((w + 24, h + 2), pygame.SRCALPHA)
    cx = (w + 24) / 2
    head_r = tall * (0.15 if spec.build == "child" else 0.125)
    head_c = (cx, head_r + 2)
    neck = head_c[1] + head_r
    hip = h * 0.64
    legs_w = w * 0.16
    if spec.long_hair:  # behind the head and shoulders, so it frames the face
        pygame.draw.rect(
            s,
            spec.hair,
            (head_c[0] - head_r * 1.12, head_c[1] - head_r * 0.3, head_r * 2.24, head_r * 1.9),
            border_radius=round(head_r),
        )
    for side in (-1, 1):  # legs and shoes
        leg = pygame.Rect(0, 0, legs_w, h - hip - 6)
        leg.midtop = (round(cx + side * w * 0.12), round(hip - 4))
        pygame.draw.rect(s, spec.trousers, leg, border_radius=round(legs_w / 2))
        pygame.draw.ellipse(
            s, (40, 40, 48), (leg.centerx - legs_w * 0.7 + side * 3, h - 12, legs_w * 1.4, 12)
        )
    body = pygame.Rect(0, 0, w * 0.56, hip - neck + 6)
    body.midtop = (round(cx), round(neck - 2))
    pygame.draw.rect(s, spec.shirt, body, border_radius=round(w * 0.16))
    arm_w = w * 0.13
    for side in (-1, 1):
        arm = pygame.Rect(0, 0, arm_w, body.h * 0.8)
        arm.midtop = (round(cx + side * (body.w / 2 + arm_w * 0.3)), body.y + 6)
        pygame.draw.rect(s, shade(spec.shirt, 0.82), arm, border_radius=round(arm_w / 2))
        pygame.draw.circle(s, spec.skin, arm.midbottom, round(arm_w * 0.55))
    if spec.build == "elder":  # a walking stick
        hand = (round(cx + body.w / 2 + arm_w * 0.3), round(body.y + 6 + body.h * 0.8))
        pygame.draw.line(s, (120, 84, 50), hand, (hand[0] + 8, h - 2), 5)
        pygame.draw.arc(s, (120, 84, 50), (hand[0] - 10, hand[1] - 8, 20, 16), 0, math.pi, 5)
    pygame.draw.circle(s, spec.skin, (round(head_c[0]), round(head_c[1])), round(head_r))
    hair_box = pygame.Rect(0, 0, round(head_r * 2.2), round(head_r * 1.5))
    hair_box.midtop = (round(head_c[0]), round(head_c[1] - head_r * 1.08))
    pygame.draw.ellipse(s, spec.hair, hair_box)
    pygame.draw.circle(
        s, spec.skin, (round(head_c[0]), round(head_c[1] + head_r * 0.22)), round(head_r * 0.86)
    )
    if spec.build == "elder":  # a bun
        pygame.draw.circle(
            s, spec.hair, (round(head_c[0]), round(head_c[1] - head_r * 1.05)), round(head_r * 0.4)
        )
    eye = max(2, round(head_r * 0.13))
    for side in (-1, 1):
        pygame.draw.circle(
            s,
            theme.INK,
            (round(head_c[0] + side * head_r * 0.36), round(head_c[1] + head_r * 0.1)),
            eye,
        )
    mouth = pygame.Rect(0, 0, round(head_r * 0.8), round(head_r * 0.5))
    if upset:
        mouth.midtop = (round(head_c[0]), round(head_c[1] + head_r * 0.5))
        pygame.draw.arc(s, theme.INK, mouth, 0.3, math.pi - 0.3, max(2, eye))
    else:
        mouth.midbottom = (round(head_c[0]), round(head_c[1] + head_r * 0.72))
        pygame.draw.arc(s, theme.INK, mouth, math.pi + 0.3, 2 * math.pi - 0.3, max(2, eye))
        for side in (-1, 1):
            pygame.draw.circle(
                s,
                mix(spec.skin, (240, 110, 110), 0.45),
                (round(head_c[0] + side * head_r * 0.58), round(head_c[1] + head_r * 0.42)),
                max(2, round(head_r * 0.14)),
            )
    return s


def draw_icon(surface: pygame.Surface, rect: pygame.Rect) -> None:
    """Menu icon: a little flat with a glowing bulb, an air-con at 25.5 and a leaf."""
    house = sub_rect(rect, 0.08, 0.36, 0.84, 0.6)
    poly(surface, rect, (240, 98, 80), [(0.02, 0.4), (0.5, 0.06), (0.98, 0.4)])
    pygame.draw.rect(surface, (250, 224, 190), house, border_radius=8)
    pygame.draw.rect(surface, (176, 128, 84), sub_rect(rect, 0.08, 0.88, 0.84, 0.08))
    _g_ac(surface, sub_rect(rect, 0.14, 0.42, 0.42, 0.24), "eco")
    _g_light(surface, sub_rect(rect, 0.56, 0.42, 0.34, 0.34), True)
    leaf(surface, point(rect, 0.3, 0.8), rect.w * 0.3, rect.w * 0.14, -0.7, (46, 158, 74))
    pygame.draw.circle(surface, theme.MINT, point(rect, 0.8, 0.8), round(rect.w * 0.07))


GAME = GameSpec(
    id="smart_home_saver",
    factory=SmartHomeSaver,
    bot=SaverBot,
    idle_limit_s=20.0,
    draw_icon=draw_icon,
)
