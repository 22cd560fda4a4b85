"""What a round of Smart Commute keeps between frames (the cards on the board, the trip under
way, the ride on screen, fingers on cards, the feedback line) and where the screen's parts
sit on the 1920×1080 canvas.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from games.smart_commute.network import Ride, TripSpec

MARGIN = 40
MAP_RECT = pygame.Rect(24, 124, 1100, 932)
SIDE_X = 1144
SIDE_W = 752
TRIP_RECT = pygame.Rect(SIDE_X, 124, SIDE_W, 186)
HEADER_RECT = pygame.Rect(SIDE_X, 322, SIDE_W, 64)
OPTIONS_RECT = pygame.Rect(SIDE_X, 398, SIDE_W, 566)
BANNER_RECT = pygame.Rect(SIDE_X, 974, SIDE_W, 82)

SLOP = 30  # px a finger may slide off a card and still choose it
MAP_HIT_R = 56  # px around a numbered badge on the map that counts as touching it
RIPPLE_S = 0.45
FLASH_S = 0.6


# --------------------------------------------------------------------------- state


@dataclass
class Option:
    """A ride card on the board."""

    number: int  # 1, 2, 3: the badge on the card and on the map
    ride: Ride
    rect: pygame.Rect
    card: pygame.Surface | None = None


@dataclass
class TripRun:
    """One trip under way, and how well it is going."""

    spec: TripSpec
    stop: str
    max_rides: int
    came_from: str = ""
    rides: int = 0
    best: float | None = None  # best journey cost from the start, as the first board showed
    regret: float = 0.0  # what the picks added over the best pick shown each time
    minutes: int = 0
    co2: int = 0
    good_picks: int = 0
    taken: list[Ride] = field(default_factory=list)
    outcome: str = ""  # "" on the way, then "arrived" or "lost"
    score: float = 0.0

    def trip_score(self) -> float:
        return self.score_if(self.outcome)

    def score_if(self, outcome: str) -> float:
        """The trip's score were it to end now with ``outcome``."""
        if outcome != "arrived" or self.best is None:
            return 0.0
        if self.best <= 0:
            return 100.0
        return 100.0 * self.best / (self.best + self.regret)


@dataclass(frozen=True, eq=False)
class EndCard:
    """What the card that ends a trip shows: how the trip ended (``outcome``, ``score``),
    the destination's name, whether another trip follows."""

    run: TripRun
    outcome: str
    score: float
    dest: str
    more_trips: bool

    def same(self, other: EndCard | None) -> bool:
        """Whether ``other`` shows the same: the same trip, ended the same way."""
        return (
            other is not None
            and other.run is self.run
            and (other.outcome, other.score) == (self.outcome, self.score)
        )


@dataclass
class Move:
    """The ride on screen: the vehicle waits, then runs along the line to the stop."""

    ride: Ride
    wait: int
    sim0: float
    sim1: float
    duration: float
    chosen: int  # option number picked
    best: int  # option number that was best
    good: bool
    t: float = 0.0


@dataclass
class Press:
    """A finger holding a card (or its badge on the map) down."""

    option: Option
    area: pygame.Rect  # where lifting the finger still chooses it
    waits: dict[int, int]  # the board as the finger went down


@dataclass
class Feedback:
    """The line under the board, laid out in one or two lines."""

    text: str
    tone: str  # "good" | "bad" | "info"
    ttl: float  # seconds on screen
    lines: list[str] = field(default_factory=list)  # laid out once, drawn every frame
    size: int = 34
