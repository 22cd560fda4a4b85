"""The participation log: one row per play in ``scores.db``, kept safe across crashes.

Organisers need honest tallies (how many plays, of which game, finished or walked away from)
after a long day on a touchscreen that may lose power at any moment. So:

* A row is committed the moment a play starts (``outcome = 'in_progress'``) and updated and
  committed the moment it ends; a crash leaves an ``in_progress`` row that
  :meth:`PlayStore.close_stale` turns into ``abandoned`` at the next start-up.
* WAL mode with ``synchronous=FULL``: a committed play survives a power cut, and a staff
  command can read (or write) the same file while the kiosk runs. The WAL is bounded
  (``wal_autocheckpoint``, ``journal_size_limit``) so a small disk is not filled by it.
* The store remembers which file it opened (device and inode), so the booth can notice the
  path being deleted or replaced under it (:meth:`PlayStore.file_change`).
* Every write is a ``BEGIN IMMEDIATE`` transaction, so a writer takes the lock up front and
  waits out the busy timeout instead of failing half-way through a read-then-write.
* The schema and its migrations are in kiosk/playlog/schema.py, the transaction helper in
  kiosk/playlog/transaction.py, ending stale plays in kiosk/playlog/maintenance.py.

No personal data of any kind is stored: a row describes a play, not a player. Callers must
keep ``details`` to game facts (taps, hits, level reached) for the same reason.

Timestamps are always supplied by the caller (the app may run on a simulated clock) as
timezone-aware datetimes, and stored as UTC ISO 8601 text with milliseconds and ``Z``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import uuid
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kiosk.playlog.api import PrizeIssuer
from kiosk.playlog.maintenance import abandon_in_progress
from kiosk.playlog.schema import (
    AUDIT,
    DAILY_STOCK,
    GAME_SWITCHES,
    IN_PROGRESS,
    LATER_PLAY_COLUMNS,
    MIGRATIONS,
    OUTCOMES,
    PLAY_COLUMNS,
    PLAYS,
    STOCK_ADJUSTMENTS,
    VISIT_COLUMNS,
    VISIT_PROGRESS,
    VISIT_STAGES,
    VISITS,
    duration_s,
    utc_iso,
)
from kiosk.playlog.transaction import immediate
from kiosk.sync import outbox

__all__ = ["IN_PROGRESS", "MIGRATIONS", "OUTCOMES", "PLAY_COLUMNS", "PlayStore", "utc_iso"]

log = logging.getLogger(__name__)

# A checkpoint every 256 pages (1 MiB) and a WAL cut back to 1 MiB after each one: the WAL
# stays small beside the database on a booth PC's small or nearly full disk.
WAL_AUTOCHECKPOINT_PAGES = 256
JOURNAL_SIZE_LIMIT_BYTES = 1024 * 1024


class PlayStore:
    """The kiosk's handle on ``scores.db``; one instance per process, used by one thread at a
    time (the booth opens it, then hands it to its writer thread: kiosk/playlog/writer.py)."""

    def __init__(self, path: str | Path, kiosk_id: str, busy_timeout_s: float = 5.0) -> None:
        """Open or create the log, bring its schema up to date and set durability options.

        ``busy_timeout_s`` is how long a write waits for a staff tool holding the lock
        before giving up; a few seconds is invisible to a visitor between screens.
        """
        self.path = Path(path)
        self.kiosk_id = kiosk_id
        # isolation_level=None: the sqlite3 module must not open hidden transactions, so
        # _write() alone decides where each one starts and ends.
        self._conn = sqlite3.connect(
            self.path, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False
        )
        try:
            # synchronous is per connection and not stored in the file: set it every time.
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
            self._conn.execute(f"PRAGMA journal_size_limit={JOURNAL_SIZE_LIMIT_BYTES}")
            self.db = Database(self._conn)
            self.db.enable_wal()  # persistent in the file; must run outside a transaction
            # Under the write lock, so two processes opening a fresh file at once cannot
            # both run the first migration; Migrations nests its own savepoints inside.
            with self._write():
                MIGRATIONS.apply(self.db)
                # A synced table a later migration added, or a file from before the
                # outbox had a file identity and a quarantine.
                if not outbox.complete(self.db):
                    outbox.install(self.db)
            # The file as opened (SQLite created it by now): a path that later names another
            # file, or none, means staff or a script moved it under the running kiosk.
            self.identity = _identity(self.path)
        except BaseException:
            self._conn.close()
            raise
        self._plays = self.db.table(PLAYS)

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        """Every write is one ``BEGIN IMMEDIATE`` transaction (kiosk/playlog/transaction.py)."""
        return immediate(self._conn)

    def start_play(
        self,
        game: str,
        language: str,
        difficulty: str,
        started_at: datetime,
        play_id: str | None = None,
    ) -> str:
        """Record a play as ``in_progress`` and commit at once, so even a crash mid-game
        leaves a trace that the play happened. Returns the new play's id.

        ``play_id`` is given when a buffered play is replayed (kiosk/playlog/resilient.py); a play
        already recorded under that id is left alone, so replaying twice counts it once."""
        play_id = play_id or uuid.uuid4().hex  # unique across kiosks, so logs can be merged
        row = {
            "id": play_id,
            "kiosk_id": self.kiosk_id,
            "game": game,
            "language": language,
            "difficulty": difficulty,
            "started_at": utc_iso(started_at),
            "outcome": IN_PROGRESS,
        }
        with self._write():
            self._plays.insert(row, ignore=True)
        return play_id

    def finish_play(
        self,
        play_id: str,
        outcome: str,
        ended_at: datetime,
        score: int | None = None,
        details: dict | None = None,
    ) -> None:
        """Close a play and commit at once.

        A second finish of the same play (say, the idle timer firing just after the result
        screen) is ignored with a warning: each play must be counted exactly once. The check
        and the update share one write transaction, so another process cannot slip between.

        :raises ValueError: ``outcome`` is not one of :data:`OUTCOMES`
        :raises KeyError: no play has this id
        """
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}; expected one of {OUTCOMES}")
        ended = utc_iso(ended_at)
        details_json = None if details is None else json.dumps(details, ensure_ascii=False)
        with self._write():
            row = self._row(play_id)
            if row is None:
                raise KeyError(play_id)
            if row["outcome"] != IN_PROGRESS:
                log.warning(
                    "play %s already finished as %r; ignoring finish as %r",
                    play_id,
                    row["outcome"],
                    outcome,
                )
                return
            self._plays.update(
                play_id,
                {
                    "ended_at": ended,
                    "duration_s": duration_s(row["started_at"], ended, play_id),
                    "score": score,
                    "outcome": outcome,
                    "details": details_json,
                },
            )

    def close_stale(self, ended_at: datetime) -> int:
        """Mark this kiosk's leftover ``in_progress`` plays as ``abandoned``.

        Call at start-up: anything still running then was cut short by a crash or power
        loss. Other kiosks' rows are left alone, since their plays may still be running.
        Returns how many plays were closed.
        """
        with self._write():
            stale = abandon_in_progress(self._conn, ended_at, kiosk_id=self.kiosk_id)
        if stale:
            log.info("closed %d stale play(s) as abandoned", len(stale))
        return len(stale)

    def get(self, play_id: str) -> dict | None:
        """One play by id, with ``details`` decoded, or ``None`` if there is no such play."""
        row = self._row(play_id)
        return None if row is None else _decoded(row)

    def plays(self, **where: Any) -> list[dict]:
        """Plays matching every ``column=value`` given (``None`` matches NULL), oldest first.

        Meant for tests and staff tools; unknown column names are refused rather than
        interpolated into SQL.
        """
        unknown = set(where) - set(PLAY_COLUMNS) - set(LATER_PLAY_COLUMNS)
        if unknown:
            raise ValueError(f"unknown column(s) {sorted(unknown)}")
        clauses = [f"{col} is null" if v is None else f"{col} = ?" for col, v in where.items()]
        args = [v for v in where.values() if v is not None]
        rows = self._plays.rows_where(
            " and ".join(clauses) or None, args, order_by="started_at, rowid"
        )
        return [_decoded(row) for row in rows]

    def count(self, outcome: str | None = None) -> int:
        """Plays in this file (all kiosks), optionally only those with ``outcome``.

        An unknown outcome raises ``ValueError`` rather than quietly counting zero.
        """
        if outcome is None:
            return self._plays.count
        if outcome not in (*OUTCOMES, IN_PROGRESS):
            raise ValueError(f"unknown outcome {outcome!r}")
        return self._plays.count_where("outcome = ?", [outcome])

    # -- visits ------------------------------------------------------------------------------
    def start_visit(self, visit_id: str, touched_at: datetime) -> None:
        """A visitor touched the attract screen: their visit's row, committed at once (a
        replay of the same id changes nothing)."""
        row = {
            "id": visit_id,
            "kiosk_id": self.kiosk_id,
            "touched_at": utc_iso(touched_at),
            "last_stage": "touched",
        }
        with self._write():
            self.db.table(VISITS).insert(row, ignore=True)

    def update_visit(self, visit_id: str, stage: str, at: datetime, value: str = "") -> None:
        """The visit reached ``stage`` at ``at`` (:data:`VISIT_STAGES`); ``value`` is the
        language, the game, the play's id or the play's outcome, as the stage says.

        ``last_stage`` only moves forward (choosing the language again after the menu does
        not undo having reached it). A visit whose row is missing (its start went with a
        database moved aside) is logged and left out: a stage alone tells nothing.

        :raises ValueError: an unknown stage
        """
        if stage not in VISIT_STAGES:
            raise ValueError(f"unknown visit stage {stage!r}; expected one of {VISIT_STAGES}")
        at_column, value_column = VISIT_STAGES[stage]
        changes: dict[str, Any] = {at_column: utc_iso(at)}
        if value_column:
            changes[value_column] = value
        reached = "completed" if stage == "finished" and value == "completed" else stage
        table = self.db.table(VISITS)
        with self._write():
            row = next(iter(table.rows_where("id = ?", [visit_id], select="last_stage")), None)
            if row is None:
                log.warning("visit %s is not in the database; its %s is left out", visit_id, stage)
                return
            if _progress(reached) > _progress(row["last_stage"]):
                changes["last_stage"] = reached
            table.update(visit_id, changes)

    def visits(self, **where: Any) -> list[dict]:
        """Visits matching every ``column=value`` given, oldest first (tests, staff tools)."""
        unknown = set(where) - set(VISIT_COLUMNS)
        if unknown:
            raise ValueError(f"unknown column(s) {sorted(unknown)}")
        clauses = [f"{col} = ?" for col in where]
        rows = self.db.table(VISITS).rows_where(
            " and ".join(clauses) or None, list(where.values()), order_by="touched_at, rowid"
        )
        return list(rows)

    # -- staff -------------------------------------------------------------------------------
    def audit(self, action: str, at: datetime, detail: str = "") -> None:
        """Record a staff action. Callers must never pass a PIN or anything about visitors."""
        with self._write():
            self.db.table(AUDIT).insert(
                {"at": utc_iso(at), "kiosk_id": self.kiosk_id, "action": action, "detail": detail}
            )

    def audit_rows(self, limit: int = 50) -> list[dict]:
        return list(self.db.table(AUDIT).rows_where(order_by="id desc", limit=limit))

    def last_audit(self, action: str) -> dict | None:
        """This kiosk's latest audit row of ``action`` (say, the remote settings applied)."""
        rows = self.db.table(AUDIT).rows_where(
            "kiosk_id = ? AND action = ?", [self.kiosk_id, action], order_by="id desc", limit=1
        )
        return next(iter(rows), None)

    def outcomes_by_game(self, since: datetime, until: datetime) -> dict[str, dict[str, int]]:
        """This kiosk's plays started in [since, until), counted per game and outcome."""
        rows = self.db.query(
            f"SELECT game, outcome, count(*) AS n FROM {PLAYS} "
            "WHERE kiosk_id = ? AND started_at >= ? AND started_at < ? GROUP BY game, outcome",
            [self.kiosk_id, utc_iso(since), utc_iso(until)],
        )
        out: dict[str, dict[str, int]] = {}
        for row in rows:
            out.setdefault(row["game"], {})[row["outcome"]] = row["n"]
        return out

    def set_game_enabled(self, day: str, game: str, enabled: bool) -> None:
        """Staff switch a game on or off for ``day`` (a local date, e.g. 2026-07-18)."""
        with self._write():
            self.db.table(GAME_SWITCHES).upsert(
                {"day": day, "kiosk_id": self.kiosk_id, "game": game, "enabled": int(enabled)},
                pk=("day", "kiosk_id", "game"),
            )

    def game_switches(self, day: str) -> dict[str, bool]:
        rows = self.db.table(GAME_SWITCHES).rows_where(
            "day = ? AND kiosk_id = ?", [day, self.kiosk_id]
        )
        return {row["game"]: bool(row["enabled"]) for row in rows}

    # -- prizes ------------------------------------------------------------------------------
    def award_prize(
        self,
        play_id: str,
        since: datetime,
        until: datetime,
        day: str,
        issue: PrizeIssuer,
    ) -> dict | None:
        """Give a completed play its prize, at most once, in one ``BEGIN IMMEDIATE`` transaction.

        Inside the transaction: count this kiosk's prizes per tier awarded to plays that ended
        in [since, until) and the staff stock adjustments for ``day``, allocate the next serial
        (one more than this kiosk's highest ever), and call ``issue(serial, awarded,
        adjustments)``. It returns the prize columns (``prize_tier``, ``prize_ref``,
        ``prize_code``) to record on the play with that serial, or ``None`` when nothing is
        left. Because allocation and recording commit together, a serial is never given
        twice, even across crashes, restarts or a second process on the same file.

        Returns the play row as recorded (its existing prize if it already had one), or
        ``None`` when ``issue`` gave nothing.

        :raises KeyError: no play has this id
        :raises ValueError: the play is not ``completed``
        """
        with self._write():
            row = self._row(play_id)
            if row is None:
                raise KeyError(play_id)
            if row["outcome"] != "completed":
                raise ValueError(f"play {play_id} is {row['outcome']}, not completed")
            if row["prize_code"] is not None:
                return _decoded(row)
            serial = 1 + (
                self.db.execute(
                    f"SELECT max(prize_serial) FROM {PLAYS} WHERE kiosk_id = ?", [self.kiosk_id]
                ).fetchone()[0]
                or 0
            )
            prize = issue(serial, self.prizes_awarded(since, until), self.stock_adjustments(day))
            if prize is None:
                return None
            self._plays.update(play_id, {**prize, "prize_serial": serial})
            row = self._row(play_id)
        return _decoded(row)

    def record_prize(self, play_id: str, prize: dict[str, Any]) -> dict:
        """Write a prize the booth already gave (``prize_tier``, ``prize_serial``,
        ``prize_ref``, ``prize_code``; kiosk/prizes/awards.py) on its completed play, once.

        A play that already has a prize keeps it (a replay after a crash is harmless).
        Returns the play row as recorded.

        :raises KeyError: no play has this id (yet: its own writes may still be buffered)
        :raises ValueError: the play is not ``completed`` (yet)
        """
        with self._write():
            row = self._row(play_id)
            if row is None:
                raise KeyError(play_id)
            if row["outcome"] != "completed":
                raise ValueError(f"play {play_id} is {row['outcome']}, not completed")
            if row["prize_code"] is None:
                self._plays.update(play_id, prize)
                row = self._row(play_id)
            elif row["prize_code"] != prize.get("prize_code"):
                log.warning("play %s already has prize %s; kept it", play_id, row["prize_ref"])
        return _decoded(row)

    def issued_prizes(self) -> list[dict]:
        """This kiosk's prizes on record: ``prize_serial``, ``prize_tier``, ``prize_code``."""
        return list(
            self._plays.rows_where(
                "kiosk_id = ? AND prize_serial IS NOT NULL",
                [self.kiosk_id],
                select="prize_serial, prize_tier, prize_code",
            )
        )

    def prizes_awarded(self, since: datetime, until: datetime) -> dict[str, int]:
        """This kiosk's prizes per tier, for plays that ended in [since, until)."""
        rows = self.db.execute(
            f"SELECT prize_tier, count(*) FROM {PLAYS} WHERE kiosk_id = ? AND ended_at >= ? "
            "AND ended_at < ? AND prize_tier IS NOT NULL GROUP BY prize_tier",
            [self.kiosk_id, utc_iso(since), utc_iso(until)],
        ).fetchall()
        return dict(rows)

    def adjust_stock(self, day: str, tier: str, delta: int, at: datetime, note: str = "") -> None:
        """Staff correct a tier's stock for ``day`` (local date) by ``delta`` (+ more
        delivered, − damaged or given by hand). The stock count includes every adjustment."""
        with self._write():
            self.db.table(STOCK_ADJUSTMENTS).insert(
                {
                    "at": utc_iso(at),
                    "kiosk_id": self.kiosk_id,
                    "day": day,
                    "tier": tier,
                    "delta": int(delta),
                    "note": note,
                }
            )

    def record_daily_stock(self, day: str, stock: dict[str, int], at: datetime) -> None:
        """Record each tier's configured daily stock for ``day`` (local date). A tier whose
        number is unchanged is left alone (no new version to sync); a tier recorded earlier
        that day and missing from ``stock`` was taken out of the config: it gives nothing
        more, so it becomes 0."""
        known = self.daily_stock(day)
        wanted = {**{tier: 0 for tier in known}, **{t: int(n) for t, n in stock.items()}}
        changed = [
            {"day": day, "kiosk_id": self.kiosk_id, "tier": tier, "configured": n,
             "set_at": utc_iso(at)}
            for tier, n in wanted.items()
            if known.get(tier) != n
        ]
        if not changed:
            return
        with self._write():
            self.db.table(DAILY_STOCK).upsert_all(changed, pk=("day", "kiosk_id", "tier"))

    def daily_stock(self, day: str) -> dict[str, int]:
        """Each tier's configured daily stock recorded for ``day`` at this kiosk."""
        rows = self.db.execute(
            f"SELECT tier, configured FROM {DAILY_STOCK} WHERE kiosk_id = ? AND day = ?",
            [self.kiosk_id, day],
        ).fetchall()
        return dict(rows)

    def stock_notes(self, prefix: str) -> set[str]:
        """This kiosk's stock adjustment notes starting with ``prefix``: which remote stock
        entries (``remote:<id>``) are in already, so one is never applied twice."""
        rows = self.db.execute(
            f"SELECT DISTINCT note FROM {STOCK_ADJUSTMENTS} WHERE kiosk_id = ? "
            "AND substr(note, 1, length(?)) = ?",
            [self.kiosk_id, prefix, prefix],
        ).fetchall()
        return {note for (note,) in rows}

    def stock_adjustments(self, day: str) -> dict[str, int]:
        """The sum of staff stock adjustments per tier for ``day`` at this kiosk."""
        rows = self.db.execute(
            f"SELECT tier, sum(delta) FROM {STOCK_ADJUSTMENTS} WHERE kiosk_id = ? AND day = ? "
            "GROUP BY tier",
            [self.kiosk_id, day],
        ).fetchall()
        return dict(rows)

    def health(self) -> dict[str, Any]:
        """What the staff panel shows about the file: integrity, size, rows, free disk."""
        check = self.db.execute("PRAGMA quick_check").fetchone()[0]
        wal = self.path.with_name(self.path.name + "-wal")
        return {
            "ok": check == "ok",
            "check": check,
            "size_kb": round(self.path.stat().st_size / 1024),
            "wal_kb": round(wal.stat().st_size / 1024) if wal.exists() else 0,
            "plays": self._plays.count,
            "in_progress": self._plays.count_where("outcome = ?", [IN_PROGRESS]),
            "free_mb": free_disk_mb(self.path),
        }

    # -- the file itself ---------------------------------------------------------------------
    def file_change(self) -> str | None:
        """``"deleted"`` or ``"replaced"`` when the path no longer names the file this store
        has open (its writes would go nowhere anyone looks), else None."""
        try:
            now = _identity(self.path)
        except FileNotFoundError:
            return "deleted"
        except OSError:
            return None  # the folder cannot be read: nothing to say about the file
        return None if now == self.identity else "replaced"

    def checkpoint(self) -> bool:
        """Copy the WAL into the database and truncate it to zero bytes (after a disk-full or
        a lock, when it may have grown); False if a reader kept part of it."""
        busy, _, _ = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return busy == 0

    def save_copy(self, target: Path) -> int:
        """Write the whole database as this connection sees it (WAL included) to ``target``,
        a new file, with SQLite's backup API; returns how many plays the copy holds."""
        dest = sqlite3.connect(target)
        try:
            self._conn.backup(dest)
        finally:
            dest.close()
        return self._plays.count

    # -- a plain store never buffers: the rest of the PlayLog protocol (kiosk/playlog/api.py) --
    @property
    def notices(self) -> list[str]:
        return []

    @property
    def pending(self) -> int:
        return 0

    def flush(self) -> int:
        return 0

    def check_file(self) -> bool:
        """A plain store (staff tools, tests) does not follow its file; see
        :meth:`kiosk.playlog.resilient.ResilientStore.check_file` for the booth's."""
        return False

    def acknowledge(self) -> None:
        pass

    def close(self) -> None:
        """Release the file; safe to call twice (sqlite3 allows closing a closed connection)."""
        self._conn.close()

    def __enter__(self) -> PlayStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _row(self, play_id: str) -> dict | None:
        # rows_where rather than Table.get, which raises NotFoundError for a missing row.
        return next(iter(self._plays.rows_where("id = ?", [play_id])), None)


def _progress(stage: str) -> int:
    return VISIT_PROGRESS.index(stage) if stage in VISIT_PROGRESS else -1


def _identity(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return (st.st_dev, st.st_ino)


def free_disk_mb(path: Path) -> int | None:
    """Megabytes free on the disk holding ``path``'s folder, or None if it cannot be read."""
    try:
        return shutil.disk_usage(path.parent).free // (1024 * 1024)
    except OSError:
        return None


def _decoded(row: dict) -> dict:
    if row.get("details") is not None:
        row["details"] = json.loads(row["details"])
    return row
