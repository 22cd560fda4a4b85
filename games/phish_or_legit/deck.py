"""Phish or Legit's content: the cards, the pace per difficulty, and the deck that deals them.

No pygame here: a card is words, an answer and the part of it that gives it away, all read
from ``assets/games/phish_or_legit.toml``; how a card looks is ``cardart``'s business.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from typing import Any

from games.base import RGB, level_for, rgb

log = logging.getLogger(__name__)

SCAM, SAFE = "scam", "safe"
ANSWERS: tuple[str, ...] = (SCAM, SAFE)
KINDS: tuple[str, ...] = ("sms", "whatsapp", "email", "app", "call", "url", "poster")
CLUES: tuple[str, ...] = ("sender", "subject", "body", "link", "note", "qr")


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
