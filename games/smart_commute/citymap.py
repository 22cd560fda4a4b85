"""The map of Hong Kong behind the play: water, two shores, the Peak, every line in its
mode's style and every stop with its name, in the visitor's language. Built once (it is the
game's backdrop); it also notes where each stop's name landed, for the live name pills.
"""

from __future__ import annotations

import math
import random

import pygame

from games.base import GameContext
from games.kit.backdrop import Size
from games.smart_commute.art import HILL, LAND, MODE_ORDER, WATER, WAVE, draw_route
from games.smart_commute.network import Edge, Network
from games.smart_commute.state import MAP_RECT, MARGIN
from kiosk.ui import theme
from kiosk.ui.shapes import SHADOW

Point = tuple[int, int]


class CityMap:
    """Builds the backdrop for one round: ``build(size)`` (a :class:`Backdrop` calls it)."""

    def __init__(
        self, ctx: GameContext, net: Network, points: dict[str, Point], label_size: int
    ) -> None:
        self.ctx = ctx
        self.net = net
        self.points = points  # each stop's centre on screen
        self.label_size = label_size
        self.labels: dict[str, pygame.Rect] = {}  # where each stop's name sits on screen

    def build(self, size: Size) -> pygame.Surface:
        """The whole still frame: the background colour, the title and the map."""
        w, h = size
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
        a = self.points[edge.frm]
        b = self.points[edge.to]
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
            draw_route(m, e.mode.id, e.color, a, b, 1.0)

    def _draw_stops(self, m: pygame.Surface) -> None:
        text = self.ctx.text
        size = self.label_size
        ox, oy = MAP_RECT.topleft
        for stop in self.net.stops.values():
            x, y = self.points[stop.id]
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
            self.labels[stop.id] = r.move(ox, oy)
