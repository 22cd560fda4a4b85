"""The one way anything writes a kiosk database: a ``BEGIN IMMEDIATE`` transaction.

IMMEDIATE takes the write lock before the first read, so a concurrent writer makes us wait
(the connection's busy timeout) at BEGIN rather than fail mid-transaction, which a deferred
BEGIN does in WAL mode when a read lock cannot be upgraded. The booth's play log, the staff
tools, the fleet merge and the claim server's redemptions all write through :func:`immediate`.

Connections must be opened with ``isolation_level=None`` so the sqlite3 module opens no
hidden transactions of its own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


class WriteLockBusy(sqlite3.OperationalError):
    """``BEGIN IMMEDIATE`` failed: another process held the write lock past the busy timeout.

    A subclass of the error sqlite3 raised (same message), so code that handles any
    ``sqlite3.Error`` keeps doing so; tools that tell people "try again" catch this one.
    """


@contextmanager
def immediate(conn: sqlite3.Connection, *, commit: bool = True) -> Iterator[sqlite3.Connection]:
    """Run the block as one ``BEGIN IMMEDIATE`` transaction on ``conn``.

    The block's changes are committed when it ends, or rolled back if it raises (also if
    COMMIT itself fails). ``commit=False`` rolls back even on success: a dry run sees
    exactly what the write would have seen, under the same lock, and changes nothing.

    :raises WriteLockBusy: the write lock could not be taken
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise WriteLockBusy(*exc.args) from exc
    try:
        yield conn
        conn.execute("COMMIT" if commit else "ROLLBACK")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
