"""Smart Commute on screen: the live map, the top bar, the trip card, the arrival board's
ride cards with their ticking countdowns, and the feedback line.

:class:`CommuteView` draws a :class:`~games.smart_commute.game.SmartCommute` as it is. What
does not change between frames is made once: the map (a kit :class:`Backdrop`), each card's
still part, fitted text sizes, CO₂ with its subscript, mode badges.
"""

from __future__ import annotations

import math
import weakref
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import pygame

from games.kit.backdrop import Backdrop
from games.kit.gamebar import URGENT_S, Chip, draw_top_bar, seconds_left, tone_colour
from games.smart_commute.art import DIM, LED_AMBER, LED_BG, PRESSED, along, draw_route, render_glyph
from games.smart_commute.cards import led_rect, render_end_card, render_option, render_trip_card
from games.smart_commute.citymap import CityMap
from games.smart_commute.damage import DamageTracker
from games.smart_commute.network import RGB, Ride
from games.smart_commute.state import (
    BANNER_RECT,
    HEADER_RECT,
    OPTIONS_RECT,
    RIPPLE_S,
    TRIP_RECT,
    Option,
    TripRun,
)
from kiosk.ui import theme
from kiosk.ui.blend import ease, mix
from kiosk.ui.shapes import SHADOW, draw_clock, draw_mark
from kiosk.ui.typeset import CO2, render_sub2, sub2_width

if TYPE_CHECKING:
    from games.smart_commute.game import SmartCommute

TOP_BAR: dict[str, Any] = {"title": False, "pill_dx": -60, "track_y": 100}  # title: in bg


class CommuteView:
    """Draws one round; what never changes is made on first use and kept."""

    def __init__(self, game: SmartCommute) -> None:
        # A proxy, not the game: the game owns its view, and a reference back would make a
        # cycle keeping a finished round's surfaces alive until the cyclic collector runs.
        self.game = weakref.proxy(game)
        self.ctx = game.ctx
        self.points = game._points
        self.city = CityMap(game.ctx, game.net, game._points, game.pace.map_label_size)
        self.backdrop = Backdrop(self.city.build)
        # The trip card and the card that ends a trip, each for the trip it was made for.
        self._trip_card: tuple[TripRun, pygame.Surface] | None = None
        self._end_card: tuple[TripRun, pygame.Surface] | None = None
        self._dim: pygame.Surface | None = None
        self._glyphs: dict[tuple[str, RGB, int], pygame.Surface] = {}
        self._fits: dict[tuple[str, int, int, str], int] = {}
        self._subs: dict[tuple[str, int, RGB, str], pygame.Surface] = {}
        # What each part of this frame was drawn from, and what moved: the game's damage.
        self._tracker = DamageTracker()
        self._signs: dict[str, Any] = {}
        self._areas: dict[str, pygame.Rect] = {}
        self._moving: list[pygame.Rect] = []

    # -- drawing ----------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        self._signs = {"end": None, "banner": None}
        self._areas = {}
        self._moving = []
        surface.blit(self.backdrop.get(self.ctx.size), (0, 0))
        self._draw_map(surface)
        self._draw_top_bar(surface)
        self._draw_trip(surface)
        self._draw_header(surface)
        if self.game.phase == "arrived" or (self.game.finished and self.game.run.outcome):
            self._draw_end_card(surface)
        elif self.game.options:
            self._draw_options(surface)
        self._draw_banner(surface)
        for x, y, age in self.game.ripples:
            f = age / RIPPLE_S
            r = round(24 + 46 * f)
            pygame.draw.circle(
                surface,
                mix(theme.SUN, theme.NAVY, f),
                (round(x), round(y)),
                r,
                max(2, round(6 * (1 - f))),
            )
            self._moving.append(
                pygame.Rect(round(x) - r - 2, round(y) - r - 2, 2 * r + 5, 2 * r + 5)
            )
        # Set on every draw: a value left from an earlier frame would leave old pixels.
        self.game.damage = self._tracker.report(
            surface.get_size(), self._signs, self._moving, self._areas
        )

    def _path(self, ride: Ride) -> list[tuple[int, int]]:
        return [self.points[ride.frm], *(self.points[e.to] for e in ride.segs)]

    def _draw_ride(self, surface: pygame.Surface, ride: Ride, glow: RGB) -> None:
        pts = self._path(ride)
        for a, b in pairwise(pts):
            pygame.draw.line(surface, glow, a, b, 16)
        for a, b in pairwise(pts):
            draw_route(surface, ride.mode.id, ride.color, a, b, 1.0, solid=True)
        for pt in pts[1:-1]:
            pygame.draw.circle(surface, theme.WHITE, pt, 11)
            pygame.draw.circle(surface, theme.INK, pt, 11, 3)

    def _name_pill(self, surface: pygame.Surface, stop: str, fill: RGB) -> None:
        rect = self.city.labels.get(stop)
        if rect is None:
            return
        pill = rect.inflate(20, 2)
        pygame.draw.rect(surface, SHADOW, pill.move(0, 4), border_radius=pill.h // 2)
        pygame.draw.rect(surface, fill, pill, border_radius=pill.h // 2)
        name = self.ctx.pick(self.game.net.stops[stop].name)
        text = self.ctx.text.render(name, self.game.pace.map_label_size, theme.INK, "bold")
        surface.blit(text, text.get_rect(center=pill.center))

    def _draw_names(self, surface: pygame.Surface) -> None:
        """The stop names again, over the routes just drawn: a route passes behind a name
        instead of striking through it ("Wa▮ Chai")."""
        still = self.backdrop.get(self.ctx.size)
        for rect in self.city.labels.values():
            surface.blit(still, rect, area=rect)

    def _overlay_area(self) -> pygame.Rect:
        """Where the map's drawn-over parts (routes, pointers, badges, name pills) lie: the
        bounding box of their points, with room for line widths, rings and badges."""
        game, run = self.game, self.game.run
        pts = [self.points[run.spec.dest], self.points[run.stop]]
        for ride in run.taken:
            pts += self._path(ride)
        if game.phase == "choose":
            for opt in game.options:
                pts += self._path(opt.ride)
                pts.append(game.map_target(opt))
        if game.move is not None:
            pts += self._path(game.move.ride)
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        area = pygame.Rect(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)
        area = area.inflate(84, 84)
        for stop in (run.spec.dest, run.stop):
            label = self.city.labels.get(stop)
            if label is not None:
                area.union_ip(label.inflate(28, 16))
        return area

    def _draw_map(self, surface: pygame.Surface) -> None:
        run = self.game.run
        game = self.game
        self._signs["map"] = (
            id(run),
            len(run.taken),
            run.stop,
            game.phase,
            game.offer_id,
            tuple(o.number for o in game.options if game.pressed(o)),
            tuple(sorted(game.hinted)),
            game.move and (game.move.sim0, game.move.chosen, id(game.move.ride)),
        )
        self._areas["map"] = self._overlay_area()
        pulse = 0.5 + 0.5 * math.sin(self.game.t * 5.0)
        for ride in run.taken:
            pts = self._path(ride)
            pygame.draw.lines(surface, theme.SUN, False, pts, 12)
            for pt in pts:
                pygame.draw.circle(surface, theme.SUN, pt, 12)
        if self.game.phase == "choose":
            for opt in self.game.options:
                if not self.game.pressed(opt):
                    self._draw_ride(surface, opt.ride, theme.WHITE)
            for opt in self.game.options:
                if self.game.pressed(opt):  # the one under a finger on top, in gold
                    self._draw_ride(surface, opt.ride, theme.SUN)
            for opt in self.game.options:  # each number's pointer to its stop
                target = self.game.map_target(opt)
                pygame.draw.line(surface, theme.INK, target, self.points[opt.ride.to], 4)
        if self.game.move is not None:
            move = self.game.move
            pts = self._path(move.ride)
            self._draw_ride(surface, move.ride, theme.SUN)
            span = max(1e-6, move.sim1 - move.sim0)
            riding = max(1e-6, span - move.wait)
            f = ease(min(1.0, max(0.0, (self.game.sim - move.sim0 - move.wait) / riding)))
            x, y = along(pts, f)
            icon = self.glyph(move.ride.mode.glyph, move.ride.color, 34)
            at = icon.get_rect(center=(round(x), round(y) - 4))
            surface.blit(icon, at)
            self._moving.append(at.inflate(4, 4))
        self._draw_names(surface)  # routes, pointers and vehicles pass behind the names
        # the destination and where the visitor is: rings, and their names in pills
        dx, dy = self.points[run.spec.dest]
        pygame.draw.circle(surface, theme.CORAL, (dx, dy), round(24 + 10 * pulse), 5)
        self._moving.append(pygame.Rect(dx - 40, dy - 40, 81, 81))
        pygame.draw.circle(surface, theme.CORAL, (dx, dy), 14)
        pygame.draw.circle(surface, theme.INK, (dx, dy), 14, 3)
        self._name_pill(surface, run.spec.dest, theme.CORAL)
        if self.game.move is None:
            cx, cy = self.points[run.stop]
            pygame.draw.circle(surface, theme.SUN, (cx, cy), round(22 + 8 * pulse), 5)
            self._moving.append(pygame.Rect(cx - 36, cy - 36, 73, 73))
            pygame.draw.circle(surface, theme.SUN, (cx, cy), 14)
            pygame.draw.circle(surface, theme.INK, (cx, cy), 14, 3)
            if run.stop != run.spec.dest:
                self._name_pill(surface, run.stop, theme.SUN)
        if self.game.phase == "choose":
            for opt in self.game.options:
                bx, by = self.game.map_target(opt)
                hot = self.game.pressed(opt) or opt.number in self.game.hinted
                r = 30 if hot else 26
                pygame.draw.circle(surface, SHADOW, (bx + 2, by + 4), r)
                pygame.draw.circle(surface, theme.WHITE if hot else theme.SUN, (bx, by), r)
                pygame.draw.circle(surface, theme.INK, (bx, by), r, 3)
                self.ctx.text.draw(
                    surface, str(opt.number), 32, theme.INK, center=(bx, by), weight="bold"
                )

    # top bar

    def _draw_top_bar(self, surface: pygame.Surface) -> None:
        dots_w = len(self.game.trips) * 34  # score pill: one dot per trip, then the running score
        label = self.ctx.tr("score", score=self.game.score())
        chip = Chip(label, self._draw_trip_dots, pad=dots_w + 70, text_x=36 + dots_w)
        duration = self.game.pace.duration_s
        left = self.game.time_left
        urgent = left <= URGENT_S and not self.game.finished
        self._signs["pills"] = (
            label,
            seconds_left(left),
            urgent,
            self.game.finished,
            tuple(self.game.trip_scores),
            self.game.trip_index,
        )
        self._signs["track"] = (round(1840 * left / duration) if duration else 0, left > 0, urgent)
        draw_top_bar(
            surface, self.ctx, self.game.time_left, duration, self.game.finished, [chip], **TOP_BAR
        )

    def _draw_trip_dots(self, surface: pygame.Surface, box: pygame.Rect) -> None:
        for k in range(len(self.game.trips)):
            c = (box.x + 36 + k * 34, box.centery)
            s = self.game.trip_scores[k]
            if s is None:
                pygame.draw.circle(surface, theme.MIST, c, 12, 3)
                if k == self.game.trip_index and not self.game.finished:
                    pygame.draw.circle(surface, theme.SUN, c, 7)
            else:
                colour = theme.GOOD if s >= 70 else theme.SUN if s >= 40 else theme.BAD
                pygame.draw.circle(surface, colour, c, 13)

    # side panel

    def _draw_trip(self, surface: pygame.Surface) -> None:
        run = self.game.run
        if self._trip_card is None or self._trip_card[0] is not run:
            self._trip_card = (run, render_trip_card(self))
        pygame.draw.rect(surface, SHADOW, TRIP_RECT.move(0, 8), border_radius=theme.RADIUS)
        surface.blit(self._trip_card[1], TRIP_RECT)
        self._signs["trip"] = id(self._trip_card[1])

    def _draw_header(self, surface: pygame.Surface) -> None:
        text, tr, pick = self.ctx.text, self.ctx.tr, self.ctx.pick
        r = HEADER_RECT
        if self.game.move is not None:
            line = tr("riding", stop=pick(self.game.net.stops[self.game.move.ride.to].name))
        else:
            line = tr("you_are_at", stop=pick(self.game.net.stops[self.game.run.stop].name))
        size = self.fit(line, 36, r.w - 230, "bold", 24)
        text.draw(
            surface,
            line,
            size,
            theme.WHITE,
            topleft=(r.x + 6, r.centery - round(size * 0.7)),
            weight="bold",
        )
        minutes = int(self.game.sim) % (24 * 60)
        clock = tr("clock", h=minutes // 60, m=minutes % 60)
        self._signs["header"] = (line, size, clock)
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
        ride = self.game.move
        board = (self.game.offer_id, ride and (ride.chosen, ride.best, ride.good))
        for opt in self.game.options:
            if opt.card is None:
                opt.card = render_option(self, opt)
            pressed = self.game.pressed(opt) or opt.number in self.game.hinted
            rect = opt.rect.move(0, 4) if pressed else opt.rect
            pygame.draw.rect(surface, SHADOW, opt.rect.move(0, 8), border_radius=theme.RADIUS)
            if pressed:
                pygame.draw.rect(surface, PRESSED, rect, border_radius=theme.RADIUS)
                surface.blit(opt.card, rect)
            else:
                surface.blit(opt.card, rect)
            # the live board part: the countdown
            led = led_rect(rect)
            wait = (
                ride.wait
                if ride is not None and ride.chosen == opt.number
                else self.game.wait_of(opt)
            )
            label, colour = self._wait_label(opt, wait)
            key = f"card{opt.number}"
            self._signs[key] = (board, id(opt.card), pressed, label, colour)
            # its shadow 8 px below, pressed 4 px lower, the "best" tag 12 px above
            self._areas[key] = opt.rect.inflate(16, 40)
            size = self.fit(label, self.game.pace.title_size + 4, led.w - 20, "bold", 22)
            text.draw(
                surface, label, size, colour, center=(led.centerx, led.centery + 12), weight="bold"
            )
            if opt.ride.scheduled and wait == 0 and ride is None:  # arriving: a pulsing frame
                glow = mix(LED_AMBER, LED_BG, 0.5 + 0.5 * math.sin(self.game.t * 8))
                pygame.draw.rect(surface, glow, led, 5, border_radius=18)
                self._moving.append(led.inflate(4, 4))
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

    def _wait_label(self, opt: Option, wait: int) -> tuple[str, RGB]:
        tr = self.ctx.tr
        if wait <= 0:
            if opt.ride.scheduled:
                return tr("wait_now"), LED_AMBER
            return tr("wait_go"), theme.MINT
        return tr("wait_min", n=wait), LED_AMBER

    def _draw_end_card(self, surface: pygame.Surface) -> None:
        run = self.game.run
        if self._end_card is None or self._end_card[0] is not run:
            self._end_card = (run, render_end_card(self))
        rect = OPTIONS_RECT
        pygame.draw.rect(surface, SHADOW, rect.move(0, 8), border_radius=theme.RADIUS)
        surface.blit(self._end_card[1], rect)
        self._signs["end"] = id(self._end_card[1])

    def _draw_banner(self, surface: pygame.Surface) -> None:
        fb = self.game.feedback
        self._signs["banner"] = fb  # compared by value: the same line again looks the same
        if fb is None:
            return
        colour = tone_colour(fb.tone)
        r = BANNER_RECT
        surfs = [self.render(line, fb.size, colour, "bold") for line in fb.lines]
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

    # text and badges, cached

    def render(self, s: str, size: int, colour: RGB, weight: str = "regular") -> pygame.Surface:
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

    def fit(self, s: str, size: int, width: int, weight: str, smallest: int) -> int:
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

    def glyph(self, glyph: str, colour: RGB, radius: int) -> pygame.Surface:
        key = (glyph, colour, radius)
        surf = self._glyphs.get(key)
        if surf is None:
            surf = render_glyph(glyph, colour, radius)
            self._glyphs[key] = surf
        return surf
