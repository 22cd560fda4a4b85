"""Ending plays left ``in_progress``: the booth at start-up, staff with ``smartizen reset``.

A play row is committed as ``in_progress`` when it starts; a crash, a power cut or a kiosk
that is still running leaves it so. Both ways of closing such plays mark them ``abandoned``
with the same ``ended_at`` and ``duration_s`` rules, here. A play the kiosk finishes
afterwards keeps this outcome (the store ignores a second finish).

``smartizen reset`` runs while kiosks may be serving visitors, so by default it spares a play
started less than ``LIVE_PLAY_S`` ago: that visitor may still be playing it, and ending it
would cost them their prize.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.playlog.access import DatabaseBusy, open_write
from kiosk.playlog.schema import AUDIT, IN_PROGRESS, PLAYS, duration_s, utc_iso
from kiosk.playlog.transaction import WriteLockBusy, immediate

# The longest a play can honestly stay in progress, with a wide margin: the longest round
# (75 s) stretched by "Still playing?" countdowns, which freeze the game (at most doubling it
# with the default idle limits), the 1.5 s outro, and a staff panel left open over a game.
# tests/test_tally.py checks every game and level still fits in half of it.
LIVE_PLAY_S = 600.0


@dataclass
class EndedPlay:
    id: str
    kiosk_id: str
    game: str
    started_at: str


def abandon_in_progress(
    conn: sqlite3.Connection,
    ended_at: datetime,
    kiosk_id: str | None = None,
    started_before: datetime | None = None,
    dry_run: bool = False,
) -> list[EndedPlay]:
    """Mark plays still ``in_progress`` as ``abandoned`` at ``ended_at``; returns them,
    oldest first. Optionally only one kiosk's plays, or plays started before a moment.

    Runs inside the caller's transaction (:func:`kiosk.playlog.transaction.immediate`), so
    the plays found are the plays changed. With ``dry_run`` only finds them.
    """
    ended = utc_iso(ended_at)
    clauses, params = ["outcome = ?"], [IN_PROGRESS]
    if kiosk_id is not None:
        clauses.append("kiosk_id = ?")
        params.append(kiosk_id)
    if started_before is not None:
        clauses.append("started_at < ?")
        params.append(utc_iso(started_before))
    found = conn.execute(
        f"SELECT rowid, id, kiosk_id, game, started_at FROM {PLAYS} "
        f"WHERE {' AND '.join(clauses)} ORDER BY started_at, id",
        params,
    ).fetchall()
    rows = [EndedPlay(*row[1:]) for row in found]
    if not dry_run and rows:
        # By rowid, found in this same transaction: a merged fleet file has no index on
        # the id until merged into (kiosk/organiser/fleetfile.py), and a scan per play
        # would make resetting it slow.
        conn.executemany(
            f"UPDATE {PLAYS} SET outcome = 'abandoned', ended_at = ?, duration_s = ? "
            f"WHERE rowid = ? AND outcome = '{IN_PROGRESS}'",
            [
                (ended, duration_s(r.started_at, ended, r.id), rowid)
                for (rowid, *_), r in zip(found, rows, strict=True)
            ],
        )
    return rows


def end_in_progress(
    path: str | Path,
    now: datetime,
    kiosk_id: str | None = None,
    started_before: datetime | None = None,
    dry_run: bool = False,
) -> list[EndedPlay]:
    """``smartizen reset``: end plays still ``in_progress`` in the file at ``path``.

    One ``BEGIN IMMEDIATE`` transaction, like every kiosk write, so a kiosk writing the same
    file waits a moment rather than interleaving. With ``dry_run`` nothing changes. An
    ``audit`` row per kiosk records the change where the file has that table.

    :raises DatabaseBusy: the write lock could not be taken within the busy timeout
    """
    conn = open_write(path)
    try:
        with immediate(conn, commit=not dry_run):
            rows = abandon_in_progress(conn, now, kiosk_id, started_before, dry_run)
            if not dry_run and rows:
                _audit_reset(conn, rows, utc_iso(now))
    except WriteLockBusy as exc:
        raise DatabaseBusy(f"{path}: {exc}; try again in a moment") from None
    finally:
        conn.close()
    return rows


def _audit_reset(conn: sqlite3.Connection, rows: list[EndedPlay], ended: str) -> None:
    has_audit = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [AUDIT]
    ).fetchone()
    if not has_audit:
        return
    per_kiosk: dict[str, int] = {}
    for row in rows:
        per_kiosk[row.kiosk_id] = per_kiosk.get(row.kiosk_id, 0) + 1
    conn.executemany(
        f"INSERT INTO {AUDIT} (at, kiosk_id, action, detail) VALUES (?, ?, 'cli_reset', ?)",
        [
            (ended, kiosk, f"smartizen reset: {n} play(s) in progress ended as abandoned")
            for kiosk, n in sorted(per_kiosk.items())
        ],
    )
