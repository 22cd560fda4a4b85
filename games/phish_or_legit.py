"""Phish or Legit? / 真定呃?: is this text, link, call or QR poster a scam, or safe?

One card at a time slides into the middle of the screen: a phone-style text message,
WhatsApp chat, e-mail, app notification or incoming call, a browser's address bar, or a
poster with a QR code and a link under it. The visitor swipes the card left (scam) or right
(safe), or taps the big "Scam" and "Safe" buttons either side of it. Every answer shows the
verdict and the card's telltale sign in one short line under the card, and outlines the part
of the card that gives it away. A card not answered within its reading time is missed.

Score (0–100, same meaning at every difficulty)::

    score = 100 × correct ÷ shown,   shown = correct + wrong + missed

A card still being read when the round ends is not held against the visitor (it is
``unresolved``), and one that ran out of time is a miss, so waiting never helps. Scam and
safe cards are dealt near 50/50 (never more than ``max_imbalance`` apart), so a visitor who
taps one button all the time scores about 50: the mid point, below a typical first-timer.

Cards (with both languages, the answer and the sign), the pace per difficulty and the
score thresholds live in ``assets/games/phish_or_legit.toml``; no visitor-facing words are
in this file. Children get fewer, slower, simpler cards; seniors get larger text, more
reading time and buttons only (a drag never answers for them). The QR codes on posters are
look-alike patterns that no phone can open, so nobody at the booth scans a scam address.

Public state for bots and tests: ``phase`` (enter | ask | reveal | leave | wait),
``card`` (:class:`LiveCard` with ``spec``, ``uid`` and ``rect``), ``buttons`` (answer →
``pygame.Rect``), ``swipe_enabled``, the counters ``correct``/``wrong``/``missed`` and
``feedback`` (the verdict and sign currently shown).
"""

from __future__ import annotations

import logging
import math
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pygame

from games.base import Bot, Game, GameContext, GameResult, GameSpec, level_for, rgb
from games.kit.gamebar import Chip, draw_top_bar, mark_icon, tone_colour
from kiosk.input import PointerEvent
from kiosk.ui import theme, typeset
from kiosk.ui.blend import ease, mix, shade
from kiosk.ui.shapes import CARD_FILL, SHADOW, draw_mark
from kiosk.ui.text import TextRenderer

log = logging.getLogger(__name__)

RGB = tuple[int, int, int]

SCAM, SAFE = "scam", "safe"
ANSWERS: tuple[str, ...] = (SCAM, SAFE)
KINDS: tuple[str, ...] = ("sms", "whatsapp", "email", "app", "call", "url", "poster")
CLUES: tuple[str, ...] = ("sender", "subject", "body", "link", "note", "qr")

MARGIN = 40
CARD_TOP = 136
TIMER_GAP = 16  # between the card and its reading-time bar
TIMER_H = 12
BANNER_BOTTOM = 1060
BUTTON_GAP = 56  # between a button and the card

SWIPE_PX = 220  # a drag this far left or right answers
FLICK_PX = 90  # …or this far, if the finger was still moving fast when it lifted
FLICK_SPEED = 1100.0  # px/s
MAX_DRAG = 760
LEAVE_S = 0.32
PULSE_HZ = 1.6

LINK: RGB = (0, 82, 204)
PAPER = CARD_FILL
MUTED_INK: RGB = (84, 92, 110)  # small print on white cards (≥ 4.5:1 on white and PAPER)


# --------------------------------------------------------------------------- content


def _loc(value: Any) -> dict[str, str]:
    """A content value as ``{lang: text}``: a plain string serves every language."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return {"*": str(value)}


def _in(values: dict[str, str], lang: str) -> str:
    return values.get(lang) or values.get("*") or values.get("en") or ""


@dataclass(frozen=True)
class CardSpec:
    id: str
    kind: str
    answer: str  # "scam" | "safe"
    sign: dict[str, str]  # the telltale sign, one short line per language
    child: bool = False
    sender: dict[str, str] = field(default_factory=dict)
    subject: dict[str, str] = field(default_factory=dict)
    body: dict[str, str] = field(default_factory=dict)
    note: dict[str, str] = field(default_factory=dict)
    link: str = ""
    clue: str = ""
    brand: RGB | None = None
    fields: bool = False
    sticker: bool = False

    def text(self, name: str, lang: str) -> str:
        return _in(getattr(self, name), lang)

    def sign_in(self, lang: str) -> str:
        return _in(self.sign, lang)


def load_cards(content: dict[str, Any]) -> list[CardSpec]:
    cards = []
    for raw in content.get("cards", []):
        kind, answer = raw.get("kind"), raw.get("answer")
        if kind not in KINDS or answer not in ANSWERS or "id" not in raw:
            # A content typo must not crash a visitor's game (a test catches it).
            log.error(
                "phish_or_legit: card %r skipped (kind %r, answer %r)", raw.get("id"), kind, answer
            )
            continue
        cards.append(
            CardSpec(
                id=str(raw["id"]),
                kind=kind,
                answer=answer,
                sign=_loc(raw.get("sign")),
                child=bool(raw.get("child", False)),
                sender=_loc(raw.get("sender")),
                subject=_loc(raw.get("subject")),
                body=_loc(raw.get("body")),
                note=_loc(raw.get("note")),
                link=str(raw.get("link", "")),
                clue=str(raw.get("clue", "")),
                brand=rgb(raw.get("brand"), None),
                fields=bool(raw.get("fields", False)),
                sticker=bool(raw.get("sticker", False)),
            )
        )
    return cards


@dataclass(frozen=True)
class Pace:
    duration_s: float = 60.0
    read_s: float = 10.0  # a card not answered within this long is missed
    right_s: float = 1.6  # the verdict stays this long after a right answer
    wrong_s: float = 3.2  # …and this long after a wrong or missed one
    enter_s: float = 0.35
    child_only: bool = False
    swipe: bool = True
    body_size: int = 36
    min_size: int = 28
    sign_size: int = 38
    button_size: int = 64
    card_w: int = 880
    card_h: int = 620


def load_pace(content: dict[str, Any], difficulty: str) -> Pace:
    return level_for(Pace, content, difficulty)


class Deck:
    """Deals scam and safe cards near 50/50 in a seeded, unpredictable order.

    The running difference between scam and safe cards dealt never exceeds
    ``max_imbalance`` (2), so a visitor who taps one button all the time gets about half
    right: at most 55 % of 13 or more cards. Inside that band the side that is behind is
    twice as likely. Any such balance makes the next card a little predictable (answering
    the opposite of the last verdict gets about 62 %), which is still below a visitor who
    reads the cards. Each side is a shuffled pile, reshuffled when empty without repeating
    its last card at once.
    """

    def __init__(self, rng: random.Random, cards: list[CardSpec], max_imbalance: int = 2) -> None:
        self.rng = rng
        self.sources = {a: [c for c in cards if c.answer == a] for a in ANSWERS}
        self.piles: dict[str, list[CardSpec]] = {a: [] for a in ANSWERS}
        self.dealt = {a: 0 for a in ANSWERS}
        self.max_imbalance = max(1, max_imbalance)
        self._last: dict[str, str] = {}

    def next_side(self) -> str:
        if not self.sources[SAFE]:
            return SCAM
        if not self.sources[SCAM]:
            return SAFE
        diff = self.dealt[SCAM] - self.dealt[SAFE]
        if diff >= self.max_imbalance:
            return SAFE
        if diff <= -self.max_imbalance:
            return SCAM
        p_scam = 0.5 - 0.5 * diff / (self.max_imbalance + 1)
        return SCAM if self.rng.random() < p_scam else SAFE

    def draw(self) -> CardSpec:
        side = self.next_side()
        pile = self.piles[side]
        if not pile:
            pile.extend(self.sources[side])
            self.rng.shuffle(pile)
            if len(pile) > 1 and pile[-1].id == self._last.get(side):
                pile.insert(0, pile.pop())
        spec = pile.pop()
        self._last[side] = spec.id
        self.dealt[side] += 1
        return spec


# --------------------------------------------------------------------------- state


@dataclass
class LiveCard:
    """The card on screen. ``dx``/``dy`` offset it from its resting place."""

    uid: int
    spec: CardSpec
    surface: pygame.Surface
    regions: dict[str, pygame.Rect]  # clue name → area on the card (card coordinates)
    home: pygame.Rect  # where it rests on screen
    ask_t: float = 0.0  # seconds it has been answerable
    dx: float = 0.0
    dy: float = 0.0
    alpha: int = 255
    choice: str | None = None  # what the visitor answered (None: missed or not yet)
    good: bool = False

    @property
    def rect(self) -> pygame.Rect:
        return self.home.move(round(self.dx), round(self.dy))


@dataclass
class Feedback:
    verdict: str
    sign: str
    tone: str  # "good" | "bad" | "info"
    shown: float = 0.0
    layout: tuple[int, list[str]] | None = None  # sign size and lines, wrapped once


@dataclass
class _Drag:
    pointer: int
    start_x: float
    x: float
    t: float = 0.0
    speed: float = 0.0  # px/s, signed, smoothed


# --------------------------------------------------------------------------- the game


class PhishOrLegit(Game):
    MID_FROM = 60  # a one-button visitor (~50) gets the basics lesson

    def __init__(self, ctx: GameContext) -> None:
        super().__init__(ctx)
        content = ctx.content
        self.pace = load_pace(content, ctx.difficulty)
        self.duration_s = self.pace.duration_s
        play = content.get("play", {})
        self.no_deal_last_s = float(play.get("no_deal_last_s", 1.5))

        self.rng = random.Random(ctx.seed)
        cards = load_cards(content)
        if self.pace.child_only:
            simple = [c for c in cards if c.child]
            if {c.answer for c in simple} == set(ANSWERS):
                cards = simple
        self.deck = Deck(self.rng, cards, int(play.get("max_imbalance", 2)))
        self.swipe_enabled = self.pace.swipe

        w = ctx.size[0]
        p = self.pace
        self.card_home = pygame.Rect((w - p.card_w) // 2, CARD_TOP, p.card_w, p.card_h)
        bw = self.card_home.left - MARGIN - BUTTON_GAP
        bh = min(p.card_h - 80, 520)
        self.buttons: dict[str, pygame.Rect] = {
            SCAM: pygame.Rect(MARGIN, 0, bw, bh),
            SAFE: pygame.Rect(w - MARGIN - bw, 0, bw, bh),
        }
        for rect in self.buttons.values():
            rect.centery = self.card_home.centery
        self.timer_rect = pygame.Rect(
            self.card_home.x, self.card_home.bottom + TIMER_GAP, p.card_w, TIMER_H
        )
        banner_top = self.timer_rect.bottom + 20
        self.banner_rect = pygame.Rect(
            MARGIN, banner_top, w - 2 * MARGIN, BANNER_BOTTOM - banner_top
        )

        self.phase = "wait"
        self.phase_t = 0.0
        self.card: LiveCard | None = None
        self._uid = 0
        self.correct = 0
        self.wrong = 0
        self.missed = 0
        self.unresolved = 0
        self.shown_by_answer = {a: 0 for a in ANSWERS}
        self.chosen = {a: 0 for a in ANSWERS}
        self.swipes = 0
        self.taps = 0
        self.mistakes: list[str] = []
        self.feedback: Feedback | None = None
        self._drag: _Drag | None = None
        self._pressed: dict[int, tuple[str, int]] = {}  # pointer → (answer, card uid)
        self._bg: pygame.Surface | None = None
        self._hint: tuple[str, list[str]] | None = None
        self._deal()

    # -- public queries ---------------------------------------------------------------

    @property
    def shown(self) -> int:
        return self.correct + self.wrong + self.missed

    def score(self) -> int:
        return round(100 * self.correct / self.shown) if self.shown else 0

    @property
    def accepting(self) -> bool:
        """Whether an answer given now would count (the card is in place and readable)."""
        return not self.finished and self.card is not None and self.phase == "ask"

    def button_at(self, x: float, y: float) -> str | None:
        for answer, rect in self.buttons.items():
            if rect.collidepoint(x, y):
                return answer
        return None

    # -- input ------------------------------------------------------------------------

    def handle(self, event: PointerEvent) -> None:
        if self.finished:
            return
        if event.kind == "down":
            self._forget(event.pointer)  # its "up" got lost: start afresh
            answer = self.button_at(event.x, event.y)
            if answer is not None:
                if self.card is not None and self.phase in ("enter", "ask"):
                    self._pressed[event.pointer] = (answer, self.card.uid)
                    self.cue("tap")
                return
            card = self.card
            if (
                self.swipe_enabled
                and self.accepting
                and self._drag is None
                and card is not None
                and card.rect.collidepoint(event.x, event.y)
            ):
                self._drag = _Drag(event.pointer, event.x - card.dx, event.x)
        elif event.kind == "move":
            drag = self._drag
            if drag is not None and drag.pointer == event.pointer and self.card is not None:
                step = event.x - drag.x
                if drag.t > 0:
                    drag.speed = 0.5 * drag.speed + 0.5 * step / max(drag.t, 1 / 240)
                drag.x, drag.t = event.x, 0.0
                self.card.dx = max(-MAX_DRAG, min(MAX_DRAG, event.x - drag.start_x))
        elif event.kind == "up":
            pressed = self._pressed.pop(event.pointer, None)
            if pressed is not None:
                answer, uid = pressed
                if (
                    self.accepting
                    and self.card is not None
                    and self.card.uid == uid
                    and self.button_at(event.x, event.y) == answer
                ):
                    self.taps += 1
                    self._answer(answer)
                return
            drag = self._drag
            if drag is not None and drag.pointer == event.pointer:
                self._drag = None
                if self.card is None or not self.accepting:
                    return
                dx = max(-MAX_DRAG, min(MAX_DRAG, event.x - drag.start_x))
                fast = abs(drag.speed) >= FLICK_SPEED and (drag.speed > 0) == (dx > 0)
                if abs(dx) >= SWIPE_PX or (abs(dx) >= FLICK_PX and fast):
                    self.card.dx = dx
                    self.swipes += 1
                    self._answer(SAFE if dx > 0 else SCAM)
                # otherwise the card springs back (see update)

    def _forget(self, pointer: int) -> None:
        self._pressed.pop(pointer, None)
        if self._drag is not None and self._drag.pointer == pointer:
            self._drag = None

    # -- rules ------------------------------------------------------------------------

    def _answer(self, choice: str) -> None:
        card = self.card
        assert card is not None
        truth = card.spec.answer
        card.choice = choice
        card.good = choice == truth
        self.chosen[choice] += 1
        self.shown_by_answer[truth] += 1
        if card.good:
            self.correct += 1
            self.cue("good")
        else:
            self.wrong += 1
            self.mistakes.append(card.spec.id)
            self.cue("bad")
        key = f"{'right' if card.good else 'wrong'}_{truth}"
        self._show(key, card, "good" if card.good else "bad")
        self._end_card()

    def _miss(self) -> None:
        card = self.card
        assert card is not None
        card.choice, card.good = None, False
        self.missed += 1
        self.shown_by_answer[card.spec.answer] += 1
        self.mistakes.append(card.spec.id)
        self.cue("bad")
        self._show(f"missed_{card.spec.answer}", card, "bad")
        self._end_card()

    def _show(self, key: str, card: LiveCard, tone: str) -> None:
        self.feedback = Feedback(self.ctx.tr(key), card.spec.sign_in(self.ctx.lang), tone)

    def _end_card(self) -> None:
        self._drag = None
        self._pressed.clear()
        self.phase, self.phase_t = "reveal", 0.0

    def _deal(self) -> None:
        self.card = None
        if self.time_left <= self.no_deal_last_s or not any(self.deck.sources.values()):
            self.phase, self.phase_t = "wait", 0.0
            return
        spec = self.deck.draw()
        surface, regions = render_card(self.ctx, spec, self.pace)
        self._uid += 1
        self.card = LiveCard(
            self._uid, spec, surface, regions, self.card_home.copy(), dy=70.0, alpha=0
        )
        self.phase, self.phase_t = "enter", 0.0

    # -- time -------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        if self.finished:
            return
        dt = min(max(dt, 0.0), 0.25)
        self.elapsed += dt
        self.phase_t += dt
        p = self.pace
        card = self.card
        if self._drag is not None:
            self._drag.t += dt
        if self.feedback is not None:
            self.feedback.shown += dt

        if card is not None:
            if self.phase == "enter":
                f = ease(self.phase_t / max(p.enter_s, 1e-3))
                card.dy, card.alpha = 70.0 * (1 - f), round(255 * f)
                if self.phase_t >= p.enter_s:
                    card.dy, card.alpha = 0.0, 255
                    self.phase, self.phase_t = "ask", 0.0
            elif self.phase == "ask":
                card.ask_t += dt
                if self._drag is None:
                    card.dx *= math.exp(-14 * dt)  # spring back after a short drag
                if card.ask_t >= p.read_s:
                    self._miss()
            elif self.phase == "reveal":
                card.dx *= math.exp(-12 * dt)
                hold = p.right_s if card.good else p.wrong_s
                if self.phase_t >= hold:
                    self.phase, self.phase_t = "leave", 0.0
                    card.dx = 0.0
            elif self.phase == "leave":
                f = ease(self.phase_t / LEAVE_S)
                if card.choice is None:  # missed: it drops away
                    card.dy = 160 * f
                else:
                    card.dx = (1 if card.choice == SAFE else -1) * 1300 * f
                card.alpha = round(255 * (1 - f))
                if self.phase_t >= LEAVE_S:
                    self._deal()

        if self.elapsed >= p.duration_s:
            self._finish()

    def _finish(self) -> None:
        self.finished = True
        if self.card is not None and self.phase in ("enter", "ask"):
            self.unresolved += 1  # still being read: not held against the visitor
        self._drag = None
        self._pressed.clear()
        self.feedback = Feedback(self.ctx.tr("times_up"), "", "info")

    def result(self) -> GameResult:
        return self.graded(
            correct=self.correct,
            wrong=self.wrong,
            missed=self.missed,
            shown=self.shown,
            unresolved=self.unresolved,
            scam_shown=self.shown_by_answer[SCAM],
            safe_shown=self.shown_by_answer[SAFE],
            answered_scam=self.chosen[SCAM],
            answered_safe=self.chosen[SAFE],
            swipes=self.swipes,
            taps=self.taps,
            mistakes=self.mistakes[:30],
        )

    # -- drawing ----------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        surface.blit(self._background(), (0, 0))
        self._draw_top_bar(surface)
        for answer in ANSWERS:
            self._draw_button(surface, answer)
        self._draw_timer(surface)
        self._draw_card(surface)
        self._draw_banner(surface)

    def _background(self) -> pygame.Surface:
        if self._bg is None or self._bg.get_size() != self.ctx.size:
            w, h = self.ctx.size
            bg = pygame.Surface((w, h))
            bg.fill(theme.BACKGROUND)
            rng = random.Random(9)  # fixed decoration, not the game's randomness
            for _ in range(60):
                x, y = rng.randrange(0, w), rng.randrange(120, h)
                pygame.draw.circle(bg, theme.NAVY_LIGHT, (x, y), rng.choice((2, 3, 4)))
            self._bg = bg
        return self._bg

    def _draw_top_bar(self, surface: pygame.Surface) -> None:
        chip = Chip(self.ctx.tr("tally", correct=self.correct, total=self.shown), mark_icon)
        draw_top_bar(surface, self.ctx, self.time_left, self.pace.duration_s, self.finished, [chip])

    def _draw_button(self, surface: pygame.Surface, answer: str) -> None:
        text, tr = self.ctx.text, self.ctx.tr
        rect = self.buttons[answer]
        pressed = any(a == answer for a, _ in self._pressed.values())
        lean = 0.0
        if self._drag is not None and self.card is not None:
            lean = max(0.0, min(1.0, (-1 if answer == SCAM else 1) * self.card.dx / SWIPE_PX))
        fill = theme.BAD if answer == SCAM else theme.GOOD
        ink = theme.INK
        if not self.accepting and not pressed:  # nothing to answer just now: dimmed
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
            _draw_warning(surface, centre, icon, ink, fill)
        else:
            _draw_shield_tick(surface, centre, icon, ink, fill)
        label = tr(f"btn_{answer}")
        size = typeset.fit_size(text, label, self.pace.button_size, r.w - 30, 36)
        text.draw(surface, label, size, ink, center=(r.centerx, r.y + r.h * 0.7), weight="bold")
        if self.swipe_enabled:
            text.draw(
                surface,
                tr("swipe_left" if answer == SCAM else "swipe_right"),
                theme.SMALL,
                ink,
                center=(r.centerx, r.bottom - 34),
            )

    def _draw_card(self, surface: pygame.Surface) -> None:
        card = self.card
        if card is None:
            return
        rect = card.rect
        if card.alpha >= 255:
            pygame.draw.rect(surface, SHADOW, rect.move(8, 14), border_radius=CARD_RADIUS)
            card.surface.set_alpha(None)
            surface.blit(card.surface, rect)
        elif card.alpha > 0:
            card.surface.set_alpha(card.alpha)  # fading in or out; no copy per frame
            surface.blit(card.surface, rect)
        if self.phase == "ask" and abs(card.dx) > 8:
            f = min(1.0, abs(card.dx) / SWIPE_PX)
            side = SAFE if card.dx > 0 else SCAM
            color = theme.GOOD if side == SAFE else theme.BAD
            pygame.draw.rect(
                surface, color, rect, width=round(4 + 10 * f), border_radius=CARD_RADIUS
            )
            if f > 0.3:
                self._stamp(surface, rect, side)
        if self.phase == "reveal":
            clue = card.regions.get(card.spec.clue)
            if clue is not None:
                pulse = 0.5 + 0.5 * math.sin(self.phase_t * 2 * math.pi * PULSE_HZ)
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

    def _draw_timer(self, surface: pygame.Surface) -> None:
        track = self.timer_rect
        pygame.draw.rect(surface, theme.CARD, track, border_radius=TIMER_H // 2)
        card = self.card
        if card is None or self.phase not in ("enter", "ask"):
            return
        left = max(0.0, 1.0 - card.ask_t / self.pace.read_s)
        bar = track.copy()
        bar.width = max(TIMER_H, round(track.width * left))
        bar.centerx = track.centerx  # drains from both ends towards the middle
        late = self.pace.read_s - card.ask_t <= 3.0
        pygame.draw.rect(surface, theme.BAD if late else theme.SUN, bar, border_radius=TIMER_H // 2)

    def _draw_banner(self, surface: pygame.Surface) -> None:
        text, tr = self.ctx.text, self.ctx.tr
        panel = self.banner_rect
        pygame.draw.rect(surface, theme.CARD, panel, border_radius=theme.RADIUS)
        fb = self.feedback
        width = panel.w - 220
        if fb is None:
            hint = tr("hint" if self.swipe_enabled else "hint_tap")
            size = self.pace.sign_size
            if self._hint is None or self._hint[0] != hint:
                self._hint = (hint, _wrap(text, hint, size, width))
            lines = self._hint[1]
            y = panel.centery - len(lines) * size * 0.68
            for line in lines:
                text.draw(
                    surface, line, size, theme.TEXT_MUTED, center=(panel.centerx, y + size * 0.68)
                )
                y += size * 1.36
            return
        color = tone_colour(fb.tone)
        verdict_size = self.pace.sign_size + 6
        if fb.layout is None:
            fb.layout = (
                fit_lines(text, fb.sign, self.pace.sign_size, width, 2)
                if fb.sign
                else (self.pace.sign_size, [])
            )
        sign_size, sign_lines = fb.layout
        line_h = round(sign_size * 1.3)
        block_h = round(verdict_size * 1.3) + line_h * len(sign_lines)
        y = panel.centery - block_h / 2
        x = panel.x + 150
        if fb.tone in ("good", "bad"):
            draw_mark(surface, (panel.x + 80, panel.centery), 40, fb.tone == "good")
        text.draw(surface, fb.verdict, verdict_size, color, topleft=(x, y), weight="bold")
        y += round(verdict_size * 1.3)
        for line in sign_lines:
            text.draw(surface, line, sign_size, theme.TEXT, topleft=(x, y))
            y += line_h


# --------------------------------------------------------------------------- the bot


class PhishBot(Bot):
    """Plays through pointer events only: read the card, then tap a button or swipe.

    ``skill`` sets the reading time (about 1 s at skill 1, 4 s at skill 0) and the chance of
    the right answer (10 % at skill 0, 100 % at skill 1). It swipes about half the time
    where swiping is on, and otherwise taps the button.
    """

    POINTER = 103

    def __init__(self, game: Game, rng: random.Random, skill: float) -> None:
        super().__init__(game, rng, max(0.0, min(1.0, skill)))
        self.t = 0.0
        self.queue: list[tuple[float, PointerEvent]] = []
        self.reading: int | None = None  # uid of the card being read
        self.ready_at = 0.0
        self.done: int | None = None  # uid of the card already answered

    def step(self, dt: float) -> list[PointerEvent]:
        game = self.game
        assert isinstance(game, PhishOrLegit)
        if game.finished:
            return []
        self.t += dt
        out: list[PointerEvent] = []
        while self.queue and self.queue[0][0] <= self.t:
            out.append(self.queue.pop(0)[1])
        if self.queue:
            return out
        card = game.card
        if card is None or card.uid == self.done or game.phase not in ("enter", "ask"):
            return out
        if self.reading != card.uid:
            self.reading = card.uid
            base = 1.0 + 3.0 * (1.0 - self.skill)
            self.ready_at = self.t + base * self.rng.uniform(0.8, 1.25)
        if self.t < self.ready_at or game.phase != "ask":
            return out
        self.done = card.uid
        truth = card.spec.answer
        right = self.rng.random() < 0.1 + 0.9 * self.skill
        choice = truth if right else (SAFE if truth == SCAM else SCAM)
        if game.swipe_enabled and self.rng.random() < 0.5:
            self._plan_swipe(card.rect, choice)
        else:
            self._plan_tap(game.buttons[choice])
        while self.queue and self.queue[0][0] <= self.t:
            out.append(self.queue.pop(0)[1])
        return out

    def _plan_tap(self, rect: pygame.Rect) -> None:
        x = rect.centerx + self.rng.uniform(-0.3, 0.3) * rect.w
        y = rect.centery + self.rng.uniform(-0.3, 0.3) * rect.h
        self.queue = [
            (self.t, PointerEvent("down", x, y, self.POINTER)),
            (self.t + 0.09, PointerEvent("up", x, y, self.POINTER)),
        ]

    def _plan_swipe(self, rect: pygame.Rect, choice: str) -> None:
        x0 = rect.centerx + self.rng.uniform(-0.2, 0.2) * rect.w
        y0 = rect.centery + self.rng.uniform(-0.2, 0.2) * rect.h
        dist = (1 if choice == SAFE else -1) * self.rng.uniform(SWIPE_PX + 60, SWIPE_PX + 260)
        travel = self.rng.uniform(0.2, 0.35)
        self.queue = [(self.t, PointerEvent("down", x0, y0, self.POINTER))]
        for k in range(1, 7):
            f = k / 6
            self.queue.append(
                (self.t + travel * f, PointerEvent("move", x0 + dist * ease(f), y0, self.POINTER))
            )
        self.queue.append((self.t + travel + 0.02, PointerEvent("up", x0 + dist, y0, self.POINTER)))


# --------------------------------------------------------------------------- card rendering

CARD_RADIUS = 34
STATUS_H = 40
PAD = 28


class _Painter:
    """Draws onto a card, or only measures when there is no surface (fitting text sizes)."""

    def __init__(self, text: TextRenderer, surface: pygame.Surface | None) -> None:
        self.text = text
        self.surface = surface

    def rect(self, color: Any, rect: pygame.Rect, width: int = 0, radius: int = 0) -> None:
        if self.surface is not None:
            pygame.draw.rect(self.surface, color, rect, width, border_radius=radius)

    def circle(
        self, color: Any, centre: tuple[float, float], radius: float, width: int = 0
    ) -> None:
        if self.surface is not None:
            pygame.draw.circle(self.surface, color, centre, radius, width)

    def polygon(self, color: Any, points: list[tuple[float, float]], width: int = 0) -> None:
        if self.surface is not None:
            pygame.draw.polygon(self.surface, color, points, width)

    def line(
        self, color: Any, a: tuple[float, float], b: tuple[float, float], width: int = 1
    ) -> None:
        if self.surface is not None:
            pygame.draw.line(self.surface, color, a, b, width)

    def call(self, fn: Callable[..., None], *args: Any) -> None:
        if self.surface is not None:
            fn(self.surface, *args)

    def lines(
        self,
        lines: list[str],
        size: int,
        color: RGB,
        x: float,
        y: float,
        *,
        weight: str = "regular",
        align: str = "left",
        width: int = 0,
        underline: bool = False,
        gap: float = 1.3,
    ) -> pygame.Rect:
        """Draw lines from (x, y) (align centre: x is the middle); returns the area used."""
        font = self.text.font(size, weight)
        line_h = round(size * gap)
        area: pygame.Rect | None = None
        for k, line in enumerate(lines):
            w_px = font.size(line)[0]
            left = x - w_px / 2 if align == "center" else x
            r = pygame.Rect(round(left), round(y + k * line_h), w_px, line_h)
            if self.surface is not None and line:
                surf = self.text.render(line, size, color, weight)
                self.surface.blit(surf, surf.get_rect(midleft=(r.x, r.centery)))
                if underline:
                    uy = r.centery + round(size * 0.62)
                    pygame.draw.line(
                        self.surface, color, (r.x, uy), (r.right, uy), max(2, size // 16)
                    )
            area = r if area is None else area.union(r)
        return area or pygame.Rect(round(x), round(y), 0, 0)


NO_LINE_START = "，。、；：！？）」』》〉】"


def _wrap(
    text: TextRenderer, value: str, size: int, width: int, weight: str = "regular"
) -> list[str]:
    """Word wrap, keeping Chinese punctuation off the start of a line.

    Chinese text is wrapped one character narrower than ``width`` so that a comma or full
    stop that would start a line can hang at the end of the line before instead.
    """
    if not any(ord(ch) >= 0x2E80 for ch in value):
        return text.wrap(value, size, width, weight)
    lines = text.wrap(value, size, max(size, width - size), weight)
    out: list[str] = []
    for line in lines:
        while out and line and line[0] in NO_LINE_START:
            out[-1] += line[0]
            line = line[1:]
        if line or not out:
            out.append(line)
    return out


def wrap_chars(
    text: TextRenderer, value: str, size: int, width: int, weight: str = "regular"
) -> list[str]:
    """Break a web address anywhere (it has no spaces), preferring after / . - ?"""
    font = text.font(size, weight)
    lines: list[str] = []
    line = ""
    for ch in value:
        if line and font.size(line + ch)[0] > width:
            cut = max(line.rfind(c) for c in "/.-?")
            if cut >= len(line) // 2:
                lines.append(line[: cut + 1])
                line = line[cut + 1 :]
            else:
                lines.append(line)
                line = ""
        line += ch
    if line or not lines:
        lines.append(line)
    return lines


def fit_lines(
    text: TextRenderer,
    value: str,
    size: int,
    width: int,
    max_lines: int,
    weight: str = "regular",
    floor: int = 24,
) -> tuple[int, list[str]]:
    """The largest size (down to ``floor``) at which ``value`` wraps into ``max_lines``,
    wrapped as :func:`_wrap` does (no Chinese line starts with punctuation)."""

    def wrap(v: str, s: int, w: int, wt: str) -> list[str]:
        return _wrap(text, v, s, w, wt)

    return typeset.fit_lines(text, value, size, width, max_lines, weight, floor, wrap)


def _on(color: RGB) -> RGB:
    """White or ink, whichever reads better on ``color``."""
    white = theme.contrast_ratio(theme.WHITE, color)
    ink = theme.contrast_ratio(theme.INK, color)
    return theme.WHITE if white >= ink else theme.INK


def _status_bar(p: _Painter, w: int, color: RGB, bg: RGB | None) -> None:
    if bg is not None:
        p.rect(bg, pygame.Rect(0, 0, w, STATUS_H + CARD_RADIUS), radius=CARD_RADIUS)
        p.rect(bg, pygame.Rect(0, CARD_RADIUS, w, STATUS_H - CARD_RADIUS + 2))
    p.lines(["10:32"], 22, color, PAD + 12, 4, weight="bold")
    x = w - PAD - 120
    for k in range(4):  # signal bars
        h = 6 + 4 * k
        p.rect(color, pygame.Rect(x + k * 9, 30 - h, 6, h))
    p.rect(color, pygame.Rect(w - PAD - 64, 12, 40, 18), width=2, radius=4)
    p.rect(color, pygame.Rect(w - PAD - 60, 16, 26, 10))
    p.rect(color, pygame.Rect(w - PAD - 23, 17, 4, 8))


def _chat(
    p: _Painter,
    spec: CardSpec,
    lang: str,
    tr: Callable[..., str],
    w: int,
    h: int,
    s: int,
    whatsapp: bool,
) -> tuple[dict[str, pygame.Rect], bool]:
    """SMS and WhatsApp: a header with the sender, one incoming bubble with the link."""
    regions: dict[str, pygame.Rect] = {}
    if whatsapp:
        bg, head, head_ink, sub_ink = (236, 229, 221), (0, 94, 84), theme.WHITE, (214, 236, 230)
        bubble = (255, 255, 255)
    else:
        bg, head, head_ink, sub_ink = (255, 255, 255), (242, 242, 246), theme.INK, MUTED_INK
        bubble = (229, 230, 236)
    p.rect(bg, pygame.Rect(0, 0, w, h), radius=CARD_RADIUS)
    head_h = STATUS_H + round(s * 2.5)
    p.rect(head, pygame.Rect(0, 0, w, head_h), radius=CARD_RADIUS)
    p.rect(head, pygame.Rect(0, head_h - CARD_RADIUS, w, CARD_RADIUS))
    _status_bar(p, w, head_ink, None)
    cy = STATUS_H + (head_h - STATUS_H) // 2
    p.polygon(head_ink, [(PAD + 18, cy - 14), (PAD + 4, cy), (PAD + 18, cy + 14)], 4)
    r = round(s * 0.85)
    ax = PAD + 40 + r
    p.circle(shade(head, 0.8) if whatsapp else (190, 194, 204), (ax, cy), r)
    p.circle(head_ink if whatsapp else theme.WHITE, (ax, cy - r * 0.25), r * 0.34)
    p.rect(
        head_ink if whatsapp else theme.WHITE,
        pygame.Rect(ax - r * 0.55, cy + r * 0.2, r * 1.1, r * 0.5),
        radius=round(r * 0.3),
    )
    x = ax + r + 22
    name_w = w - x - PAD
    sender = spec.text("sender", lang)
    ns, lines = fit_lines(p.text, sender, s, name_w, 1, "bold", floor=s - 10)
    regions["sender"] = p.lines(lines[:1], ns, head_ink, x, cy - s * 1.25, weight="bold")
    p.lines(
        [tr("kind_whatsapp" if whatsapp else "kind_sms")], round(s * 0.7), sub_ink, x, cy + s * 0.12
    )
    # The message bubble.
    bp = round(s * 0.55)
    max_w = w - 2 * PAD - 80 - 2 * bp
    body = _wrap(p.text, spec.text("body", lang), s, max_w)
    link = wrap_chars(p.text, spec.link, s, max_w) if spec.link else []
    font = p.text.font(s)
    line_h = round(s * 1.3)
    inner_w = max([font.size(ln)[0] for ln in body + link] or [0])
    top = head_h + round(s * 0.9)
    box = pygame.Rect(
        PAD, top, inner_w + 2 * bp, (len(body) + len(link)) * line_h + 2 * bp + round(s * 0.8)
    )
    p.rect(bubble, box, radius=22)
    p.polygon(bubble, [(box.x, box.y + 6), (box.x - 14, box.y), (box.x + 20, box.y)])
    regions["body"] = p.lines(body, s, theme.INK, box.x + bp, box.y + bp)
    if link:
        regions["link"] = p.lines(
            link, s, LINK, box.x + bp, box.y + bp + len(body) * line_h, underline=True
        )
    p.lines([tr("now")], round(s * 0.62), MUTED_INK, box.x + bp, box.bottom - bp - round(s * 0.7))
    bar = pygame.Rect(PAD, h - 78, w - 2 * PAD, 54)
    p.rect((255, 255, 255) if whatsapp else (242, 242, 246), bar, radius=27)
    p.rect((205, 208, 216), bar, width=2, radius=27)
    return regions, box.bottom + 20 <= bar.y


def _email(
    p: _Painter, spec: CardSpec, lang: str, tr: Callable[..., str], w: int, h: int, s: int
) -> tuple[dict[str, pygame.Rect], bool]:
    regions: dict[str, pygame.Rect] = {}
    p.rect((255, 255, 255), pygame.Rect(0, 0, w, h), radius=CARD_RADIUS)
    _status_bar(p, w, theme.INK, (242, 242, 246))
    y = STATUS_H + 14
    # Kind row: an envelope and the word "Email".
    ks = round(s * 0.7)
    env = pygame.Rect(PAD, y + 4, round(ks * 1.5), ks)
    p.rect(LINK, env, width=3, radius=4)
    p.line(LINK, env.topleft, env.center, 3)
    p.line(LINK, env.topright, env.center, 3)
    p.lines([tr("kind_email")], ks, MUTED_INK, env.right + 14, y - ks * 0.1)
    y += round(ks * 1.6)
    inner = w - 2 * PAD
    fs = round(s * 0.78)
    label = tr("email_from")
    lw = p.text.font(fs).size(label + " ")[0]
    sender = (
        wrap_chars(p.text, spec.text("sender", lang), fs, inner - lw, "bold")
        if " " not in spec.text("sender", lang)
        else _wrap(p.text, spec.text("sender", lang), fs, inner - lw, "bold")
    )
    p.lines([label], fs, MUTED_INK, PAD, y)
    regions["sender"] = p.lines(sender, fs, theme.INK, PAD + lw, y, weight="bold")
    y = regions["sender"].bottom + round(s * 0.4)
    subject = _wrap(p.text, spec.text("subject", lang), s, inner, "bold")
    regions["subject"] = p.lines(subject, s, theme.INK, PAD, y, weight="bold")
    y = regions["subject"].bottom + round(s * 0.35)
    p.line((220, 222, 230), (PAD, y), (w - PAD, y), 2)
    y += round(s * 0.45)
    bs = round(s * 0.92)
    body = _wrap(p.text, spec.text("body", lang), bs, inner)
    regions["body"] = p.lines(body, bs, theme.INK, PAD, y)
    y = regions["body"].bottom + round(s * 0.3)
    if spec.link:
        link = wrap_chars(p.text, spec.link, bs, inner)
        regions["link"] = p.lines(link, bs, LINK, PAD, y, underline=True)
        y = regions["link"].bottom
    return regions, y + PAD <= h


def _app(
    p: _Painter, spec: CardSpec, lang: str, tr: Callable[..., str], w: int, h: int, s: int
) -> tuple[dict[str, pygame.Rect], bool]:
    """A lock screen with one notification from an installed app."""
    regions: dict[str, pygame.Rect] = {}
    brand = spec.brand or (40, 60, 110)
    wall_top, wall_bottom = shade(brand, 0.55), (22, 28, 52)
    if p.surface is not None:
        for k in range(0, h, 8):
            f = k / h
            c = tuple(round(wall_top[i] + (wall_bottom[i] - wall_top[i]) * f) for i in range(3))
            pygame.draw.rect(p.surface, c, pygame.Rect(0, k, w, 8))
        mask = pygame.Surface((w, h), pygame.SRCALPHA)
        pygame.draw.rect(mask, (255, 255, 255, 255), mask.get_rect(), border_radius=CARD_RADIUS)
        p.surface.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MIN)
    _status_bar(p, w, theme.WHITE, None)
    p.lines(
        ["10:32"],
        round(s * 2.4),
        theme.WHITE,
        w / 2,
        STATUS_H + 6,
        weight="bold",
        align="center",
        gap=1.2,
    )
    top = STATUS_H + round(s * 3.3)
    box_w = w - 2 * PAD
    bp = round(s * 0.6)
    icon = round(s * 1.4)
    name_x = bp + icon + 18
    ns = round(s * 0.8)
    name = _wrap(p.text, spec.text("sender", lang), ns, box_w - name_x - bp - 90, "bold")
    body = _wrap(p.text, spec.text("body", lang), s, box_w - 2 * bp)
    line_h = round(s * 1.3)
    head_h = max(icon, len(name) * round(ns * 1.3))
    box = pygame.Rect(PAD, top, box_w, bp + head_h + round(s * 0.5) + len(body) * line_h + bp)
    p.rect((248, 248, 250), box, radius=28)
    ir = pygame.Rect(box.x + bp, box.y + bp, icon, icon)
    p.rect(brand, ir, radius=icon // 4)
    initial = spec.text("sender", lang)[:1].upper()
    p.lines(
        [initial],
        round(icon * 0.62),
        _on(brand),
        ir.centerx,
        ir.centery - round(icon * 0.62 * 0.65),
        weight="bold",
        align="center",
    )
    regions["sender"] = p.lines(name, ns, theme.INK, box.x + name_x, box.y + bp, weight="bold")
    p.lines([tr("now")], round(s * 0.62), MUTED_INK, box.right - bp - 80, box.y + bp)
    regions["body"] = p.lines(body, s, theme.INK, box.x + bp, box.y + bp + head_h + s * 0.5)
    return regions, box.bottom + PAD <= h


def _call(
    p: _Painter, spec: CardSpec, lang: str, tr: Callable[..., str], w: int, h: int, s: int
) -> tuple[dict[str, pygame.Rect], bool]:
    regions: dict[str, pygame.Rect] = {}
    p.rect((24, 28, 42), pygame.Rect(0, 0, w, h), radius=CARD_RADIUS)
    _status_bar(p, w, theme.WHITE, None)
    inner = w - 2 * PAD
    y = STATUS_H + 8
    ks = round(s * 0.72)
    p.lines([tr("kind_call")], ks, (190, 200, 220), w / 2, y, align="center")
    y += round(ks * 1.5)
    cs = round(s * 1.3)
    regions["sender"] = p.lines(
        [spec.text("sender", lang)],
        cs,
        theme.WHITE,
        w / 2,
        y,
        weight="bold",
        align="center",
        gap=1.2,
    )
    y = regions["sender"].bottom + 4
    if spec.subject:
        ss = round(s * 0.86)
        subject = _wrap(p.text, spec.text("subject", lang), ss, inner)
        regions["subject"] = p.lines(subject, ss, (214, 222, 240), w / 2, y, align="center")
        y = regions["subject"].bottom + round(s * 0.4)
    if spec.note:
        ns = round(s * 0.8)
        note = _wrap(p.text, spec.text("note", lang), ns, inner - 110, "bold")
        nh = len(note) * round(ns * 1.3) + 28
        box = pygame.Rect(PAD, y, inner, max(nh, 70))
        p.rect(theme.SUN, box, radius=18)
        tri = (box.x + 44, box.centery)
        p.polygon(
            theme.INK,
            [(tri[0], tri[1] - 24), (tri[0] - 26, tri[1] + 20), (tri[0] + 26, tri[1] + 20)],
            4,
        )
        p.line(theme.INK, (tri[0], tri[1] - 8), (tri[0], tri[1] + 6), 4)
        p.circle(theme.INK, (tri[0], tri[1] + 13), 3)
        p.lines(note, ns, theme.INK, box.x + 90, box.centery - len(note) * ns * 0.65, weight="bold")
        regions["note"] = box
        y = box.bottom + round(s * 0.5)
    bs = round(s * 0.9)
    body = _wrap(p.text, spec.text("body", lang), bs, inner - 48)
    font = p.text.font(bs)
    bw = max([font.size(ln)[0] for ln in body] or [0]) + 48
    box = pygame.Rect(0, y, bw, len(body) * round(bs * 1.3) + 36)
    box.centerx = w // 2
    p.rect((236, 240, 248), box, radius=22)
    p.polygon(
        (236, 240, 248),
        [(box.centerx - 16, box.y + 1), (box.centerx, box.y - 16), (box.centerx + 16, box.y + 1)],
    )
    regions["body"] = p.lines(body, bs, theme.INK, box.centerx, box.y + 18, align="center")
    r = round(s * 0.8)
    ls = round(s * 0.6)
    cy = h - PAD // 2 - round(ls * 1.4) - r
    for k, (color, key) in enumerate(
        (((222, 60, 60), "call_decline"), ((40, 170, 90), "call_accept"))
    ):
        cx = w * (0.28 if k == 0 else 0.72)
        p.circle(color, (cx, cy), r)
        p.rect(
            theme.WHITE,
            pygame.Rect(cx - r * 0.5, cy - r * 0.12, r, r * 0.3),
            radius=round(r * 0.15),
        )
        p.lines([tr(key)], ls, theme.WHITE, cx, cy + r + 6, align="center")
    return regions, box.bottom + 12 <= cy - r


def _url(
    p: _Painter, spec: CardSpec, lang: str, tr: Callable[..., str], w: int, h: int, s: int
) -> tuple[dict[str, pygame.Rect], bool]:
    """A phone browser: the address bar is the card's main clue."""
    regions: dict[str, pygame.Rect] = {}
    p.rect((255, 255, 255), pygame.Rect(0, 0, w, h), radius=CARD_RADIUS)
    chrome = (232, 234, 240)
    us = s
    lock_w = 54
    addr = wrap_chars(p.text, spec.link, us, w - 2 * PAD - lock_w - 40)
    bar_h = len(addr) * round(us * 1.3) + 28
    head_h = STATUS_H + bar_h + 28
    p.rect(chrome, pygame.Rect(0, 0, w, head_h), radius=CARD_RADIUS)
    p.rect(chrome, pygame.Rect(0, head_h - CARD_RADIUS, w, CARD_RADIUS))
    _status_bar(p, w, theme.INK, None)
    bar = pygame.Rect(PAD, STATUS_H + 12, w - 2 * PAD, bar_h)
    p.rect((255, 255, 255), bar, radius=bar_h // 2 if len(addr) == 1 else 22)
    p.rect((196, 200, 210), bar, width=2, radius=bar_h // 2 if len(addr) == 1 else 22)
    lx, ly = bar.x + 34, bar.centery
    p.rect(MUTED_INK, pygame.Rect(lx - 12, ly - 4, 24, 20), radius=4)
    p.circle(MUTED_INK, (lx, ly - 6), 9, 3)
    regions["link"] = p.lines(addr, us, theme.INK, bar.x + lock_w + 10, bar.y + 14)
    y = head_h
    brand = spec.brand or (60, 80, 120)
    band_h = round(s * 2.3)
    p.rect(brand, pygame.Rect(0, y, w, band_h))
    ts = round(s * 1.05)
    title, tl = fit_lines(
        p.text, spec.text("sender", lang), ts, w - 2 * PAD - 60, 1, "bold", floor=s - 8
    )
    p.rect(_on(brand), pygame.Rect(PAD, y + band_h // 2 - 18, 36, 36), radius=8)
    regions["sender"] = p.lines(
        tl[:1], title, _on(brand), PAD + 54, y + band_h / 2 - title * 0.65, weight="bold"
    )
    y += band_h + round(s * 0.6)
    bs = round(s * 0.92)
    body = _wrap(p.text, spec.text("body", lang), bs, w - 2 * PAD)
    regions["body"] = p.lines(body, bs, theme.INK, PAD, y)
    y = regions["body"].bottom + round(s * 0.5)
    if spec.fields:
        fh = round(s * 1.5)
        fs = round(s * 0.8)
        for key in ("field_user", "field_password"):
            box = pygame.Rect(PAD, y, w - 2 * PAD, fh)
            p.rect((246, 247, 250), box, radius=12)
            p.rect((170, 176, 190), box, width=2, radius=12)
            p.lines([tr(key)], fs, MUTED_INK, box.x + 18, box.centery - fs * 0.65)
            y = box.bottom + 14
        btn = pygame.Rect(PAD, y, w - 2 * PAD, fh)
        p.rect(brand, btn, radius=12)
        p.lines(
            [tr("page_button")],
            fs,
            _on(brand),
            btn.centerx,
            btn.centery - fs * 0.65,
            weight="bold",
            align="center",
        )
        y = btn.bottom
    return regions, y + PAD <= h


def _poster(
    p: _Painter, spec: CardSpec, lang: str, tr: Callable[..., str], w: int, h: int, s: int
) -> tuple[dict[str, pygame.Rect], bool]:
    """A printed poster or sign: heading, a line, and a QR code with its link under it."""
    regions: dict[str, pygame.Rect] = {}
    brand = spec.brand or (40, 80, 140)
    p.rect(brand, pygame.Rect(0, 0, w, h), radius=CARD_RADIUS)
    panel = pygame.Rect(20, 20, w - 40, h - 40)
    p.rect(PAPER, panel, radius=CARD_RADIUS - 10)
    inner = panel.w - 2 * PAD
    hs = round(s * 0.72)
    head_h = round(hs * 1.9)
    p.rect(brand, pygame.Rect(panel.x, panel.y, panel.w, head_h), radius=CARD_RADIUS - 10)
    p.rect(brand, pygame.Rect(panel.x, panel.y + head_h - CARD_RADIUS, panel.w, CARD_RADIUS))
    regions["sender"] = p.lines(
        [spec.text("sender", lang)],
        hs,
        _on(brand),
        w / 2,
        panel.y + head_h / 2 - hs * 0.65,
        weight="bold",
        align="center",
    )
    y = panel.y + head_h + round(s * 0.5)
    ts = round(s * 1.1)
    subject = _wrap(p.text, spec.text("subject", lang), ts, inner, "bold")
    regions["subject"] = p.lines(
        subject, ts, theme.INK, w / 2, y, weight="bold", align="center", gap=1.25
    )
    y = regions["subject"].bottom + round(s * 0.25)
    if spec.body:
        bs = round(s * 0.85)
        body = _wrap(p.text, spec.text("body", lang), bs, inner)
        regions["body"] = p.lines(body, bs, MUTED_INK, w / 2, y, align="center")
        y = regions["body"].bottom + round(s * 0.3)
    ls = round(s * 0.8)
    link_h = round(ls * 1.5) if spec.link else 0
    room = panel.bottom - PAD // 2 - link_h - y
    side = min(300, room)
    visual = pygame.Rect(0, y, side, side)
    visual.centerx = w // 2
    if spec.link or spec.sticker:
        if spec.sticker:
            p.call(_draw_sticker_qr, visual, spec.id)
        else:
            p.call(_draw_fake_qr, visual, zlib.crc32(spec.id.encode()))
        regions["qr"] = visual
    else:
        p.call(_draw_poster_icon, visual, brand, spec.id)
    if spec.link:
        regions["link"] = p.lines(
            [spec.link], ls, theme.INK, w / 2, visual.bottom + 6, weight="bold", align="center"
        )
    return regions, side >= 120


RENDERERS: dict[str, Callable[..., tuple[dict[str, pygame.Rect], bool]]] = {
    "sms": lambda *a: _chat(*a, whatsapp=False),
    "whatsapp": lambda *a: _chat(*a, whatsapp=True),
    "email": _email,
    "app": _app,
    "call": _call,
    "url": _url,
    "poster": _poster,
}


def fit_card(
    text: TextRenderer, tr: Callable[..., str], spec: CardSpec, lang: str, pace: Pace
) -> tuple[int, bool]:
    """The largest text size (from ``body_size`` down to ``min_size``) at which the card
    fits its frame, and whether it fits at all."""
    renderer = RENDERERS[spec.kind]
    size = pace.body_size
    while True:
        _, fits = renderer(_Painter(text, None), spec, lang, tr, pace.card_w, pace.card_h, size)
        if fits or size <= pace.min_size:
            return size, fits
        size -= 2


def render_card(
    ctx: GameContext, spec: CardSpec, pace: Pace
) -> tuple[pygame.Surface, dict[str, pygame.Rect]]:
    size, fits = fit_card(ctx.text, ctx.tr, spec, ctx.lang, pace)
    if not fits:
        log.error("phish_or_legit: card %s overflows at %d px (%s)", spec.id, size, ctx.lang)
    surface = pygame.Surface((pace.card_w, pace.card_h), pygame.SRCALPHA)
    regions, _ = RENDERERS[spec.kind](
        _Painter(ctx.text, surface), spec, ctx.lang, ctx.tr, pace.card_w, pace.card_h, size
    )
    if pygame.display.get_surface() is not None:
        surface = surface.convert_alpha()  # the display's pixel format blits fastest
    return surface, regions


# --------------------------------------------------------------------------- drawing helpers


def _draw_fake_qr(surface: pygame.Surface, rect: pygame.Rect, seed: int) -> None:
    """A QR-like pattern that is deliberately not a QR code: no phone can open a link here
    (it has finder squares but random modules and no format data)."""
    n = 25
    module = max(1, (rect.w - 16) // n)
    size = module * n
    ox, oy = rect.centerx - size // 2, rect.centery - size // 2
    pygame.draw.rect(surface, (255, 255, 255), pygame.Rect(ox - 8, oy - 8, size + 16, size + 16))
    rng = random.Random(seed)
    for y in range(n):
        for x in range(n):
            in_finder = any(
                fx <= x < fx + 8 and fy <= y < fy + 8 for fx, fy in ((0, 0), (n - 8, 0), (0, n - 8))
            )
            if not in_finder and rng.random() < 0.5:
                surface.fill((0, 0, 0), (ox + x * module, oy + y * module, module, module))
    for fx, fy in ((0, 0), (n - 7, 0), (0, n - 7)):
        outer = pygame.Rect(ox + fx * module, oy + fy * module, 7 * module, 7 * module)
        surface.fill((0, 0, 0), outer)
        surface.fill((255, 255, 255), outer.inflate(-2 * module, -2 * module))
        surface.fill((0, 0, 0), outer.inflate(-4 * module, -4 * module))


def _draw_sticker_qr(surface: pygame.Surface, rect: pygame.Rect, card_id: str) -> None:
    """The meter's own QR, with a scammer's sticker pasted crookedly over most of it."""
    _draw_fake_qr(surface, rect, zlib.crc32(b"meter"))
    side = round(rect.w * 0.86)
    sticker = pygame.Surface((side + 20, side + 20), pygame.SRCALPHA)
    pygame.draw.rect(sticker, (255, 255, 255), sticker.get_rect(), border_radius=10)
    _draw_fake_qr(sticker, sticker.get_rect().inflate(-14, -14), zlib.crc32(card_id.encode()))
    pygame.draw.polygon(
        sticker,
        (214, 214, 206),
        [(side + 20, side - 24), (side + 20, side + 20), (side - 24, side + 20)],
    )
    tilted = pygame.transform.rotate(sticker, -6)
    at = tilted.get_rect(center=(rect.centerx + rect.w * 0.12, rect.centery + rect.h * 0.08))
    shadow = pygame.Surface(tilted.get_size(), pygame.SRCALPHA)
    shadow.fill((0, 0, 0, 70))
    surface.blit(shadow, at.move(6, 8), special_flags=0)
    surface.blit(tilted, at)


def _draw_poster_icon(surface: pygame.Surface, rect: pygame.Rect, brand: RGB, card_id: str) -> None:
    """A phone handset for hotlines, a parking meter for meters, a shield otherwise."""
    cx, cy = rect.center
    r = rect.w * 0.42
    pygame.draw.circle(surface, brand, (cx, cy), r)
    fg = _on(brand)
    if "meter" in card_id:
        head = pygame.Rect(0, 0, r * 0.9, r * 0.8)
        head.midbottom = (cx, cy + r * 0.05)
        pygame.draw.rect(surface, fg, head, border_radius=round(r * 0.2))
        pygame.draw.rect(
            surface, brand, head.inflate(-r * 0.3, -r * 0.4).move(0, -r * 0.08), border_radius=6
        )
        pygame.draw.rect(surface, fg, pygame.Rect(cx - r * 0.08, cy, r * 0.16, r * 0.62))
    elif "hotline" in card_id:
        body = pygame.Rect(0, 0, r * 0.8, r * 1.3)
        body.center = (cx, cy)
        pygame.draw.rect(surface, fg, body, border_radius=round(r * 0.16))
        pygame.draw.rect(surface, brand, body.inflate(-r * 0.2, -r * 0.42), border_radius=6)
        pygame.draw.circle(surface, brand, (cx, body.bottom - r * 0.12), r * 0.07)
    else:
        _draw_shield_tick(surface, (cx, cy), r * 1.2, fg, brand)


def _draw_warning(
    surface: pygame.Surface, centre: tuple[float, float], size: float, fg: RGB, bg: RGB
) -> None:
    """A warning triangle with an exclamation mark: the scam button's picture."""
    cx, cy = centre
    h = size
    pygame.draw.polygon(
        surface,
        fg,
        [(cx, cy - h * 0.58), (cx - h * 0.64, cy + h * 0.5), (cx + h * 0.64, cy + h * 0.5)],
    )
    pygame.draw.polygon(
        surface,
        bg,
        [(cx, cy - h * 0.32), (cx - h * 0.43, cy + h * 0.38), (cx + h * 0.43, cy + h * 0.38)],
    )
    w = max(5, round(h / 9))
    pygame.draw.line(surface, fg, (cx, cy - h * 0.14), (cx, cy + h * 0.12), w)
    pygame.draw.circle(surface, fg, (cx, cy + h * 0.25), w * 0.6)


def _draw_shield_tick(
    surface: pygame.Surface, centre: tuple[float, float], size: float, fg: RGB, bg: RGB
) -> None:
    cx, cy = centre
    h = size
    shield = [
        (cx - h * 0.45, cy - h * 0.42),
        (cx, cy - h * 0.56),
        (cx + h * 0.45, cy - h * 0.42),
        (cx + h * 0.4, cy + h * 0.1),
        (cx, cy + h * 0.56),
        (cx - h * 0.4, cy + h * 0.1),
    ]
    pygame.draw.polygon(surface, fg, shield)
    w = max(4, round(h / 9))
    pygame.draw.lines(
        surface,
        bg,
        False,
        [(cx - h * 0.2, cy), (cx - h * 0.04, cy + h * 0.17), (cx + h * 0.22, cy - h * 0.17)],
        w,
    )


def draw_icon(surface: pygame.Surface, rect: pygame.Rect) -> None:
    """Menu icon: a phone showing a message with a link, and a fish hook biting at it."""
    phone = pygame.Rect(0, 0, round(rect.w * 0.52), round(rect.h * 0.9))
    phone.center = (round(rect.x + rect.w * 0.42), rect.centery)
    pygame.draw.rect(surface, (30, 34, 48), phone, border_radius=max(6, phone.w // 7))
    screen = phone.inflate(-phone.w * 0.14, -phone.h * 0.14)
    pygame.draw.rect(surface, (240, 242, 248), screen, border_radius=max(4, phone.w // 12))
    bubble = pygame.Rect(
        screen.x + screen.w * 0.08, screen.y + screen.h * 0.14, screen.w * 0.8, screen.h * 0.42
    )
    pygame.draw.rect(surface, (214, 218, 228), bubble, border_radius=max(4, bubble.h // 5))
    for k in range(3):
        y = bubble.y + bubble.h * (0.25 + 0.25 * k)
        color = LINK if k == 2 else theme.INK
        pygame.draw.line(
            surface,
            color,
            (bubble.x + bubble.w * 0.12, y),
            (bubble.x + bubble.w * (0.86 if k < 2 else 0.7), y),
            max(2, rect.h // 60),
        )
    lw = max(4, rect.w // 28)
    hook = pygame.Rect(0, 0, rect.w * 0.2, rect.h * 0.2)
    hook.midtop = (rect.x + rect.w * 0.7, rect.y + rect.h * 0.42)
    shank_x, eye_y = hook.right - lw // 2, rect.y + rect.h * 0.26
    pygame.draw.line(
        surface,
        theme.MIST,
        (shank_x, rect.y + rect.h * 0.02),
        (shank_x, eye_y),
        max(3, rect.w // 40),
    )
    pygame.draw.line(surface, theme.SUN, (shank_x, eye_y), (shank_x, hook.centery), lw)
    pygame.draw.arc(surface, theme.SUN, hook, math.pi, 2 * math.pi, lw)
    pygame.draw.line(
        surface,
        theme.SUN,
        (hook.x + lw // 2, hook.centery),
        (hook.x + rect.w * 0.05, hook.centery - rect.h * 0.07),
        lw,
    )
    draw_mark(
        surface,
        (screen.right - screen.w * 0.12, screen.bottom - screen.h * 0.12),
        max(8, rect.w * 0.1),
        False,
    )


GAME = GameSpec(
    id="phish_or_legit",
    factory=PhishOrLegit,
    bot=PhishBot,
    idle_limit_s=25.0,
    draw_icon=draw_icon,
)
