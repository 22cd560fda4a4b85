"""One round of Phish or Legit: the card on screen, the answers, the phases, the score.

A card goes through four phases, each on its own clock (``phase_t`` is how long the phase
has run, which the animations read): ``enter`` (it slides in), ``ask`` (answerable until its
reading time is up), ``reveal`` (the verdict and its sign; longer after a mistake) and
``leave`` (it flies off the way it was answered, or drops if missed); then the next card is
dealt. ``wait`` is the phase with no card (the final moment, or no cards at all).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

import pygame

from games.base import Game, GameContext, GameResult
from games.kit.hits import hits, topmost_hit
from games.kit.timers import Timers
from games.phish_or_legit.ahead import CardAhead
from games.phish_or_legit.cardart import Regions, render_card
from games.phish_or_legit.deck import ANSWERS, SAFE, SCAM, CardSpec, Deck, load_cards, load_pace
from games.phish_or_legit.layout import (
    BANNER_BOTTOM,
    BUTTON_GAP,
    CARD_TOP,
    FLICK_PX,
    FLICK_SPEED,
    LEAVE_S,
    MARGIN,
    MAX_DRAG,
    SWIPE_PX,
    TIMER_GAP,
    TIMER_H,
)
from games.phish_or_legit.painter import CARD_RADIUS, CARD_SHADOW
from games.phish_or_legit.solid import SolidCard
from games.phish_or_legit.view import PhishView
from kiosk.input import PointerEvent
from kiosk.ui.blend import ease


@dataclass
class LiveCard:
    """The card on screen. ``dx``/``dy`` offset it from its resting place."""

    uid: int
    spec: CardSpec
    surface: pygame.Surface
    regions: Regions
    home: pygame.Rect  # where it rests on screen
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
    card: int = 0  # the uid of the card it explains (0: none, e.g. "Time's up")
    shown: float = 0.0
    layout: tuple[int, list[str]] | None = None  # sign size and lines, wrapped once


@dataclass
class Drag:
    """A finger dragging the card; its speed tells a flick from a slow push."""

    pointer: int
    start_x: float
    x: float
    t: float = 0.0  # since the last move
    speed: float = 0.0  # px/s, signed, smoothed


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
        self.phase_clock = Timers()
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
        self.drag: Drag | None = None
        self.pressed: dict[int, tuple[str, int]] = {}  # pointer → (answer, card uid)
        self.view = PhishView(ctx)
        # The next card, drawn while this one is read (with what its verdict will show).
        self.ahead = CardAhead(ctx, self.pace, also=self._prepare_verdict)
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

    @property
    def phase_t(self) -> float:
        """Seconds the current phase has run."""
        return self.phase_clock.now

    @property
    def reading_t(self) -> float:
        """Seconds the card has been answerable (0 while it slides in)."""
        return self.phase_t if self.phase == "ask" else 0.0

    def button_at(self, x: float, y: float) -> str | None:
        found = topmost_hit(self.buttons.items(), (x, y), rect=lambda item: item[1])
        return found[0] if found is not None else None

    # -- input ------------------------------------------------------------------------

    def handle(self, event: PointerEvent) -> None:
        if self.finished:
            return
        if event.kind == "down":
            self._forget(event.pointer)  # its "up" got lost: start afresh
            answer = self.button_at(event.x, event.y)
            if answer is not None:
                if self.card is not None and self.phase in ("enter", "ask"):
                    self.pressed[event.pointer] = (answer, self.card.uid)
                    self.cue("tap")
                return
            card = self.card
            if (
                self.swipe_enabled
                and self.accepting
                and self.drag is None
                and card is not None
                and hits(card.rect, (event.x, event.y))
            ):
                self.drag = Drag(event.pointer, event.x - card.dx, event.x)
        elif event.kind == "move":
            drag = self.drag
            if drag is not None and drag.pointer == event.pointer and self.card is not None:
                step = event.x - drag.x
                if drag.t > 0:
                    drag.speed = 0.5 * drag.speed + 0.5 * step / max(drag.t, 1 / 240)
                drag.x, drag.t = event.x, 0.0
                self.card.dx = max(-MAX_DRAG, min(MAX_DRAG, event.x - drag.start_x))
        elif event.kind == "up":
            pressed = self.pressed.pop(event.pointer, None)
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
            drag = self.drag
            if drag is not None and drag.pointer == event.pointer:
                self.drag = None
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
        self.pressed.pop(pointer, None)
        if self.drag is not None and self.drag.pointer == pointer:
            self.drag = None

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

    def _prepare_verdict(self, spec: CardSpec) -> None:
        self.view.prepare_verdict(spec.sign_in(self.ctx.lang), spec.answer, self)

    def _show(self, key: str, card: LiveCard, tone: str) -> None:
        sign = card.spec.sign_in(self.ctx.lang)
        self.feedback = Feedback(self.ctx.tr(key), sign, tone, card=card.uid)

    def _end_card(self) -> None:
        self.drag = None
        self.pressed.clear()
        self._begin("reveal")

    def _deal(self) -> None:
        self.card = None
        # A verdict belongs beside the card it explains: left under the next card, it would
        # seem to judge that one (a scam shown above "Right, it's safe!").
        self.feedback = None
        if self.time_left <= self.no_deal_last_s or not any(self.deck.sources.values()):
            self._begin("wait")
            return
        if self.ahead.pending is None:  # the round's first card: the round is built ahead
            spec = self.deck.draw()
            surface, regions = render_card(self.ctx, spec, self.pace)
            self._prepare_verdict(spec)
            # (the round is built ahead, off the frame: its first frames only take these)
            self.view.prepare_card(
                SolidCard(surface, pygame.Surface((1, 1)), CARD_RADIUS, CARD_SHADOW)
            )
            self.view.prepare_buttons(self)
        else:
            spec, surface, regions, solid = self.ahead.take()
            self.view.prepare_card(solid)
        if self._may_deal_after_this():  # (a card drawn for nothing costs a worker's time)
            self.ahead.start(self.deck.draw())  # the deck's order never depends on answers
        self._uid += 1
        self.card = LiveCard(
            self._uid, spec, surface, regions, self.card_home.copy(), dy=70.0, alpha=0
        )
        self._begin("enter")

    def _may_deal_after_this(self) -> bool:
        """Whether a card could still be dealt after the one being dealt now (answered at
        once, right): else the next one is not drawn ahead, and no worker is left drawing
        for a round that has ended."""
        p = self.pace
        soonest = p.enter_s + min(p.right_s, p.wrong_s) + LEAVE_S
        return self.time_left - soonest > self.no_deal_last_s

    # -- phases -----------------------------------------------------------------------

    def _begin(self, phase: str) -> None:
        """Start ``phase`` on a fresh clock and schedule what ends it."""
        self.phase = phase
        self.phase_clock = Timers()
        end = self._phase_end(phase)
        if end is not None:
            self.phase_clock.schedule(end[1], end[0])

    def _phase_end(self, phase: str) -> tuple[float, Callable[[], None]] | None:
        """How long ``phase`` lasts and what comes then (None: until something happens)."""
        p, card = self.pace, self.card
        if phase == "enter":
            return p.enter_s, self._ask
        if phase == "ask":
            return p.read_s, self._miss  # not answered in time
        if phase == "reveal":
            assert card is not None
            return (p.right_s if card.good else p.wrong_s), self._leave
        if phase == "leave":
            return LEAVE_S, self._deal
        return None

    def _ask(self) -> None:
        assert self.card is not None
        self.card.dy, self.card.alpha = 0.0, 255
        self._begin("ask")

    def _leave(self) -> None:
        assert self.card is not None
        self.card.dx = 0.0
        self._begin("leave")

    # -- time -------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        if self.finished:
            return
        dt = self.step(dt)
        self.elapsed += dt
        if self.drag is not None:
            self.drag.t += dt
        if self.feedback is not None:
            self.feedback.shown += dt
        if self.phase == "ask" and self.drag is None and self.phase_t > 0.5:
            self.ahead.split()  # a quiet frame: the card at rest, read
        if self.card is not None:
            # The phase's age at the end of this step, as its clock will read it.
            self._animate(self.card, self.phase_clock.now + dt, dt)
        self.phase_clock.update(dt)  # ends the phase when its time is up
        if self.elapsed >= self.pace.duration_s:
            self._finish()

    def _animate(self, card: LiveCard, t: float, dt: float) -> None:
        """Move the card for this step; ``t`` is how long its phase will then have run."""
        if self.phase == "enter":
            f = ease(t / max(self.pace.enter_s, 1e-3))
            card.dy, card.alpha = 70.0 * (1 - f), round(255 * f)
        elif self.phase == "ask":
            if self.drag is None:
                card.dx *= math.exp(-14 * dt)  # spring back after a short drag
        elif self.phase == "reveal":
            card.dx *= math.exp(-12 * dt)
        elif self.phase == "leave":
            f = ease(t / LEAVE_S)
            if card.choice is None:  # missed: it drops away
                card.dy = 160 * f
            else:
                card.dx = (1 if card.choice == SAFE else -1) * 1300 * f
            card.alpha = round(255 * (1 - f))

    def _finish(self) -> None:
        self.finished = True
        self.ahead.drop()  # the card drawn ahead is never dealt now
        if self.card is not None and self.phase in ("enter", "ask"):
            self.unresolved += 1  # still being read: not held against the visitor
        self.drag = None
        self.pressed.clear()
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
        self.damage = None  # until the draw is done
        self.damage = self.view.draw(self, surface, kept=self.surface_kept)

    def surface_moved(self, old: pygame.Surface, new: pygame.Surface) -> bool:
        return self.view.surface_moved(old, new)
