"""The contract between the kiosk and a mini-game.

A game knows nothing of menus, prizes or the database. It is handed a :class:`GameContext`
(canvas size, language, seed, difficulty, its own strings and content), receives pointer
events and time, draws itself, and ends with a :class:`GameResult`. Each game module in
``games/`` exposes ``GAME = GameSpec(...)``; the registry finds it, so adding a game is one
new module plus ``assets/games/<id>.toml`` and no edit anywhere else.

Every game ships a :class:`Bot` that plays through the same pointer events a person makes.
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
    content: dict[str, Any]  # everything in assets/games/<id>.toml except [strings]

    @property
    def rng(self) -> random.Random:
        return random.Random(self.seed)


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
