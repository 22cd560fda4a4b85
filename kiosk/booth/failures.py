"""What the failsafe does with a failure: log each cause once, count repeats, back off.

A fault that recurs on every frame (a broken asset under the attract screen) used to log a
traceback per frame, 20 MB in half a minute, and spin the screen between attract and a
failure. Here a cause is the exception's type and the place it was raised (innermost file,
line and function): its first occurrence is logged with the traceback, later ones as one
line at the 2nd, 4th, 8th … occurrence with the running count. Each failure in a row keeps
the failsafe screen up twice as long as the one before (6 s, 12 s, 24 s … at most
``BACKOFF_CAP_S``), so a persistent fault costs a retry a couple of minutes, not a frame; a
calm stretch of ``CALM_S`` after the screen comes back starts the next failure at 6 s again.
"""

from __future__ import annotations

import logging
import traceback
from collections import OrderedDict
from collections.abc import Callable

log = logging.getLogger("kiosk.booth.journey")

BACKOFF_START_S = 6.0  # a first failure: the failsafe screen for this long, as always
BACKOFF_CAP_S = 120.0
CALM_S = 300.0  # without a failure this long after the last hold, the streak is over
MAX_CAUSES = 64  # causes remembered (least recent forgotten): a bound, not a limit in practice

Cause = tuple[str, str, int, str]  # exception type, file, line, function


def cause_of(exc: BaseException) -> Cause:
    """The exception's type and the innermost frame it was raised in."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return (type(exc).__qualname__, "?", 0, "?")
    last = frames[-1]
    return (type(exc).__qualname__, last.filename, last.lineno or 0, last.name)


class FailureLog:
    """Failures as the journey meets them, on the kiosk's clock (``now``, in seconds)."""

    def __init__(self, now: Callable[[], float]) -> None:
        self.now = now
        self.counts: OrderedDict[Cause, int] = OrderedDict()
        self.streak = 0  # failures in a row, each with no calm stretch in between
        self.total = 0
        self._calm_from = float("-inf")  # when the last hold ends

    def record(self, exc: BaseException, where: str) -> float:
        """Log ``exc`` raised on screen ``where`` (once per cause; repeats counted) and
        return how long the failsafe screen should hold before trying again."""
        now = self.now()
        if now - self._calm_from >= CALM_S:
            self.streak = 0
        self.streak += 1
        self.total += 1
        hold = min(BACKOFF_START_S * 2 ** min(self.streak - 1, 16), BACKOFF_CAP_S)
        self._calm_from = now + hold
        key = cause_of(exc)
        seen = self.counts.pop(key, 0) + 1
        self.counts[key] = seen
        while len(self.counts) > MAX_CAUSES:
            self.counts.popitem(last=False)
        if seen == 1:
            log.error("scene %s failed; failsafe screen for %.0f s", where, hold, exc_info=exc)
        elif seen & (seen - 1) == 0:  # 2, 4, 8 …: a growing fault stays visible, cheaply
            kind, filename, line, function = key
            log.error(
                "scene %s failed again: %s at %s:%d in %s, %d times so far (traceback logged "
                "the first time); failsafe screen for %.0f s",
                where,
                kind,
                filename,
                line,
                function,
                seen,
                hold,
            )
        return hold
