"""The booth's batches the centre has taken but not yet flushed to its disk.

With ``"ack": "durable-lsn"`` (docs/fleet-contract.md) the centre commits a batch without
waiting for its log flush and answers with the log position the commit must reach the disk
at (``lsn``), the position already on disk (``flushed``) and its WAL ``epoch``. The booth
forgets nothing until a later answer's ``flushed`` passes a batch's ``lsn`` in the same
epoch: only then may its stored ``acked`` move to that batch's ``through``. A different
epoch means PostgreSQL restarted after a crash and lost its unflushed log; every batch not
confirmed by then is uncertain and goes again (the centre's version-guarded upsert makes a
repeat a no-op or a repair).

Plain data, no I/O: the sync thread (kiosk/sync/pusher.py) and the fleet benchmark's
simulated booths (benchmarks/fleet.py) keep one each.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Taken:
    """One batch the centre answered for: the booth's ``through``, its rows, the commit's
    log position and epoch, and when the answer came (the caller's clock, seconds)."""

    through: int
    rows: int
    lsn: int
    epoch: str
    at: float


@dataclass(frozen=True)
class Flushed:
    """What confirming learned: ``through`` (the highest ``through`` now durable, None if
    none), ``rows`` confirmed, and ``lost``: the epoch changed, every unconfirmed batch was
    dropped and must be sent again."""

    through: int | None = None
    rows: int = 0
    lost: int = 0  # batches dropped because the centre's epoch changed
    batches: tuple[Taken, ...] = ()


def positions(body: Any) -> tuple[int, int, str] | None:
    """(lsn, flushed, epoch) of a durable-position answer; ``lsn`` 0 for an empty push's
    answer. None when the body is not one (an old centre's ``{"acked": n}``, nonsense)."""
    if not isinstance(body, dict):
        return None
    lsn, flushed, epoch = body.get("lsn", 0), body.get("flushed"), body.get("epoch")
    if type(lsn) is not int or type(flushed) is not int or lsn < 0 or flushed < 0:
        return None
    if not isinstance(epoch, str) or not epoch:
        return None
    return lsn, flushed, epoch


class Unconfirmed:
    """Batches in the order they were sent (so ``through`` rises along the queue)."""

    def __init__(self) -> None:
        self._batches: deque[Taken] = deque()

    def __len__(self) -> int:
        return len(self._batches)

    @property
    def rows(self) -> int:
        return sum(b.rows for b in self._batches)

    @property
    def oldest_at(self) -> float | None:
        """When the oldest unconfirmed batch was answered (None: nothing waits)."""
        return self._batches[0].at if self._batches else None

    def add(self, taken: Taken) -> None:
        self._batches.append(taken)

    def flushed(self, flushed: int, epoch: str) -> Flushed:
        """The centre's log is on disk up to ``flushed`` in ``epoch``: pop the batches it
        covers, in order (``acked`` is a prefix: a batch never confirms past an older one
        still waiting). A batch of another epoch makes every waiting batch uncertain."""
        if any(b.epoch != epoch for b in self._batches):
            lost = len(self._batches)
            self._batches.clear()
            return Flushed(lost=lost)
        done: list[Taken] = []
        while self._batches and self._batches[0].lsn <= flushed:
            done.append(self._batches.popleft())
        if not done:
            return Flushed()
        return Flushed(
            through=done[-1].through, rows=sum(b.rows for b in done), batches=tuple(done)
        )

    def acked(self, through: int) -> Flushed:
        """An old centre's synchronous ``{"acked": through}``: its COMMIT flushed the log up
        to its own commit record, so every batch sent before it is on disk too."""
        done: list[Taken] = []
        while self._batches and self._batches[0].through <= through:
            done.append(self._batches.popleft())
        return Flushed(through=through, rows=sum(b.rows for b in done), batches=tuple(done))

    def clear(self) -> int:
        """Forget every waiting batch (the file changed under the booth); returns how many."""
        n = len(self._batches)
        self._batches.clear()
        return n
