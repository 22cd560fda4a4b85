"""Work done off the frame thread: one call in a daemon thread named for the job (so logs,
tests and profiles show whose it is; jobs are rare, so no pool), its result in a
:class:`concurrent.futures.Future` the frame thread polls or waits for. A call that raises
is logged with the job's name and gives None: the frame does the work itself, as without a
worker. :class:`Lane`: the latest of a line of jobs under one name."""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import wait as wait_all
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)
_running: set[Background[Any]] = set()  # jobs between their start and their result


def running() -> int:
    """How many jobs are running right now. A benchmark driving a simulated clock keeps it
    from running ahead of real time while a worker works (benchmarks/soak.py): a visitor
    gives a worker real seconds."""
    return len(_running)


class Background(Future[T]):
    """One call made ahead: named first, then :meth:`start` ed, or cancelled before that."""

    def __init__(self, name: str, what: str = "") -> None:
        super().__init__()
        self.name = name  # its thread's
        self.what = what or name  # the work, as the log says it failed
        self._thread: threading.Thread | None = None
        self._call: tuple[Callable[..., T], tuple[Any, ...]] | None = None  # until it runs

    def start(self, fn: Callable[..., T], *args: Any) -> Background[T]:
        """Run ``fn(*args)`` in a daemon thread named ``name`` (not at all if cancelled)."""
        if self._thread is not None:
            raise RuntimeError(f"{self.name}: started twice")
        self._thread = threading.Thread(target=self._run, name=self.name)
        self._thread.daemon = True  # never holds up the kiosk's exit
        if not self.cancelled():
            # Handed over on the job, not as the thread's arguments: a thread keeps those
            # until it ends, and ``fn``'s owner (a round) may be let go before then.
            self._call = (fn, args)
            self._thread.start()
        return self

    def cancel(self) -> bool:
        """Cancel it unless it has started (True if it is cancelled). Waiters hear of it at
        once: a plain Future leaves that to an executor, and without one
        ``concurrent.futures.wait`` sat out its whole timeout (a lane with no job yet held
        the kiosk's exit and a worker asking for the menu's faces 30 s)."""
        with self._condition:  # not between _run's check and its start
            first = not self.cancelled()
            if not super().cancel():
                return False
            if first:
                self.set_running_or_notify_cancel()
            return True

    def _run(self) -> None:
        with self._condition:
            if self.cancelled() or not self.set_running_or_notify_cancel():
                self._call = None
                return  # cancelled as its thread started
        _running.add(self)
        try:
            result = self._call_once()
        except BaseException as exc:  # a waiter must never wait for a result that cannot come
            log.exception("%s failed (thread %s)", self.what, self.name)
            # kept without its traceback (logged): the failed call's frames, half a round, go,
            # emptied too, for a log handler may keep the traceback with its record
            traceback.clear_frames(exc.__traceback__)
            exc = exc.with_traceback(None)
            _running.discard(self)
            self.set_exception(exc)
        else:
            _running.discard(self)  # over before its waiters hear: they may count
            self.set_result(result)

    def _call_once(self) -> T:
        """The call, in a frame of its own that lets go of ``fn`` and its arguments as it
        returns, before the result is set: a waiter that then drops their owner (a finished
        round) frees it at once, not when this thread gets round to ending."""
        assert self._call is not None
        fn, args = self._call
        self._call = None
        return fn(*args)

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until it is over (a result, an exception or cancelled), at most ``timeout_s``;
        returns whether it is. Called from its own thread it returns at once."""
        if self._thread is not threading.current_thread():
            wait_all((self,), timeout_s)
        return self.done()

    def join(self, timeout_s: float | None = None) -> bool:
        """:meth:`wait`, then for its thread to end (its result's callbacks run there, after
        the waiters hear), at most ``timeout_s`` in all; returns whether both are over. For
        an owner whose contract is that nothing of its job outlives it (the merge's early
        sync: neither its thread nor its descriptor)."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        if not self.wait(timeout_s):
            return False
        thread = self._thread
        if thread is None or thread is threading.current_thread() or not thread.is_alive():
            return True
        thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return not thread.is_alive()

    def result_or_none(self, timeout_s: float | None = 0.0) -> T | None:
        """Its result if it comes within ``timeout_s``; None if it failed (logged when it did),
        was cancelled or is not over yet. Never raises."""
        if not self.wait(timeout_s) or self.cancelled() or self.exception() is not None:
            return None
        return self.result()


class Lane:
    """Jobs under one name, one after another: the latest is waited for. Started from the
    frame thread and from other workers (the language screen's asks for the menu's): a lock."""

    def __init__(self, name: str, what: str = "") -> None:
        self.name, self.what = name, what
        self._job: Background[Any] = Background(name)
        self._job.cancel()  # none yet: as good as one that is over
        self._lock = threading.Lock()
        # The latest job's token while its call may still take on more work (set, checked
        # and cleared under the lock): its done() turns True only after its last check, and
        # work asked for in between would be lost.
        self._live: object | None = None
        self._again: tuple[Callable[..., Any], tuple[Any, ...]] | None = None

    def busy(self) -> bool:
        return not self._job.done()

    def start(
        self, fn: Callable[..., T], *args: Any, if_idle: bool = False, again: bool = False
    ) -> Background[T] | None:
        """Run ``fn(*args)`` in a new job, returned. If one is running: with ``if_idle``,
        nothing (None); with ``again``, the running job calls ``fn(*args)`` once more when
        its call is over (asked several times meanwhile: once, the last one asked), and it is
        returned (work that must follow what changed since, such as the heap's trim)."""
        with self._lock:
            if again and self._live is not None:
                self._again = (fn, args)
                return self._job
            if if_idle and self.busy():
                return None
            token = self._live = object()
            self._again = None
            job = self._job = Background(self.name, self.what).start(self._calls, token, fn, args)
            return job

    def _calls(self, token: object, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        try:
            while True:
                result = fn(*args)
                with self._lock:
                    if self._live is not token or self._again is None:
                        if self._live is token:
                            self._live = None  # in the same hold as the last check
                        return result
                    (fn, args), self._again = self._again, None
        except BaseException:
            with self._lock:
                if self._live is token:  # what was asked after the failed call goes with it
                    self._live, self._again = None, None
            raise

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the job started last is over (or ``timeout_s`` has passed); returns
        whether it is."""
        return self._job.wait(timeout_s)
