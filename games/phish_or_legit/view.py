"""Draws a round of Phish or Legit: the answer buttons either side of the card, the card's
reading-time bar, the card (tilting towards the side it is dragged to, then stamped with
the verdict and its clue outlined), and the banner with the hint or the telltale sign.
"""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING

import pygame

from games.kit.backdrop import Backdrop, Size
from games.kit.gamebar import Chip, draw_top_bar, mark_icon, tone_colour
from games.phish_or_legit.art import draw_shield_tick, draw_warning
from games.phish_or_legit.deck import ANSWERS, SAFE, SCAM
from games.phish_or_legit.layout import PULSE_HZ, SWIPE_PX, TIMER_H
from games.phish_or_legit.painter import CARD_RADIUS, fit_lines, wrap_words
from kiosk.ui import theme, typeset
from kiosk.ui.blend import mix
from kiosk.ui.shapes import SHADOW, draw_mark

if TYPE_CHECKING:
    from games.base import GameContext
    from games.phish_or_legit.game import PhishOrLegit


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

    def draw(self, game: PhishOrLegit, surface: pygame.Surface) -> None:
        surface.blit(self.backdrop.get(self.ctx.size), (0, 0))
        self._draw_top_bar(game, surface)
        for answer in ANSWERS:
            self._draw_button(game, surface, answer)
        self._draw_timer(game, surface)
        self._draw_card(game, surface)
        self._draw_banner(game, surface)

    def _draw_top_bar(self, game: PhishOrLegit, surface: pygame.Surface) -> None:
        chip = Chip(self.ctx.tr("tally", correct=game.correct, total=game.shown), mark_icon)
        draw_top_bar(surface, self.ctx, game.time_left, game.pace.duration_s, game.finished, [chip])

    def _draw_button(self, game: PhishOrLegit, surface: pygame.Surface, answer: str) -> None:
        text, tr = self.ctx.text, self.ctx.tr
        rect = game.buttons[answer]
        pressed = any(a == answer for a, _ in game.pressed.values())
        lean = 0.0
        if game.drag is not None and game.card is not None:
            lean = max(0.0, min(1.0, (-1 if answer == SCAM else 1) * game.card.dx / SWIPE_PX))
        fill = theme.BAD if answer == SCAM else theme.GOOD
        ink = theme.INK
        if not game.accepting and not pressed:  # nothing to answer just now: dimmed
            fill, ink = mix(fill, theme.BACKGROUND, 0.55), mix(ink, fill, 0.35)
        r = rect.move(0, 6) if pressed else rect
        if not pressed:
            pygame.draw.rect(surface, SHADOW, r.move(0, 10), border_radius=theme.RADIUS)
        pygame.draw.rect(surface, fill, r, border_radius=theme.RADIUS)
        if lean > 0:
            pygame.draw.rect(
                surface,
                theme.WHITE,
                r.inflate(12, 12),
                width=round(4 + 6 * lean),
                border_radius=theme.RADIUS + 6,
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
        if game.swipe_enabled:
            text.draw(
                surface,
                tr("swipe_left" if answer == SCAM else "swipe_right"),
                theme.SMALL,
                ink,
                center=(r.centerx, r.bottom - 34),
            )

    def _draw_card(self, game: PhishOrLegit, surface: pygame.Surface) -> None:
        card = game.card
        if card is None:
            return
        rect = card.rect
        if card.alpha >= 255:
            pygame.draw.rect(surface, SHADOW, rect.move(8, 14), border_radius=CARD_RADIUS)
            # 255, not None: None turns per-pixel alpha off too, and the transparent
            # rounded corners came out as black squares.
            card.surface.set_alpha(255)
            surface.blit(card.surface, rect)
        elif card.alpha > 0:
            card.surface.set_alpha(card.alpha)  # fading in or out; no copy per frame
            surface.blit(card.surface, rect)
        if game.phase == "ask" and abs(card.dx) > 8:
            f = min(1.0, abs(card.dx) / SWIPE_PX)
            side = SAFE if card.dx > 0 else SCAM
            color = theme.GOOD if side == SAFE else theme.BAD
            pygame.draw.rect(
                surface, color, rect, width=round(4 + 10 * f), border_radius=CARD_RADIUS
            )
            if f > 0.3:
                self._stamp(surface, rect, side)
        if game.phase == "reveal":
            clue = card.regions.get(card.spec.clue)
            if clue is not None:
                pulse = 0.5 + 0.5 * math.sin(game.phase_t * 2 * math.pi * PULSE_HZ)
                area = clue.move(rect.topleft).inflate(18, 14)
                pygame.draw.rect(
                    surface, theme.SUN, area, width=round(5 + 3 * pulse), border_radius=14
                )
            edge = theme.GOOD if card.good else theme.BAD
            pygame.draw.rect(surface, edge, rect, width=10, border_radius=CARD_RADIUS)
            self._stamp(surface, rect, card.spec.answer)

    def _stamp(self, surface: pygame.Surface, rect: pygame.Rect, answer: str) -> None:
        text = self.ctx.text
        label = self.ctx.tr(f"stamp_{answer}")
        surf = text.render(label, 48, theme.INK, "bold")
        box = surf.get_rect().inflate(48, 12)
        box.center = (rect.centerx, rect.bottom)  # astride the bottom edge: hides no clue
        fill = theme.BAD if answer == SCAM else theme.GOOD
        pygame.draw.rect(surface, fill, box, border_radius=18)
        pygame.draw.rect(surface, theme.INK, box, width=4, border_radius=18)
        surface.blit(surf, surf.get_rect(center=box.center))

    def _draw_timer(self, game: PhishOrLegit, surface: pygame.Surface) -> None:
        track = game.timer_rect
        pygame.draw.rect(surface, theme.CARD, track, border_radius=TIMER_H // 2)
        if game.card is None or game.phase not in ("enter", "ask"):
            return
        read_s, reading_t = game.pace.read_s, game.reading_t
        left = max(0.0, 1.0 - reading_t / read_s)
        bar = track.copy()
        bar.width = max(TIMER_H, round(track.width * left))
        bar.centerx = track.centerx  # drains from both ends towards the middle
        late = read_s - reading_t <= 3.0
        pygame.draw.rect(surface, theme.BAD if late else theme.SUN, bar, border_radius=TIMER_H // 2)

    def _draw_banner(self, game: PhishOrLegit, surface: pygame.Surface) -> None:
        text, tr = self.ctx.text, self.ctx.tr
        panel = game.banner_rect
        pygame.draw.rect(surface, theme.CARD, panel, border_radius=theme.RADIUS)
        fb = game.feedback
        width = panel.w - 220
        sign_size = game.pace.sign_size
        if fb is None:
            hint = tr("hint" if game.swipe_enabled else "hint_tap")
            if self._hint is None or self._hint[0] != hint:
                self._hint = (hint, wrap_words(text, hint, sign_size, width))
            lines = self._hint[1]
            y = panel.centery - len(lines) * sign_size * 0.68
            for line in lines:
                text.draw(
                    surface,
                    line,
                    sign_size,
                    theme.TEXT_MUTED,
                    center=(panel.centerx, y + sign_size * 0.68),
                )
                y += sign_size * 1.36
            return
        color = tone_colour(fb.tone)
        verdict_size = sign_size + 6
        if fb.layout is None:
            fb.layout = (
                fit_lines(text, fb.sign, sign_size, width, 2) if fb.sign else (sign_size, [])
            )
        size, sign_lines = fb.layout
        line_h = round(size * 1.3)
        block_h = round(verdict_size * 1.3) + line_h * len(sign_lines)
        y = panel.centery - block_h / 2
        x = panel.x + 150
        if fb.tone in ("good", "bad"):
            draw_mark(surface, (panel.x + 80, panel.centery), 40, fb.tone == "good")
        text.draw(surface, fb.verdict, verdict_size, color, topleft=(x, y), weight="bold")
        y += round(verdict_size * 1.3)
        for line in sign_lines:
            text.draw(surface, line, size, theme.TEXT, topleft=(x, y))
            y += line_h
