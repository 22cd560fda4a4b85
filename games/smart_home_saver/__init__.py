"""Smart Home Saver / 智能家居慳電: switch off what nobody uses in a cut-away Hong Kong flat.

A Hong Kong flat on a summer evening, drawn as a cut-away: two rows of rooms, each with an
occupancy sensor (it glows while someone is in the room) and a row of appliance tiles. People
walk from room to room and out of the flat; whoever walks in switches on what they use (the
air-con straight to 20 °C) and leaves it all on when they walk out. The visitor taps:

- anything on in an empty room → off (saved; the tile's wasted watts float up);
- an air-con → cycles 20 °C → 25.5 °C → off → 20 °C (25.5 °C is what an occupied room needs);
- something needed (the fridge; anything in a room with people in it) → a comfort mistake:
  the occupant protests and switches it back on a moment later.

A smart meter shows kWh and HK$ saved (tariff and time compression in the TOML), the watts
being wasted right now, and comfort hearts.

Score (0–100, same meaning at every difficulty)::

    score = 100 × saved ÷ ideal − mistake_penalty × comfort mistakes,   clamped to 0–100

Three copies of every appliance's state run side by side on the same people schedule (people
never react to the visitor, so the schedule is fixed by the seed): the visitor's, one nobody
touches, and one an ideal player handles ``grace_s`` after each waste starts. ``saved`` is the
untouched copy's wasted energy minus the visitor's; ``ideal`` is the untouched copy's minus the
ideal player's. No input saves nothing (score 0); a player as quick as the ideal one scores
100. Rooms, appliances, wattages, people and the pace per difficulty live in
``assets/games/smart_home_saver.toml``; no visitor-facing words are in this package.

Public state for bots and tests: ``rooms`` (:class:`Room` with ``id``, ``rect``),
``appliances`` (:class:`Appliance` with ``spec``, ``room``, ``mode``, ``rect``),
``occupied(room_id)``, ``waste_w(appliance)``, ``wasting()``, ``appliance_at(x, y)``,
``people``, the counters ``mistakes`` / ``good_taps`` / ``wasteful_taps`` / ``taps``, the
energy totals ``saved_kwh`` / ``ideal_kwh`` / ``baseline_kwh``, and ``feedback``.

The package::

    content.py  the TOML read into specs, and the rules of waste (no pygame)
    evening.py  the family's schedule for the round, drawn from the seed (no pygame)
    flat.py     rooms, appliances and people as the game keeps them; layout; timings
    game.py     SmartHomeSaver: taps, time, the three flats' energy, the score
    view.py     FlatView: the frame, with its cached backdrop and tiles
    art.py      rooms, tiles, people, badges, the menu icon
    glyphs.py   the appliance pictures
    bot.py      SaverBot
"""

from __future__ import annotations

from games.base import GameSpec
from games.smart_home_saver.art import COLD_TEXT, DISPLAY, ECO_TEXT, TILE_OFF, TILE_ON, draw_icon
from games.smart_home_saver.bot import SaverBot
from games.smart_home_saver.content import load_appliances, load_level, on_mode
from games.smart_home_saver.flat import SPARK_S, Appliance, Person
from games.smart_home_saver.game import SmartHomeSaver

__all__ = [
    "COLD_TEXT",
    "DISPLAY",
    "ECO_TEXT",
    "GAME",
    "SPARK_S",
    "TILE_OFF",
    "TILE_ON",
    "Appliance",
    "Person",
    "SaverBot",
    "SmartHomeSaver",
    "load_appliances",
    "load_level",
    "on_mode",
]

GAME = GameSpec(
    id="smart_home_saver",
    factory=SmartHomeSaver,
    bot=SaverBot,
    idle_limit_s=20.0,
    draw_icon=draw_icon,
)
