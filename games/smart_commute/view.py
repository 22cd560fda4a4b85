"""Smart Commute on screen: the live map, the top bar, the trip card, the arrival board's
ride cards with their ticking countdowns, and the feedback line.

:class:`CommuteView` draws a :class:`~games.smart_commute.game.SmartCommute` as it is, as the
map's backdrop and keyed pieces over it (games/kit/redraw.py): on the surface it drew last,
only what changed is painted again, and that is the round's damage (issue 13). What does not
change between frames is made once: the map (a kit :class:`Backdrop`), each card's still
part, fitted text sizes, CO₂ with its subscript, mode badges.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pygame

from games.kit.backdrop import Backdrop
from games.kit.gamebar import Chip, draw_top_bar, is_detached, tone_colour, top_bar_pieces
from games.kit.redraw import Piece, Redraw, circle_rect
from games.smart_commute.art import DIM, LED_AMBER, LED_BG, PRESSED, render_glyph
from games.smart_commute.cards import led_rect, render_end_card, render_option, render_trip_card
from games.smart_commute.citymap import CityMap
from games.smart_commute.mappieces import map_pieces
from games.smart_commute.network import RGB, Ride
from games.smart_commute.state import (
    BANNER_RECT,
    HEADER_RECT,
    OPTIONS_RECT,
    RIPPLE_S,
    TRIP_RECT,
    EndCard,
    Option,
    TripRun,
)
from kiosk.background import Background
from kiosk.ui import theme
from kiosk.ui.blend import mix
from kiosk.ui.shapes import SHADOW, draw_clock, draw_mark
from kiosk.ui.typeset import CO2, render_sub2, sub2_width

if TYPE_CHECKING:
    from games.smart_commute.game import SmartCommute

TOP_BAR: dict[str, Any] = {"title": False, "pill_dx": -60, "track_y": 100}  # title: in bg


@dataclass(frozen=True)
class TripDots:
    """The score pill's icon: one dot per trip, coloured by its score once it is done (the
    trip under way marked gold). A value, so the pill is drawn again only when it changes."""

    scores: tuple[int | None, ...]
    current: int | None  # the trip under way (None once the round is over)

    def __call__(self, surface: pygame.Surface, box: pygame.Rect) -> None:
        for k, s in enumerate(self.scores):
            c = (box.x + 36 + k * 34, box.centery)
            if s is None:
                pygame.draw.circle(surface, theme.MIST, c, 12, 3)
                if k == self.current:
                    pygame.draw.circle(surface, theme.SUN, c, 7)
            else:
                colour = theme.GOOD if s >= 70 else theme.SUN if s >= 40 else theme.BAD
                pygame.draw.circle(surface, colour, c, 13)


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
        self._end_card: tuple[EndCard, pygame.Surface] | None = None
        self._end_ahead: tuple[EndCard, Background[pygame.Surface]] | None = None
        self._dim: pygame.Surface | None = None
        self._glyphs: dict[tuple[str, RGB, int], pygame.Surface] = {}
        self._fits: dict[tuple[str, int, int, str], int] = {}
        self._subs: dict[tuple[str, int, RGB, str], pygame.Surface] = {}
        self._redraw = Redraw()
        self._riding: object = None  # the ride under way at the last draw

    # -- drawing ----------------------------------------------------------------------

    def surface_moved(self, old: pygame.Surface, new: pygame.Surface) -> bool:
        """(Game.surface_moved.)"""
        return self._redraw.moved(old, new)

    def draw(self, surface: pygame.Surface, kept: bool = False) -> list[pygame.Rect] | None:
        """The frame; on a ``kept`` surface (this view's last frame on it, nothing drawn
        over it since) only what changed is painted again (games/kit/redraw.py). Returns
        the rectangles painted (None: all of it)."""
        backdrop = self.backdrop.get(self.ctx.size)
        return self._redraw.draw(surface, backdrop, self.pieces(), kept)

    def pieces(self) -> list[Piece]:
        """Everything the next draw paints over the map's backdrop, in order."""
        game = self.game
        if game.phase == "ride" and game.move is self._riding:
            self._render_ahead()  # (not in the frame the ride was chosen in: a busy one)
        self._riding = game.move
        pieces = map_pieces(self)
        pieces += self._top_bar()
        pieces.append(self._trip())
        pieces += self._header()
        if game.phase == "arrived" or (game.finished and game.run.outcome):
            pieces.append(self._end())
        elif game.options:
            for k, opt in enumerate(game.options):
                pieces += self._option(k, opt)
        banner = self._banner()
        if banner is not None:
            pieces.append(banner)
        for i, (x, y, age) in enumerate(game.ripples):
            f = age / RIPPLE_S
            centre, r = (round(x), round(y)), round(24 + 46 * f)
            colour, width = mix(theme.SUN, theme.NAVY, f), max(2, round(6 * (1 - f)))

            def ripple(s: pygame.Surface, c=centre, r=r, colour=colour, width=width) -> None:
                pygame.draw.circle(s, colour, c, r, width)

            key = (centre, r, colour, width)
            pieces.append(Piece(("ripple", i), key, circle_rect(centre, r), ripple))
        return pieces

    def _render_ahead(self) -> None:
        """One card of the next board a frame, while the ride to it is under way: three
        at once (1-3 ms each) made the frame the board appears in the round's slowest.
        A ride that ends the trip has its end card made in a worker (2-5 ms: a card,
        stars, text at sizes not open yet; made in a frame it was the round's slowest)."""
        if self.game.planned_just_now():
            return  # the board itself was worked out in this frame
        upcoming = self.game.upcoming()
        for opt in upcoming:
            if opt.card is None:
                opt.card = render_option(self, opt)
                return
        if upcoming:
            self.game.lay_out_lines(upcoming)  # the board's feedback lines, once
        end = self.game.ending()  # the ride ends the trip: its end card, made in a worker
        if end is not None and not end.same(self._end_ahead and self._end_ahead[0]):
            job = Background("commute-end-card", "making Smart Commute's end card")
            self._end_ahead = (end, job.start(render_end_card, self, end))

    def path(self, ride: Ride) -> list[tuple[int, int]]:
        """The screen points a ride passes, from its first stop to its last."""
        return [self.points[ride.frm], *(self.points[e.to] for e in ride.segs)]

    # top bar

    def _top_bar(self) -> list[Piece]:
        game = self.game
        current = None if game.finished else game.trip_index
        dots = TripDots(tuple(game.trip_scores[: len(game.trips)]), current)
        label = self.ctx.tr("score", score=game.score())
        dots_w = len(game.trips) * 34  # score pill: one dot per trip, then the running score
        chip = Chip(label, dots, pad=dots_w + 70, text_x=36 + dots_w)
        duration = game.pace.duration_s
        if is_detached():  # the portrait frame draws the bar round the playfield
            draw_top_bar(pygame.Surface((0, 0)), self.ctx, game.time_left, duration,
                         game.finished, [chip], **TOP_BAR)  # fmt: skip
            return []
        return top_bar_pieces(self.ctx, game.time_left, duration, game.finished, [chip], **TOP_BAR)

    # side panel

    def _trip(self) -> Piece:
        run = self.game.run
        if self._trip_card is None or self._trip_card[0] is not run:
            self._trip_card = (run, render_trip_card(self))
        card = self._trip_card[1]
        return _card_piece("trip", card, TRIP_RECT)

    def _end(self) -> Piece:
        end = self.game.ended()
        if not end.same(self._end_card and self._end_card[0]):
            ahead, self._end_ahead = self._end_ahead, None
            # Made during the ride (waited for in the rare frame it is not done yet).
            card = ahead[1].result_or_none(None) if end.same(ahead and ahead[0]) else None
            self._end_card = (end, card or render_end_card(self, end))
        return _card_piece("end", self._end_card[1], OPTIONS_RECT)

    def _header(self) -> list[Piece]:
        """Where the visitor is (or is riding to), and the LED clock of the city's time."""
        game, text, tr, pick = self.game, self.ctx.text, self.ctx.tr, self.ctx.pick
        r = HEADER_RECT
        if game.move is not None:
            line = tr("riding", stop=pick(game.net.stops[game.move.ride.to].name))
        else:
            line = tr("you_are_at", stop=pick(game.net.stops[game.run.stop].name))
        size = self.fit(line, 36, r.w - 230, "bold", 24)
        words = text.render(line, size, theme.WHITE, "bold")
        at = words.get_rect(topleft=(r.x + 6, r.centery - round(size * 0.7)))
        minutes = int(game.sim) % (24 * 60)
        clock = tr("clock", h=minutes // 60, m=minutes % 60)
        board = pygame.Rect(0, 0, 196, r.h)
        board.midright = r.midright
        digits = text.render(clock, 40, LED_AMBER, "bold")
        spot = digits.get_rect(center=(board.centerx + 22, board.centery))

        def draw_board(s: pygame.Surface) -> None:
            pygame.draw.rect(s, LED_BG, board, border_radius=16)
            pygame.draw.rect(s, theme.CARD, board, 3, border_radius=16)
            draw_clock(s, (board.x + 34, board.centery), 18, LED_AMBER)
            s.blit(digits, spot)

        return [
            Piece("header.line", (line, size), at, lambda s: s.blit(words, at)),
            Piece("header.clock", clock, board.union(spot), draw_board),
        ]

    def _option(self, k: int, opt: Option) -> list[Piece]:
        """A ride card on the board: its still part, its live countdown, and what is drawn
        over it (a finger's gold edge; once chosen, the verdict on each card)."""
        game, text, tr = self.game, self.ctx.text, self.ctx.tr
        ride = game.move
        if opt.card is None:
            opt.card = render_option(self, opt)
        card = opt.card
        pressed = game.pressed(opt) or opt.number in game.hinted
        rect = opt.rect.move(0, 4) if pressed else opt.rect.copy()
        shadow = opt.rect.move(0, 8)

        def body(s: pygame.Surface) -> None:
            pygame.draw.rect(s, SHADOW, shadow, border_radius=theme.RADIUS)
            if pressed:
                pygame.draw.rect(s, PRESSED, rect, border_radius=theme.RADIUS)
            s.blit(card, rect)

        area = rect.union(shadow).union(card.get_rect(topleft=rect.topleft))
        pieces = [Piece(("card", k), (card, pressed, tuple(rect)), area, body)]  # (_card_piece)
        # the live board part: the countdown, a pulsing frame while the ride is arriving
        led = led_rect(rect)
        chosen = ride is not None and ride.chosen == opt.number
        wait = ride.wait if chosen else game.wait_of(opt)
        label, colour = self._wait_label(opt, wait)
        size = self.fit(label, game.pace.title_size + 4, led.w - 20, "bold", 22)
        words = text.render(label, size, colour, "bold")
        at = words.get_rect(center=(led.centerx, led.centery + 12))
        glow = None
        if opt.ride.scheduled and wait == 0 and ride is None:
            glow = mix(LED_AMBER, LED_BG, 0.5 + 0.5 * math.sin(game.t * 8))

        def board(s: pygame.Surface) -> None:
            s.blit(words, at)
            if glow is not None:
                pygame.draw.rect(s, glow, led, 5, border_radius=18)

        key = (label, colour, size, glow, tuple(led))
        pieces.append(Piece(("led", k), key, led.union(at), board))
        if ride is None:
            verdict = ""
        elif chosen:
            verdict = "good" if ride.good else "bad"
        elif opt.number == ride.best and not ride.good:
            verdict = "best"
        else:
            verdict = "dim"
        if not (pressed or verdict):
            return pieces
        tag = text.render(tr("best_tag"), 28, theme.INK, "bold") if verdict == "best" else None
        pill = pygame.Rect(0, 0, 0, 0)
        if tag is not None:
            pill = tag.get_rect().inflate(28, 10)
            pill.topright = (rect.right - 16, rect.y - 12)

        def over(s: pygame.Surface) -> None:
            if pressed:
                pygame.draw.rect(s, theme.SUN, rect, 6, border_radius=theme.RADIUS)
            if verdict in ("good", "bad"):
                edge = theme.GOOD if verdict == "good" else theme.BAD
                pygame.draw.rect(s, edge, rect, 8, border_radius=theme.RADIUS)
                draw_mark(s, (rect.right - 26, rect.y + 26), 24, verdict == "good")
            elif tag is not None:
                pygame.draw.rect(s, theme.GOOD, rect, 6, border_radius=theme.RADIUS)
                pygame.draw.rect(s, theme.GOOD, pill, border_radius=18)
                s.blit(tag, tag.get_rect(center=pill.center))
            elif verdict == "dim":
                s.blit(self._dimmer(rect.size), rect)

        area = rect.union(pill) if tag is not None else rect.copy()
        pieces.append(Piece(("over", k), (tuple(rect), pressed, verdict, tag), area, over))
        return pieces

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

    def _banner(self) -> Piece | None:
        """The feedback line under the board, one or two lines, a tick or cross before a
        good or bad one."""
        fb = self.game.feedback
        if fb is None:
            return None
        colour = tone_colour(fb.tone)
        r = BANNER_RECT
        surfs = [self.render(line, fb.size, colour, "bold") for line in fb.lines]
        mark = fb.tone in ("good", "bad")
        width = max(s.get_width() for s in surfs) + (60 if mark else 0)
        x = r.centerx - width // 2
        centre = (x + 22, r.centery)
        if mark:
            x += 60
        step = round(fb.size * 1.3)
        y = r.centery - step * (len(surfs) - 1) / 2
        places = []
        for surf in surfs:
            places.append(surf.get_rect(midleft=(x, round(y))))
            y += step
        good = fb.tone == "good"

        def draw(s: pygame.Surface) -> None:
            if mark:
                draw_mark(s, centre, 22, good)
            for surf, at in zip(surfs, places, strict=True):
                s.blit(surf, at)

        area = places[0].unionall(places[1:])
        if mark:
            area.union_ip(circle_rect(centre, 22))
        # The line's words, not its time left: the same line again looks the same.
        return Piece("banner", (fb.text, fb.tone, tuple(fb.lines), fb.size), area, draw)

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


def _card_piece(name: str, card: pygame.Surface, rect: pygame.Rect) -> Piece:
    """A made card on its shadow. Not kept as a picture (``still``): the card is one
    already, and keeping a copy of it cost a fresh 0.5-1.7 MB surface (0.3-1 ms of page
    faults) in the frame it appears; what is drawn over it (a ripple, the countdown) has
    it blitted again clipped, at the cost of the clip."""
    shadow = rect.move(0, 8)

    def draw(s: pygame.Surface) -> None:
        pygame.draw.rect(s, SHADOW, shadow, border_radius=theme.RADIUS)
        s.blit(card, rect)

    area = rect.union(shadow).union(card.get_rect(topleft=rect.topleft))
    return Piece(name, card, area, draw)
