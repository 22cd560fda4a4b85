"""SIGTERM and SIGINT become a stop request that the main loop honours within a frame.

SDL's own handlers turn both signals into a QUIT event, and a fullscreen kiosk drops QUIT
(closing the window is not for visitors), so ``systemctl stop`` used to wait out
``TimeoutStopSec`` and kill the kiosk mid-play. Python handlers, installed before SDL starts
(so SDL, finding handlers, installs none; ``SDL_NO_SIGNAL_HANDLERS`` says the same), only
record which signal came: logging or writing from inside a handler could deadlock on a lock
the interrupted code holds. The loop (kiosk/booth/app.py ``run``) sees the request, stops,
and the launcher ends the play in progress as abandoned, stops speech and closes the store.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from types import FrameType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopSignals:
    """Which stop signal arrived, if any (``received`` is its name, e.g. ``"SIGTERM"``),
    and when (``at``, on the monotonic clock)."""

    def __init__(self) -> None:
        self.received: str | None = None
        self.at = 0.0

    def install(self) -> None:
        """Take SIGTERM and SIGINT from SDL (and from KeyboardInterrupt). Main thread only."""
        os.environ["SDL_NO_SIGNAL_HANDLERS"] = "1"
        if threading.current_thread() is not threading.main_thread():
            return  # signal.signal would raise; only the launcher's main thread installs
        for sig in STOP_SIGNALS:
            signal.signal(sig, self._handle)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.received is None:
            self.at = time.monotonic()
        self.received = signal.Signals(signum).name

    def seconds_since(self) -> float:
        """Seconds since the first stop signal arrived."""
        return time.monotonic() - self.at

    def __bool__(self) -> bool:
        return self.received is not None
