"""One round of Smart Home Saver: the flat's state, the visitor's taps, time and the score.

Three copies of every appliance's mode run side by side on the same evening (see the
package's docstring): the visitor's (``mode``), one nobody touches (``base_mode``) and one an
ideal player looks after (``ideal_mode``); the score compares the energy each wastes.
Drawing lives in :mod:`.view`, the evening's schedule in :mod:`.evening`.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pygame

from games.base import DIFFICULTIES, Game, GameContext, GameResult
from games.kit.gamebar import Feedback, say, tick
from games.kit.hits import hits
from games.kit.timers import Timers
from games.smart_home_saver.content import (
    best_mode,
    load_appliances,
    load_level,
    load_people,
    load_rooms,
    next_mode,
    on_mode,
    waste_w,
)
from games.smart_home_saver.evening import Walks, plan_evening
from games.smart_home_saver.flat import (
    DEBOUNCE_S,
    FLASH_S,
    FLOAT_S,
    PRESS_S,
    RIPPLE_S,
    SPARK_S,
    UPSET_S,
    Appliance,
    Float,
    Person,
    layout_tiles,
    place_rooms,
    screen_layout,
)
from games.smart_home_saver.view import FlatView
from kiosk.input import PointerEvent
from kiosk.ui.blend import lerp

TILE_SLOP = 6  # px round a tile that still count as touching it


class SmartHomeSaver(Game):
    """A round: the family's evening plays out, the visitor taps tiles, the meter counts."""

    def __init__(self, ctx: GameContext) -> None:
        super().__init__(ctx)
        content = ctx.content
        self.level = lv = load_level(content, ctx.difficulty)
        self.duration_s = self.level.duration_s
        play = content.get("play", {})
        self.hint_s = float(play.get("hint_s", 4.0))
        self.feedback_s = float(play.get("feedback_s", 3.2))
        self.walk_s = float(play.get("walk_s", 0.6))
        self.restore_s = float(play.get("restore_s", 1.2))
        first_out = play.get("first_out_s", [1.5, 6.0])
        self.walks = Walks(
            transit_s=float(play.get("transit_s", 0.7)),
            use_delay_s=float(play.get("use_delay_s", 0.6)),
            use_stagger_s=float(play.get("use_stagger_s", 0.35)),
            first_out_s=(float(first_out[0]), float(first_out[1])),
        )
        energy = content.get("energy", {})
        self.tariff = float(energy.get("tariff_hkd_per_kwh", 1.3))
        self.minutes_per_s = float(energy.get("minutes_per_second", 5.0))
        self.day_start_min = float(energy.get("day_start_min", 1080))
        scoring = content.get("scoring", {})
        self.penalty = float(scoring.get("mistake_penalty", 8))
        self.kinds: dict[str, dict[str, Any]] = dict(content.get("kinds", {}))

        self.rng = ctx.new_rng()
        self.flat_rect, self.meter_rect, self.banner_rect = screen_layout(ctx.size)
        self.rooms = place_rooms(self.flat_rect, load_rooms(content), lv.rooms)
        self._room = {r.id: r for r in self.rooms}
        level_key = ctx.difficulty if ctx.difficulty in DIFFICULTIES else "adult"
        self.appliances: list[Appliance] = []
        for spec in load_appliances(content):
            if level_key in spec.levels and spec.room in self._room:
                self.appliances.append(
                    Appliance(len(self.appliances), spec, spec.room, pygame.Rect(0, 0, 1, 1))
                )
        layout_tiles(self.rooms, self.appliances, lv.card)
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
        # The occupants' protests: a needed thing switched off comes back on (restore_s).
        self.timers = Timers()
        self._tips_shown: set[str] = set()
        self._floats: list[Float] = []
        self._ripples: list[list[float]] = []
        self.feedback: Feedback | None = Feedback(ctx.tr("hint"), "info", self.hint_s, weak=True)

        rooms = [r.id for r in self.rooms]
        self._events = plan_evening(
            lv, self.rng, rooms, len(self.people), self.appliances, self.walks
        )
        self._next_event = 0
        self._process_events(0.0)
        self._seed_initial_waste()
        self._count_occupancy()

        self.view = FlatView(self)

    # -- public queries ----------------------------------------------------------------

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
        """The tile under a finger at (x, y), with slop; the nearest if two are in reach."""
        near = [a for a in self.appliances if hits(a.rect, (x, y), TILE_SLOP)]
        if not near:
            return None
        return min(near, key=lambda a: (a.rect.centerx - x) ** 2 + (a.rect.centery - y) ** 2)

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
            if self.elapsed + self.restore_s <= self.level.duration_s:  # none after the bell
                self.timers.schedule(partial(self._restore, a, old), self.restore_s)
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
                Float(
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

    def _restore(self, a: Appliance, mode: str) -> None:
        """The occupant (or the fridge's owner) switches it back on, if still needed."""
        if a.mode == "off" and (a.spec.need == "always" or self.occupied(a.room)):
            a.mode = mode
            a.spark = SPARK_S

    def _say(self, text: str, tone: str, weak: bool = False) -> None:
        """Show one line; a routine line never hides a tip the visitor is still reading."""
        self.feedback = say(self.feedback, text, tone, self.feedback_s, weak)

    # -- time -------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        if self.finished:
            return
        dt = self.step(dt)
        self.elapsed = min(self.elapsed + dt, self.level.duration_s)
        now = self.elapsed
        self._process_events(now)
        self.timers.update(dt)
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
        self.damage = self.view.draw(surface, self.surface_kept)

    def surface_moved(self, old: pygame.Surface, new: pygame.Surface) -> bool:
        return self.view.surface_moved(old, new)

    def draw_ahead(self) -> None:
        self.view.draw_ahead()
