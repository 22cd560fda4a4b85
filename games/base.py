"""The contract between the kiosk and a mini-game.

A game knows nothing of menus, prizes or the database. It is handed a :class:`GameContext`
(canvas size, language, seed, difficulty, its own strings and content), receives pointer
events and time, draws itself, and ends with a :class:`GameResult`. Each game module in
``games/`` exposes ``GAME = GameSpec(...)``; the registry finds it, so adding a game is one
new module plus ``assets/games/<id>.toml`` and no edit anywhere else.

Every game ships a :class:`Bot` that plays through the same pointer events a person makes.

**Scores mean the same in every game** (prize tiers depend on it): 100 is a flawless round,
a round with no input at all scores 0–10, and the score is the share of the round's
opportunities (items, messages, cars, steps …) the visitor handled well, so a typical adult
first-timer lands around 60–70. A bot at skill 1.0 scores ≥ 80 and at skill 0.0 ≤ 30.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pygame

from kiosk.i18n import GameTr
from kiosk.input import PointerEvent
from kiosk.ui.text import TextRenderer

DIFFICULTIES: tuple[str, ...] = ("child", "adult", "senior")


@dataclass(frozen=True)
class GameContext:
    size: tuple[int, int]
    lang: str
    seed: int
    difficulty: str
    tr: GameTr  # the game's own strings: tr("title") → game.<id>.title
    text: TextRenderer
    content: dict[str, Any]  # everything in assets/games/<id>.toml except [strings]; a copy

    def new_rng(self) -> random.Random:
        """The round's random stream; call once and keep it (each call starts over)."""
        return random.Random(self.seed)

    def pick(self, values: dict[str, str]) -> str:
        """The visitor's language from a content entry like ``{en = "…", zh-HK = "…"}``."""
        return values.get(self.lang) or values.get("en") or next(iter(values.values()), "")


@dataclass
class GameResult:
    score: int  # 0–100, meaning the same across games
    lesson_key: str  # key in the game's strings: one sentence of what the visitor learnt
    details: dict[str, Any] = field(default_factory=dict)  # JSON-able; never personal data

    def __post_init__(self) -> None:
        self.score = max(0, min(100, round(self.score)))


class Game(ABC):
    """One round of a mini-game. Subclasses implement the four abstract methods."""

    def __init__(self, ctx: GameContext) -> None:
        self.ctx = ctx
        self.finished = False
        self.cues: list[str] = []  # sound cues ("good", "bad", "tap") the kiosk may play
        # True while the visitor is meant to watch (a sequence being shown): the kiosk's
        # "Still playing?" timer stops instead of counting a watching visitor as gone.
        self.idle_paused = False

    def cue(self, name: str) -> None:
        if len(self.cues) < 16:  # a frantic visitor must not queue a minute of beeps
            self.cues.append(name)

    @abstractmethod
    def handle(self, event: PointerEvent) -> None: ...

    @abstractmethod
    def update(self, dt: float) -> None: ...

    @abstractmethod
    def draw(self, surface: pygame.Surface) -> None: ...

    @abstractmethod
    def result(self) -> GameResult: ...


class Bot(ABC):
    """Plays a game through pointer events; ``skill`` 0 plays badly, 1 plays very well."""

    def __init__(self, game: Game, rng: random.Random, skill: float) -> None:
        self.game = game
        self.rng = rng
        self.skill = skill

    @abstractmethod
    def step(self, dt: float) -> list[PointerEvent]:
        """The pointer events a player would make during the next ``dt`` seconds."""


@dataclass(frozen=True)
class GameSpec:
    id: str
    factory: Callable[[GameContext], Game]
    bot: Callable[[Game, random.Random, float], Bot]
    idle_limit_s: float = 20.0  # no touch this long while playing → "Still playing?"
    draw_icon: Callable[[pygame.Surface, pygame.Rect], None] | None = None
    required_strings: tuple[str, ...] = ("title", "promise", "howto")
    lesson_keys: tuple[str, ...] = ("lesson_high", "lesson_mid", "lesson_low")
