"""The booth's play log: a :class:`~kiosk.playlog.api.PlayLog` whose writes never wait.

Every write is queued on the :class:`~kiosk.playlog.writer.Writer` thread and returns at once
(a play's id is made here, so ``start_play`` can answer before the row exists). ``pending``
and ``notices`` come from the writer's last status snapshot. Reads are answered by the
writer thread after every write queued before them, so they see those writes; they *wait*
for it, which suits start-up, shutdown, tools and tests, never the frame loop: the booth
asks for what it needs to show with :meth:`submit` and polls the future.
"""

from __future__ import annotations

import uuid
from concurrent.futures import Future
from datetime import datetime
from typing import Any

from kiosk.playlog.api import PrizeIssuer
from kiosk.playlog.writer import Job, T, Writer


class QueuedLog:
    """Writes queued, reads waited for, status from the last snapshot."""

    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        self.kiosk_id = writer.store.kiosk_id
        self.path = writer.store.path

    def submit(self, fn: Job[T], *, urgent: bool = False, what: str = "") -> Future[T]:
        return self.writer.submit(fn, urgent=urgent, what=what)

    def call(self, fn: Job[T], timeout: float | None = 60.0) -> T:
        return self.writer.call(fn, timeout)

    # -- writes: queued, answered at once ---------------------------------------------------
    def start_play(
        self,
        game: str,
        language: str,
        difficulty: str,
        started_at: datetime,
        play_id: str | None = None,
    ) -> str:
        play_id = play_id or uuid.uuid4().hex
        self.writer.submit(
            lambda s: s.start_play(game, language, difficulty, started_at, play_id=play_id),
            what="start a play",
        )
        return play_id

    def finish_play(
        self,
        play_id: str,
        outcome: str,
        ended_at: datetime,
        score: int | None = None,
        details: dict | None = None,
    ) -> None:
        self.writer.submit(
            lambda s: s.finish_play(play_id, outcome, ended_at, score, details),
            what="finish a play",
        )

    def audit(self, action: str, at: datetime, detail: str = "") -> None:
        self.writer.submit(lambda s: s.audit(action, at, detail), what="audit")

    def start_visit(self, visit_id: str, touched_at: datetime) -> None:
        self.writer.submit(lambda s: s.start_visit(visit_id, touched_at), what="start a visit")

    def update_visit(self, visit_id: str, stage: str, at: datetime, value: str = "") -> None:
        self.writer.submit(
            lambda s: s.update_visit(visit_id, stage, at, value), what=f"visit {stage}"
        )

    def set_game_enabled(self, day: str, game: str, enabled: bool) -> None:
        self.writer.submit(lambda s: s.set_game_enabled(day, game, enabled), what="switch")

    def adjust_stock(self, day: str, tier: str, delta: int, at: datetime, note: str = "") -> None:
        self.writer.submit(lambda s: s.adjust_stock(day, tier, delta, at, note), what="stock")

    def record_daily_stock(self, day: str, stock: dict[str, int], at: datetime) -> None:
        self.writer.submit(lambda s: s.record_daily_stock(day, stock, at), what="daily stock")

    def daily_stock(self, day: str) -> dict[str, int]:
        return self.call(lambda s: s.daily_stock(day))

    def record_prize(self, play_id: str, prize: dict[str, Any]) -> dict | None:
        self.writer.submit(lambda s: s.record_prize(play_id, prize), what="record a prize")
        return None

    def flush(self) -> int:
        """Queue a replay of buffered writes; returns 0 (the replay has not run yet)."""
        self.writer.submit(lambda s: s.flush() if s.pending else 0, what="flush")
        return 0

    def check_file(self) -> bool:
        """Queue the between-visitors check of the file; returns False (it has not run yet)."""
        self.writer.submit(lambda s: s.check_file(), what="check its file")
        return False

    def acknowledge(self) -> None:
        self.writer.submit(lambda s: s.acknowledge(), urgent=True, what="acknowledge")

    def close(self) -> None:
        self.writer.close()

    # -- status: the writer's last snapshot ---------------------------------------------------
    @property
    def pending(self) -> int:
        return self.writer.status.pending

    @property
    def notices(self) -> list[str]:
        return list(self.writer.status.notices)

    # -- reads: answered by the writer thread, waited for -------------------------------------
    def close_stale(self, ended_at: datetime) -> int:
        return self.call(lambda s: s.close_stale(ended_at))

    def get(self, play_id: str) -> dict | None:
        return self.call(lambda s: s.get(play_id))

    def plays(self, **where: Any) -> list[dict]:
        return self.call(lambda s: s.plays(**where))

    def visits(self, **where: Any) -> list[dict]:
        return self.call(lambda s: s.visits(**where))

    def count(self, outcome: str | None = None) -> int:
        return self.call(lambda s: s.count(outcome))

    def audit_rows(self, limit: int = 50) -> list[dict]:
        return self.call(lambda s: s.audit_rows(limit))

    def last_audit(self, action: str) -> dict | None:
        return self.call(lambda s: s.last_audit(action))

    def stock_notes(self, prefix: str) -> set[str]:
        return self.call(lambda s: s.stock_notes(prefix))

    def outcomes_by_game(self, since: datetime, until: datetime) -> dict[str, dict[str, int]]:
        return self.call(lambda s: s.outcomes_by_game(since, until))

    def game_switches(self, day: str) -> dict[str, bool]:
        return self.call(lambda s: s.game_switches(day))

    def award_prize(
        self, play_id: str, since: datetime, until: datetime, day: str, issue: PrizeIssuer
    ) -> dict | None:
        return self.call(lambda s: s.award_prize(play_id, since, until, day, issue))

    def issued_prizes(self) -> list[dict]:
        return self.call(lambda s: s.issued_prizes())

    def prizes_awarded(self, since: datetime, until: datetime) -> dict[str, int]:
        return self.call(lambda s: s.prizes_awarded(since, until))

    def stock_adjustments(self, day: str) -> dict[str, int]:
        return self.call(lambda s: s.stock_adjustments(day))

    def health(self) -> dict[str, Any]:
        return self.call(lambda s: s.health())
