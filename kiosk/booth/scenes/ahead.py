"""One worker thread that draws a screen ahead while another is up (menu faces, the
language screen, a how-to's text): started when none is running, waited for by tests and
before pygame quits."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class AheadWorker:
    def __init__(self, name: str) -> None:
        self.name = name
        self._thread: threading.Thread | None = None

    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, target: Callable[..., Any], *args: Any) -> None:
        self._thread = threading.Thread(target=target, args=args, name=self.name, daemon=True)
        self._thread.start()

    def wait(self, timeout_s: float) -> None:
        """Block until the work started last is done (or ``timeout_s`` has passed)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout_s)
