"""Healthy Steps / 健康步步高: copy a growing list of gentle stretches; take medicine on time.

Big picture tiles of stretches (arms up, touch shoulders, march, turn your waist …) light up
one after another; the visitor then taps the same pictures in the same order. Each list
copied correctly grows by one stretch. Every couple of lists a smart pill box on the right
runs its clock up to medicine time and glows: tap it while it glows, not before.

Score (0–100, same meaning at every difficulty)::

    score = 100 × (steps right + reminders caught) ÷ (steps asked + reminders)

A "step asked" is one tap the visitor owed: each correct tap, the wrong tap that ends a list,
or a tap that never came within the reply time. A reminder counts once it is caught, missed
(the glow ended) or tapped too early. Steps of a list cut short by the end of the round and a
reminder still glowing at the end are not held against the visitor. No input scores 0, a
flawless round 100.

Difficulty (numbers in ``assets/games/healthy_steps.toml``) changes how many pictures there
are, how fast a list is shown, the time allowed per tap, tile size and how forgiving a mistake
is: senior shows the same list once more after a mistake, then a shorter one, and lets one
early tap on the pill box pass with a "not yet".

    content.py  the stretches and the numbers per difficulty (no pygame)
    layout.py   where the banner, the tiles and the pill box go
    rules.py    the round: showing, copying, reminders, scoring (draws nothing)
    view.py     the frame: banner and dots, tiles, pill box, top bar
    art.py      the picture tiles, the pill-box panel, the menu icon
    figures.py  the stick figures doing their stretches
    bot.py      a player that taps as a visitor would
"""

from __future__ import annotations

import pygame

from games.base import GameContext, GameSpec
from games.healthy_steps.art import GLOW_FILL, draw_icon
from games.healthy_steps.bot import HealthyBot
from games.healthy_steps.content import Level, PoseSpec, load_level, load_poses
from games.healthy_steps.figures import FIGURES
from games.healthy_steps.layout import TAP_SLOP
from games.healthy_steps.rules import HealthyRound, Tile
from games.healthy_steps.view import HealthyView
from kiosk.ui.typeset import fit_name

__all__ = [
    "FIGURES",
    "GAME",
    "GLOW_FILL",
    "TAP_SLOP",
    "HealthyBot",
    "HealthySteps",
    "Level",
    "PoseSpec",
    "Tile",
    "fit_name",
    "load_level",
    "load_poses",
]


class HealthySteps(HealthyRound):
    """The round's rules (:class:`HealthyRound`) drawn by a :class:`HealthyView`."""

    def __init__(self, ctx: GameContext) -> None:
        super().__init__(ctx)
        self.view = HealthyView(self)

    def draw(self, surface: pygame.Surface) -> None:
        self.damage = self.view.draw(surface, self.surface_kept)


GAME = GameSpec(
    id="healthy_steps",
    factory=HealthySteps,
    bot=HealthyBot,
    idle_limit_s=20.0,
    draw_icon=draw_icon,
)
