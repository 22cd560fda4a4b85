"""The heartbeat thread: the booth's status to the centre every ~15 s, the answer kept.

``POST /fleet/v1/heartbeat`` per docs/fleet-contract.md. The body is ``status()`` (the
booth's snapshot, refreshed by its frame loop: it must be cheap and thread-safe) with
``kiosk_id`` and, unless the snapshot has it, ``booth_clock`` added. The centre's latest
answer (``server_time``, ``played_today``, ``desired``) is kept whole for
:meth:`Heartbeat.latest`; the booth (kiosk/booth/remote.py) applies ``desired`` between
visitors. A heartbeat that fails is simply sent again at the next interval (the centre
marks the booth offline meanwhile; that is the point of it), with one log line per change
of state. The centre stamps ``seen_at`` with its own clock, so a booth's wrong clock only
shows as skew.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kiosk.sync.transport import UNREACHABLE, Rounds, StateLog, describe, post_json, utc_iso

log = logging.getLogger("kiosk.sync")

HEARTBEAT_PATH = "/fleet/v1/heartbeat"
INTERVAL_S = 15.0
STALE_S = 60.0  # an older answer's played_today is not shown as today's count
TIMEOUT_S = 5.0


class Heartbeat(Rounds):
    """``.start()`` / ``.stop()`` the thread, or :meth:`step` one beat (tools and tests).

    ``sleep(seconds) -> bool`` waits between beats and says whether to stop; ``monotonic``
    dates the answers for staleness. Tests inject both."""

    thread_name = "fleet-heartbeat"

    def __init__(
        self,
        url: str,
        token: str,
        kiosk_id: str,
        status: Callable[[], dict[str, Any]],
        interval_s: float = INTERVAL_S,
        *,
        timeout_s: float = TIMEOUT_S,
        stale_s: float = STALE_S,
        sleep: Callable[[float], bool] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.url = url.rstrip("/") + HEARTBEAT_PATH
        self.token = token
        self.kiosk_id = kiosk_id
        self.status = status
        self.interval_s = interval_s
        self.timeout_s = timeout_s
        self.stale_s = stale_s
        self.monotonic = monotonic
        self.wall = wall
        super().__init__(sleep)
        self.states = StateLog(f"fleet heartbeat to {url}")
        # (answer, monotonic time it arrived), replaced whole, so readers need no lock.
        self._answer: tuple[dict[str, Any], float] | None = None
        self.last_error: str | None = None

    # -- what the booth reads ----------------------------------------------------------------
    def latest(self) -> dict[str, Any] | None:
        """The centre's latest answer, whole (None before the first)."""
        answer = self._answer
        return None if answer is None else answer[0]

    def played_today(self) -> int | None:
        """Plays today across all booths, from an answer at most ``stale_s`` old; None
        offline (the booth then shows its own count)."""
        answer = self._answer
        if answer is None or self.monotonic() - answer[1] > self.stale_s:
            return None
        value = answer[0].get("played_today")
        return value if type(value) is int and value >= 0 else None

    # -- the thread (kiosk/sync/transport.py Rounds) -----------------------------------------
    def round(self) -> float:
        self.step()
        return self.interval_s

    def after_crash(self) -> float:
        return self.interval_s

    def step(self) -> bool:
        """Send one heartbeat; True if the centre answered it."""
        try:
            body = {"booth_clock": utc_iso(self.wall()), **self.status()}
        except Exception as exc:
            return self._failed("no status to send", describe(exc))
        body["kiosk_id"] = self.kiosk_id
        try:
            answer = post_json(self.url, self.token, body, self.timeout_s)
        except UNREACHABLE as exc:
            return self._failed("centre unreachable", describe(exc))
        if answer.status != 200 or not isinstance(answer.body, dict):
            state = "refused" if 400 <= answer.status < 500 else "centre error"
            return self._failed(state, answer.reason())
        self._answer = (answer.body, self.monotonic())
        self.last_error = None
        self.states.set("online", level=logging.INFO)
        return True

    def _failed(self, state: str, detail: str) -> bool:
        self.last_error = f"{state}: {detail}"
        self.states.set(state, detail)
        return False
