"""Smart Home Saver on screen: the cut-away flat, its tiles and people, the smart meter.

:class:`FlatView` draws a :class:`~games.smart_home_saver.game.SmartHomeSaver` as it is and
keeps everything that does not change from frame to frame: the backdrop (walls, furniture,
the meter's frame and rules card), each tile in each mode, each person happy and upset,
the name pills.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Hashable
from typing import TYPE_CHECKING

import pygame

from games.kit.backdrop import Backdrop, Size
from games.kit.gamebar import Chip, FeedbackLine, draw_top_bar, is_detached, top_bar_pieces
from games.kit.redraw import Piece, Redraw, bounds, circle_rect
from games.smart_home_saver.art import (
    BUILDING,
    DARK_ROOM,
    DISPLAY,
    draw_bolt,
    draw_bolt_badge,
    draw_bubble,
    draw_heart,
    draw_room,
    leaf_chip,
    render_person,
    render_tile,
    rule_icon,
)
from games.smart_home_saver.content import MODES_AC, RGB
from games.smart_home_saver.flat import (
    FLASH_S,
    FLOAT_S,
    HEARTS,
    RIPPLE_S,
    SPARK_S,
    Appliance,
    Float,
    Person,
    Room,
)
from kiosk.ui import theme
from kiosk.ui.blend import ease, shade
from kiosk.ui.shapes import CARD_FILL, SHADOW, draw_mark
from kiosk.ui.typeset import fit_size

if TYPE_CHECKING:
    from games.smart_home_saver.game import SmartHomeSaver


class FlatView:
    """Draws one round; surfaces that never change are made on the first frame and kept."""

    def __init__(self, game: SmartHomeSaver) -> None:
        # A proxy, not the game: the game owns its view, and a reference back would make a
        # cycle keeping a finished round's surfaces alive until the cyclic collector runs.
        self.game = weakref.proxy(game)
        self.ctx = game.ctx
        self.backdrop = Backdrop(self._build_background)
        self._dark: tuple[pygame.Surface, pygame.Surface] | None = None  # (backdrop, dark flat)
        self._tiles: dict[tuple[int, str], pygame.Surface] = {}
        self.labels: dict[int, pygame.Surface] = {}  # each tile's name pill, by appliance uid
        self._figures: dict[tuple[str, bool], pygame.Surface] = {}
        self._room_pills: dict[str, pygame.Surface] = {}
        banner = game.banner_rect
        self._banner = FeedbackLine(
            banner.center, banner.w - 120, size=38, mark_radius=24, mark_gap=36, shift_info=False
        )
        self._halo = pygame.Surface((1, 1), pygame.SRCALPHA)
        self._hearts: dict[bool, pygame.Surface] = {}
        self._ready = False  # tiles, figures, pills and hearts made (on the first frame)
        self._redraw = Redraw()

    def surface_moved(self, old: pygame.Surface, new: pygame.Surface) -> bool:
        """(Game.surface_moved.)"""
        return self._redraw.moved(old, new)

    def draw(self, surface: pygame.Surface, kept: bool = False) -> list[pygame.Rect] | None:
        """The frame; on a ``kept`` surface (this view's last frame on it, nothing drawn
        over it since) only what changed is painted again. Returns the rectangles painted
        (None: all of it)."""
        if not self._ready:
            self._prerender()
        backdrop = self.backdrop.get(self.ctx.size)
        return self._redraw.draw(surface, backdrop, self._pieces(backdrop), kept)

    def draw_ahead(self) -> None:
        """What the round shows only later, made in the worker that builds it
        (kiosk/booth/pregame.py): the flat with its lights off, first needed when a light
        goes off mid-round (a 1436×812 copy and veil, 3-5 ms; in the frame it was needed,
        the round's slowest)."""
        self._dark_flat(self.backdrop.get(self.ctx.size))

    def pieces(self) -> list[Piece]:
        """What the next draw paints over the backdrop, in order."""
        if not self._ready:
            self._prerender()
        return self._pieces(self.backdrop.get(self.ctx.size))

    def _pieces(self, backdrop: pygame.Surface) -> list[Piece]:
        """Everything drawn over the backdrop, in order (games/kit/redraw.py)."""
        game = self.game
        pieces: list[Piece] = []
        add = pieces.append
        fx, fy = game.flat_rect.topleft
        for room in game.rooms:
            if room.light is not None and room.light.mode == "off":
                dark = self._dark_flat(backdrop)
                area = room.rect.move(-fx, -fy)
                add(Piece(("dark", room.id), None, room.rect,
                          lambda s, d=dark, r=room.rect, a=area: s.blit(d, r, a)))  # fmt: skip
        t = game.elapsed
        for room in game.rooms:
            add(self._sensor(room, t))
            pill = self._room_pills[room.id]
            at = (room.rect.x + 14, room.rect.y + 12)
            add(Piece(("pill", room.id), None, pill.get_rect(topleft=at),
                      lambda s, p=pill, at=at: s.blit(p, at)))  # fmt: skip
        for p in game.people:
            if p.state != "out":
                add(self._person(p))
        for a in game.appliances:
            add(self._tile(a, t))
        for fl in game._floats:
            add(self._float(fl))
        for p in game.people:
            if p.state != "out" and p.upset > 0:
                fig = self._figure(p)
                head = (p.x + fig.get_width() * 0.22, self._feet_y(p) - fig.get_height() * 0.86)
                right = game._room[p.room or ""].rect.right
                add(_bubble(("upset", p.spec.id), head, 1 if p.x < right - 90 else -1))
        for a in game.appliances:
            if a.alarm > 0:
                add(_bubble(("alarm", a.uid), (a.rect.right - 8, a.rect.y + 16), 1))
        if is_detached():  # the portrait frame draws these round the playfield
            self._draw_top_bar(pygame.Surface((0, 0)))
            self._banner.draw(pygame.Surface((0, 0)), self.ctx.text, game.feedback)
        else:
            chip = Chip(self.ctx.tr("tally", score=game.score()), leaf_chip)
            duration = game.level.duration_s
            pieces += top_bar_pieces(self.ctx, game.time_left, duration, game.finished, [chip])
        pieces += self._meter_pieces()
        if not is_detached():
            banner = self._banner.piece(self.ctx.text, game.feedback)
            if banner is not None:
                add(banner)
        for i, (x, y, age) in enumerate(game._ripples):
            f = age / RIPPLE_S
            centre, radius = (round(x), round(y)), round(14 + 40 * f)
            width = max(2, round(6 * (1 - f)))
            add(Piece(("ripple", i), (centre, radius, width), circle_rect(centre, radius),
                      lambda s, c=centre, r=radius, w=width: pygame.draw.circle(
                          s, theme.SUN, c, r, w)))  # fmt: skip
        return pieces

    def _prerender(self) -> None:
        ctx, lv = self.ctx, self.game.level
        self._ready = True
        halo = pygame.Surface((112, 112), pygame.SRCALPHA)
        for k, alpha in enumerate((40, 60, 90)):
            pygame.draw.circle(halo, (*theme.MINT, alpha), (56, 56), 56 - 12 * k)
        self._halo = halo
        for full in (False, True):
            heart = pygame.Surface((44, 44), pygame.SRCALPHA)
            draw_heart(heart, (22, 22), 18, full)
            self._hearts[full] = heart
        for a in self.game.appliances:
            modes = MODES_AC if a.spec.is_ac else ("on", "off")
            for mode in modes:
                self._tiles[(a.uid, mode)] = render_tile(ctx, a.spec, mode, a.rect.size)
            self.labels[a.uid] = self._render_label(self._kind_name(a.spec.kind))
        for p in self.game.people:
            for upset in (False, True):
                self._figures[(p.spec.id, upset)] = render_person(p.spec, lv.figure_scale, upset)
        for room in self.game.rooms:
            self._room_pills[room.id] = self._render_pill(ctx.pick(room.spec.name), 30)

    def _kind_name(self, kind: str) -> str:
        return self.ctx.pick(self.game.kinds.get(kind, {}).get("name", {})) or kind

    def _render_label(self, text: str) -> pygame.Surface:
        size = self.game.level.label_size
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

    def _dark_flat(self, backdrop: pygame.Surface) -> pygame.Surface:
        """The flat of ``backdrop`` with every light off, made once per backdrop."""
        if self._dark is None or self._dark[0] is not backdrop:
            dark = backdrop.subsurface(self.game.flat_rect).copy()
            veil = pygame.Surface(dark.get_size())
            veil.fill(DARK_ROOM)
            veil.set_alpha(150)
            dark.blit(veil, (0, 0))
            self._dark = (backdrop, dark)
        return self._dark[1]

    def _build_background(self, size: Size) -> pygame.Surface:
        w, h = size
        bg = pygame.Surface((w, h))
        bg.fill(theme.BACKGROUND)
        flat = self.game.flat_rect
        pygame.draw.rect(bg, SHADOW, flat.move(0, 10), border_radius=18)
        pygame.draw.rect(bg, BUILDING, flat, border_radius=18)
        for room in self.game.rooms:
            draw_room(bg, room.rect, room.spec)
        # Smart meter panel: a card with dark "display" insets for the live numbers.
        m = self.game.meter_rect
        pygame.draw.rect(bg, SHADOW, m.move(0, 10), border_radius=theme.RADIUS)
        pygame.draw.rect(bg, theme.CARD, m, border_radius=theme.RADIUS)
        text, tr = self.ctx.text, self.ctx.tr
        draw_bolt(bg, pygame.Rect(m.x + 22, m.y + 20, 32, 48), theme.SUN)
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
            rule_icon(bg, icon, key)
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
        m = self.game.meter_rect
        return pygame.Rect(m.right - 112, m.y + 20, 94, 48)

    def _meter_rows(self) -> dict[str, tuple[int, int]]:
        """Label top and display height of each meter row."""
        top = self.game.meter_rect.y + 84
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

    def _sensor(self, room: Room, t: float) -> Piece:
        cx, cy = room.rect.right - 38, room.rect.y + 36
        occupied = self.game.occupied(room.id)
        radius = round(28 + 6 * (0.5 + 0.5 * math.sin(t * 5.0))) if occupied else 0
        # The halo (112 px) and the waves reaching 62 px left of the centre.
        area = pygame.Rect(cx - 64, cy - 58, 124, 118) if occupied else circle_rect((cx, cy), 22)

        def draw(surface: pygame.Surface) -> None:
            if occupied:
                surface.blit(self._halo, self._halo.get_rect(center=(cx, cy)))
                pygame.draw.circle(surface, theme.MINT, (cx, cy), radius, 3)
                for k in (1, 2):  # the waves of a motion sensor
                    rr = pygame.Rect(0, 0, 24 + 16 * k, 24 + 16 * k)
                    rr.center = (cx, cy)
                    pygame.draw.arc(surface, theme.MINT, rr.move(-18 - 8 * k, 0), -0.7, 0.7, 3)
            pygame.draw.circle(surface, (226, 232, 242), (cx, cy), 22)
            pygame.draw.circle(surface, (150, 160, 180), (cx, cy), 22, 2)
            pygame.draw.circle(surface, theme.MINT if occupied else (120, 130, 148), (cx, cy), 14)
            pygame.draw.circle(
                surface, (255, 255, 255) if occupied else (92, 102, 120), (cx, cy), 5
            )

        return Piece(("sensor", room.id), (occupied, radius), area, draw)

    def _feet_y(self, p: Person) -> int:
        room = self.game._room.get(p.room or "")
        return room.rect.bottom - 12 if room else 0

    def _figure(self, p: Person) -> pygame.Surface:
        return self._figures[(p.spec.id, p.upset > 0)]

    def _person(self, p: Person) -> Piece:
        fig = self._figure(p)
        walking = p.state in ("entering", "leaving")
        lift = abs(math.sin(p.bob * 12)) * 6 if walking else 0
        feet = self._feet_y(p)
        rect = fig.get_rect(midbottom=(round(p.x), round(feet - lift)))
        wall = shade(self.game._room[p.room or ""].spec.wall, 0.6)
        shadow = (rect.centerx - rect.w * 0.4, feet - 6, rect.w * 0.8, 10)
        alpha = 255
        if walking:
            f = min(1.0, p.anim / self.game.walk_s) if self.game.walk_s else 1.0
            alpha = round(255 * max(0.0, min(1.0, f if p.state == "entering" else 1 - f)))

        def draw(surface: pygame.Surface) -> None:
            pygame.draw.ellipse(surface, wall, shadow)
            if alpha != 255 or walking:
                fig.set_alpha(alpha)
                surface.blit(fig, rect)
                fig.set_alpha(255)
            else:
                surface.blit(fig, rect)

        key = (id(fig), tuple(rect), wall, shadow, alpha, walking)
        return Piece(("person", p.spec.id), key, bounds(rect, shadow), draw)

    def _tile(self, a: Appliance, t: float) -> Piece:
        tile = self._tiles[(a.uid, a.mode)]
        rect = a.rect.move(0, 4) if a.press > 0 else a.rect
        label = self.labels[a.uid]
        at = label.get_rect(midtop=(rect.centerx, rect.bottom + 8))
        area = rect.union(a.rect.move(0, 7)).union(at)
        ring = 0
        if self.game.level.hint_waste and self.game.waste_w(a) > 0:
            ring = 10 + round(8 * (0.5 + 0.5 * math.sin(t * 6.0)))
            area.union_ip(rect.inflate(ring, ring))
            area.union_ip(circle_rect((rect.x + 20, rect.y + 20), 18))
        flash = None
        if a.flash > 0:
            grow = round(14 * (1 - a.flash / FLASH_S))
            flash = (a.flash_tone, grow)
            area.union_ip(rect.inflate(12 + grow, 12 + grow))
            if a.flash_tone in ("good", "bad"):
                area.union_ip(circle_rect((rect.right - 4, rect.bottom - 6), 20))
        spark = None
        if a.spark > 0:
            spark = 1 - a.spark / SPARK_S
            cx, cy = rect.right - 10, rect.y + 10
            area.union_ip(pygame.Rect(cx - 48, cy - 48, 97, 97))

        def draw(surface: pygame.Surface) -> None:
            if a_press <= 0:
                pygame.draw.rect(surface, SHADOW, a_rect.move(0, 7), border_radius=22)
            surface.blit(tile, rect)
            if ring:
                ring_rect = rect.inflate(ring, ring)
                pygame.draw.rect(surface, theme.CORAL, ring_rect, 6, border_radius=26)
                draw_bolt_badge(surface, (rect.x + 4, rect.y + 4))
            if flash is not None:
                tone, grow = flash
                color = {"good": theme.GOOD, "bad": theme.BAD}.get(tone, theme.SUN)
                pygame.draw.rect(
                    surface, color, rect.inflate(12 + grow, 12 + grow), 7, border_radius=28
                )
                if tone in ("good", "bad"):
                    draw_mark(surface, (rect.right - 4, rect.bottom - 6), 20, tone == "good")
            if spark is not None:
                cx, cy = rect.right - 10, rect.y + 10
                for k in range(8):
                    ang = k * math.pi / 4
                    r0, r1 = 10 + 18 * spark, 22 + 22 * spark
                    pygame.draw.line(
                        surface,
                        theme.SUN,
                        (cx + r0 * math.cos(ang), cy + r0 * math.sin(ang)),
                        (cx + r1 * math.cos(ang), cy + r1 * math.sin(ang)),
                        4,
                    )
            surface.blit(label, at)

        a_press, a_rect = a.press, a.rect.copy()
        key = (id(tile), tuple(rect), a_press <= 0, ring, flash, spark)
        return Piece(("tile", a.uid), key, area, draw, still=True)

    def _float(self, fl: Float) -> Piece:
        f = fl.age / FLOAT_S
        surf = self.ctx.text.render(fl.text, 32, theme.GOOD, "bold")
        box = surf.get_rect(center=(round(fl.x), round(fl.y - 60 * ease(f))))
        box.inflate_ip(24, 8)
        alpha = round(255 * (1 - f) / 0.4) if f > 0.6 else None

        def draw(surface: pygame.Surface) -> None:
            layer = pygame.Surface(box.size, pygame.SRCALPHA)
            pygame.draw.rect(layer, theme.NAVY, layer.get_rect(), border_radius=box.h // 2)
            layer.blit(surf, surf.get_rect(center=layer.get_rect().center))
            if alpha is not None:
                layer.set_alpha(alpha)
            surface.blit(layer, box)

        return Piece(("float", id(fl)), (fl.text, alpha), box, draw)

    def _draw_top_bar(self, surface: pygame.Surface) -> None:
        chip = Chip(self.ctx.tr("tally", score=self.game.score()), leaf_chip)
        duration = self.game.level.duration_s
        draw_top_bar(surface, self.ctx, self.game.time_left, duration, self.game.finished, [chip])

    def _meter_pieces(self) -> list[Piece]:
        """The meter's live numbers, each keyed by what it reads."""
        text, tr = self.ctx.text, self.ctx.tr
        m = self.game.meter_rect
        rows = self._meter_rows()
        game = self.game
        pieces = []

        def number(name: str, label: str, size: int, color: RGB, centre) -> Piece:
            centre = (round(centre[0]), round(centre[1]))
            area = text.render(label, size, color, "bold").get_rect(center=centre)
            return Piece(name, (label, color), area, lambda s: text.draw(
                s, label, size, color, center=centre, weight="bold"))  # fmt: skip

        # The evening clock, right of the heading.
        minutes = int(game.day_start_min + game.elapsed * game.minutes_per_s) % (24 * 60)
        clock = tr("clock", hh=f"{minutes // 60:02d}", mm=f"{minutes % 60:02d}")
        pieces.append(number("clock", clock, 30, theme.TEXT, self._clock_rect().center))
        inner_w = m.w - 36
        top, hh = rows["saved_energy"]
        kwh = tr("kwh", kwh=f"{max(0.0, game.saved_kwh):.2f}")
        pieces.append(number("kwh", kwh, 48, theme.GOOD, (m.centerx, top + 38 + hh / 2)))
        top, hh = rows["saved_money"]
        hkd = tr("hkd", hkd=f"{game.saved_hkd:.2f}")
        pieces.append(number("hkd", hkd, 48, theme.SUN, (m.centerx, top + 38 + hh / 2)))
        top, hh = rows["wasting"]
        watts = round(game.waste_now_w)
        color = theme.BAD if watts > 0 else theme.GOOD
        pieces.append(number("watts", tr("watts", w=f"{watts:,}"), 44, color,
                             (m.centerx, top + 38 + 34)))  # fmt: skip
        track = pygame.Rect(m.x + 36, top + 38 + hh - 24, inner_w - 36, 12)
        fill = max(12, track.w * min(1.0, watts / 3000)) if watts > 0 else 0

        def draw_track(surface: pygame.Surface) -> None:
            pygame.draw.rect(surface, theme.CARD, track, border_radius=6)
            if fill:
                pygame.draw.rect(
                    surface, theme.BAD, (track.x, track.y, fill, track.h), border_radius=6
                )

        pieces.append(Piece("watt_track", fill, track, draw_track))
        top, hh = rows["comfort"]
        left = HEARTS - min(HEARTS, game.mistakes)
        step = (inner_w - 40) / HEARTS
        for k in range(HEARTS):
            heart = self._hearts[k < left]
            cx = m.x + 18 + 20 + step * (k + 0.5)
            at = heart.get_rect(center=(round(cx), round(top + 38 + hh / 2)))
            pieces.append(
                Piece(("heart", k), k < left, at, lambda s, h=heart, at=at: s.blit(h, at))
            )
        return pieces


def _bubble(name: Hashable, anchor: tuple[float, float], side: int) -> Piece:
    """A speech bubble (art.draw_bubble) as a piece: 56×60 beside the anchor and its tail."""
    ax, ay = round(anchor[0]), round(anchor[1])
    x = ax + 14 if side > 0 else ax - 14 - 56
    area = pygame.Rect(min(x, ax) - 2, ay - 6 - 60 - 2, 56 + abs(x - ax) + 4 + 14, 60 + 14)
    return Piece(name, (ax, ay, side), area, lambda s: draw_bubble(s, (ax, ay), side))
