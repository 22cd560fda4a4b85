"""Recycle Right's content: the items and the pace per difficulty, read from its TOML, and
the seeded deck that deals the items. Plain data: no pygame."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from games.base import RGB, level_for, rgb


@dataclass(frozen=True)
class ItemSpec:
    id: str
    bin: str
    glyph: str
    color: RGB
    accent: RGB
    tricky: bool
    name: dict[str, str]
    why: dict[str, str]

    def name_in(self, lang: str) -> str:
        return self.name.get(lang) or self.name.get("en") or self.id

    def why_in(self, lang: str) -> str:
        return self.why.get(lang) or self.why.get("en") or ""


@dataclass(frozen=True)
class Pace:
    duration_s: float = 60.0
    spawn_every_s: float = 1.8
    fall_s: float = 7.5
    max_items: int = 5
    card_w: int = 190
    card_h: int = 176
    name_size: int = 27
    tricky_share: float = 0.5
    refill_gap_s: float = 0.6  # nothing left to grab: the next item comes this soon


def load_items(content: dict[str, Any]) -> list[ItemSpec]:
    bins = {b["id"] for b in content.get("bins", [])}
    items = []
    for raw in content.get("items", []):
        if raw.get("bin") not in bins:
            continue  # a content typo must not crash a visitor's game (a test catches it)
        items.append(
            ItemSpec(
                id=str(raw["id"]),
                bin=str(raw["bin"]),
                glyph=str(raw.get("glyph", "")),
                color=rgb(raw.get("color")),
                accent=rgb(raw.get("accent"), (90, 90, 90)),
                tricky=bool(raw.get("tricky", False)),
                name=dict(raw.get("name", {})),
                why=dict(raw.get("why", {})),
            )
        )
    return items


def load_pace(content: dict[str, Any], difficulty: str) -> Pace:
    return level_for(Pace, content, difficulty)


@dataclass
class Deck:
    """Deals items: tricky ones with probability ``share``, each pile reshuffled when empty."""

    rng: random.Random
    plain: list[ItemSpec]
    tricky: list[ItemSpec]
    share: float
    _plain: list[ItemSpec] = field(default_factory=list)
    _tricky: list[ItemSpec] = field(default_factory=list)
    last: str = ""

    def draw(self) -> ItemSpec:
        use_tricky = bool(self.tricky) and (not self.plain or self.rng.random() < self.share)
        pile, source = (self._tricky, self.tricky) if use_tricky else (self._plain, self.plain)
        if not pile:
            pile.extend(source)
            self.rng.shuffle(pile)
            if len(pile) > 1 and pile[-1].id == self.last:
                pile.insert(0, pile.pop())  # no immediate repeat across a reshuffle
        spec = pile.pop()
        self.last = spec.id
        return spec
