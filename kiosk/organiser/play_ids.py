"""Whether any play id came twice among a new fleet file's inputs, read beside the copy.

A new fleet file has no unique index on the play id (kiosk/organiser/fleetfile.py), so
``merge`` checks instead that every play it appended has an id of its own. The check reads
every input's ids once more, in a worker (thread ``merge-ids``) with its own read-only
connections, while the merge's connection copies the plays on the other core: on the frame
thread of the copy it had cost a fifth of a new merge.

Reading in another transaction than the copy's is sound because a kiosk only ever adds
plays (no booth command deletes one): two reads of one file that count the same number of
plays saw the same plays. So an input is checked only if the worker read as many plays as
the copy took from it; for any other (a kiosk that recorded a play in between), the check
says "not known", and the merge settles copies by id, as it does for any doubt.

Ids are compared by a 64-bit fingerprint each (:func:`fingerprints`): two equal ones say
"maybe a copy", which also sends the merge to settle by id, so a rare clash of two
different ids costs time, never a play.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.playlog.access import BUSY_TIMEOUT_S, file_uri
from kiosk.playlog.schema import PLAYS

if TYPE_CHECKING:
    import numpy as np

    from kiosk.background import Background

#: Odd 64-bit multiplier of :func:`fingerprints` (from the golden ratio, as in Fibonacci
#: hashing): spreads each 8-byte piece of an id over all 64 bits.
_MIX = 0x9E3779B97F4A7C15
#: The byte between ids read for :func:`fingerprints` (ASCII unit separator: never part of
#: a longer UTF-8 character, so finding it in the bytes finds it in the text).
_SEPARATOR = 0x1F


class IdsRead:
    """Every input's play ids, read and fingerprinted by a worker started at once;
    :meth:`distinct` waits for it."""

    def __init__(self, paths: Sequence[Path]) -> None:
        # (concurrent.futures: not for every organiser command's import, `report`'s too)
        from kiosk.background import Background

        self._stop = threading.Event()
        self._job: Background[tuple[list[int], bool | None]] = Background(
            "merge-ids", "merge: reading play ids"
        ).start(_read, list(paths), self._stop)

    def distinct(self, copied: Sequence[int]) -> bool:
        """True only if no play id came twice, the inputs having given the copy ``copied``
        plays each (in the order of the paths). False if any two fingerprints are equal, if
        an input's ids were not all one width (not fingerprinted), if the worker read
        another count from any input than the copy did, or if it failed (logged)."""
        found = self._job.result_or_none(None)
        if found is None:
            return False
        counts, distinct = found
        return distinct is True and counts == list(copied)

    def stop(self) -> None:
        """Stop reading (after the input being read) and wait for the worker's end: the merge
        failed, and nothing of its work is to outlive it."""
        self._stop.set()
        self._job.join()


def _read(paths: list[Path], stop: threading.Event) -> tuple[list[int], bool | None]:
    """How many plays each file has, and whether their ids are all different (None: not
    known, some file's ids were not all one width)."""
    import numpy as np

    counts: list[int] = []
    every: list[np.ndarray] = []
    known = True
    for path in paths:
        if stop.is_set():
            return counts, None
        count, raw = _ids(path)
        counts.append(count)
        found = fingerprints(raw, count) if raw is not None else np.zeros(0, np.uint64)
        if found is None:
            known = False  # its counts are still read: the caller compares them all
        else:
            every.append(found)
    if not known:
        return counts, None
    joined = np.concatenate(every) if every else np.zeros(0, np.uint64)
    joined.sort()  # in place: np.sort would copy a million of them first
    return counts, not bool(np.any(joined[1:] == joined[:-1]))


def _ids(path: Path) -> tuple[int, bytes | None]:
    """The file's number of plays and every id, one separator between each, in one string.
    As a blob: the bytes themselves, not decoded into a str only to be encoded again. A
    Python object per id (a set of their hashes) cost a third as much as the whole copy, and
    SQL's min and max of each id's length() (to see they are all one width) twice as much as
    reading them: numpy finds the width where the separators are."""
    conn = sqlite3.connect(file_uri(path), uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        return conn.execute(
            f"SELECT count(*), CAST(group_concat(id, char({_SEPARATOR})) AS BLOB) FROM {PLAYS}"
        ).fetchone()
    finally:
        conn.close()


def fingerprints(raw: bytes, count: int) -> np.ndarray | None:
    """A 64-bit fingerprint of each of the ``count`` ids in ``raw`` (joined by
    :data:`_SEPARATOR`): equal ids, equal fingerprints; different ones almost never alike.
    None unless the ids are all one width and none holds the separator (the only places
    it is are those between ids of that width: the pieces between them are the ids)."""
    import numpy as np

    width = raw.find(_SEPARATOR) if count > 1 else len(raw)
    if width <= 0 or len(raw) != (width + 1) * count - 1:  # e.g. a NULL id, left out
        return None
    joined = np.frombuffer(raw, dtype=np.uint8)
    separators = joined[width :: width + 1]
    if np.count_nonzero(joined == _SEPARATOR) != len(separators) or np.any(
        separators != _SEPARATOR
    ):
        return None
    if width < 8:
        short = np.zeros((count, 8), dtype=np.uint8)
        short[:, :width] = np.pad(joined, (0, 1)).reshape(count, width + 1)[:, :width]
        pieces = [short.view("<u8")[:, 0]]
    else:  # each 8 bytes of every id read where they lie (the last 8 overlapping the rest)
        pieces = [
            np.ndarray((count,), "<u8", raw, offset, (width + 1,))
            for offset in [*range(0, width - 7, 8), *([width - 8] if width % 8 else [])]
        ]
    out = np.zeros(count, dtype=np.uint64)
    for piece in pieces:
        out = (out * np.uint64(_MIX)) ^ piece  # wraps modulo 2**64, as a hash should
    return out
