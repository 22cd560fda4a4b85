"""One kiosk per database: an exclusive ``flock`` on ``scores.db.lock`` for the process's life.

A second kiosk on the same file would close the first one's live play as abandoned at its
start-up (and both would hand out serials from one counter), so the booth's play log takes
this lock before it touches the database. The kernel drops the lock when the process dies,
however it dies, so a crash never leaves a stale lock behind. Staff tools (``smartizen``)
do not take it: they may read and write beside a running kiosk.
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)


class AlreadyRunning(RuntimeError):
    """Another process holds the database's instance lock; the message says which file."""


class InstanceLock:
    """The held lock; :meth:`release` (or process exit) lets the next kiosk in."""

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self._fd = fd

    @classmethod
    def acquire(cls, database: Path) -> InstanceLock:
        """Lock ``<database>.lock``, or raise :class:`AlreadyRunning` at once (no waiting).

        A lock file that cannot be created at all (a missing or read-only folder) is logged
        and the kiosk goes on unlocked: the database there cannot be opened either, so the
        play log is buffering, and refusing to start would only make the booth go dark.
        """
        path = database.with_name(database.name + ".lock")
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            log.warning("cannot create %s (%s); running without the one-kiosk lock", path, exc)
            return cls(path, None)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            who = f"process {holder}" if holder.isdigit() else "another process"
            raise AlreadyRunning(
                f"another kiosk ({who}) is already using {database}; one kiosk per database"
            ) from None
        except OSError as exc:  # a filesystem without flock
            os.close(fd)
            log.warning("cannot lock %s (%s); running without the one-kiosk lock", path, exc)
            return cls(path, None)
        try:  # who holds it, for the second kiosk's message; the lock is what counts
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass
        return cls(path, fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Unlock; safe to call twice. The file stays (removing it would race a newcomer)."""
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None
