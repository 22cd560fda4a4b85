"""What the kiosk knows about the visitor in front of it, and nothing more.

A fresh :class:`Visit` starts at the attract screen's touch and is dropped when the visitor
leaves (thanks screen, or the idle countdown), so no state leaks to the next person. It holds
no personal data: a language, a game, a difficulty, the play's result and whether they asked
for large text (their volume lives in the speech and sound output, reset at the next visit).
Its ``id`` is random, made at the touch: it names the visit's row in the play log (the
funnel: kiosk/playlog/schema.py ``visits``), never a person.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from games.base import GameResult, GameSpec


@dataclass
class Visit:
    seed: int
    lang: str = "en"
    game: GameSpec | None = None
    difficulty: str = "adult"
    play_id: str | None = None  # set while a play row is open in the store
    play_started: datetime | None = None  # the open play's start on the wall clock …
    play_started_mono: float = 0.0  # … and on the kiosk's monotonic clock
    play_ref: str | None = None  # the finished play's id, for its prize claim
    result: GameResult | None = None
    large_text: bool = False  # large text and high contrast, switched on by the visitor
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
