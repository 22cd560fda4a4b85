"""Real and simulated time, and a watch on the wall clock.

Everything that depends on time (idle limits, game timers, animations, play durations)
reads a :class:`Clock`, so tests and ``--fast`` runs can drive a 60-second game in
milliseconds; the wall clock only dates things. :class:`WallClockWatch` notices a wall
clock that was never set or that jumped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, Protocol

log = logging.getLogger(__name__)

FRAME_DT = 1 / 60


class Clock(Protocol):
    def now(self) -> float: ...

    def tick(self) -> float:
        """Wait for the next frame if pacing, and return the seconds since the last tick."""
        ...


class RealClock:
    """Wall time, paced to ``fps`` frames per second.

    Each frame waits for its own deadline, one period after the last one's, rather than a
    period after the frame's own start (pygame's ``Clock.tick``, whole milliseconds): a
    wake-up that comes late, as a busy or idle machine's scheduler makes it, is then made up
    by a shorter wait next frame, and a still screen holds its 60 fps (issue 13: 56 fps at
    rest under Xvfb). A stall of more than a frame starts the count again instead of
    racing to catch up. ``monotonic`` and ``sleep`` are the system's (tests pass their own).
    """

    def __init__(
        self,
        fps: int = 60,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._period = 1.0 / fps
        self._monotonic, self._sleep = monotonic, sleep
        self._last = self._deadline = monotonic()

    def now(self) -> float:
        return self._monotonic()

    def tick(self) -> float:
        self._deadline += self._period
        wait = self._deadline - self._monotonic()
        if wait > 0:
            self._sleep(wait)
        elif wait < -self._period:  # more than a frame behind: no burst of short frames
            self._deadline = self._monotonic()
        now = self._monotonic()
        # A stall (window drag, slow disk) must not teleport a game forward.
        dt, self._last = min(now - self._last, 0.1), now
        return dt


class SimClock:
    """Simulated time: every tick advances exactly one frame, as fast as the CPU allows."""

    def __init__(self, start: float = 0.0, dt: float = FRAME_DT) -> None:
        self._t = start
        self.dt = dt

    def now(self) -> float:
        return self._t

    def advance(self, seconds: float) -> None:
        self._t += seconds

    def tick(self) -> float:
        # The other threads get their turn each frame, as a real frame's wait for the next
        # gives it: a loop that never pauses kept the GIL from the writer thread, and a
        # `--fast` claim screen waited its whole 20 s for an award saved in milliseconds.
        time.sleep(0)
        self._t += self.dt
        return self.dt


# -- is the wall clock believable? -------------------------------------------------------------
# No carnival day of this software is earlier than this: a clock reading before it was never
# set (a flat RTC battery resets to 2000-01-01 or 1970) and would date every play and prize
# code wrongly (claim codes cannot even express a date before 2024).
NOT_BEFORE = datetime(2026, 1, 1, tzinfo=UTC)
# The wall clock may drift from the monotonic one by NTP slewing (at most 0.5 ms/s), never by
# minutes: a difference beyond this between two checks is a step (NTP, a person, a VM resume).
JUMP_TOLERANCE_S = 120.0


@dataclass(frozen=True)
class ClockProblem:
    """Something wrong with the wall clock: ``unset`` (it reads before :data:`NOT_BEFORE`) or
    ``jump`` (it moved ``jump_s`` seconds more than the monotonic clock; negative: back)."""

    kind: Literal["unset", "jump"]
    wall: datetime
    jump_s: float = 0.0


class WallClockWatch:
    """Checks the wall clock at start and between visitors: against this build's earliest
    date and, from one check to the next, against the monotonic clock (``mono``, seconds)."""

    def __init__(
        self,
        wall: Callable[[], datetime],
        mono: Callable[[], float],
        not_before: datetime = NOT_BEFORE,
        tolerance_s: float = JUMP_TOLERANCE_S,
    ) -> None:
        self.wall = wall
        self.mono = mono
        self.not_before = not_before
        self.tolerance_s = tolerance_s
        self.unset = False  # as of the last check
        self._last: tuple[datetime, float] | None = None

    def check(self) -> list[ClockProblem]:
        """What is wrong now (logged: each unset spell once, every jump)."""
        now, mono = self.wall(), self.mono()
        problems: list[ClockProblem] = []
        if self._last is not None:
            last_wall, last_mono = self._last
            jump = (now - last_wall).total_seconds() - (mono - last_mono)
            if abs(jump) > self.tolerance_s:
                problems.append(ClockProblem("jump", now, jump))
                log.warning(
                    "clock: the wall clock jumped %s by %s since the last check (NTP step or "
                    "a manual change); it now reads %s UTC. Durations use the monotonic clock",
                    "back" if jump < 0 else "forward",
                    timedelta(seconds=round(abs(jump))),
                    now.strftime("%Y-%m-%d %H:%M:%S"),
                )
        self._last = (now, mono)
        unset = now < self.not_before
        if unset:
            problems.append(ClockProblem("unset", now))
            if not self.unset:
                log.error(
                    "clock: the wall clock reads %s UTC, before %s: it is not set. Set the "
                    "clock (timedatectl, NTP); until then plays are dated wrongly and prize "
                    "codes cannot be made",
                    now.strftime("%Y-%m-%d %H:%M:%S"),
                    self.not_before.date(),
                )
        elif self.unset:
            log.info("clock: the wall clock reads %s UTC again, plausible", now)
        self.unset = unset
        return problems
