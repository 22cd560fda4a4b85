"""Draws a round of Park Smart, back to front: the static floor (built once), the bays'
highlights, parked and moving cars, the sensor lights, circling cars and their exhaust, the
gates, the queue with its patience bars, the chosen car, the tick and cross marks, then the
top bar, the counters and the feedback line.
"""

from __future__ import annotations

import math
import weakref
from typing import TYPE_CHECKING

import pygame

from games.kit.backdrop import Backdrop, Size
from games.kit.changes import Changes, Part
from games.kit.gamebar import Chip, FeedbackLine, draw_top_bar, is_detached, top_bar_pieces
from games.kit.redraw import bounds, circle_rect
from games.park_smart.art import (
    ACCESSIBLE_FILL,
    BAY_FILL,
    BOARD_FILL,
    EV_FILL,
    FLOOR_FILL,
    HOUSING,
    PAINT,
    PANEL_FILL,
    PUFF,
    ROAD,
    SENSOR_FREE,
    SENSOR_TAKEN,
    WALL,
    dashed_line,
    draw_arrow,
    draw_badge,
    draw_bolt,
    draw_chevron,
    draw_cloud,
    draw_p_glyph,
    draw_p_sign,
    draw_wheelchair,
    p_sign_chip,
    render_car,
)
from games.park_smart.floor import (
    AISLE,
    ARRIVE_Y,
    BANNER_Y,
    BLOCK,
    BOARD,
    CO2_CARD,
    DEPART_Y,
    FLOOR,
    MARGIN,
    PANEL,
    RING_L,
    RING_P,
    RING_R,
    RING_W,
    SIGN_Y,
    ring_pos,
    vector,
)
from games.park_smart.rules import FLASH_S, GONE_S, POP_S, PUFF_S, SHAKE_S, Car
from kiosk.ui import theme
from kiosk.ui.blend import lerp, shade
from kiosk.ui.shapes import SHADOW, draw_mark
from kiosk.ui.typeset import render_sub2

DASH_REACH = 8  # a dashed line's width past the points it joins

if TYPE_CHECKING:
    from games.park_smart.game import ParkSmart


class ParkView:
    """Draws one game's frames; keeps the floor, the car sprites and the puffs it builds."""

    def __init__(self, game: ParkSmart) -> None:
        # A proxy, not the game: the game owns its view, and a reference back would make a
        # cycle keeping a finished round's surfaces alive until the cyclic collector runs.
        self.game = weakref.proxy(game)
        self.ctx = game.ctx
        self.backdrop = Backdrop(self._build_background)
        self.banner = FeedbackLine(
            (self.ctx.size[0] / 2, BANNER_Y), self.ctx.size[0] - 2 * MARGIN - 80, 38
        )
        self._sprites: dict[tuple, pygame.Surface] = {}
        self._puff_frames: list[pygame.Surface] = []
        self._glow: pygame.Surface | None = None
        self._changes = Changes()

    def draw(self, surface: pygame.Surface, kept: bool = False) -> list[pygame.Rect] | None:
        """The whole frame; returns where it may differ from the last one drawn on a
        ``kept`` surface (None: not known), each part keyed by what it shows."""
        game = self.game
        self._changes.start()
        backdrop = self.backdrop.get(self.ctx.size)
        surface.blit(backdrop, (0, 0))
        pulse = 0.5 + 0.5 * math.sin(game.elapsed * 7.0)
        parts = self._draw_bay_states(surface, pulse)
        for car in game.cars:
            if car.state in ("parked", "driving", "leaving"):
                parts += self._draw_car(surface, car)
        parts += self._draw_sensors(surface)
        for car in game.cars:
            if car.state in ("circling", "gone"):
                parts += self._draw_car(surface, car)
        parts += self._draw_puffs(surface)
        parts += self._draw_gates(surface)
        for car in game.cars:
            if car.state == "queue":
                parts += self._draw_car(surface, car)
                parts += self._draw_patience(surface, car)
        for car in game.cars:
            if car.state == "circling" and not car.path:
                parts += self._draw_patience(surface, car)
        parts += self._draw_selection(surface, pulse)
        for i, (x, y, good, age) in enumerate(game.marks):
            f = age / FLASH_S
            centre = (x, y - 50 * f)
            draw_mark(surface, centre, 34, good, fade=1 - f)
            parts.append((("mark", i), (centre, good, f), circle_rect(centre, 34)))
        parts += self._draw_top_bar(surface)
        parts += self._draw_counters(surface)
        if is_detached():  # the portrait frame shows the line round the playfield
            self.banner.draw(surface, self.ctx.text, game.feedback)
        else:
            line = self.banner.piece(self.ctx.text, game.feedback)
            if line is not None:
                line.draw(surface)
                parts.append((line.name, line.key, line.rect))
        return self._changes.report(surface, kept, (backdrop, theme.high_contrast), parts)

    def _build_background(self, size: Size) -> pygame.Surface:
        """Everything that never moves: the panel, the floor, the markings, the bays."""
        game = self.game
        w, h = size
        bg = pygame.Surface((w, h))
        bg.fill(theme.BACKGROUND)
        text, tr = self.ctx.text, self.ctx.tr
        # The entrance panel: a vacancy board, the gate lanes, the CO₂ card.
        pygame.draw.rect(bg, PANEL_FILL, PANEL, border_radius=theme.RADIUS)
        pygame.draw.rect(bg, BOARD_FILL, BOARD, border_radius=18)
        pygame.draw.rect(bg, WALL, BOARD, 3, border_radius=18)
        draw_p_sign(bg, pygame.Rect(BOARD.x + 18, BOARD.y + 30, 72, 72))
        text.draw(
            bg,
            tr("free_board"),
            30,
            theme.TEXT_MUTED,
            center=(BOARD.x + 92 + (BOARD.w - 92) / 2, BOARD.y + 30),
            weight="bold",
        )
        label = text.render(tr("entrance"), 30, theme.INK, "bold")
        plate = label.get_rect(center=(PANEL.centerx, SIGN_Y)).inflate(72, 12)
        pygame.draw.rect(bg, theme.SUN, plate, border_radius=12)
        bg.blit(label, label.get_rect(midleft=(plate.x + 16, plate.centery)))
        draw_arrow(bg, (plate.right - 18, plate.centery), 0, 12, theme.INK)
        pygame.draw.rect(bg, theme.CARD, CO2_CARD, border_radius=22)
        draw_cloud(bg, (CO2_CARD.x + 58, CO2_CARD.y + 56), 30, PUFF)
        co2 = render_sub2(text, tr("co2_label"), 34, theme.TEXT_MUTED, "bold")
        bg.blit(co2, co2.get_rect(midleft=(CO2_CARD.x + 106, CO2_CARD.y + 40)))

        # The floor: wall, ring road, aisle, bay rows.
        pygame.draw.rect(bg, WALL, FLOOR.inflate(12, 12), border_radius=theme.RADIUS + 6)
        pygame.draw.rect(bg, ROAD, FLOOR, border_radius=theme.RADIUS)
        pygame.draw.rect(bg, FLOOR_FILL, BLOCK.inflate(20, 20), border_radius=18)
        pygame.draw.rect(bg, ROAD, AISLE)
        # Gate lanes from the panel into the ring road, and the exit gap on the right.
        for _, ly, lh in game.lanes:
            lane = pygame.Rect(PANEL.x + 10, 0, FLOOR.x + RING_W - PANEL.x - 10, lh - 26)
            lane.centery = round(ly)
            pygame.draw.rect(bg, ROAD, lane, border_radius=16)
            for x in range(PANEL.x + 24, PANEL.right - 50, 40):
                pygame.draw.line(bg, PAINT, (x, lane.top + 5), (x + 18, lane.top + 5), 3)
        exit_gap = pygame.Rect(FLOOR.right - 10, DEPART_Y - 56, w - FLOOR.right + 10, 112)
        pygame.draw.rect(bg, ROAD, exit_gap)
        # Ring road: dashed edge lines and one-way chevrons (clockwise).
        inner = FLOOR.inflate(-2 * RING_W, -2 * RING_W)
        pygame.draw.rect(bg, PAINT, inner.inflate(6, 6), 3, border_radius=10)
        for s in range(120, RING_P, 260):
            x, y, heading = ring_pos(s)
            if abs(y - ARRIVE_Y) > 90 or RING_L + 60 < x < RING_R - 60:
                draw_chevron(bg, (x, y), heading, 16, (86, 100, 128))
        # Aisle: a dashed centre line and arrows towards the bays, then the exit.
        mid = (ARRIVE_Y + DEPART_Y) // 2
        for x in range(BLOCK.x, BLOCK.right - 20, 56):
            pygame.draw.line(bg, theme.SUN, (x, mid), (x + 28, mid), 4)
        for x in range(BLOCK.x + 100, BLOCK.right - 200, 300):
            draw_chevron(bg, (x, ARRIVE_Y), 0, 18, (86, 100, 128))
        exit_label = text.render(tr("exit"), 28, theme.INK, "bold")
        plate = exit_label.get_rect(midright=(BLOCK.right - 50, DEPART_Y)).inflate(68, 12)
        pygame.draw.rect(bg, theme.SUN, plate, border_radius=12)
        bg.blit(exit_label, exit_label.get_rect(midleft=(plate.x + 14, plate.centery)))
        draw_arrow(bg, (plate.right - 16, plate.centery), 0, 11, theme.INK)
        # Bays: tinted floor for special bays, white lines, a symbol, a sensor housing.
        for bay in game.bays:
            fill = {"ev": EV_FILL, "accessible": ACCESSIBLE_FILL}.get(bay.kind, BAY_FILL)
            pygame.draw.rect(bg, fill, bay.rect.inflate(-6, -6))
            back = bay.rect.top if bay.top_row else bay.rect.bottom - 4
            pygame.draw.rect(bg, PAINT, (bay.rect.x, back, bay.rect.w, 4))
            for x in (bay.rect.left, bay.rect.right - 4):
                pygame.draw.rect(bg, PAINT, (x, bay.rect.y, 4, bay.rect.h))
            side = min(bay.rect.w - 40, 96)
            sym = pygame.Rect(0, 0, side, side)
            sym.center = (bay.rect.centerx, bay.rect.centery + (14 if bay.top_row else -14))
            if bay.kind == "ev":
                draw_bolt(bg, sym, shade(EV_FILL, 1.45))
            elif bay.kind == "accessible":
                draw_wheelchair(bg, sym, shade(ACCESSIBLE_FILL, 1.5))
            else:
                glyph = pygame.Rect(0, 0, round(side * 0.42), round(side * 0.66))
                glyph.center = sym.center
                draw_p_glyph(bg, glyph, shade(BAY_FILL, 1.25), BAY_FILL)
            sx, sy = bay.sensor
            pygame.draw.rect(bg, HOUSING, (sx - 30, sy - 17, 60, 34), border_radius=17)
        # Pillars of a multi-storey car park at the ends of the rows.
        for x in (BLOCK.x - 18, BLOCK.right + 2):
            for y in (BLOCK.y + 20, BLOCK.bottom - 56):
                pygame.draw.rect(bg, WALL, (x, y, 16, 36), border_radius=4)
        return bg

    def _draw_bay_states(self, surface: pygame.Surface, pulse: float) -> list[Part]:
        game = self.game
        car = game.active_car()
        hover = game.hover_bay()
        parts: list[Part] = []
        for bay in game.bays:
            rect = bay.rect.inflate(-8, -8)
            if bay.flash > 0:
                color = theme.GOOD if bay.flash_good else SENSOR_TAKEN
                width = 8 if bay.flash_good else round(6 + 6 * abs(math.sin(bay.flash * 14)))
            elif bay is hover:
                color, width = theme.SUN, 8
            elif car is not None and not game.can_park(car, bay):
                color, width = theme.GOOD, round(3 + 4 * pulse)
            else:
                continue
            pygame.draw.rect(surface, color, rect, width, border_radius=12)
            parts.append((("bay", bay.rect.topleft), (color, width), rect))
        return parts

    def _draw_sensors(self, surface: pygame.Surface) -> list[Part]:
        game = self.game
        glow = self._glow_surface()
        parts: list[Part] = []
        for bay in game.bays:
            sx, sy = bay.sensor
            area = glow.get_rect(center=(sx, sy))
            if bay.free:
                surface.blit(glow, area)
                color = SENSOR_FREE
            else:
                color = SENSOR_TAKEN
            r, ring = 13, bay.flash > 0 and not bay.flash_good
            if ring:
                r = round(13 + 9 * (bay.flash / FLASH_S))
                pygame.draw.circle(surface, SENSOR_TAKEN, (sx, sy), r + 10, 4)
                area = area.union(circle_rect((sx, sy), r + 10))
            pygame.draw.circle(surface, color, (sx, sy), r)
            pygame.draw.circle(surface, shade(color, 1.5), (sx - 4, sy - 4), 4)
            parts.append((("sensor", bay.sensor), (color, r, ring), area))
        return parts

    def _draw_gates(self, surface: pygame.Surface) -> list[Part]:
        game = self.game
        parts: list[Part] = []
        for k, (_, ly, lh) in enumerate(game.lanes):
            car = game.lane_cars[k]
            closed = car is not None and car.state == "queue" and not car.path
            post = (PANEL.right - 24, round(ly - lh / 2 + 20))
            area = pygame.draw.circle(surface, WALL, post, 9)
            # A boom across the lane while a car waits; raised once it drives through.
            end = (post[0], round(ly + lh / 2 - 22)) if closed else (post[0] + 40, post[1] - 6)
            area.union_ip(pygame.draw.line(surface, (245, 245, 245), post, end, 10))
            n = 4
            for i in range(1, n, 2):
                a = (lerp(post[0], end[0], i / n), lerp(post[1], end[1], i / n))
                b = (lerp(post[0], end[0], (i + 1) / n), lerp(post[1], end[1], (i + 1) / n))
                area.union_ip(pygame.draw.line(surface, SENSOR_TAKEN, a, b, 10))
            parts.append((("gate", k), closed, area))
        return parts

    def _draw_patience(self, surface: pygame.Surface, car: Car) -> list[Part]:
        game = self.game
        p = game.pace
        if car.state == "queue":
            left = max(0.0, 1.0 - car.waited / max(0.1, p.patience_s))
            bar = pygame.Rect(0, 0, min(200, round(car.length * 1.05)), 14)
            bar.midtop = (round(car.x), round(car.y + car.width / 2 + 10))
        else:
            left = max(0.0, 1.0 - car.circled / max(0.1, p.circle_max_s))
            bar = pygame.Rect(0, 0, 110, 12)
            rect = car.rect
            if car.y < FLOOR.y + RING_W:  # top of the ring: below the car, clear of the top bar
                bar.midtop = (rect.centerx, rect.bottom + 14)
            else:
                bar.midbottom = (rect.centerx, rect.top - 14)
        color = theme.GOOD if left > 0.55 else theme.SUN if left > 0.25 else theme.BAD
        pygame.draw.rect(surface, SHADOW, bar.inflate(6, 6), border_radius=10)
        width = 0
        if left > 0:
            fill = bar.copy()
            fill.width = width = max(6, round(bar.width * left))
            pygame.draw.rect(surface, color, fill, border_radius=7)
        return [(("patience", car.uid), (color, width), bar.inflate(6, 6))]

    def _draw_selection(self, surface: pygame.Surface, pulse: float) -> list[Part]:
        game = self.game
        car = game.selected
        parts: list[Part] = []
        if car is not None and car.waiting:
            rect = car.rect.inflate(22 + 8 * pulse, 22 + 8 * pulse)
            pygame.draw.rect(surface, theme.SUN, rect, 6, border_radius=24)
            parts.append(("chosen", 6, rect))
        elif game.parked == 0 and not game.drags:
            # Until the first car is parked, a ring ripples out from the car to tap first.
            first = next(iter(game.waiting_cars()), None)
            if first is not None and first.state == "queue":
                f = (game.elapsed * 1.2) % 1.0
                rect = first.rect.inflate(16 + 40 * f, 16 + 40 * f)
                width = max(2, round(7 * (1 - f)))
                pygame.draw.rect(surface, theme.SUN, rect, width, border_radius=26)
                parts.append(("ripple", width, rect))
        for drag in game.drags.values():
            if not drag.moved or not drag.car.waiting:
                continue
            start = (drag.car.x, drag.car.y)
            dashed_line(surface, theme.SUN, start, drag.pos, 8, 26)
            end = (round(drag.pos[0]), round(drag.pos[1]))
            pygame.draw.circle(surface, theme.SUN, end, 22, 6)
            line = bounds((*start, 0, 0), (*drag.pos, 0, 0)).inflate(2 * DASH_REACH, 2 * DASH_REACH)
            parts.append((("drag", id(drag)), (start, drag.pos), line.union(circle_rect(end, 22))))
        return parts

    def _draw_puffs(self, surface: pygame.Surface) -> list[Part]:
        game = self.game
        frames = self._puff_surfaces()
        n = len(frames)
        parts: list[Part] = []
        for i, (x, y, age, _, _) in enumerate(game.puffs):
            k = min(n - 1, int(age / PUFF_S * n))
            img = frames[k]
            area = img.get_rect(center=(round(x), round(y)))
            surface.blit(img, area)
            parts.append((("puff", i), k, area))
        return parts

    def _draw_car(self, surface: pygame.Surface, car: Car) -> list[Part]:
        sprite = self._sprite(car)
        x, y = car.x, car.y
        if car.shake > 0:
            x += math.sin(car.shake * 50) * 9 * (car.shake / SHAKE_S)
        if car.pop > 0:
            f = 1.0 + 0.12 * math.sin(math.pi * car.pop / POP_S)
            w, h = sprite.get_size()
            sprite = pygame.transform.smoothscale(sprite, (round(w * f), round(h * f)))
        if car.state == "gone":
            sprite = sprite.copy()
            sprite.set_alpha(round(255 * max(0.0, 1.0 - car.anim / GONE_S)))
        at = sprite.get_rect(center=(round(x) + 2, round(y) + 2))
        surface.blit(sprite, at)
        look = (car.color, car.kind, car.heading, sprite.get_size(), tuple(car.rect))
        key = (*look, car.state, car.anim)
        area = at.copy()
        if car.state == "circling":
            rect = car.rect.inflate(12, 12)
            pygame.draw.rect(surface, theme.BAD, rect, 4, border_radius=20)
            area.union_ip(rect)
        if car.state != "gone":
            key = key[:-1]  # the fade is all a gone car's time changes
        return [(("car", car.uid), key, area)]

    def _draw_top_bar(self, surface: pygame.Surface) -> list[Part]:
        """The bar (as parts: none when the portrait frame draws it round the playfield)."""
        game = self.game
        tally = self.ctx.tr("tally", parked=game.parked, total=game.arrived)
        chips = [Chip(tally, p_sign_chip, pad=100, text_x=74)]
        duration = game.pace.duration_s
        if is_detached():
            draw_top_bar(surface, self.ctx, game.time_left, duration, game.finished, chips)
            return []
        pieces = top_bar_pieces(
            self.ctx, game.time_left, duration, game.finished, chips, track_y=100
        )
        for piece in pieces:
            piece.draw(surface)
        return [(p.name, p.key, p.rect) for p in pieces]

    def _draw_counters(self, surface: pygame.Surface) -> list[Part]:
        game = self.game
        text, tr = self.ctx.text, self.ctx.tr
        free = sum(1 for b in game.bays if b.free)
        board = text.draw(
            surface,
            str(free),
            76,
            SENSOR_FREE if free else SENSOR_TAKEN,
            center=(BOARD.x + 92 + (BOARD.w - 92) / 2, BOARD.y + 88),
            weight="bold",
        )
        grams = tr("co2_value", grams=round(game.co2_grams))
        co2 = text.draw(
            surface,
            grams,
            54,
            theme.BAD,
            topleft=(CO2_CARD.x + 104, CO2_CARD.y + 62),
            weight="bold",
        )
        minutes = tr("circling_minutes", minutes=f"{game.circling_minutes:.1f}")
        at = (CO2_CARD.x + 24, CO2_CARD.bottom - 48)
        spent = text.draw(surface, minutes, 28, theme.TEXT_MUTED, topleft=at)
        return [("free", free, board), ("co2", grams, co2), ("minutes", minutes, spent)]

    def _sprite(self, car: Car) -> pygame.Surface:
        key = (car.color, car.kind, car.heading)
        sprite = self._sprites.get(key)
        if sprite is None:
            base_key = (car.color, "body", 0)
            base = self._sprites.get(base_key)
            if base is None:
                base = render_car(car.color, car.kind, car.length, car.width, badge=False)
                self._sprites[base_key] = base
            sprite = pygame.transform.rotate(base, car.heading) if car.heading else base.copy()
            if car.kind != "regular":  # the badge stays upright whichever way the car faces
                hx, hy = vector(car.heading)
                cx, cy = sprite.get_rect().center
                draw_badge(
                    sprite,
                    (cx - hx * 0.07 * car.length, cy - hy * 0.07 * car.length),
                    car.kind,
                    car.width,
                )
            self._sprites[key] = sprite
        return sprite

    def _glow_surface(self) -> pygame.Surface:
        if self._glow is None:
            glow = pygame.Surface((64, 64), pygame.SRCALPHA)
            for r, a in ((30, 40), (24, 60), (19, 90)):
                pygame.draw.circle(glow, (*SENSOR_FREE, a), (32, 32), r)
            self._glow = glow
        return self._glow

    def _puff_surfaces(self) -> list[pygame.Surface]:
        if not self._puff_frames:
            for k in range(10):
                f = k / 9
                r = round(10 + 18 * f)
                img = pygame.Surface((2 * r + 4, 2 * r + 4), pygame.SRCALPHA)
                alpha = round(200 * (1 - f) ** 1.2)
                pygame.draw.circle(img, (*PUFF, alpha), (r + 2, r + 2), r)
                pygame.draw.circle(
                    img, (*shade(PUFF, 1.3), alpha), (r - r // 3, r - r // 3), max(2, r // 2)
                )
                self._puff_frames.append(img)
        return self._puff_frames
