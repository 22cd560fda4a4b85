"""The play log's writer thread: the one thread that talks to the database after start-up.

The frame loop must never wait for SQLite (a staff tool holding the lock froze the screen for
seconds) nor for an fsync. So every call into the play log is a *job*, ``fn(store)``, put on
one queue; a single thread runs the jobs in order and hands each result back as a
:class:`concurrent.futures.Future`, which the frame loop polls with ``done()`` and never
waits on. Urgent jobs (a prize code a visitor is waiting to see) go ahead of ordinary ones;
among jobs of one kind the order is kept, so a play's finish never overtakes its start.

After every job the thread takes a :class:`Status` snapshot (writes buffered by the store,
its notices for staff) that the frame loop reads without touching the database.

:class:`Inline` runs the same jobs at once on the caller's thread: for tools, tests and
benchmarks that own a plain store and are not drawing frames.
"""

from __future__ import annotations

import itertools
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from kiosk.playlog.api import PlayLog
from kiosk.playlog.resilient import DatabaseUnavailable

log = logging.getLogger(__name__)
T = TypeVar("T")
Job = Callable[[PlayLog], T]

URGENT, NORMAL, STOP = 0, 1, 2  # queue priorities: lower runs first
# What a database having a bad moment raises: logged in one line, not as a bug.
EXPECTED = (sqlite3.Error, OSError, DatabaseUnavailable)


@dataclass(frozen=True)
class Status:
    """What the frame loop may know about the store without asking it."""

    pending: int = 0  # writes the database refused, buffered for replay
    notices: tuple[str, ...] = ()  # problems for the staff panel
    backlog: int = 0  # jobs queued or running
    jobs_done: int = 0


class Jobs(Protocol):
    """Where play-log work is sent: the :class:`Writer` thread (through the booth's
    :class:`kiosk.playlog.queued.QueuedLog`), or :class:`Inline`."""

    path: Path  # the database the jobs work on

    def submit(self, fn: Job[T], *, urgent: bool = False, what: str = "") -> Future[T]: ...

    def call(self, fn: Job[T], timeout: float | None = None) -> T: ...


@dataclass(order=True)
class _Item:
    priority: int
    seq: int
    fn: Job[Any] | None = field(compare=False)
    future: Future[Any] = field(compare=False)
    what: str = field(compare=False, default="")


class Writer:
    """The writer thread over ``store`` (usually the booth's ResilientStore).

    Once a Writer exists, only its thread may use ``store``: everything else submits jobs.
    """

    def __init__(self, store: PlayLog, *, name: str = "playlog-writer") -> None:
        self.store = store
        self._queue: queue.PriorityQueue[_Item] = queue.PriorityQueue()
        self._seq = itertools.count()
        self._lock = threading.Lock()
        self._backlog = 0
        self._done = 0
        self._idle = threading.Condition(self._lock)
        self.status = Status()
        self._refresh_status()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._closed = False
        self._thread.start()

    # -- what any thread may call -----------------------------------------------------------
    def submit(self, fn: Job[T], *, urgent: bool = False, what: str = "") -> Future[T]:
        """Queue ``fn(store)``; returns at once. A failure is logged here and also set on the
        future, so fire-and-forget writes are never silent."""
        future: Future[T] = Future()
        if self._closed:
            future.set_exception(RuntimeError("the play log writer is closed"))
            return future
        with self._lock:
            self._backlog += 1
        self._queue.put(_Item(URGENT if urgent else NORMAL, next(self._seq), fn, future, what))
        return future

    def call(self, fn: Job[T], timeout: float | None = 60.0) -> T:
        """Run ``fn(store)`` on the writer thread and wait for it: start-up, shutdown, tools
        and tests only; the frame loop uses :meth:`submit`."""
        if threading.current_thread() is self._thread:
            return fn(self.store)  # a job asking for more work: run it in place
        return self.submit(fn, what="read").result(timeout)

    def drain(self, timeout: float | None = 30.0) -> bool:
        """Wait until every job queued so far has run; False if ``timeout`` passed first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._backlog == 0, timeout)

    @property
    def backlog(self) -> int:
        return self._backlog

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def close(self, timeout: float = 10.0) -> int:
        """Run what is queued (up to ``timeout``), stop the thread, close the store.

        Returns how many jobs never ran (logged: nothing is dropped silently).
        """
        if self._closed:
            return 0
        self._closed = True
        self._queue.put(_Item(STOP, next(self._seq), None, Future()))
        self._thread.join(timeout)
        if self._thread.is_alive():
            lost = self._backlog
            log.error(
                "play log writer still busy after %.0f s at shutdown; %d queued writes not run",
                timeout,
                lost,
            )
            return lost
        self.store.close()
        return 0

    # -- the thread --------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item.fn is None:
                return
            if item.future.set_running_or_notify_cancel():
                try:
                    item.future.set_result(item.fn(self.store))
                except Exception as exc:  # one bad job never stops the thread
                    self._failed(item, exc)
                    item.future.set_exception(exc)
            self._refresh_status()
            with self._idle:
                self._backlog -= 1
                self._done += 1
                self._idle.notify_all()

    @staticmethod
    def _failed(item: _Item, exc: Exception) -> None:
        if item.what == "read":
            return  # the caller waits for it and handles it
        if isinstance(exc, EXPECTED):  # the database refusing: one line, it is noted for staff
            log.warning("play log job %r not done: %s", item.what, exc)
        else:  # a bug: the whole story
            log.error("play log job %r failed", item.what or item.fn, exc_info=exc)

    def _refresh_status(self) -> None:
        try:
            pending, notices = self.store.pending, tuple(self.store.notices)
        except Exception:  # a status we cannot read is not worth stopping for
            log.exception("could not read the play log's status")
            pending, notices = self.status.pending, self.status.notices
        self.status = Status(pending, notices, self._backlog, self._done)


class Inline:
    """Jobs run at once on the caller's thread, for a store no frame loop draws over."""

    def __init__(self, store: PlayLog) -> None:
        self.store = store
        self.path = store.path

    def submit(self, fn: Job[T], *, urgent: bool = False, what: str = "") -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(self.store))
        except Exception as exc:
            future.set_exception(exc)
        return future

    def call(self, fn: Job[T], timeout: float | None = None) -> T:
        return fn(self.store)
