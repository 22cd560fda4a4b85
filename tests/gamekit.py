"""Scaffolding the mini-games' test files share: a real round, a bot, chaos, frames, checks.

A game is built from a real :class:`GameContext` (the shipped strings, font and
``assets/games/<id>.toml``); its own bot plays whole rounds, random fingers are thrown at it,
it is drawn and compared with reference screenshots. ``tests/test_game_contract.py`` uses
this for what every game promises; each ``tests/test_<game>.py`` for that game's own rules.
A plain module, not a conftest: a test file names what it imports from here.
"""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, TypeVar

import numpy as np
import pygame
import pytest

from games.base import DIFFICULTIES, Bot, Game, GameContext, GameResult, GameSpec
from kiosk.i18n import GAMES_DIR, LANGUAGES, GameTr, Strings, load_toml
from kiosk.input import PointerEvent
from kiosk.ui import theme
from kiosk.ui.text import FONT_DIR, FONT_FILES, TextRenderer
from tests import screenkit

DT = 1 / 60  # a 60 fps frame
SIZE = (1920, 1080)  # the design canvas every game is laid out on

G = TypeVar("G", bound=Game)

# Every language × every level, as ``lang`` and ``difficulty`` (ids read "child-en").
every_level = pytest.mark.parametrize(
    "difficulty,lang", [(d, lang) for lang in LANGUAGES for d in DIFFICULTIES]
)
Aim = Callable[[Any, random.Random], tuple[float, float] | None]


@cache
def strings() -> Strings:
    return Strings()


@cache
def text() -> TextRenderer:
    pygame.font.init()
    return TextRenderer()


@cache
def raw(game_id: str) -> dict[str, Any]:
    """The game's whole TOML file, strings included (cached: do not change it)."""
    return load_toml(GAMES_DIR / f"{game_id}.toml")


class GameKit(Generic[G]):
    """Builds and plays one game: ``KIT: GameKit[MyGame] = GameKit(my_game.GAME)``.

    ``bot_dt`` and ``bot_s`` are how finely and (at most) how long :meth:`run_bot` plays.
    """

    def __init__(self, spec: GameSpec, bot_dt: float = DT, bot_s: float = 65.0) -> None:
        self.spec = spec
        self.game_id = spec.id
        self.bot_dt = bot_dt
        self.bot_s = bot_s

    def raw(self) -> dict[str, Any]:
        return raw(self.game_id)

    def content(self) -> dict[str, Any]:
        """What a game is handed: its TOML without ``[strings]``, as a fresh copy."""
        return {k: v for k, v in self.raw().items() if k != "strings"}

    def make_ctx(self, lang: str = "en", difficulty: str = "adult", seed: int = 1) -> GameContext:
        return GameContext(
            size=SIZE,
            lang=lang,
            seed=seed,
            difficulty=difficulty,
            tr=GameTr(strings(), lang, self.game_id),
            text=text(),
            content=self.content(),
        )

    def make_game(self, lang: str = "en", difficulty: str = "adult", seed: int = 1) -> G:
        return self.spec.factory(self.make_ctx(lang, difficulty, seed))  # type: ignore[return-value]

    def run_bot(
        self,
        skill: float,
        difficulty: str = "adult",
        seed: int = 1,
        lang: str = "en",
        dt: float | None = None,
    ) -> G:
        """A round played by the game's bot at ``skill``, to the end (or ``bot_s``)."""
        dt = dt or self.bot_dt
        game = self.make_game(lang, difficulty, seed)
        bot = self.spec.bot(game, random.Random(seed * 7 + 3), skill)
        for _ in play(game, bot, self.bot_s, dt):
            if game.finished:
                break
        return game


# --------------------------------------------------------------------------- playing


def run(game: Game, seconds: float, dt: float = DT) -> None:
    """Time passes with nobody touching the screen."""
    for _ in range(round(seconds / dt)):
        game.update(dt)


def play(game: Game, bot: Bot, seconds: float, dt: float = DT) -> Iterator[int]:
    """The bot plays for ``seconds``, frame by frame; yields each frame's number after it."""
    for n in range(round(seconds / dt)):
        for event in bot.step(dt):
            game.handle(event)
        game.update(dt)
        yield n


def chaos(
    make_game: Callable[..., G],
    aim: Aim,
    *,
    steps: int,
    kinds: Sequence[str],
    pointers: int = 5,
    dts: Sequence[float] = (0.0, DT, 0.05, 0.3),
    draw_every: int = 400,
    clear_cues_every: int = 0,
) -> Iterator[G]:
    """Frantic multi-finger input at every level, in Chinese, with time passing in uneven
    steps and a frame drawn now and then; yields each level's game afterwards.

    ``aim(game, rng)`` picks a place worth hitting, or None for anywhere on (or just off)
    the screen. ``clear_cues_every`` plays the kiosk, which takes the cues every frame.
    """
    rng = random.Random(2024)
    for difficulty in DIFFICULTIES:
        game = make_game("zh-HK", difficulty, seed=rng.randrange(1000))
        surface = pygame.Surface(SIZE)
        for n in range(steps):
            kind = rng.choice(kinds)
            pos = aim(game, rng)
            x, y = pos if pos is not None else (rng.uniform(-50, 1970), rng.uniform(-50, 1130))
            game.handle(PointerEvent(kind, x, y, rng.randrange(pointers)))
            if n % 3 == 0:
                game.update(rng.choice(dts))
            if n % draw_every == 0:
                game.draw(surface)
            if clear_cues_every and n % clear_cues_every == 0:
                game.cues.clear()
        yield game


def bot_aim(spec: GameSpec) -> Aim:
    """An ``aim`` for :func:`chaos` that needs no knowledge of the game: half the time near
    where the game's own bot would touch next (its targets: items, buttons, bays …), else
    anywhere. One bot per game, so each keeps following its own round."""
    bots: dict[int, Bot] = {}

    def aim(game: Any, rng: random.Random) -> tuple[float, float] | None:
        if rng.random() < 0.5:
            bot = bots.setdefault(id(game), spec.bot(game, random.Random(rng.random()), 1.0))
            events = bot.step(DT)
            if events:
                event = rng.choice(events)
                return event.x + rng.uniform(-40, 40), event.y + rng.uniform(-40, 40)
        return None

    return aim


@dataclass(frozen=True)
class ChaosRound:
    """One level's round after :func:`chaos`: the game once the clock has then run out, the
    result in the middle of the storm, and how many more seconds the round took to end."""

    game: Game
    result_in_storm: GameResult
    ended_after_s: float


@cache
def chaos_rounds(game_id: str) -> tuple[ChaosRound, ...]:
    """Every level of a game after 3,000 frantic inputs from six fingers aimed by
    :func:`bot_aim`, then left alone until it ends (at most 30 s past its length).

    Cached: the contract test and the game's own test file read the same rounds; neither
    may change them."""
    from games.registry import discover

    spec = discover()[game_id]
    kinds = ("down", "down", "move", "move", "up")
    dts = (0.0, DT, 0.05, 0.1, 0.3)
    rounds = []
    for game in chaos(GameKit(spec).make_game, bot_aim(spec), steps=3000, kinds=kinds,
                      pointers=6, dts=dts, draw_every=400, clear_cues_every=7):  # fmt: skip
        mid = game.result()
        waited = 0.0
        while not game.finished and waited < game.duration_s + 30:
            game.update(0.25)
            waited += 0.25
        rounds.append(ChaosRound(game, mid, waited))
    return tuple(rounds)


# --------------------------------------------------------------------------- drawing


def colours(surface: pygame.Surface, step: int = 40) -> set[tuple[int, ...]]:
    """The distinct colours on a grid of points ``step`` px apart: a blank frame has one."""
    w, h = surface.get_size()
    return {tuple(surface.get_at((x, y))[:3]) for x in range(0, w, step) for y in range(0, h, step)}


def finish_and_draw(game: Game, surface: pygame.Surface) -> None:
    """Let the round run out in big steps, then draw the final frame."""
    while not game.finished:
        game.update(0.25)
    game.draw(surface)


def icon(spec: GameSpec) -> pygame.Surface:
    """The game's menu icon drawn in a 200 px square on a card-coloured 240 px surface."""
    surface = pygame.Surface((240, 240))
    surface.fill(theme.CARD)
    assert spec.draw_icon is not None
    spec.draw_icon(surface, pygame.Rect(20, 20, 200, 200))
    return surface


class _Frame:
    """What screenkit.check() expects of an app: draw() onto .canvas."""

    def __init__(self, game: Game) -> None:
        self.game = game
        self.canvas = pygame.Surface(SIZE)

    def draw(self) -> None:
        self.game.draw(self.canvas)


def check_screen(request: Any, name: str, game: Game) -> None:
    """The game's frame now against ``tests/screens/<name>.png``, as the kiosk's screens are."""
    screenkit.check(request, name, _Frame(game))


# --------------------------------------------------------------------------- content and words


def required_strings(spec: GameSpec) -> set[str]:
    """The keys every game needs: its spec's required strings and lessons, ``time_left``."""
    return set(spec.required_strings) | set(spec.lesson_keys) | {"time_left"}


def check_string_tables(spec: GameSpec) -> dict[str, Any]:
    """What every game's ``[strings]`` must be: the same keys in both languages, none empty,
    the same placeholders in both, the spec's required strings and lessons and the top bar's
    ``time_left`` there, and the kiosk finds every key. Returns the tables."""
    game_id = spec.id
    tables = raw(game_id)["strings"]
    assert set(tables["en"]) == set(tables["zh-HK"])
    needed = required_strings(spec)
    assert needed <= set(tables["en"]), needed - set(tables["en"])
    for key in tables["en"]:
        holes = [set(re.findall(r"{(\w+)", tables[lang][key])) for lang in LANGUAGES]
        assert holes[0] == holes[1], key
        assert all(tables[lang][key].strip() for lang in LANGUAGES), key
    missing = strings().missing()
    assert not any(k.startswith(f"game.{game_id}.") for keys in missing.values() for k in keys)
    return tables


def check_strings(spec: GameSpec, needed: set[str], titles: tuple[str, str]) -> dict[str, Any]:
    """One game's own strings: ``needed`` all there and the titles as given (English,
    Chinese), on top of what every game's tables must be (:func:`check_string_tables`, which
    tests/test_game_contract.py also runs for every game). Returns the tables."""
    tables = check_string_tables(spec)
    assert needed <= set(tables["en"]), needed - set(tables["en"])
    assert (tables["en"]["title"], tables["zh-HK"]["title"]) == titles
    return tables


def characters(value: object) -> set[str]:
    """Every character in the strings anywhere inside ``value`` (tables, lists, strings)."""
    if isinstance(value, str):
        return set(value)
    if isinstance(value, dict):
        return set().union(*(characters(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(characters(v) for v in value))
    return set()


def glyphless(chars: set[str], weight: str) -> list[str]:
    """The characters the shipped font draws as its .notdef box (it has no glyph for them).

    The subset keeps a visible box for missing glyphs, so ``metrics()`` is never None: each
    character's pixels are compared with the box a surely-missing code point draws.
    """
    font = pygame.font.Font(FONT_DIR / FONT_FILES[weight], 40)

    def pixels(c: str) -> bytes:
        return pygame.image.tobytes(font.render(c, True, (255, 255, 255), (0, 0, 0)), "RGB")

    box = pixels("\U0010fffd")
    return sorted(c for c in chars if not c.isspace() and pixels(c) == box)


SCRIBBLE = (255, 0, 255)  # what an overlay leaves on a game's canvas


def draw_now_and_then_disturbed(
    game: Game,
    canvas: pygame.Surface,
    other: pygame.Surface,
    n: int,
    every: int,
    overlay_at: int,
    elsewhere_at: int,
) -> bool:
    """Draw frame ``n`` of ``game`` on the canvas it drew on last, except now and then (at
    ``overlay_at`` of each ``every`` frames an overlay drew over the canvas; at
    ``elsewhere_at`` the game drew a frame on ``other``, which must report its damage
    unknown). Returns whether the canvas was kept."""
    kept = n > 0
    if n % every == overlay_at:
        canvas.fill(SCRIBBLE, (300, 300, 900, 500))
        kept = False
    if n % every == elsewhere_at:
        game.surface_kept = True
        game.draw(other)
        assert game.damage is None  # not the surface it drew on last
    game.surface_kept = kept
    game.draw(canvas)
    return kept


def unreported(
    cur: np.ndarray, prev: np.ndarray, damage: list[pygame.Rect]
) -> tuple[int, int] | None:
    """A pixel that changed from ``prev`` to ``cur`` outside ``damage`` (x, y), if any."""
    outside = cur != prev
    for r in damage:
        outside[r.top : r.bottom, r.left : r.right] = False
    if not outside.any():
        return None
    ys, xs = np.nonzero(outside)
    return (int(xs[0]), int(ys[0]))
