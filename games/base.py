"""The contract between the kiosk and a mini-game.

A game knows nothing of menus, prizes or the database. It is handed a :class:`GameContext`
(canvas size, language, seed, difficulty, its own strings and content), receives pointer
events and time, draws itself, and ends with a :class:`GameResult`. Each game package (or
module) in ``games/`` exposes ``GAME = GameSpec(...)``; the registry finds it, so adding a
game is one new package plus ``assets/games/<id>.toml`` and no edit anywhere else. What
every game repeats (timers, hit-testing, the backdrop, the top bar) is in ``games/kit/``.

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
from typing import Any, TypeVar

import pygame

from kiosk.i18n import GameTr
from kiosk.input import PointerEvent
from kiosk.ui.text import TextRenderer

DIFFICULTIES: tuple[str, ...] = ("child", "adult", "senior")
MAX_STEP_S = 0.25  # the longest time step a game takes in one update

RGB = tuple[int, int, int]
T = TypeVar("T")
D = TypeVar("D")


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
    """One round of a mini-game. Subclasses implement the five abstract methods."""

    # The lessons' score thresholds when the content's [scoring] table does not give them.
    HIGH_FROM = 80
    MID_FROM = 50

    def __init__(self, ctx: GameContext) -> None:
        self.ctx = ctx
        scoring = ctx.content.get("scoring", {})
        self.high_from = int(scoring.get("lesson_high_from", self.HIGH_FROM))
        self.mid_from = int(scoring.get("lesson_mid_from", self.MID_FROM))
        self.finished = False
        self.cues: list[str] = []  # sound cues ("good", "bad", "tap") the kiosk may play
        # True while the visitor is meant to watch (a sequence being shown): the kiosk's
        # "Still playing?" timer stops instead of counting a watching visitor as gone.
        self.idle_paused = False
        self.elapsed = 0.0  # seconds played; the game advances it in update()
        self.duration_s = 0.0  # the round's length; the game sets it from its level
        # Set by the kiosk before each draw: the surface holds the frame this round drew
        # last, nothing drawn over it since, so a draw may paint only what changed
        # (games/kit/redraw.py). False: paint everything.
        self.surface_kept = False
        # The surface this round's first picture was drawn on ahead, nothing drawn there
        # since (kiosk/booth/pregame.py, a scratch surface): the kiosk may copy it onto the
        # canvas and go on from it (``surface_moved``). None: not drawn ahead.
        self.drawn_ahead_on: pygame.Surface | None = None
        # Set by a draw that knows it: the rectangles it may have changed since the last
        # frame (kiosk/booth/scenes/base.py Scene.damage); None: not known.
        self.damage: list[pygame.Rect] | None = None

    @property
    def time_left(self) -> float:
        return max(0.0, self.duration_s - self.elapsed)

    @staticmethod
    def step(dt: float) -> float:
        """``dt`` as one update may use it: never negative, and at most ``MAX_STEP_S`` so a
        stalled frame (a slow disk, a busy machine) cannot skip a whole chunk of the round."""
        return min(max(dt, 0.0), MAX_STEP_S)

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

    def surface_moved(self, old: pygame.Surface, new: pygame.Surface) -> bool:
        """``new`` now holds a copy of the frame this round drew last on ``old``: may its
        next draw on ``new`` go on from it (``surface_kept``)? One blit of the picture
        drawn ahead then stands for the first frame's whole draw. False (the default):
        ``new`` is drawn whole."""
        return False

    def draw_ahead(self) -> None:
        """Pictures the round will need later (every card it may deal), made before it
        starts, in the worker that builds it while the how-to is read
        (kiosk/booth/pregame.py), not in a frame. Most games need nothing here."""
        return None

    @abstractmethod
    def score(self) -> int:
        """The score so far, 0–100, meaning the same in every game (see above)."""

    def graded(self, **details: Any) -> GameResult:
        """The result now: the score, the lesson it earns (from ``high_from``/``mid_from``)
        and ``details``, led by the level played and closed by the seconds played, so every
        game's log rows read alike."""
        score = self.score()
        lesson = lesson_for(score, self.high_from, self.mid_from)
        seconds = round(min(self.elapsed, self.duration_s), 1)
        details = {"difficulty": self.ctx.difficulty, **details, "seconds": seconds}
        return GameResult(score, lesson, details=details)


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


# --------------------------------------------------------------------------- content helpers
# Every game reads its TOML the same forgiving way: a typo falls back to a default instead of
# crashing a visitor's round (each game's tests check its content for such typos).


def typed(cls: type[T], raw: dict[str, Any]) -> T:
    """An instance of the dataclass ``cls`` from ``raw``, each field converted to the type of
    its default (a tuple field becomes a tuple of strings); missing fields keep the default."""
    defaults = cls()
    kwargs: dict[str, Any] = {}
    for name in cls.__dataclass_fields__:  # type: ignore[attr-defined]
        default = getattr(defaults, name)
        value = raw.get(name, default)
        if isinstance(default, tuple):
            kwargs[name] = tuple(str(v) for v in value)
        else:
            kwargs[name] = type(default)(value)
    return cls(**kwargs)


def level_for(cls: type[T], content: dict[str, Any], difficulty: str) -> T:
    """The ``[difficulty.<level>]`` table as a ``cls``; an unknown level plays as adult."""
    table = content.get("difficulty", {})
    return typed(cls, table.get(difficulty) or table.get("adult") or {})


def rgb(value: Any, default: RGB | D = (200, 200, 200)) -> RGB | D:
    """A content colour ``[r, g, b]`` clamped to 0–255, or ``default`` if it is malformed."""
    try:
        r, g, b = (max(0, min(255, int(c))) for c in value)
        return (r, g, b)
    except (TypeError, ValueError):
        return default


def lesson_for(score: int, high_from: int, mid_from: int) -> str:
    """The lesson key a score earns: ``lesson_high``, ``lesson_mid`` or ``lesson_low``."""
    if score >= high_from:
        return "lesson_high"
    if score >= mid_from:
        return "lesson_mid"
    return "lesson_low"
