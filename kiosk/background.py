"""Work done off the frame thread: one call in a daemon thread of its own, its result kept
in a :class:`concurrent.futures.Future` that the frame thread polls or waits for.

What is drawn or built ahead (a round while its how-to is read, the next card, a screen's
face, a claim QR, texts broken into lines) must never break a frame: a call that raises is
logged here with the job's name, and the frame gets None and does the work itself, as it
would without a worker. A thread per job, not a pool: each job is rare (once per screen or
card), its thread carries the job's name (logs, tests and a profiler show whose it is), and
as a daemon it never holds up the kiosk's exit. :class:`Lane` keeps the latest of a line of
jobs under one name, for work asked for again and again (a screen's face).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import wait as wait_all
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


class Background(Future[T]):
    """One call made ahead: named first, then :meth:`start` ed, or cancelled before that."""

    def __init__(self, name: str, what: str = "") -> None:
        super().__init__()
        self.name = name  # its thread's
        self.what = what or name  # the work, as the log says it failed
        self._thread: threading.Thread | None = None

    def start(self, fn: Callable[..., T], *args: Any) -> Background[T]:
        """Run ``fn(*args)`` in a daemon thread named ``name`` (not at all if cancelled)."""
        if self._thread is not None:
            raise RuntimeError(f"{self.name}: started twice")
        self._thread = threading.Thread(
            target=self._run, args=(fn, args), name=self.name, daemon=True
        )
        if not self.cancelled():
            self._thread.start()
        return self

    def _run(self, fn: Callable[..., T], args: tuple[Any, ...]) -> None:
        if not self.set_running_or_notify_cancel():  # cancelled as its thread started
            return
        try:
            result = fn(*args)
        except BaseException as exc:  # a waiter must never wait for a result that cannot come
            log.exception("%s failed (thread %s)", self.what, self.name)
            # Logged with its traceback: kept without it, so the failed call's frames (half a
            # round, a card) are not held for as long as the job is.
            self.set_exception(exc.with_traceback(None))
        else:
            self.set_result(result)

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until it is over (a result, an exception or cancelled), at most ``timeout_s``;
        returns whether it is. Called from its own thread it returns at once."""
        if self._thread is not threading.current_thread():
            wait_all((self,), timeout_s)
        return self.done()

    join = wait  # for callers that were handed a thread before: the same wait

    def result_or_none(self, timeout_s: float | None = 0.0) -> T | None:
        """Its result if it comes within ``timeout_s``; None if it failed (logged when it did),
        was cancelled or is not over yet. Never raises."""
        if not self.wait(timeout_s) or self.cancelled() or self.exception() is not None:
            return None
        return self.result()


class Lane:
    """Jobs under one name, started one after another: the latest is waited for, and a job
    asked for ``if_idle`` leaves one still running alone. Started from the frame thread and
    from other workers (the language screen's asks for the menu's), so guarded by a lock."""

    def __init__(self, name: str, what: str = "") -> None:
        self.name, self.what = name, what
        self._job: Background[Any] | None = None
        self._lock = threading.Lock()

    def busy(self) -> bool:
        with self._lock:
            return self._job is not None and not self._job.done()

    def start(self, fn: Callable[..., Any], *args: Any, if_idle: bool = False) -> bool:
        """Run ``fn(*args)`` in a new job (with ``if_idle``: only if none is running);
        returns whether it started."""
        with self._lock:
            if if_idle and self._job is not None and not self._job.done():
                return False
            self._job = Background(self.name, self.what).start(fn, *args)
            return True

    def wait(self, timeout_s: float | None = None) -> None:
        """Block until the job started last is over (or ``timeout_s`` has passed)."""
        with self._lock:
            job = self._job
        if job is not None:
            job.wait(timeout_s)
