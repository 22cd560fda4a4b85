"""Which phones opened a code, written off the request path.

A claim page only queues its note (code, phone id, time); one writer thread commits what
has queued in a single transaction, so a burst of first visits, or a client refusing cookies
and so arriving as a new phone at every request, costs the pages no disk waits. The desk
asks :meth:`PhoneNotes.flush` before it counts, so its number includes every page served
before the check.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from datetime import datetime

from kiosk.claims.store import ClaimStore

log = logging.getLogger(__name__)

BATCH = 500  # notes per transaction at most


class PhoneNotes:
    def __init__(self, store: ClaimStore, on_full: Callable[[str], None]) -> None:
        self.store = store
        self.on_full = on_full  # told of each code that has as many phones as are recorded
        self._queue: queue.Queue[tuple[str, str, datetime] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def add(self, code: str, phone: str, at: datetime) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="phone-notes", daemon=True)
                self._thread.start()
        self._queue.put((code, phone, at))

    def flush(self) -> None:
        """Wait until every note queued so far is in the database."""
        if self._thread is not None:
            self._queue.join()

    def stop(self) -> None:
        """Write what is queued and end the thread: before the database closes, whose
        connections this thread must not be using then."""
        with self._start_lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            batch: list[tuple[str, str, datetime]] = []
            first = self._queue.get()
            if first is None:
                self._queue.task_done()
                return
            batch.append(first)
            while len(batch) < BATCH:
                try:
                    note = self._queue.get_nowait()
                except queue.Empty:
                    break
                if note is None:
                    self._queue.task_done()
                    stopping = True
                    break
                batch.append(note)
            try:
                for code in self.store.note_phones(batch):
                    self.on_full(code)
            except Exception:  # a locked or damaged file: these notes are lost, pages go on
                log.exception("could not record %d phone notes", len(batch))
            finally:
                for _ in batch:
                    self._queue.task_done()
