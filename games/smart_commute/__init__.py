"""Smart Commute / 智慧出行: ride across a stylised Hong Kong, fast and green, by live boards.

Each round is a few trips ("Dim sum with Grandma: Central → Mong Kok"). At every stop the
visitor gets two or three rides on cards that look like a real-time arrival board: the line
(MTR Island Line, tram, bus, Star Ferry, bike, walking, taxi) and where to get off, a
countdown to the next departure that ticks down ("3 min", "Arriving"), the minutes on the
way and the grams of CO₂ per passenger. They tap a card (or its numbered stop on the map);
the ride runs on the map while the board's clock jumps on by the wait and the ride; then the
next stop's board appears, until the destination. Wander too far and you are "lost in the
city": on to the next trip.

Score (0–100, same meaning at every difficulty). A ride's cost is its minutes (waiting +
riding, with the walk to and from a deep MTR platform) plus its CO₂ grams ÷
``grams_per_minute``. A choice is worth that cost plus the best cost still to go from where
it leads (timetable-average waits), with the countdowns as they were when the card was
pressed. Per trip::

    trip score = 100 × best ÷ chosen,   chosen = best + Σ (your pick − the best pick shown)

where ``best`` is the best journey cost from the start as the first board showed it, and a
pick within ``good_within`` of the best counts as the best. So always taking the best card
scores exactly 100 whatever the countdowns did, and a taxi or a wrong-way train costs what
it really adds. The round score is the mean over all trips
offered; a trip unfinished at the bell, or lost, counts 0. No input scores 0.

Content (stops, lines, links with minutes and grams, trips, the pace per level, every word)
lives in ``assets/games/smart_commute.toml``.

Public state for bots and tests: ``phase`` ("choose", "ride", "arrived", "done"),
``options`` (:class:`Option`: ``number``, ``ride``, ``rect``), ``best_option()``,
``value_of(option)``, ``wait_of(option)``, ``offer_id``, ``run`` (the :class:`TripRun` in
progress), ``trips``, ``trip_scores``, ``outcomes``, ``map_target(option)``, ``score()``,
``feedback``.

The package::

    network.py  the city from the TOML: stops, lines, rides, costs (no pygame)
    planner.py  which trips a round offers and which rides each board shows (no pygame)
    state.py    what a round keeps between frames, and the screen's layout
    game.py     SmartCommute: the board, taps, time, the score
    view.py     CommuteView: the frame
    citymap.py  the map behind the play (the backdrop)
    cards.py    the trip card, the ride cards, the card that ends a trip
    art.py      line styles, pins, stars, mode badges, the menu icon, the map's colours
    bot.py      CommuteBot
"""

from __future__ import annotations

from games.base import GameSpec
from games.smart_commute.art import LAND, LED_AMBER, LED_BG, PRESSED, WATER, draw_icon
from games.smart_commute.bot import CommuteBot
from games.smart_commute.game import SmartCommute
from games.smart_commute.network import Network, load_pace
from games.smart_commute.state import BANNER_RECT, OPTIONS_RECT, TRIP_RECT, Option

__all__ = [
    "BANNER_RECT",
    "GAME",
    "LAND",
    "LED_AMBER",
    "LED_BG",
    "OPTIONS_RECT",
    "PRESSED",
    "TRIP_RECT",
    "WATER",
    "CommuteBot",
    "Network",
    "Option",
    "SmartCommute",
    "load_pace",
]

GAME = GameSpec(
    id="smart_commute",
    factory=SmartCommute,
    bot=CommuteBot,
    idle_limit_s=20.0,
    draw_icon=draw_icon,
)
