"""Mini-games off the clock: how long a game takes to start, and a bot to play a whole round.

Start = building the game (zh-HK, its biggest text) and drawing its first frame, as the
kiosk does when the visitor presses Start; budget ≤ 0.3 s. Round = the game's own bot at
skill 1.0 playing a whole round at every level (seeds 1–3) without drawing, at the frame
step each game's tests used to time it with; budget per round as those tests had it. The
test suite plays these rounds on the simulated clock and checks what they score; this
script says how long they take. ``--json`` prints {"games": {id: {...}}, "within_budget"}.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

import pygame
from _common import emit

from games.base import DIFFICULTIES, Game, GameContext, GameSpec
from games.registry import discover
from kiosk.i18n import GAMES_DIR, GameTr, Strings, load_toml
from kiosk.ui.text import TextRenderer

SIZE = (1920, 1080)
START_BUDGET_S = 0.3
# Frame step and per-round budget of the wall-clock checks the game tests used to make.
ROUND = {
    "recycle_right": (1 / 60, 1.0),
    "phish_or_legit": (1 / 60, 2.0),
    "smart_home_saver": (1 / 30, 1.0),
    "healthy_steps": (1 / 30, 0.5),
    "smart_commute": (0.05, 0.5),
}
DEFAULT_ROUND = (1 / 30, 1.0)  # a game the old tests did not time


def make_game(spec: GameSpec, strings: Strings, text: TextRenderer, lang: str,
              difficulty: str, seed: int) -> Game:  # fmt: skip
    content = {k: v for k, v in load_toml(GAMES_DIR / f"{spec.id}.toml").items() if k != "strings"}
    ctx = GameContext(SIZE, lang, seed, difficulty, GameTr(strings, lang, spec.id), text, content)
    return spec.factory(ctx)


def start_s(spec: GameSpec, strings: Strings, text: TextRenderer) -> float:
    surface = pygame.Surface(SIZE)
    t0 = time.perf_counter()
    game = make_game(spec, strings, text, "zh-HK", "senior", seed=8)
    game.draw(surface)
    return time.perf_counter() - t0


def round_s(spec: GameSpec, strings: Strings, text: TextRenderer, difficulty: str,
            seed: int, dt: float) -> float:  # fmt: skip
    game = make_game(spec, strings, text, "en", difficulty, seed)
    bot = spec.bot(game, random.Random(seed * 7 + 3), 1.0)
    t0 = time.perf_counter()
    for _ in range(round((game.duration_s + 30) / dt)):
        for event in bot.step(dt):
            game.handle(event)
        game.update(dt)
        if game.finished:
            break
    took = time.perf_counter() - t0
    assert game.finished, f"{spec.id} {difficulty} seed {seed}: the round never ended"
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--runs", type=int, default=5, help="starts measured per game")
    args = parser.parse_args()
    pygame.init()
    pygame.display.set_mode((1, 1))
    strings, text = Strings(), TextRenderer()
    games: dict[str, dict] = {}
    table = []
    for game_id, spec in discover().items():
        dt, budget = ROUND.get(game_id, DEFAULT_ROUND)
        start_s(spec, strings, text)  # the first build loads fonts and art for every game
        starts = [start_s(spec, strings, text) for _ in range(args.runs)]
        rounds = [round_s(spec, strings, text, d, seed, dt)
                  for d in DIFFICULTIES for seed in (1, 2, 3)]  # fmt: skip
        row = {
            "start_median_s": round(statistics.median(starts), 3),
            "start_max_s": round(max(starts), 3),
            "round_dt": round(dt, 4),
            "round_median_s": round(statistics.median(rounds), 3),
            "round_max_s": round(max(rounds), 3),
            "round_budget_s": budget,
            "within_budget": max(starts) <= START_BUDGET_S and max(rounds) <= budget,
        }
        games[game_id] = row
        table.append((game_id, row["start_median_s"], row["start_max_s"],
                      row["round_median_s"], row["round_max_s"], budget))  # fmt: skip
    data = {
        "games": games,
        "start_budget_s": START_BUDGET_S,
        "within_budget": all(g["within_budget"] for g in games.values()),
    }
    header = ("game", "start median s", "start max s", "round median s", "round max s",
              "round budget s")  # fmt: skip
    emit(data, table, header, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
