"""Draws a round of Phish or Legit: the answer buttons either side of the card, the card's
reading-time bar, the card (tilting towards the side it is dragged to, then stamped with
the verdict and its clue outlined), and the banner with the hint or the telltale sign.

Each part is drawn from its *look*, a small value computed from the round that changes
whenever the part's picture does. The backdrop, the top bar, the buttons, the timer's track
and the banner are kept on a still layer and redrawn there only when their look changes;
the timer's bar and the card are drawn on the frame (games/phish_or_legit/layers.py). On
a surface that still holds the view's last frame (``kept``) only what changed is drawn,
and :meth:`PhishView.draw` says where. :meth:`PhishView.draw_full` draws every part in
order, as every frame once was; the two give the same picture.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Hashable
from typing import TYPE_CHECKING

import pygame

from games.kit import gamebar
from games.kit.backdrop import Backdrop, Size
from games.kit.gamebar import Chip, draw_top_bar, mark_icon, tone_colour, top_bar_pieces
from games.kit.redraw import Piece
from games.phish_or_legit.art import draw_shield_tick, draw_warning
from games.phish_or_legit.deck import ANSWERS, SAFE, SCAM
from games.phish_or_legit.layers import (
    Compositor,
    MovingPart,
    OverPart,
    Patch,
    StillPart,
    disjoint,
)
from games.phish_or_legit.layout import CARD_TOP, PULSE_HZ, SWIPE_PX, TIMER_H
from games.phish_or_legit.painter import CARD_RADIUS, CARD_SHADOW, fit_lines, wrap_words
from games.phish_or_legit.solid import SolidCard
from kiosk.ui import theme, typeset
from kiosk.ui.blend import mix
from kiosk.ui.shapes import SHADOW, draw_mark

if TYPE_CHECKING:
    from games.base import GameContext
    from games.phish_or_legit.game import PhishOrLegit


MARK_R = 40  # the radius of the verdict's mark in the banner


def build_background(size: Size) -> pygame.Surface:
    """The navy backdrop with a scatter of fixed dots."""
    w, h = size
    bg = pygame.Surface((w, h))
    bg.fill(theme.BACKGROUND)
    rng = random.Random(9)  # fixed decoration, not the game's randomness
    for _ in range(60):
        x, y = rng.randrange(0, w), rng.randrange(120, h)
        pygame.draw.circle(bg, theme.NAVY_LIGHT, (x, y), rng.choice((2, 3, 4)))
    return bg


class PhishView:
    """Draws one game's frames; keeps what is worth building only once."""

    def __init__(self, ctx: GameContext) -> None:
        self.ctx = ctx
        self.backdrop = Backdrop(build_background)
        self._hint: tuple[str, list[str]] | None = None  # the hint and its wrapped lines
        self._layers: Compositor | None = None  # made at the first draw, from the layout
        self._game: PhishOrLegit | None = None  # the round being drawn, during a draw
        # The card as drawn under the clue's pulsing outline (what the outline is drawn on),
        # and the look it was drawn with but for the outline's width.
        self._under_pulse: tuple[tuple, pygame.Surface] | None = None
        self._button_pictures: dict[str, dict[tuple, pygame.Surface]] = {}
        # The top bar's pieces as on the still layer (name -> key, place); the banner's
        # empty panel (with its look's contrast) and where its words and mark are there.
        self._bar_pieces: dict[Hashable, tuple[Hashable, pygame.Rect]] = {}
        self._blank_banner: tuple[bool, pygame.Surface] | None = None
        self._solid_card: SolidCard | None = None  # the card on screen, split for blitting
        self._solid_ahead: SolidCard | None = None  # the next one, made in the card's worker
        self._banner_ink: list[pygame.Rect] = []

    # -- frames -------------------------------------------------------------------------

    def draw(
        self, game: PhishOrLegit, surface: pygame.Surface, kept: bool = False
    ) -> list[pygame.Rect] | None:
        """The frame. ``kept``: ``surface`` holds nothing but what this view drew there
        last. Returns the rectangles this draw may have changed (None: all of it)."""
        if gamebar.collecting():
            self._draw_top_bar(game, surface)  # handed to the kiosk's frame, not drawn
        if surface.get_flags() & pygame.SRCALPHA:  # copying a layer there would blend
            self.draw_full(game, surface)
            return None
        layers = self._layers or self._make_layers(game)
        self._game = game
        try:
            still = [self._top_look(game), *self._button_looks(game), theme.CARD,
                     self._banner_look(game)]  # fmt: skip
            return layers.draw(surface, still, (self._bar_look(game), self._card_look(game)), kept)
        finally:
            self._game = None

    def surface_moved(self, old: pygame.Surface, new: pygame.Surface) -> bool:
        """(Game.surface_moved.)"""
        return self._layers is not None and self._layers.moved(old, new)

    def draw_full(self, game: PhishOrLegit, surface: pygame.Surface) -> None:
        """The frame drawn part by part, bottom to top, with no layer kept."""
        self._game = game
        try:
            surface.blit(self.backdrop.get(self.ctx.size), (0, 0))
            self._draw_top_bar(game, surface)
            for answer, look in zip(ANSWERS, self._button_looks(game), strict=True):
                self._draw_button(surface, answer, look)
            self._draw_track(surface, theme.CARD)
            bar = self._bar_look(game)
            if bar is not None:
                self._draw_bar(surface, bar)
            card = self._card_look(game)
            if card is not None:
                self._draw_card(surface, card)
            self._draw_banner(surface, self._banner_look(game))
        finally:
            self._game = None

    def _make_layers(self, game: PhishOrLegit) -> Compositor:
        w = self.ctx.size[0]
        panel, radius = game.banner_rect, theme.RADIUS

        def button(answer: str) -> StillPart:
            region = self._button_region(game, answer)
            return StillPart(
                region,
                functools.partial(self._button_on_layer, answer, region),
                functools.partial(self._button_update, answer, region),
            )

        self._layers = Compositor(
            self._backdrop,
            [
                StillPart(pygame.Rect(0, 0, w, CARD_TOP), self._draw_top_look, self._top_update),
                *(button(answer) for answer in ANSWERS),
                StillPart(game.timer_rect.copy(), self._draw_track),
                StillPart(panel.copy(), self._banner_on_layer, self._banner_update),
            ],
            [
                MovingPart(self._draw_bar, within=game.timer_rect.copy()),
                MovingPart(self._draw_card, patch=self._card_patch, covers=self._card_covers),
            ],
            # The banner lies over the card (a card dropping away passes behind it); its
            # rounded rectangle covers all but its corners.
            OverPart(
                4,
                [panel.inflate(0, -2 * radius), panel.inflate(-2 * radius, 0)],
                self._draw_banner,
            ),
        )
        return self._layers

    def _backdrop(self) -> pygame.Surface:
        return self.backdrop.get(self.ctx.size)

    def _round(self) -> PhishOrLegit:
        game = self._game
        assert game is not None, "a part is drawn only during a draw"
        return game

    # -- top bar --------------------------------------------------------------------------

    def _chip(self, game: PhishOrLegit) -> Chip:
        return Chip(self.ctx.tr("tally", correct=game.correct, total=game.shown), mark_icon)

    def _top_look(self, game: PhishOrLegit) -> Hashable:
        if gamebar.collecting():
            return None  # the kiosk's frame shows it
        return gamebar.top_bar_look(
            self.ctx, game.time_left, game.pace.duration_s, game.finished, [self._chip(game)]
        )

    def _draw_top_look(self, surface: pygame.Surface, look: Hashable) -> None:
        """The top bar on the still layer, piece by piece as :func:`draw_top_bar` draws
        it; each piece's key and place kept for :meth:`_top_update`."""
        self._bar_pieces = {}
        if look is None:
            return
        for piece in self._top_pieces(self._round()):
            piece.draw(surface)
            self._bar_pieces[piece.name] = (piece.key, piece.rect)

    def _top_pieces(self, game: PhishOrLegit) -> list[Piece]:
        return top_bar_pieces(
            self.ctx, game.time_left, game.pace.duration_s, game.finished, [self._chip(game)]
        )

    def _top_update(
        self, layer: pygame.Surface, backdrop: pygame.Surface, old: Hashable, new: Hashable
    ) -> list[pygame.Rect] | None:
        """Only the top bar's pieces that changed (the seconds, the drained bar, the
        tally), each on the backdrop again in its old and new place: not the whole bar,
        a seventh of the canvas, once a second. None if a changed piece would touch
        another one (then the bar is drawn whole)."""
        if old is None or new is None:
            return None
        pieces = self._top_pieces(self._round())
        kept = self._bar_pieces
        if {p.name for p in pieces} != set(kept):
            return None
        changed = [p for p in pieces if kept[p.name] != (p.key, p.rect)]
        places = [p.rect.union(kept[p.name][1]) for p in changed]
        still = [p.rect for p in pieces if kept[p.name] == (p.key, p.rect)]
        if any(a.collidelist(still) != -1 for a in places) or any(
            a.colliderect(b) for i, a in enumerate(places) for b in places[i + 1 :]
        ):
            return None
        areas = disjoint([r for p in changed for r in (kept[p.name][1], p.rect)], layer.get_rect())
        for area in areas:
            layer.blit(backdrop, area, area)
        for p in changed:
            p.draw(layer)
            kept[p.name] = (p.key, p.rect)
        return areas

    def _draw_top_bar(self, game: PhishOrLegit, surface: pygame.Surface) -> None:
        chip = self._chip(game)
        draw_top_bar(surface, self.ctx, game.time_left, game.pace.duration_s, game.finished, [chip])

    # -- buttons --------------------------------------------------------------------------

    def _button_looks(self, game: PhishOrLegit) -> list[tuple]:
        """Per answer: pressed, the width of the ring a drag towards it shows (0: none),
        dimmed (nothing to answer just now), with the swipe hint."""
        looks = []
        for answer in ANSWERS:
            pressed = any(a == answer for a, _ in game.pressed.values())
            lean = 0.0
            if game.drag is not None and game.card is not None:
                lean = max(0.0, min(1.0, (-1 if answer == SCAM else 1) * game.card.dx / SWIPE_PX))
            ring = round(4 + 6 * lean) if lean > 0 else 0
            dimmed = not game.accepting and not pressed
            looks.append((pressed, ring, dimmed, game.swipe_enabled, theme.high_contrast))
        return looks

    def _button_on_layer(
        self, answer: str, region: pygame.Rect, layer: pygame.Surface, look: tuple
    ) -> None:
        """The button on the still layer (``region`` showing only the backdrop): its
        picture without the ring kept per look (a button shows three or four all round
        long; drawing one costs 0.2-0.4 ms), the ring drawn over it (it lies clear of the
        icon and the words, so drawing it last changes no pixel)."""
        pressed, ring, dimmed, swipe, contrast = look
        plain = (pressed, 0, dimmed, swipe, contrast)
        kept = self._button_pictures.setdefault(answer, {})
        picture = kept.get(plain)
        if picture is None:
            self._draw_button(layer, answer, plain)
            if len(kept) >= 4:  # the looks of another palette or text size: start over
                kept.clear()
            picture = kept[plain] = layer.subsurface(region).copy()
        else:
            layer.blit(picture, region)
        if ring:
            rect = self._round().buttons[answer]
            r = rect.move(0, 6) if pressed else rect
            pygame.draw.rect(
                layer, theme.WHITE, r.inflate(12, 12), width=ring, border_radius=theme.RADIUS + 6
            )

    def prepare_buttons(self, game: PhishOrLegit) -> None:
        """Each button's picture as a card's first frames show it, dimmed and not (made
        with the round, ahead: drawing one in a frame costs 0.2-0.4 ms)."""
        base = self._backdrop()
        work = base.copy()
        self._game = game
        try:
            for answer, look in zip(ANSWERS, self._button_looks(game), strict=True):
                region = self._button_region(game, answer)
                kept = self._button_pictures.setdefault(answer, {})
                for dimmed in (True, False):
                    plain = (False, 0, dimmed, *look[3:])
                    work.blit(base, region, region)
                    self._draw_button(work, answer, plain)
                    kept[plain] = work.subsurface(region).copy()
        finally:
            self._game = None

    @staticmethod
    def _button_region(game: PhishOrLegit, answer: str) -> pygame.Rect:
        """What a button may cover: pressed it sinks 6 px; its shadow, the ring."""
        rect = game.buttons[answer]
        region = rect.move(0, 6).inflate(12, 12).union(rect.inflate(12, 12))
        return region.union(rect.move(0, 10))

    def _button_update(
        self,
        answer: str,
        region: pygame.Rect,
        layer: pygame.Surface,
        backdrop: pygame.Surface,
        old: tuple,
        new: tuple,
    ) -> list[pygame.Rect] | None:
        """A button's new look from its kept picture: only along its ring when nothing
        but the ring changed (a drag towards it), else the whole region (None: no
        picture kept for it yet)."""
        plain = (new[0], 0, *new[2:])
        picture = self._button_pictures.get(answer, {}).get(plain)
        if picture is None:
            return None
        if (old[0], 0, *old[2:]) != plain:
            self._button_on_layer(answer, region, layer, new)
            return [region]
        rect = self._round().buttons[answer]
        ring = (rect.move(0, 6) if new[0] else rect).inflate(12, 12)
        strips = ring_strips(ring, theme.RADIUS + 6)
        for strip in strips:
            layer.blit(picture, strip, strip.move(-region.x, -region.y))
        if new[1]:
            pygame.draw.rect(layer, theme.WHITE, ring, width=new[1], border_radius=theme.RADIUS + 6)
        return strips

    def _draw_button(self, surface: pygame.Surface, answer: str, look: tuple) -> None:
        game = self._round()
        text, tr = self.ctx.text, self.ctx.tr
        pressed, ring, dimmed, swipe, _ = look
        rect = game.buttons[answer]
        fill = theme.BAD if answer == SCAM else theme.GOOD
        ink = theme.INK
        if dimmed:
            fill, ink = mix(fill, theme.BACKGROUND, 0.55), mix(ink, fill, 0.35)
        r = rect.move(0, 6) if pressed else rect
        if not pressed:
            pygame.draw.rect(surface, SHADOW, r.move(0, 10), border_radius=theme.RADIUS)
        pygame.draw.rect(surface, fill, r, border_radius=theme.RADIUS)
        if ring:
            pygame.draw.rect(
                surface, theme.WHITE, r.inflate(12, 12), width=ring, border_radius=theme.RADIUS + 6
            )
        icon = min(r.w, r.h) * 0.42
        centre = (r.centerx, round(r.y + r.h * 0.34))
        if answer == SCAM:
            draw_warning(surface, centre, icon, ink, fill)
        else:
            draw_shield_tick(surface, centre, icon, ink, fill)
        label = tr(f"btn_{answer}")
        size = typeset.fit_size(text, label, game.pace.button_size, r.w - 30, 36)
        text.draw(surface, label, size, ink, center=(r.centerx, r.y + r.h * 0.7), weight="bold")
        if swipe:
            text.draw(
                surface,
                tr("swipe_left" if answer == SCAM else "swipe_right"),
                theme.SMALL,
                ink,
                center=(r.centerx, r.bottom - 34),
            )

    # -- card -----------------------------------------------------------------------------

    def _card_look(self, game: PhishOrLegit) -> tuple | None:
        """Which card, where, how opaque, the swipe's edge and stamp (side, edge width,
        stamped) and the reveal's (the clue's outline and its pulsing width, right, the
        answer)."""
        card = game.card
        if card is None:
            return None
        rect = card.rect
        swipe = None
        if game.phase == "ask" and abs(card.dx) > 8:
            f = min(1.0, abs(card.dx) / SWIPE_PX)
            swipe = (SAFE if card.dx > 0 else SCAM, round(4 + 10 * f), f > 0.3)
        reveal = None
        if game.phase == "reveal":
            clue = card.regions.get(card.spec.clue)
            outline = None
            if clue is not None:
                pulse = 0.5 + 0.5 * math.sin(game.phase_t * 2 * math.pi * PULSE_HZ)
                area = clue.move(rect.topleft).inflate(18, 14)
                outline = (tuple(area), round(5 + 3 * pulse))
            reveal = (outline, card.good, card.spec.answer)
        look = (card.uid, id(card.surface), tuple(rect), card.alpha, swipe, reveal)
        return (*look, theme.high_contrast)

    def _draw_card(self, surface: pygame.Surface, look: tuple) -> pygame.Rect:
        card = self._round().card
        assert card is not None
        _, _, at, alpha, swipe, reveal, _ = look
        rect = pygame.Rect(at)
        drawn: list[pygame.Rect] = []
        if alpha >= 255:
            drawn.append(self._solid(card.surface, surface).draw(surface, rect))
        elif alpha > 0:
            self._solid(card.surface, surface)  # made now: it is needed once opaque
            card.surface.set_alpha(alpha)  # fading in or out; no copy per frame
            drawn.append(surface.blit(card.surface, rect))
        if swipe is not None:
            side, width, stamped = swipe
            color = theme.GOOD if side == SAFE else theme.BAD
            drawn.append(
                pygame.draw.rect(surface, color, rect, width=width, border_radius=CARD_RADIUS)
            )
            if stamped:
                drawn.append(self._stamp(surface, rect, side))
        if reveal is not None:
            outline, good, answer = reveal
            if outline is not None:
                area = pygame.Rect(outline[0]).clip(surface.get_rect())
                self._under_pulse = (_unpulsed(look), surface.subsurface(area).copy())
                drawn.append(self._draw_outline(surface, reveal))
            drawn.append(self._draw_reveal_edge(surface, rect, good, answer))
        return _bounds(drawn, rect)

    def _solid(self, picture: pygame.Surface, surface: pygame.Surface) -> SolidCard:
        """The card's picture split for ``surface`` (made once per card and format)."""
        solid = self._solid_card
        if solid is None or not solid.fits(picture, surface):
            ahead = self._solid_ahead
            if ahead is not None and ahead.fits(picture, surface):
                solid = ahead
            else:
                solid = SolidCard(picture, surface, CARD_RADIUS, CARD_SHADOW)
            self._solid_card = solid
        return solid

    def prepare_card(self, solid: SolidCard | None) -> None:
        """The card just dealt, its picture split for drawing in the card's worker (for a
        surface of the usual pixel format; None, or another format: made in the frame)."""
        self._solid_ahead = solid

    def _card_covers(self, look: tuple) -> list[pygame.Rect]:
        """Where the card at rest opacity covers everything under it (its picture's body
        inside the rounded corners), when it is drawn whole."""
        card = self._round().card
        if card is None or look[3] < 255 or id(card.surface) != look[1]:
            return []
        solid = self._solid_card
        if solid is None or solid.picture is not card.surface:
            return []  # (made at the card's first draw, before it is opaque)
        return solid.body(pygame.Rect(look[2]))

    def _draw_outline(self, surface: pygame.Surface, reveal: tuple) -> pygame.Rect:
        (area, width), _, _ = reveal
        return pygame.draw.rect(surface, theme.SUN, area, width=width, border_radius=14)

    def _draw_reveal_edge(
        self, surface: pygame.Surface, rect: pygame.Rect, good: bool, answer: str
    ) -> pygame.Rect:
        edge = theme.GOOD if good else theme.BAD
        drawn = pygame.draw.rect(surface, edge, rect, width=10, border_radius=CARD_RADIUS)
        return drawn.union(self._stamp(surface, rect, answer))

    def _card_patch(self, old: tuple, new: tuple) -> Patch | None:
        """The card turned from ``old`` to ``new`` in place, if only what lies over its
        picture changed: the verdict revealed on a card at rest, or the clue's pulse."""
        return self._reveal_patch(old, new) or self._pulse_patch(old, new)

    def _reveal_patch(self, old: tuple, new: tuple) -> Patch | None:
        """The verdict revealed on a card at rest (answered by a tap, or a drag that had
        sprung back): the outline, the edge and the stamp drawn over the card as it is,
        which is the order a full redraw draws them in (the first frame of every reveal
        once drew the card's shadow and picture again, 1-1.5 ms)."""
        _, _, at, alpha, swipe, reveal, contrast = new
        if (
            reveal is None
            or swipe is not None
            or alpha < 255
            or old[:4] != new[:4]
            or old[4:6] != (None, None)
            or old[6] != contrast
        ):
            return None

        def patch(surface: pygame.Surface) -> list[pygame.Rect]:
            rect = pygame.Rect(at)
            drawn: list[pygame.Rect] = []
            outline = reveal[0]
            if outline is not None:
                area = pygame.Rect(outline[0]).clip(surface.get_rect())
                self._under_pulse = (_unpulsed(new), surface.subsurface(area).copy())
                self._draw_outline(surface, reveal)
                drawn.append(area)
            self._draw_reveal_edge(surface, rect, reveal[1], reveal[2])
            return [*drawn, *ring_strips(rect, CARD_RADIUS), self._stamp_box(rect, reveal[2])]

        return patch

    def _pulse_patch(self, old: tuple, new: tuple) -> Patch | None:
        """Only the clue's outline pulsed (the reveal, the card at rest): the card under
        it put back as drawn, the outline drawn, and the edge and stamp again over it."""
        key = _unpulsed(new)
        if key is None or key != _unpulsed(old) or self._under_pulse is None:
            return None
        if self._under_pulse[0] != key:
            return None
        under = self._under_pulse[1]

        def patch(surface: pygame.Surface) -> pygame.Rect:
            _, _, at, _, _, reveal, _ = new
            rect = pygame.Rect(at)
            area = pygame.Rect(reveal[0][0]).clip(surface.get_rect())
            surface.blit(under, area)
            self._draw_outline(surface, reveal)
            clip = surface.get_clip()
            surface.set_clip(area.clip(clip))
            try:
                self._draw_reveal_edge(surface, rect, reveal[1], reveal[2])
            finally:
                surface.set_clip(clip)
            return [area]

        return patch

    def _stamp_box(self, rect: pygame.Rect, answer: str) -> pygame.Rect:
        """Where the stamp of ``answer`` lies on a card at ``rect``."""
        surf = self.ctx.text.render(self.ctx.tr(f"stamp_{answer}"), 48, theme.INK, "bold")
        box = surf.get_rect().inflate(48, 12)
        box.center = (rect.centerx, rect.bottom)  # astride the bottom edge: hides no clue
        return box

    def _stamp(self, surface: pygame.Surface, rect: pygame.Rect, answer: str) -> pygame.Rect:
        text = self.ctx.text
        label = self.ctx.tr(f"stamp_{answer}")
        surf = text.render(label, 48, theme.INK, "bold")
        box = self._stamp_box(rect, answer)
        fill = theme.BAD if answer == SCAM else theme.GOOD
        drawn = pygame.draw.rect(surface, fill, box, border_radius=18)
        pygame.draw.rect(surface, theme.INK, box, width=4, border_radius=18)
        surface.blit(surf, surf.get_rect(center=box.center))
        return drawn

    # -- reading time -----------------------------------------------------------------------

    def _draw_track(self, surface: pygame.Surface, colour: Hashable) -> None:
        track = self._round().timer_rect
        pygame.draw.rect(surface, colour, track, border_radius=TIMER_H // 2)

    def _bar_look(self, game: PhishOrLegit) -> tuple | None:
        """The reading-time bar's rectangle and colour (None: no bar)."""
        if game.card is None or game.phase not in ("enter", "ask"):
            return None
        track = game.timer_rect
        read_s, reading_t = game.pace.read_s, game.reading_t
        left = max(0.0, 1.0 - reading_t / read_s)
        bar = track.copy()
        bar.width = max(TIMER_H, round(track.width * left))
        bar.centerx = track.centerx  # drains from both ends towards the middle
        late = read_s - reading_t <= 3.0
        return (tuple(bar), theme.BAD if late else theme.SUN)

    def _draw_bar(self, surface: pygame.Surface, look: tuple) -> pygame.Rect:
        bar, colour = look
        return pygame.draw.rect(surface, colour, bar, border_radius=TIMER_H // 2)

    # -- banner -----------------------------------------------------------------------------

    def prepare_verdict(self, sign: str, truth: str, game: PhishOrLegit) -> None:
        """What the banner will show after a card with this ``sign`` and answer, made ahead
        (the lines a sign is fitted into are worked out with Unicode line breaking, a few
        milliseconds in pure Python): the lines fitted and drawn, and each verdict the
        visitor may get. The frame then finds them in the text renderer's caches."""
        text, size = self.ctx.text, game.pace.sign_size
        fitted, lines = self._sign_layout(sign, game)
        for line in lines:
            text.render(line, fitted, theme.TEXT)
        for key, tone in ((f"right_{truth}", "good"), (f"wrong_{truth}", "bad"),
                          (f"missed_{truth}", "bad")):  # fmt: skip
            text.render(self.ctx.tr(key), size + 6, tone_colour(tone), "bold")

    def _sign_layout(self, sign: str, game: PhishOrLegit) -> tuple[int, list[str]]:
        """The size and lines of a sign in the banner."""
        size, width = game.pace.sign_size, game.banner_rect.w - 220
        return fit_lines(self.ctx.text, sign, size, width, 2) if sign else (size, [])

    def _banner_look(self, game: PhishOrLegit) -> tuple:
        fb = game.feedback
        if fb is None:
            hint = self.ctx.tr("hint" if game.swipe_enabled else "hint_tap")
            return ("hint", hint, theme.high_contrast)
        return ("feedback", fb.verdict, fb.sign, fb.tone, theme.high_contrast)

    def _banner_on_layer(self, layer: pygame.Surface, look: tuple) -> None:
        """The banner on the still layer (its region showing only the backdrop): the
        empty panel kept as a picture, and where its words and mark went, for
        :meth:`_banner_update`."""
        panel = self._round().banner_rect
        self._draw_panel(layer, panel)
        self._blank_banner = (look[-1], layer.subsurface(panel).copy())
        self._banner_ink = self._draw_banner_words(layer, look)

    def _banner_update(
        self, layer: pygame.Surface, backdrop: pygame.Surface, old: tuple, new: tuple
    ) -> list[pygame.Rect] | None:
        """The banner's new words and mark on its empty panel, put back only where the
        old ones were: a verdict changes a few lines, not the whole 1840×256 panel."""
        blank = self._blank_banner
        if blank is None or blank[0] != new[-1] or old[-1] != new[-1]:
            return None
        panel = self._round().banner_rect
        old_ink = self._banner_ink
        for area in old_ink:
            layer.blit(blank[1], area, area.move(-panel.x, -panel.y))
        self._banner_ink = self._draw_banner_words(layer, new)
        return disjoint(old_ink + self._banner_ink, panel)

    def _draw_banner(self, surface: pygame.Surface, look: tuple) -> None:
        self._draw_panel(surface, self._round().banner_rect)
        self._draw_banner_words(surface, look)

    def _draw_panel(self, surface: pygame.Surface, panel: pygame.Rect) -> None:
        pygame.draw.rect(surface, theme.CARD, panel, border_radius=theme.RADIUS)

    def _draw_banner_words(self, surface: pygame.Surface, look: tuple) -> list[pygame.Rect]:
        """The hint, or the verdict (its mark, its words, the sign), on the panel; the
        rectangles drawn (clipped to the panel)."""
        game = self._round()
        text = self.ctx.text
        panel = game.banner_rect
        ink: list[pygame.Rect] = []
        fb = game.feedback
        width = panel.w - 220
        sign_size = game.pace.sign_size
        if fb is None:
            hint = look[1]
            if self._hint is None or self._hint[0] != hint:
                self._hint = (hint, wrap_words(text, hint, sign_size, width))
            lines = self._hint[1]
            y = panel.centery - len(lines) * sign_size * 0.68
            for line in lines:
                ink.append(
                    text.draw(
                        surface,
                        line,
                        sign_size,
                        theme.TEXT_MUTED,
                        center=(panel.centerx, y + sign_size * 0.68),
                    )
                )
                y += sign_size * 1.36
            return _inside(ink, panel)
        color = tone_colour(fb.tone)
        verdict_size = sign_size + 6
        if fb.layout is None:
            fb.layout = self._sign_layout(fb.sign, game)
        size, sign_lines = fb.layout
        line_h = round(size * 1.3)
        block_h = round(verdict_size * 1.3) + line_h * len(sign_lines)
        y = panel.centery - block_h / 2
        x = panel.x + 150
        if fb.tone in ("good", "bad"):
            centre = (panel.x + 80, panel.centery)
            draw_mark(surface, centre, MARK_R, fb.tone == "good")
            ink.append(pygame.Rect(0, 0, 2 * MARK_R + 4, 2 * MARK_R + 4))
            ink[-1].center = centre
        ink.append(
            text.draw(surface, fb.verdict, verdict_size, color, topleft=(x, y), weight="bold")
        )
        y += round(verdict_size * 1.3)
        for line in sign_lines:
            ink.append(text.draw(surface, line, size, theme.TEXT, topleft=(x, y)))
            y += line_h
        return _inside(ink, panel)


def _inside(rects: list[pygame.Rect], panel: pygame.Rect) -> list[pygame.Rect]:
    return [c for c in (r.clip(panel) for r in rects) if c.w and c.h]


def ring_strips(rect: pygame.Rect, radius: int) -> list[pygame.Rect]:
    """Four strips along the inside of ``rect``, ``radius`` deep, that do not overlap: all
    a rounded outline of that corner radius (no wider than it) touches."""
    d = min(radius, rect.h // 2, rect.w // 2)
    return [
        pygame.Rect(rect.x, rect.y, rect.w, d),
        pygame.Rect(rect.x, rect.bottom - d, rect.w, d),
        pygame.Rect(rect.x, rect.y + d, d, rect.h - 2 * d),
        pygame.Rect(rect.right - d, rect.y + d, d, rect.h - 2 * d),
    ]


def _unpulsed(look: tuple) -> tuple | None:
    """A card's look but for the width of the clue's outline (None: no outline)."""
    reveal = look[5]
    if reveal is None or reveal[0] is None or look[4] is not None:
        return None
    return (*look[:5], (reveal[0][0], *reveal[1:]), *look[6:])


def _bounds(drawn: list[pygame.Rect], at: pygame.Rect) -> pygame.Rect:
    """The rectangle round everything drawn (an empty one at ``at`` if nothing was)."""
    seen = [r for r in drawn if r.w and r.h]
    return seen[0].unionall(seen[1:]) if seen else pygame.Rect(at.topleft, (0, 0))
