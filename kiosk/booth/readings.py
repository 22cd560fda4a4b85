"""Numbers the frame loop shows but must not wait for: read by the play log's writer thread.

A :class:`Reading` holds the last value known and at most one request on its way; the frame
loop asks for a fresh one (:meth:`Reading.request`) and picks it up when it has arrived
(:meth:`Reading.poll`), drawing the last value meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Generic, TypeVar

from kiosk.playlog.api import PlayLog

log = logging.getLogger(__name__)
T = TypeVar("T")
Submit = Callable[..., Future]


class Reading(Generic[T]):
    def __init__(self, what: str, initial: T) -> None:
        self.what = what
        self.value: T = initial
        self._future: Future[T] | None = None

    def request(self, submit: Submit, fn: Callable[[PlayLog], T]) -> None:
        """Ask for a fresh value, unless one is already on its way."""
        if self._future is None:
            self._future = submit(fn, what=self.what)

    def poll(self) -> bool:
        """Take the fresh value if it has arrived; True when the value changed hands."""
        future = self._future
        if future is None or not future.done():
            return False
        self._future = None
        if future.exception() is not None:
            return False  # logged by the writer; the last value stays on screen
        self.value = future.result()
        return True
