"""The booth runs as its systemd unit starts it: ``PYTHONOPTIMIZE=2`` (python -OO), with no
docstrings and no asserts in the loaded code (3.3 MB less at rest: issue 13's 150 MB at
4K). Nothing may depend on either: every game, in both languages, is played to its end and
drawn under -OO here, and the session's shared boot (tests/bootkit.py) runs the whole
journey, claim screen and QR code that way."""

from __future__ import annotations

import os
import subprocess
import sys

from kiosk import ROOT

PLAY_EVERY_GAME = """
import json, random, sys
import pygame
from games.registry import discover
from tests.gamekit import GameKit, play

assert False, "asserts run: not optimized"  # -OO leaves this out
if sys.flags.optimize < 2 or discover.__doc__ is not None:
    sys.exit("not running at PYTHONOPTIMIZE=2")
surface = pygame.Surface((1920, 1080))
for game_id, spec in sorted(discover().items()):
    for lang in ("en", "zh-HK"):
        kit = GameKit(spec)
        game = kit.make_game(lang, "adult", seed=3)
        bot = spec.bot(game, random.Random(3), 0.9)
        for n in play(game, bot, 200.0, 0.05):
            if n % 10 == 0:
                game.draw(surface)
            if game.finished:
                break
        if not game.finished:
            sys.exit(f"{game_id} {lang}: the round never ended")
        game.draw(surface)
        result = game.result()
        print(game_id, lang, result.score, json.dumps(result.details))
"""


def test_every_game_plays_to_its_end_under_python_optimize_2() -> None:
    env = dict(os.environ, PYTHONOPTIMIZE="2", PYGAME_HIDE_SUPPORT_PROMPT="1")
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    proc = subprocess.run(
        [sys.executable, "-c", PLAY_EVERY_GAME],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    played = [line.split()[:2] for line in proc.stdout.splitlines()]
    assert len(played) == 12 and {lang for _, lang in played} == {"en", "zh-HK"}
