"""Rows as a booth's outbox sends them, for the fleet's tests, benchmark and demo.

Plays and visits with the real column shapes (uuid hex ids, UTC ISO text with milliseconds,
JSON ``details``, prize columns on about a third of completed rounds); each row takes the
next value of the booth's version counter, as the outbox triggers would.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

GAMES = (
    "recycle_right",
    "smart_commute",
    "park_smart",
    "phish_or_legit",
    "healthy_steps",
    "smart_home_saver",
)
TIERS = ("gold", "silver", "bronze")


def iso(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class SimBooth:
    """One simulated booth: its id, version counter and clock."""

    kiosk_id: str
    clock: datetime = field(default_factory=lambda: datetime(2026, 7, 18, 2, 0, tzinfo=UTC))
    version: int = 0
    serial: int = 0
    seed: int | str | None = None  # None: the kiosk id, so each booth has its own rounds

    def __post_init__(self) -> None:
        self.rng = random.Random(self.kiosk_id if self.seed is None else self.seed)

    def _next_version(self) -> int:
        self.version += 1
        return self.version

    def round(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """One visitor's completed round: (play row, visit row)."""
        rng = self.rng
        touched = self.clock
        started = touched + timedelta(seconds=rng.uniform(4, 15))
        duration = round(rng.uniform(30, 90), 3)
        ended = started + timedelta(seconds=duration)
        self.clock = ended + timedelta(seconds=rng.uniform(5, 40))
        play_id = uuid.UUID(int=rng.getrandbits(128)).hex
        game = rng.choice(GAMES)
        language = rng.choice(("en", "zh-HK"))
        score = rng.randint(0, 100)
        tier = TIERS[min(2, (100 - score) // 20)] if score >= 40 else None
        play: dict[str, Any] = {
            "id": play_id,
            "kiosk_id": self.kiosk_id,
            "game": game,
            "language": language,
            "difficulty": rng.choice(("easy", "normal", "hard")),
            "started_at": iso(started),
            "ended_at": iso(ended),
            "duration_s": duration,
            "score": score,
            "outcome": "completed",
            "details": json.dumps(
                {"taps": rng.randint(5, 60), "hits": rng.randint(0, 30), "level": rng.randint(1, 3)}
            ),
            "prize_tier": tier,
            "earned_tier": tier,
            "prize_serial": None,
            "prize_ref": None,
            "prize_code": None,
            "version": self._next_version(),
        }
        if tier is not None:
            self.serial += 1
            play["prize_serial"] = self.serial
            play["prize_ref"] = f"{self.kiosk_id}-{self.serial:05d}"
            play["prize_code"] = "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=24))
        visit = {
            "id": uuid.UUID(int=rng.getrandbits(128)).hex,
            "kiosk_id": self.kiosk_id,
            "touched_at": iso(touched),
            "language_chosen_at": iso(touched + timedelta(seconds=2)),
            "language": language,
            "game_chosen_at": iso(started - timedelta(seconds=1)),
            "game": game,
            "play_started_at": iso(started),
            "play_id": play_id,
            "finished_at": iso(ended),
            "qr_shown_at": iso(ended + timedelta(seconds=1)) if tier else None,
            "left_at": iso(self.clock),
            "last_stage": "qr" if tier else "completed",
            "version": self._next_version(),
        }
        return play, visit

    def batch(self, rounds: int, *, durable_lsn: bool = False) -> dict[str, Any]:
        """A ``POST /fleet/v1/sync`` body carrying ``rounds`` new rounds; ``durable_lsn``:
        asking for the durable-position acknowledgement, as the booth's pusher does."""
        plays, visits = [], []
        for _ in range(rounds):
            play, visit = self.round()
            plays.append(play)
            visits.append(visit)
        body: dict[str, Any] = {
            "kiosk_id": self.kiosk_id,
            "through": self.version,
            "rows": {"plays": plays, "visits": visits},
        }
        if durable_lsn:
            body["ack"] = "durable-lsn"
        return body
