"""One round of Smart Commute: the trips, the live board, the visitor's picks, time, the score.

Drawing lives in :mod:`.view`; which trips and which cards, in :mod:`.planner`; the city and
its costs, in :mod:`.network`.
"""

from __future__ import annotations

import math

import pygame

from games.base import Game, GameContext, GameResult
from games.kit.gamebar import tone_colour
from games.kit.hits import hits, topmost_hit
from games.kit.timers import Timers
from games.smart_commute.network import Network, Ride, load_pace
from games.smart_commute.planner import pick_rides, plan_trips
from games.smart_commute.state import (
    BANNER_RECT,
    FLASH_S,
    MAP_HIT_R,
    MAP_RECT,
    OPTIONS_RECT,
    RIPPLE_S,
    SLOP,
    EndCard,
    Feedback,
    Move,
    Option,
    Press,
    TripRun,
)
from games.smart_commute.view import CommuteView
from kiosk.background import Background
from kiosk.input import PointerEvent
from kiosk.ui import linebreak
from kiosk.ui.blend import lerp
from kiosk.ui.text import TextRenderer
from kiosk.ui.typeset import render_text, sub2_width


def feedback_layout(text: TextRenderer, line: str) -> tuple[list[str], int]:
    """The feedback line's lines and size: one line at 34 px if it fits beside the mark,
    else two lines at 28 (or 24)."""
    width = BANNER_RECT.w - 70
    if sub2_width(text, line, 34, "bold") <= width:
        return [line], 34
    for size in (28, 24):
        lines = text.wrap(line, size, width, "bold")
        if len(lines) <= 2:
            break
    return lines[:2], size


class SmartCommute(Game):
    """A round: a few trips across the city, one board of rides at every stop on the way."""

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
        self.trips = plan_trips(self.net, self.pace, self.rng)
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
        # The next board, worked out when its ride was chosen (where, sim, cards): the view
        # draws its cards during the ride, not all in the frame the board appears.
        self._planned: tuple[tuple[str, str, str, float], list[Option] | None] | None = None
        self._plan_due: tuple[str, str, str, float] | None = None  # a board to work out next
        self._planned_at = -1.0  # the animation time the last board was worked out at
        self.move: Move | None = None
        self._lines_for: list[Option] | None = None  # the board whose lines were laid out
        self.presses: dict[int, Press] = {}
        self.ripples: list[tuple[float, float, float]] = []
        self.hinted: set[int] = set()  # option numbers flashing after an ambiguous map tap
        self.pause = 0.0  # the end card's seconds left before the next trip
        self.feedback: Feedback | None = None
        self.timers = Timers()  # when the feedback line goes and the flashing hint stops
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
        # What the last draw changed, in canvas coordinates (set by the view every draw).
        self.damage: list[pygame.Rect] | None = None
        self.view = CommuteView(self)
        self.run: TripRun = self._start_trip(0)
        self._show(self._feedback(ctx.tr("hint"), "info", float(play.get("hint_s", 4.0))))

    # -- trips ------------------------------------------------------------------------

    def _start_trip(self, index: int) -> TripRun:
        spec = self.trips[index]
        best = len(self.net.best_route(spec.start, spec.dest))
        self.run = TripRun(spec, spec.start, best + self.pace.extra_rides)
        self.trip_index = index
        self.phase = "choose"
        self._offer()
        return self.run

    # -- the board --------------------------------------------------------------------

    def wait_of(self, option: Option) -> int:
        return self._wait(option.ride)

    def _wait(self, ride: Ride, sim: float | None = None) -> int:
        """The countdown ``ride`` shows at clock ``sim`` (None: now)."""
        first = ride.first
        if first.scheduled:
            left = (self.phase_of[first.idx] - (self.sim if sim is None else sim)) % first.headway
            return min(math.ceil(first.headway) - 1, int(left))
        return int(ride.mode.fixed_wait)

    def _value(self, ride: Ride, wait: float, dest: str | None = None) -> float:
        return self.net.cost(ride, wait) + self.net.to_go(dest or self.run.spec.dest)[ride.to]

    def value_of(self, option: Option) -> float:
        """The option's cost now: this ride plus the best still to go from where it leads."""
        return self._value(option.ride, self.wait_of(option))

    def best_option(self) -> Option | None:
        if not self.options:
            return None
        return min(self.options, key=lambda o: (self.value_of(o), o.number))

    def _plan_ahead(self) -> None:
        """Work out the board the ride under way leads to, if one is due: in the ride's
        second frame, not in the busy one it was chosen in (0.5-1 ms of ranking rides).
        The round's rng draws boards in the order they are shown either way."""
        if self._plan_due is not None:
            where, self._plan_due = self._plan_due, None
            self._planned = (where, self._board(*where))
            self._planned_at = self.t

    def planned_just_now(self) -> bool:
        """Whether this frame worked out the next board (the view then makes none of its
        cards in it: one piece of work ahead a frame)."""
        return self._planned_at == self.t

    def _offer(self) -> None:
        self._plan_ahead()  # (a ride too short to have had a second frame)
        run = self.run
        where = (run.spec.dest, run.stop, run.came_from, self.sim)
        planned, self._planned = self._planned, None
        options = planned[1] if planned is not None and planned[0] == where else self._board(*where)
        if options is None:
            self._lose()
            return
        self.options = options
        self.offer_id += 1
        self.presses.clear()
        self.hinted.clear()
        self.lay_out_lines(options)

    def lay_out_lines(self, options: list[Option]) -> None:
        """Every feedback line a choice on the board ``options`` (or the end of a trip or
        the round) may show, laid out and rendered in a worker (line breaking is
        pure-Python Unicode rules, 2-7 ms a line; measuring, opening a font size and
        rendering 1-3 ms more) instead of in the frame the visitor lets go of a card. The
        frame then finds the wrap and the words in the text caches. Once per board: the
        view asks during the ride to it (wording the lines and starting the worker cost
        0.5 ms, in the busy frame the board appears in otherwise)."""
        if self._lines_for is options:
            return
        self._lines_for = options
        tr, pick, stops = self.ctx.tr, self.ctx.pick, self.net.stops
        dest = pick(stops[self.run.spec.dest].name)
        # Worded here (a few dozen microseconds): the worker holds only strings (and the
        # kiosk's text renderer), so a round let go is freed at once, not when its worker
        # ends.
        lines = {(tr(key), "good") for key in ("good", "good_green")}
        lines |= {(tr(key), "info") for key in ("times_up", "all_done")}
        lines |= {(tr("lost"), "bad"), (tr("bad_away", dest=dest), "bad")}
        for best in options:
            mode = pick(best.ride.name)
            lines.add((tr("bad_wait", mode=mode), "bad"))
            lines.add((tr("bad_slow", mode=mode, stop=pick(stops[best.ride.to].name)), "bad"))
            lines.update((tr("bad_dirty", g=o.ride.co2, mode=mode), "bad") for o in options)
        text = self.ctx.text

        def work() -> None:
            for line, tone in lines:
                for paragraph in line.split("\n"):
                    linebreak.units(paragraph)
                wrapped, size = feedback_layout(text, line)
                for part in wrapped:
                    render_text(text, part, size, tone_colour(tone), "bold")

        Background("commute-lines", "laying out Smart Commute's feedback lines").start(work)

    def _board(self, dest: str, stop: str, came_from: str, sim: float) -> list[Option] | None:
        """The cards at ``stop`` on the way to ``dest`` at clock ``sim`` (None: no ride leads
        on). The rides are drawn from the round's rng: boards are worked out in the order
        they are shown."""
        rides = [
            r
            for r in self.net.rides_from.get(stop, [])
            if math.isfinite(self.net.to_go(dest)[r.to])
        ]
        if not rides:
            return None
        value = {r.idx: self._value(r, self._wait(r, sim), dest) for r in rides}
        chosen = pick_rides(
            self.net,
            dest,
            rides,
            value,
            self.rng,
            self.pace,
            self.rival_gap,
            self.distractor_min,
            came_from,
        )
        n = len(chosen)
        gap = 16 if n >= 3 else 22
        h = (OPTIONS_RECT.h - gap * (n - 1)) // max(1, n)
        options = []
        for k, ride in enumerate(chosen):
            rect = pygame.Rect(OPTIONS_RECT.x, OPTIONS_RECT.y + k * (h + gap), OPTIONS_RECT.w, h)
            options.append(Option(k + 1, ride, rect))
        return options

    def upcoming(self) -> list[Option]:
        """The cards of the board the ride under way leads to, when already worked out."""
        if self._planned is None or self._planned[1] is None:
            return []
        return self._planned[1]

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

    def ending(self) -> EndCard | None:
        """How the trip ends when the ride under way arrives (arrived with its score, or
        lost), or None when a board follows it: as :meth:`_arrive` will decide it, so the
        view can make the end card during the ride."""
        move, run = self.move, self.run
        if move is None:
            return None
        if move.ride.to == run.spec.dest:
            return self._end_card("arrived", run.score_if("arrived"))
        if run.rides >= run.max_rides or (self._planned is not None and self._planned[1] is None):
            return self._end_card("lost", 0.0)
        return None

    def ended(self) -> EndCard:
        """How the trip under way ended."""
        return self._end_card(self.run.outcome, self.run.score)

    def _end_card(self, outcome: str, score: float) -> EndCard:
        run = self.run
        dest = self.ctx.pick(self.net.stops[run.spec.dest].name)
        return EndCard(run, outcome, score, dest, self.trip_index + 1 < len(self.trips))

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
            card = topmost_hit(self.options, (x, y))
            if card is not None:
                self._press(pointer, card, card.rect.inflate(2 * SLOP, 2 * SLOP))
                return
            near = [o for o in self.options if math.dist(self.map_target(o), (x, y)) <= MAP_HIT_R]
            if not near:
                near = [
                    o
                    for o in self.options
                    if math.dist(self._points[o.ride.to], (x, y)) <= MAP_HIT_R * 0.7
                ]
            if len(near) == 1:
                area = pygame.Rect(0, 0, 2 * (MAP_HIT_R + SLOP), 2 * (MAP_HIT_R + SLOP))
                area.center = (round(x), round(y))
                self._press(pointer, near[0], area)
            elif near:  # two rides to that stop: point at both cards
                self.hinted = {o.number for o in near}
                self.timers.schedule_unique(self._stop_hint, FLASH_S * 2)
                self.cue("tap")
        elif event.kind == "move":
            press = self.presses.get(pointer)
            if press is not None and not hits(press.area, (x, y)):
                del self.presses[pointer]  # slid away: a change of mind, not a choice
        elif event.kind == "up":
            press = self.presses.pop(pointer, None)
            if press is None or self.phase != "choose":
                return
            if press.option in self.options and hits(press.area, (x, y)):
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
        if ride.to != run.spec.dest and run.rides < run.max_rides:  # a board there next
            where = (run.spec.dest, ride.to, run.stop, self.move.sim1)
            self._plan_due = where  # worked out in the ride's next frame (_plan_ahead)

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
        self._show(self._feedback(text, tone, self.feedback_s))

    def _show(self, feedback: Feedback) -> None:
        """Put ``feedback`` under the board for its ``ttl`` seconds."""
        self.feedback = feedback
        self.timers.schedule_unique(self._clear_feedback, feedback.ttl)

    def _clear_feedback(self) -> None:
        self.feedback = None

    def _stop_hint(self) -> None:
        self.hinted.clear()

    def _feedback(self, text: str, tone: str, ttl: float) -> Feedback:
        lines, size = feedback_layout(self.ctx.text, text)
        return Feedback(text, tone, ttl, lines, size)

    # -- time -------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        if self.finished:
            return
        dt = self.step(dt)
        self.elapsed += dt
        self.t += dt
        if self.phase == "ride" and self.move is not None:
            move = self.move
            if move.t > 0:  # not the frame the ride was chosen in
                self._plan_ahead()
            move.t += dt
            f = min(1.0, move.t / move.duration)
            self.sim = lerp(move.sim0, move.sim1, f)
            if f >= 1.0:
                self._arrive(move)
        else:
            self.sim += dt * self.pace.clock_rate
        if self.phase == "arrived":
            # Counted down frame by frame, not scheduled: the frame the next board appears
            # in sets the countdowns it shows (so the scores), and a pause of a whole number
            # of frames would round to a different frame on the timers' clock.
            self.pause -= dt
            if self.pause <= 0:
                self._start_trip(self.trip_index + 1)
        self.timers.update(dt)
        self.ripples = [(x, y, a + dt) for x, y, a in self.ripples if a + dt < RIPPLE_S]
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
        self.phase = "arrived"
        if self.trip_index + 1 >= len(self.trips):
            self._finish("all_done")
        self.pause = self.pace.arrive_pause_s

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
        self.damage = self.view.draw(surface, self.surface_kept)

    def surface_moved(self, old: pygame.Surface, new: pygame.Surface) -> bool:
        return self.view.surface_moved(old, new)
