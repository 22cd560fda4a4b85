"""One worker thread that draws a screen ahead while another is up (menu faces, the
language screen, a how-to's text): started when none is running, waited for by tests and
before pygame quits. Started from the frame thread and from another worker (the language
screen's asks for the menu's after it), so starting and waiting are guarded by a lock."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class AheadWorker:
    def __init__(self, name: str) -> None:
        self.name = name
        self._thread: threading.Thread | None = None  # only ever a started thread
        self._lock = threading.Lock()

    def busy(self) -> bool:
        with self._lock:
            return self._thread is not None and self._thread.is_alive()

    def start(self, target: Callable[..., Any], *args: Any, if_idle: bool = False) -> bool:
        """Run ``target(*args)`` in a new worker (with ``if_idle``: only if none is running);
        returns whether it started."""
        with self._lock:
            if if_idle and self._thread is not None and self._thread.is_alive():
                return False
            thread = threading.Thread(target=target, args=args, name=self.name, daemon=True)
            thread.start()
            self._thread = thread
            return True

    def wait(self, timeout_s: float) -> None:
        """Block until the work started last is done (or ``timeout_s`` has passed)."""
        with self._lock:
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout_s)
