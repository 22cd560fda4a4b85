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
in this package. Children get fewer, slower, simpler cards; seniors get larger text, more
reading time and buttons only (a drag never answers for them). The QR codes on posters are
look-alike patterns that no phone can open, so nobody at the booth scans a scam address.

The package: ``deck`` (the cards' content, the pace, the deck; no pygame), ``game`` (the
round: phases, answers, score), ``view`` (drawing the round; ``layers`` keeps what stands
still on a layer of its own, ``ahead`` draws the next card in a worker), ``cardart`` and
``painter`` (each kind of card drawn as a phone or a poster shows it), ``solid`` (a card's
picture copied by its opaque body, blended only at its corners), ``art`` (icons), ``bot``.

Public state for bots and tests: ``phase`` (enter | ask | reveal | leave | wait),
``card`` (:class:`LiveCard` with ``spec``, ``uid`` and ``rect``), ``buttons`` (answer →
``pygame.Rect``), ``swipe_enabled``, the counters ``correct``/``wrong``/``missed`` and
``feedback`` (the verdict and sign currently shown).
"""

from __future__ import annotations

from games.base import GameSpec
from games.phish_or_legit.art import draw_fake_qr, draw_icon
from games.phish_or_legit.bot import PhishBot
from games.phish_or_legit.cardart import fit_card, render_card
from games.phish_or_legit.deck import (
    ANSWERS,
    CLUES,
    KINDS,
    SAFE,
    SCAM,
    CardSpec,
    Deck,
    Pace,
    load_cards,
    load_pace,
)
from games.phish_or_legit.game import Feedback, LiveCard, PhishOrLegit
from games.phish_or_legit.layout import LEAVE_S
from games.phish_or_legit.painter import (
    LINK,
    MUTED_INK,
    PAPER,
    fit_lines,
    ink_on,
    wrap_chars,
    wrap_words,
)

__all__ = [
    "ANSWERS",
    "CLUES",
    "GAME",
    "KINDS",
    "LEAVE_S",
    "LINK",
    "MUTED_INK",
    "PAPER",
    "SAFE",
    "SCAM",
    "CardSpec",
    "Deck",
    "Feedback",
    "LiveCard",
    "Pace",
    "PhishBot",
    "PhishOrLegit",
    "draw_fake_qr",
    "draw_icon",
    "fit_card",
    "fit_lines",
    "ink_on",
    "load_cards",
    "load_pace",
    "render_card",
    "wrap_chars",
    "wrap_words",
]

GAME = GameSpec(
    id="phish_or_legit",
    factory=PhishOrLegit,
    bot=PhishBot,
    idle_limit_s=25.0,
    draw_icon=draw_icon,
)
