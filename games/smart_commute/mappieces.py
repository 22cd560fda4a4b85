"""The live map's drawn-over parts as pieces of a frame (games/kit/redraw.py): the rides
taken, the rides on offer with their pointers, the ride under way and its vehicle, the stop
names laid back over the routes, the rings and name pills of the destination and of where
the visitor is, and the numbered badges.

Each piece is named by its place in the drawing order ("the second route drawn"), not by the
ride it shows, so a card pressed (its route drawn last, in gold) changes pieces' looks, not
their order: only the routes' own rects are painted again, not the whole screen. What moves
every frame (the pulsing rings, the vehicle) is a small piece of its own, so its damage is
its old and new place.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from itertools import pairwise
from typing import TYPE_CHECKING

import pygame

from games.kit.redraw import Piece, circle_rect
from games.smart_commute.art import along, draw_route
from games.smart_commute.network import RGB, Ride
from kiosk.ui import theme
from kiosk.ui.blend import ease
from kiosk.ui.shapes import SHADOW

if TYPE_CHECKING:
    from games.smart_commute.view import CommuteView

Point = tuple[int, int]


def _around(pts: list[Point], pad: int) -> pygame.Rect:
    """The box holding ``pts``, ``pad`` px more on every side."""
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    left, top = min(xs) - pad, min(ys) - pad
    return pygame.Rect(left, top, max(xs) + pad + 1 - left, max(ys) + pad + 1 - top)


def map_pieces(view: CommuteView) -> list[Piece]:
    """Everything drawn over the map's backdrop this frame, in drawing order."""
    game, run, points = view.game, view.game.run, view.points
    pieces: list[Piece] = []
    for k, ride in enumerate(run.taken):
        pieces.append(_taken(("taken", k), view.path(ride)))
    routes: list[tuple[Ride, RGB]] = []
    if game.phase == "choose":
        routes += [(o.ride, theme.WHITE) for o in game.options if not game.pressed(o)]
        routes += [(o.ride, theme.SUN) for o in game.options if game.pressed(o)]
    pointers = (
        [(game.map_target(o), points[o.ride.to]) for o in game.options]
        if game.phase == "choose"
        else []
    )
    move = game.move
    for k, (ride, glow) in enumerate(routes):
        pieces.append(_route(("route", k), view.path(ride), ride, glow))
    for k, (a, b) in enumerate(pointers):
        line = partial(pygame.draw.line, color=theme.INK, start_pos=a, end_pos=b, width=4)
        pieces.append(Piece(("pointer", k), (a, b), _around([a, b], 4), line))
    if move is not None:
        pts = view.path(move.ride)
        pieces.append(_route(("route", len(routes)), pts, move.ride, theme.SUN))
        span = max(1e-6, move.sim1 - move.sim0)
        riding = max(1e-6, span - move.wait)
        f = ease(min(1.0, max(0.0, (game.sim - move.sim0 - move.wait) / riding)))
        x, y = along(pts, f)
        icon = view.glyph(move.ride.mode.glyph, move.ride.color, 34)
        at = icon.get_rect(center=(round(x), round(y) - 4))
        pieces.append(Piece("vehicle", (icon, tuple(at)), at, lambda s: s.blit(icon, at)))
    # The stop names again, over the routes just drawn: a route passes behind a name
    # instead of striking through it ("Wa▮ Chai").
    still = view.backdrop.get(view.ctx.size)
    for stop, rect in view.city.labels.items():
        pieces.append(Piece(("name", stop), None, rect.copy(), _restore(still, rect)))
    pulse = 0.5 + 0.5 * math.sin(game.t * 5.0)
    dest = run.spec.dest
    pieces.append(_ring("dest", points[dest], round(24 + 10 * pulse), theme.CORAL))
    pieces += _pill(view, "dest.name", dest, theme.CORAL)
    if move is None:
        pieces.append(_ring("here", points[run.stop], round(22 + 8 * pulse), theme.SUN))
        if run.stop != dest:
            pieces += _pill(view, "here.name", run.stop, theme.SUN)
    if game.phase == "choose":
        for k, opt in enumerate(game.options):
            hot = game.pressed(opt) or opt.number in game.hinted
            pieces.append(_badge(view, ("badge", k), game.map_target(opt), opt.number, hot))
    return pieces


def _restore(still: pygame.Surface, rect: pygame.Rect) -> Callable[[pygame.Surface], None]:
    return lambda s: s.blit(still, rect, area=rect)


def _taken(name: tuple[str, int], pts: list[Point]) -> Piece:
    """A ride already taken: a thick gold line with a dot at each stop."""

    def draw(s: pygame.Surface) -> None:
        pygame.draw.lines(s, theme.SUN, False, pts, 12)
        for pt in pts:
            pygame.draw.circle(s, theme.SUN, pt, 12)

    return Piece(name, tuple(pts), _around(pts, 16), draw)


def _route(name: tuple[str, int], pts: list[Point], ride: Ride, glow: RGB) -> Piece:
    """A ride on offer or under way: a glow under the line in its mode's style, and a
    ringed dot at each stop on the way."""
    mode, colour = ride.mode.id, ride.color

    def draw(s: pygame.Surface) -> None:
        for a, b in pairwise(pts):
            pygame.draw.line(s, glow, a, b, 16)
        for a, b in pairwise(pts):
            draw_route(s, mode, colour, a, b, 1.0, solid=True)
        for pt in pts[1:-1]:
            pygame.draw.circle(s, theme.WHITE, pt, 11)
            pygame.draw.circle(s, theme.INK, pt, 11, 3)

    return Piece(name, (tuple(pts), mode, colour, glow), _around(pts, 14), draw)


def _ring(name: str, centre: Point, radius: int, colour: RGB) -> Piece:
    """A pulsing ring round a stop, over its dot (the ring's largest size is its rect, so a
    pulse repaints the same small square)."""

    def draw(s: pygame.Surface) -> None:
        pygame.draw.circle(s, colour, centre, radius, 5)
        pygame.draw.circle(s, colour, centre, 14)
        pygame.draw.circle(s, theme.INK, centre, 14, 3)

    return Piece(name, (centre, radius, colour), circle_rect(centre, 35), draw)


def _pill(view: CommuteView, name: str, stop: str, fill: RGB) -> list[Piece]:
    """A stop's name in a coloured pill over its label (none for a stop without one)."""
    rect = view.city.labels.get(stop)
    if rect is None:
        return []
    pill = rect.inflate(20, 2)
    label = view.ctx.pick(view.game.net.stops[stop].name)
    words = view.ctx.text.render(label, view.game.pace.map_label_size, theme.INK, "bold")
    at = words.get_rect(center=pill.center)

    def draw(s: pygame.Surface) -> None:
        pygame.draw.rect(s, SHADOW, pill.move(0, 4), border_radius=pill.h // 2)
        pygame.draw.rect(s, fill, pill, border_radius=pill.h // 2)
        s.blit(words, at)

    area = pill.union(pill.move(0, 4)).union(at)
    return [Piece(name, (stop, fill, label), area, draw)]


def _badge(view: CommuteView, name: tuple[str, int], at: Point, number: int, hot: bool) -> Piece:
    """An option's number on the map, larger and white while its card is touched."""
    text = view.ctx.text
    bx, by = at
    r = 30 if hot else 26
    label = str(number)
    words = text.render(label, 32, theme.INK, "bold").get_rect(center=at)

    def draw(s: pygame.Surface) -> None:
        pygame.draw.circle(s, SHADOW, (bx + 2, by + 4), r)
        pygame.draw.circle(s, theme.WHITE if hot else theme.SUN, at, r)
        pygame.draw.circle(s, theme.INK, at, r, 3)
        text.draw(s, label, 32, theme.INK, center=at, weight="bold")

    area = circle_rect(at, r).union(circle_rect((bx + 2, by + 4), r)).union(words)
    return Piece(name, (at, label, hot), area, draw)
