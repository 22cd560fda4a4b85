"""Prize QR: a signed claim code the visitor scans with a phone and shows at the prize desk.

Entering the screen awards the play's prize (``SceneHost.claim_prize``, kiosk/prizes/awards.py):
decided at once, shown once the writer thread has saved it (a frame or two; "Making your
prize code…" meanwhile, and the bots wait for it as a visitor would). Four outcomes, each
kind to the visitor:

* a code: the prize's name, a note if the earned tier ran out and a lower one was given,
  the QR (≥ 400 px, quiet zone on white), the short reference and where the prize desk is,
  and a visible countdown (``[prizes] qr_s``). When it runs out the QR is dropped and the
  thanks screen follows: no touch extends it or brings it back, and the countdown keeps
  running under the staff PIN pad, so a stranger walking up cannot revive a visitor's code;
* everything out of stock today: no QR, a thank-you and that today's prizes are all gone;
* no tier reached (only if every tier has a minimum score): a thank-you;
* no code could be made (database or key trouble, logged): ask the staff at the desk.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

import pygame

from kiosk.background import Background, Lane
from kiosk.booth.scenes import thanks
from kiosk.booth.scenes.base import Scene
from kiosk.i18n import Tr
from kiosk.prizes import qr
from kiosk.prizes.awards import Award
from kiosk.ui import theme
from kiosk.ui.decor import draw_backdrop
from kiosk.ui.frame import pick
from kiosk.ui.lines import draw_centred
from kiosk.ui.qr import qr_surface
from kiosk.ui.text import TextRenderer
from kiosk.ui.typeset import fit_size
from kiosk.ui.widgets import Button

log = logging.getLogger(__name__)

QR_PX = 480  # ≥ 400 px at 1080p so phones read it from arm's length
PREPARE_AFTER_S = 0.2  # the screen's own first frames come first


@dataclass(frozen=True)
class ClaimLayout:
    title_y: int
    prize_y: int
    note_y: int  # the "your tier ran out" note
    qr_px: int
    qr_y: int  # the QR's centre line; reference, desk and hint lines follow under it
    line_gaps: tuple[int, int, int]
    done: pygame.Rect
    sold_out_y: tuple[int, int]  # the title and the first line without a code
    countdown: tuple[int, int]  # the centre of the ring counting the QR's seconds down
    countdown_r: int
    countdown_text_w: int  # "seconds left to scan", under the ring
    access: tuple[tuple[int, int], bool, str]  # the access bar: corner, vertical, anchor


LANDSCAPE = ClaimLayout(
    86,
    178,
    236,
    QR_PX,
    548,
    (56, 110, 160),
    pygame.Rect(1340, 880, 480, 140),
    (300, 440),
    (330, 548),
    130,
    440,
    ((1900, 150), True, "topright"),
)
PORTRAIT = ClaimLayout(  # the countdown and the access bar under the QR, above Done
    160,
    280,
    350,
    640,
    780,
    (80, 150, 215),
    pygame.Rect(60, 1720, 960, 160),
    (560, 720),
    (190, 1470),
    100,
    340,
    ((380, 1470), False, "midleft"),
)

# How long the visitor may wait for a code before the idle countdown runs again: a writer
# thread that never answers (a dead disk) must not hold the booth on this screen for ever.
# Counted on the screen's clock and in real seconds both, since the writer thread runs in
# real time even when the booth's clock is simulated (--fast runs far ahead of it).
PREPARE_LIMIT_S = 20.0
# The QR is made by a worker from the moment the award is saved (5 ms of encoding and
# drawing that used to land in one frame). The frame that shows it takes what is left of
# that work, never more than this: past it the frame makes the QR itself, as before.
QR_WAIT_S = 1.0
COUNTDOWN_PX = 110  # the seconds in the countdown ring
_warned_glyphs: set[str] = set()
_worker = Lane("claim-text", "rendering the claim screen ahead")


def render_ahead(text: TextRenderer, tr: Tr, size: tuple[int, int]) -> None:
    """Start rendering what the claim screen's first frames show before the code is known,
    in a worker, into the text cache: "Making your prize code…", Done, and the countdown's
    font opened. The result screen calls it: the claim's first frame opened two fonts and
    rendered its lines, 2-3 ms."""
    _worker.start(_render, text, tr, size, if_idle=True)


def wait_for_text(timeout_s: float = 10.0) -> None:
    """Block until the text being rendered ahead is done (tests, benchmarks)."""
    _worker.wait(timeout_s)


def _render(text: TextRenderer, tr: Tr, size: tuple[int, int]) -> None:
    # Should it fail (logged by the worker), the claim screen renders them in its frames.
    text.render(tr("claim.preparing"), theme.TITLE, theme.SUN)
    _done_button(tr, pick(size, LANDSCAPE, PORTRAIT), lambda: None).render_ahead(text)
    text.font(COUNTDOWN_PX, "bold")


def _done_button(tr: Tr, lay: ClaimLayout, action: Callable[[], None]) -> Button:
    return Button(lay.done.copy(), tr("claim.done"), action, size=56)


def claim_qr_surface(url: str, size_px: int = QR_PX) -> pygame.Surface:
    """The claim QR: :func:`qr_surface` with the claim links' fixed mask (a few milliseconds
    instead of qrcode's mask search); a link too long for version 7 still gets a (larger)
    symbol."""
    try:
        return qr_surface(url, size_px, mask=qr.CLAIM_MASK, max_version=qr.CLAIM_MAX_VERSION)
    except ValueError:
        log.error("claim link of %d characters exceeds QR version 7; shorten claim_url", len(url))
        return qr_surface(url, size_px)


class ClaimScene(Scene):
    name = "claim"
    idle = "result"  # without a code; with one, the QR's own countdown ends the screen
    clock_under_layer = True  # the QR's countdown never pauses, not even under the PIN pad
    real_seconds: Callable[[], float] = staticmethod(time.monotonic)

    def enter(self) -> None:
        self.ticket: Future[Award] | None = self.host.claim_prize()
        self.award: Award | None = None
        self.qr: pygame.Surface | None = None
        self.layout = pick(self.host.size, LANDSCAPE, PORTRAIT)
        self.qr_ahead: Background[pygame.Surface] = Background("claim-qr", "making the QR ahead")
        self.qr_s = self.host.config.prizes.qr_s
        self.coded = False  # a QR was shown on this screen (it may be gone by now)
        self.ready = False
        self.waited = 0.0
        self.asked_at = self.real_seconds()
        self.where = self._desk_location()
        self.thanks_ahead = False  # the thanks screen's text is being rendered ahead
        self.done = _done_button(self.host.tr, self.layout, lambda: self.host.advance("done"))
        self.buttons.append(self.done)
        corner, vertical, anchor = self.layout.access
        self.add_access_bar().place(corner, vertical=vertical, anchor=anchor)
        # Last: the writer thread calls back as it saves the award, or this thread does at
        # once if it was saved already, and the code drawn ahead needs all of the above.
        if self.ticket is not None:
            self.ticket.add_done_callback(self._make_qr_ahead)
        self._poll()

    def _poll(self) -> None:
        """Show the award once it is saved; never waits for it."""
        ticket = self.ticket
        if ticket is not None and not ticket.done():
            return
        self.ready = True
        if ticket is not None and ticket.exception() is None:
            self.award = ticket.result()
        award = self.award
        if award is not None and award.url:
            self.qr = self._taken_qr(award.url)
            self.coded = True
            self.host.qr_shown()
        self.host.say(self.speech_text())

    def _make_qr_ahead(self, ticket: Future[Award]) -> None:
        """Where the award is saved (the writer thread, or here if it already was): hand its
        QR to a worker of its own, so neither the writes nor a frame wait for it."""
        award = ticket.result() if ticket.exception() is None else None
        if award is None or not award.url:
            self.qr_ahead.cancel()
        else:  # should it fail (logged by the worker), the frame makes it
            self.qr_ahead.start(self._code_ahead, award)

    def _code_ahead(self, award: Award) -> pygame.Surface:
        """The award's QR, and the lines shown with it rendered into the text cache by
        drawing the code once on a scratch strip (as wide as the screen, which is all the
        drawing measures; one row, so nearly nothing is painted): the frame that first
        showed the code rendered its seven lines, 2 ms."""
        qr = claim_qr_surface(award.url, self.layout.qr_px)
        self._draw_code(pygame.Surface((self.host.size[0], 1)), award, qr)
        return qr

    def _taken_qr(self, url: str) -> pygame.Surface:
        """The QR made ahead by the worker, or (it failed, or never came) made now."""
        made = self.qr_ahead.result_or_none(QR_WAIT_S)
        return made if made is not None else claim_qr_surface(url, self.layout.qr_px)

    def speech_text(self) -> str:
        """The prize by name and how to claim it, or why there is none."""
        tr, award = self.host.tr, self.award
        if not self.ready:
            return tr("claim.preparing")
        if award is not None and award.url:
            prize = self.tier_name(award.tier)
            return tr("claim.spoken_prize", prize=prize, how=tr("claim.spoken"))
        if award is not None and award.sold_out:
            return tr("claim.spoken_sold_out")
        if award is not None:
            return tr("thanks.title")
        return tr("claim.spoken_no_code")

    def idle_frozen(self) -> bool:
        # The visitor is waiting for us, not the other way round (and with --fast the
        # simulated clock could otherwise time them out before the writer thread answers).
        if self.ready:
            return False
        real = self.real_seconds() - self.asked_at
        return self.waited < PREPARE_LIMIT_S or real < PREPARE_LIMIT_S

    def autopilot_target(self, rng: random.Random) -> tuple[float, float] | None:
        return super().autopilot_target(rng) if self.ready else None

    def idle_limit(self) -> float | None:
        return None if self.coded else super().idle_limit()

    def seconds_left(self) -> int:
        return max(0, math.ceil(self.qr_s - self.t))

    def update(self, dt: float) -> None:
        super().update(dt)
        if self.t >= PREPARE_AFTER_S and not self.thanks_ahead:  # the goodbye, ahead
            self.thanks_ahead = True
            thanks.render_ahead(self.host.text, self.host.tr, self.host.size)
        if not self.ready:
            self.waited += dt
            # The screen with the code, its countdown and input guard start when it appears.
            self.t = 0.0
            self._poll()
        if self.qr is not None and self.t >= self.qr_s:
            self.qr = None  # dropped, not hidden: nothing is left to draw the code from
            self.host.advance("done")

    def exit(self) -> None:
        self.qr = None

    def _desk_location(self) -> str:
        tr = self.host.tr
        where = self.host.config.prizes.desk.get(tr.lang) or tr("prize.desk_where")
        if where not in _warned_glyphs:
            _warned_glyphs.add(where)
            font = self.host.text.font(theme.BODY)
            missing = {c for c, m in zip(where, font.metrics(where), strict=True) if m is None}
            if missing - {" "}:
                log.warning("prize desk text %r has no glyphs for %s", where, "".join(missing))
        return where

    def tier_name(self, tier: str) -> str:
        key = f"prize.{tier}"
        tr = self.host.tr
        table = tr.strings.tables.get(tr.lang, {})
        return tr(key) if key in table else tier.replace("_", " ").capitalize()

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(surface, self.t)
        if not self.ready:
            text = self.host.text
            centre = (surface.get_width() // 2, surface.get_height() * 4 // 9)
            text.draw(
                surface, self.host.tr("claim.preparing"), theme.TITLE, theme.SUN, center=centre
            )
        elif self.qr is not None and self.award is not None:
            self._draw_code(surface, self.award, self.qr)
        elif not self.coded:  # a code whose countdown ran out leaves the backdrop alone
            self._draw_without_code(surface)
        self.draw_buttons(surface)

    def _draw_code(self, surface: pygame.Surface, award: Award, qr: pygame.Surface) -> None:
        tr, text, lay = self.host.tr, self.host.text, self.layout
        cx, room = surface.get_width() // 2, surface.get_width() - 80
        title = tr("claim.title")
        size = fit_size(text, title, theme.TITLE, room, 56)
        text.draw(surface, title, size, theme.SUN, center=(cx, lay.title_y), weight="bold")
        prize = self.tier_name(award.tier)
        text.draw(
            surface,
            tr("claim.prize", prize=prize),
            52,
            theme.TEXT,
            center=(cx, lay.prize_y),
            weight="bold",
        )
        if award.downgraded:
            note = tr("claim.downgraded", earned=self.tier_name(award.earned), prize=prize)
            draw_centred(surface, text, note, theme.SMALL, theme.TEXT_MUTED, (cx, lay.note_y), room)
        qr_rect = qr.get_rect(center=(cx, lay.qr_y))
        ref_gap, desk_gap, hint_gap = lay.line_gaps
        pygame.draw.rect(surface, (255, 255, 255), qr_rect.inflate(24, 24), border_radius=16)
        surface.blit(qr, qr_rect)
        self._draw_countdown(surface)
        text.draw(
            surface,
            tr("claim.reference", ref=award.ref),
            theme.BODY,
            theme.TEXT,
            center=(cx, qr_rect.bottom + ref_gap),
            weight="bold",
        )
        desk = tr("claim.desk", where=self.where)
        draw_centred(
            surface, text, desk, theme.BODY, theme.TEXT_MUTED, (cx, qr_rect.bottom + desk_gap), room
        )
        text.draw(
            surface,
            tr("claim.hint"),
            theme.SMALL,
            theme.TEXT_MUTED,
            center=(cx, qr_rect.bottom + hint_gap),
        )

    def _draw_countdown(self, surface: pygame.Surface) -> None:
        """A ring that empties and the seconds left, left of the QR."""
        tr, text, lay = self.host.tr, self.host.text, self.layout
        seconds = self.seconds_left()
        centre, radius = lay.countdown, lay.countdown_r
        ring = pygame.Rect(0, 0, 2 * radius, 2 * radius)
        ring.center = centre
        pygame.draw.circle(surface, theme.CARD, centre, radius)
        share = max(0.0, (self.qr_s - self.t) / self.qr_s)
        if share > 0:
            top = math.pi / 2
            pygame.draw.arc(surface, theme.SUN, ring, top, top + 2 * math.pi * share, 18)
        text.draw(surface, str(seconds), COUNTDOWN_PX, theme.TEXT, center=centre, weight="bold")
        text.draw_block(
            surface,
            tr("claim.countdown"),
            theme.BODY,
            theme.TEXT_MUTED,
            midtop=(centre[0], ring.bottom + 24),
            width=lay.countdown_text_w,
        )

    def _draw_without_code(self, surface: pygame.Surface) -> None:
        tr, text, award = self.host.tr, self.host.text, self.award
        cx = surface.get_width() // 2
        title_y, y = self.layout.sold_out_y
        title = tr("claim.sold_out_title")
        size = fit_size(text, title, 100, surface.get_width() - 80, 56)
        text.draw(surface, title, size, theme.SUN, center=(cx, title_y), weight="bold")
        if award is None:
            lines = [tr("claim.no_code"), tr("claim.desk", where=self.where)]
        elif award.sold_out:
            lines = [tr("claim.sold_out"), tr("claim.sold_out_thanks")]
        else:
            lines = [tr("claim.no_prize")]
        width = min(1300, surface.get_width() - 120)
        for line in lines:
            area = text.draw_block(
                surface, line, theme.BODY, theme.TEXT, midtop=(cx, y), width=width
            )
            y = area.bottom + 40
