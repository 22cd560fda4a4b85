"""Start writing a file's pages to disk in the background, so the one ``fsync`` a new file
needs at the end waits only for what was written since.

``merge`` builds a new fleet file of some 350 MB per million plays: its plays are copied
first, then its index is built, which takes about a second of CPU and writes no play. The
copied pages sit in the OS's cache until the final ``fsync`` writes all of them; started
after the copy, a background ``fdatasync`` writes them during the index build (measured:
the final ``fsync`` 0.11-0.15 s before, the index's pages only after). A failed early sync
changes nothing: the final ``fsync`` runs anyway and reports any error.
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path


class BackgroundSync:
    """``fdatasync`` of ``path`` as a :class:`~kiosk.background.Background` job (thread
    ``merge-early-sync``); :meth:`wait` joins it."""

    def __init__(self, path: Path) -> None:
        # (concurrent.futures: not for every organiser command's import, `report`'s too)
        from kiosk.background import Background

        self._fd = os.open(path, os.O_RDWR)
        self._job = Background("merge-early-sync", "merge: early sync").start(_sync, self._fd)

    def wait(self) -> None:
        """Wait for the early sync and its thread's end (nothing of it outlives the merge),
        then close its descriptor (safe to call twice)."""
        self._job.join()
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _sync(fd: int) -> None:
    with suppress(OSError):  # the final fsync writes the same pages, reports what failed
        os.fdatasync(fd)
