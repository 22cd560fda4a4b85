"""Park Smart / 智能泊車: send each arriving car straight to a free bay before it circles.

A top-down car park floor in Central. Every bay has an occupancy sensor light: green means
free, red means taken. Cars roll up to the entrance gates on the left; the visitor taps a
waiting car and then a green bay (or drags from the car to the bay; tapping a green bay with
no car chosen sends the car that has waited longest). The car drives in, the light turns red,
and some time later a parked car backs out and leaves, so its light turns green again.

A driver left waiting past their patience gives up on the gate and starts circling the ring
road, puffing exhaust: circling minutes and grams of CO₂ pile up on the counter. A circling
car can still be guided in (for less credit); after a while its driver gives up and leaves.
Sending a car to a red bay, or a petrol car into an electric-car charging bay, or a car
without a permit into an accessible bay, is a mistake: the bay's light flashes and the car
stays put. Electric cars may park anywhere, and charge in a charging bay.

Score (0–100, same meaning at every difficulty)::

    score = 100 × Σ credit ÷ counted

Each car that arrives earns a credit from 0 to 1 when it is parked: 1 if guided within
``grace_s`` of arriving, sliding to ``queue_floor`` as the driver's patience runs out; once
circling, from ``circle_start`` down to 0 when the driver gives up. Every wrong bay tried for
that car takes ``mistake_penalty`` off. ``counted`` is every car parked, every car that gave
up, and every car still circling or waiting past ``grace_s`` when time runs out (a car that
arrived in the final seconds is not held against the visitor). No input at all: every driver
gives up, score 0. Pace per difficulty, the scoring numbers and every visitor-facing word live
in ``assets/games/park_smart.toml``.

The package: ``rules`` (pace, scoring, bays and cars, where a car may park and what it
earns), ``floor`` (the floor's geometry and how cars drive on it), ``game`` (the round),
``view`` (drawing the round), ``art`` (palette, signs, cars, the menu icon), ``bot``.

Public state for bots and tests: ``cars`` (:class:`Car` with ``x``/``y``, ``rect``, ``kind``,
``state``), ``waiting_cars()`` (longest wait first), ``bays`` (:class:`Bay` with ``rect``,
``kind``, ``free``), ``free_bays_for(car)``, ``can_park(car, bay)``, ``car_at``/``bay_at``,
``hover_bay()``, ``selected``, the counters ``parked``/``gave_up``/``mistakes`` and ``feedback``.
"""

from __future__ import annotations

from games.base import GameSpec
from games.park_smart.art import BOARD_FILL, SENSOR_FREE, SENSOR_TAKEN, draw_icon, render_car
from games.park_smart.bot import ParkBot
from games.park_smart.floor import BAY_D, BLOCK, BOARD, CO2_CARD, MARGIN
from games.park_smart.game import ParkSmart
from games.park_smart.rules import GRAB_SLOP, Bay, Car, Pace, Scoring, load_pace, load_scoring

__all__ = [
    "BAY_D",
    "BLOCK",
    "BOARD",
    "BOARD_FILL",
    "CO2_CARD",
    "GAME",
    "GRAB_SLOP",
    "MARGIN",
    "SENSOR_FREE",
    "SENSOR_TAKEN",
    "Bay",
    "Car",
    "Pace",
    "ParkBot",
    "ParkSmart",
    "Scoring",
    "draw_icon",
    "load_pace",
    "load_scoring",
    "render_car",
]

GAME = GameSpec(
    id="park_smart",
    factory=ParkSmart,
    bot=ParkBot,
    idle_limit_s=20.0,
    draw_icon=draw_icon,
)
