"""A play log that never stops the kiosk: bad files moved aside, failed writes buffered.

At start-up a ``scores.db`` that is not SQLite, is truncated or fails ``PRAGMA
integrity_check`` is renamed ``scores.db.corrupt-<UTC time>`` (never deleted) and a fresh
one is started. A database that is locked past the busy timeout, read-only or on a full disk
does not stop the visitors: plays and staff actions go to an append-only side file
``scores.db.pending.jsonl`` (or, if even that cannot be written, to memory; at exit they are
saved or counted in the log, never dropped silently) and are replayed into the database, in
order and idempotently, as soon as it accepts writes again, after which the WAL is
checkpointed back. A write that can never apply (its play gone with a database moved aside
and no record of what it was, a malformed line) is kept in ``scores.db.rejected.jsonl``
with the reason, so a replay never stops the kiosk from starting; a finish whose play row
is missing recreates the row from what the record carries.

Between visitors :meth:`ResilientStore.check_file` notices the file deleted or replaced
under the kiosk (kiosk/playlog/moved.py) and a nearly full disk. The store holds the
database's one-kiosk lock (kiosk/playlog/instance.py) from opening to :meth:`close`. The
staff panel shows every such problem until acknowledged.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.playlog.api import PrizeIssuer
from kiosk.playlog.instance import InstanceLock
from kiosk.playlog.moved import detach, free_name
from kiosk.playlog.schema import utc_iso
from kiosk.playlog.sidefile import JsonLines
from kiosk.playlog.store import PlayStore, free_disk_mb

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
# The writes that are buffered, and where each one's timestamp sits among its arguments.
TIME_ARG = {
    "start_play": 3,
    "finish_play": 2,
    "audit": 1,
    "start_visit": 1,
    "update_visit": 2,
    "adjust_stock": 3,
    "record_daily_stock": 2,
}
# What a finish carries about its play, so a replay can recreate a row that went missing.
PLAY_FIELDS = ("game", "language", "difficulty", "started_at")
OPEN_PLAYS_KEPT = 64  # plays started and not yet finished; one visitor at a time in practice
LOW_DISK_MB = 50  # below this, staff are told to free space before writes start failing


class DatabaseUnavailable(RuntimeError):
    """No database to read from right now; writes are being buffered."""


def diagnose(path: Path) -> str | None:
    """Why ``path`` cannot be trusted as a database, or None if it is fine (or absent)."""
    if not path.exists() or path.stat().st_size == 0:
        return None  # missing or empty: SQLite simply creates the schema
    with path.open("rb") as f:
        if f.read(16) != SQLITE_HEADER:
            return "not an SQLite database"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):
            return None  # busy, not broken: opening will wait for it
        return f"unreadable ({exc})"
    except sqlite3.DatabaseError as exc:
        return f"damaged ({exc})"
    return None if result == "ok" else f"integrity check failed ({result[:120]})"


def move_aside(path: Path, now: datetime) -> Path:
    """Rename a bad database (and its -wal/-shm) out of the way, keeping it for recovery."""
    target = free_name(path, "corrupt", now)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    path.rename(target)
    return target


class ResilientStore:
    """The booth's play log (a :class:`kiosk.playlog.api.PlayLog`): a PlayStore that buffers
    the writes a bad moment refused, with notices for staff. Reads and the other writes go
    straight to the database, or raise :class:`DatabaseUnavailable`.

    :raises kiosk.playlog.instance.AlreadyRunning: another kiosk has this database open;
        nothing else stops the constructor (every other problem becomes a notice)
    """

    def __init__(
        self,
        path: str | Path,
        kiosk_id: str,
        now: Callable[[], datetime],
        busy_timeout_s: float = 5.0,
    ) -> None:
        self.path = Path(path)
        self.kiosk_id = kiosk_id
        self.now = now
        self.busy_timeout_s = busy_timeout_s
        self.notices: list[str] = []  # for the staff panel, until acknowledged
        self.side_file = self.path.with_name(self.path.name + ".pending.jsonl")
        self.rejected_file = self.path.with_name(self.path.name + ".rejected.jsonl")
        self._lock = InstanceLock.acquire(self.path)  # first: a second kiosk touches nothing
        self._pending = JsonLines(self.side_file)
        self._rejected = JsonLines(self.rejected_file)
        self._memory: list[dict[str, Any]] = []  # when even the side file cannot be written
        self._open_plays: dict[str, dict[str, str]] = {}  # id -> PLAY_FIELDS, until finished
        self._refused = False  # a write was refused since the WAL was last checkpointed
        self._store: PlayStore | None = None
        try:
            self._set_aside_if_damaged()
            self._open()
            self.flush()
        except BaseException:  # not expected (all of these note problems), but never hold
            self.close()  # the lock of a store nobody can use
            raise

    # -- opening and replaying ---------------------------------------------------------------
    def _set_aside_if_damaged(self) -> None:
        try:
            problem = diagnose(self.path)
            if problem:
                moved = move_aside(self.path, self.now())
        except OSError as exc:  # unreadable, a folder in its place, no right to rename
            self._note(f"cannot check or move {self.path.name} ({exc})")
            return
        if problem:
            log.error(
                "database %s is %s; moved to %s and started a fresh one", self.path, problem, moved
            )
            self.notices.append(f"database was {problem}; kept as {moved.name}, fresh one started")

    def _open(self) -> bool:
        if self._store is not None:
            return True
        try:
            self._store = PlayStore(self.path, self.kiosk_id, self.busy_timeout_s)
        except (sqlite3.Error, OSError) as exc:
            self._note(f"database unavailable ({exc}); plays are kept in {self.side_file.name}")
            return False
        return True

    def _note(self, message: str) -> None:
        if message not in self.notices:
            log.error("%s", message)
            self.notices.append(message)

    @property
    def pending(self) -> int:
        return len(self._read_side_file()[0]) + len(self._memory)

    def flush(self) -> int:
        """Replay buffered writes into the database; returns how many were written.

        Each write either goes in, waits (the database still refuses: it and everything after
        it stay buffered, in order), or, if it can never apply, goes to the rejected file with
        the reason. Nothing here raises: this runs at every start-up.
        """
        side, torn = self._read_side_file()
        for line in torn:
            self._reject({"line": line}, "not a whole JSON line (cut short mid-write)")
        ops = side + self._memory
        if not ops or not self._open():
            if torn or self._memory:
                self._save_pending(ops, self._memory)
            return 0
        done, remaining, memory_tail = 0, [], []
        for i, record in enumerate(ops):
            try:
                self._apply_record(record)
            except Exception as exc:
                if not _transient(exc):
                    self._reject(record, _reason(record, exc))
                    continue
                self._refused = True
                log.warning("database still refuses writes (%s); %d writes wait", exc, len(ops) - i)
                remaining, memory_tail = ops[i:], ops[max(i, len(side)) :]
                break
            done += 1
        if done:
            log.info("wrote %d buffered database operations", done)
        self._save_pending(remaining, memory_tail)
        if not remaining:
            self._checkpoint_after_refusal()
        return done

    def _read_side_file(self) -> tuple[list[dict[str, Any]], list[str]]:
        try:
            return self._pending.read()
        except OSError as exc:
            self._note(f"cannot read {self.side_file.name} ({exc})")
            return [], []

    def _save_pending(self, ops: list[dict[str, Any]], memory_tail: list[dict[str, Any]]) -> None:
        """``ops`` (ending with ``memory_tail``, the part not in the side file) become the side
        file's whole content; failing that, the side file is left as it was (a replay of its
        writes twice is harmless but for an audit line) and ``memory_tail`` stays in memory."""
        try:
            self._pending.rewrite(ops)
        except OSError as exc:
            self._note(f"cannot write {self.side_file.name} ({exc}); plays kept in memory")
            self._memory = list(memory_tail)
        else:
            self._memory = []

    def _checkpoint_after_refusal(self) -> None:
        """Once everything refused has gone in, fold the WAL (which grew meanwhile, or could
        not be checkpointed on a full disk) back into the database and truncate it."""
        if not self._refused or self._store is None:
            return
        try:
            if self._store.checkpoint():
                self._refused = False
                log.info("database accepts writes again; WAL checkpointed and truncated")
        except sqlite3.Error as exc:
            log.warning("WAL checkpoint after recovery failed (%s); will try again", exc)

    def _apply_record(self, record: dict[str, Any]) -> None:
        op = record["op"]
        self._apply(op, _revive(op, record["args"]), record.get("play"))

    def _apply(self, op: str, args: list[Any], play: dict[str, str] | None = None) -> None:
        write = BUFFERED_WRITES[op]  # an unknown op is rejected by the caller
        db = self._db()
        try:
            write(db, *args)
        except KeyError:
            if op != "finish_play" or not play:
                raise
            # The play's row went with a database moved aside or replaced since it started.
            db.start_play(
                play["game"],
                play["language"],
                play["difficulty"],
                datetime.fromisoformat(play["started_at"]),
                args[0],
            )
            log.warning("play %s was missing from the database; recreated it", args[0])
            write(db, *args)
        if op == "finish_play":
            # One line per commit: benchmarks/crash_safety.py checks each is in the file once.
            log.info("committed play %s %s", args[0], args[1])

    def _record(self, op: str, args: list[Any], play: dict[str, str] | None) -> dict[str, Any]:
        args = list(args)
        args[TIME_ARG[op]] = utc_iso(args[TIME_ARG[op]])
        record: dict[str, Any] = {"op": op, "args": args}
        if play:
            record["play"] = play
        return record

    def _buffer(self, record: dict[str, Any]) -> None:
        try:  # anything in memory first, so the file keeps the order of the writes
            self._pending.append([*self._memory, record])
            self._memory = []
        except OSError as exc:
            self._note(f"cannot write {self.side_file.name} ({exc}); plays kept in memory")
            self._memory.append(record)

    def _reject(self, record: dict[str, Any], reason: str) -> None:
        """Keep a write that can never apply, with why, out of the replay queue."""
        log.error(
            "a buffered %s cannot be applied (%s); kept in %s",
            record.get("op", "line"),
            reason,
            self.rejected_file.name,
        )
        entry = {"rejected_at": utc_iso(self.now()), "reason": reason, "record": record}
        try:
            self._rejected.append([entry])
        except OSError as exc:
            log.error("cannot write %s (%s); the write was %s", self.rejected_file, exc, entry)
        self._note(f"some database writes could not be applied; kept in {self.rejected_file.name}")

    def _write(self, op: str, args: list[Any], play: dict[str, str] | None = None) -> None:
        if self.pending:  # keep order: nothing overtakes what is already waiting
            self.flush()
        if not self.pending and self._open():
            try:
                self._apply(op, args, play)
                return
            except Exception as exc:
                if not _transient(exc):
                    record = self._record(op, args, play)
                    self._reject(record, _reason(record, exc))
                    return
                self._refused = True
                self._note(
                    f"database refused a write ({exc}); plays are kept in {self.side_file.name}"
                )
        self._buffer(self._record(op, args, play))

    # -- the writes the kiosk must never lose ------------------------------------------------
    def start_play(
        self,
        game: str,
        language: str,
        difficulty: str,
        started_at: datetime,
        play_id: str | None = None,
    ) -> str:
        play_id = play_id or uuid.uuid4().hex
        if len(self._open_plays) >= OPEN_PLAYS_KEPT:
            self._open_plays.pop(next(iter(self._open_plays)))
        self._open_plays[play_id] = dict(
            zip(PLAY_FIELDS, (game, language, difficulty, utc_iso(started_at)), strict=True)
        )
        self._write("start_play", [game, language, difficulty, started_at, play_id])
        return play_id

    def finish_play(
        self,
        play_id: str,
        outcome: str,
        ended_at: datetime,
        score: int | None = None,
        details: dict | None = None,
    ) -> None:
        play = self._open_plays.pop(play_id, None)
        self._write("finish_play", [play_id, outcome, ended_at, score, details], play)

    def audit(self, action: str, at: datetime, detail: str = "") -> None:
        self._write("audit", [action, at, detail])

    def start_visit(self, visit_id: str, touched_at: datetime) -> None:
        self._write("start_visit", [visit_id, touched_at])

    def update_visit(self, visit_id: str, stage: str, at: datetime, value: str = "") -> None:
        self._write("update_visit", [visit_id, stage, at, value])

    def visits(self, **where: Any) -> list[dict]:
        return self._db().visits(**where)

    def acknowledge(self) -> None:
        self.notices.clear()

    # -- the file under the kiosk ------------------------------------------------------------
    def check_file(self) -> bool:
        """Between visitors: is the path still the file this store writes, and is there room?

        A database deleted under the kiosk is put back from the open copy; one replaced by
        another file is kept aside (``scores.db.replaced-<time>``) and the new file used from
        now on; either way staff get a notice. A disk with little room left is a notice too.
        Returns whether the store moved to a new file. Never raises.
        """
        free = free_disk_mb(self.path)
        if free is not None and free < LOW_DISK_MB:
            self._note(f"disk almost full (under {LOW_DISK_MB} MB free); free some space")
        if self._store is None:
            if self.pending:
                self.flush()  # the folder may be back
            return False
        change = self._store.file_change()
        if change is None:
            return False
        try:
            message = detach(self._store, change, self.now())
        except (OSError, sqlite3.Error) as exc:
            self._note(
                f"{self.path.name} was {change} while the kiosk ran and its open copy could not "
                f"be saved ({exc}); plays stay in the open copy until it can"
            )
            return False
        self._store = None
        self._note(message)
        if self._open():
            self.flush()
        return True

    def close(self) -> None:
        """Let go of the file and the lock. Buffered writes still in memory are saved to the
        side file (or the database); any that cannot be are logged one by one and counted."""
        try:
            if self._store is not None and self._store.file_change():
                self.check_file()  # a last chance for plays in a deleted file
            if self._memory:
                self._save_memory_at_exit()
        finally:
            if self._store is not None:
                self._store.close()
            self._lock.release()

    def _save_memory_at_exit(self) -> None:
        n = len(self._memory)
        try:
            self._pending.append(self._memory)
        except OSError as exc:
            log.error("cannot save %d buffered writes to %s (%s)", n, self.side_file, exc)
        else:
            self._memory = []
            log.warning("saved %d buffered writes to %s for the next start", n, self.side_file)
            return
        if self._store is not None:
            self.flush()
        if self._memory:
            log.error(
                "lost %d buffered database writes at exit: neither the database nor %s took "
                "them; each follows as a 'lost write' line",
                len(self._memory),
                self.side_file.name,
            )
            for record in self._memory:
                log.error("lost write: %s", json.dumps(record, ensure_ascii=False))
            self._memory = []

    # -- everything else goes straight to the database, or fails clearly -------------------
    def _db(self) -> PlayStore:
        if self._store is None and not self._open():
            raise DatabaseUnavailable(f"database {self.path} unavailable")
        assert self._store is not None
        return self._store

    def close_stale(self, ended_at: datetime) -> int:
        return self._db().close_stale(ended_at)

    def get(self, play_id: str) -> dict | None:
        return self._db().get(play_id)

    def plays(self, **where: Any) -> list[dict]:
        return self._db().plays(**where)

    def count(self, outcome: str | None = None) -> int:
        return self._db().count(outcome)

    def audit_rows(self, limit: int = 50) -> list[dict]:
        return self._db().audit_rows(limit)

    def last_audit(self, action: str) -> dict | None:
        return self._db().last_audit(action)

    def stock_notes(self, prefix: str) -> set[str]:
        return self._db().stock_notes(prefix)

    def outcomes_by_game(self, since: datetime, until: datetime) -> dict[str, dict[str, int]]:
        return self._db().outcomes_by_game(since, until)

    def game_switches(self, day: str) -> dict[str, bool]:
        return self._db().game_switches(day)

    def set_game_enabled(self, day: str, game: str, enabled: bool) -> None:
        self._db().set_game_enabled(day, game, enabled)

    def award_prize(
        self, play_id: str, since: datetime, until: datetime, day: str, issue: PrizeIssuer
    ) -> dict | None:
        return self._db().award_prize(play_id, since, until, day, issue)

    def record_prize(self, play_id: str, prize: dict[str, Any]) -> dict:
        return self._db().record_prize(play_id, prize)

    def issued_prizes(self) -> list[dict]:
        return self._db().issued_prizes()

    def prizes_awarded(self, since: datetime, until: datetime) -> dict[str, int]:
        return self._db().prizes_awarded(since, until)

    def adjust_stock(self, day: str, tier: str, delta: int, at: datetime, note: str = "") -> None:
        # Buffered: the prize state file counts it already, and a fleet stock entry's note
        # must reach the database to stay applied once across a restart.
        self._write("adjust_stock", [day, tier, delta, at, note])

    def stock_adjustments(self, day: str) -> dict[str, int]:
        return self._db().stock_adjustments(day)

    def record_daily_stock(self, day: str, stock: dict[str, int], at: datetime) -> None:
        # Buffered like a stock correction: the centre's stock table needs it.
        self._write("record_daily_stock", [day, dict(stock), at])

    def daily_stock(self, day: str) -> dict[str, int]:
        return self._db().daily_stock(day)

    def health(self) -> dict[str, Any]:
        """The database's health, and the free disk space even when there is no database."""
        try:
            health = self._db().health()
        except (DatabaseUnavailable, sqlite3.Error, OSError) as exc:
            health = {"ok": False, "check": str(exc), "free_mb": free_disk_mb(self.path)}
        return health


BUFFERED_WRITES: dict[str, Callable[..., Any]] = {
    "start_play": PlayStore.start_play,
    "finish_play": PlayStore.finish_play,
    "audit": PlayStore.audit,
    "start_visit": PlayStore.start_visit,
    "update_visit": PlayStore.update_visit,
    "adjust_stock": PlayStore.adjust_stock,
    "record_daily_stock": PlayStore.record_daily_stock,
}


def _revive(op: str, args: list[Any]) -> list[Any]:
    args = list(args)
    args[TIME_ARG[op]] = datetime.fromisoformat(args[TIME_ARG[op]])
    return args


def _transient(exc: BaseException) -> bool:
    """A refusal that may pass (locked, read-only, full, I/O trouble, no database yet), as
    opposed to a write that can never apply (its play gone, a value the schema refuses)."""
    if isinstance(exc, (DatabaseUnavailable, sqlite3.OperationalError, OSError)):
        return True
    return type(exc) is sqlite3.DatabaseError  # "malformed": buffered until staff step in


def _reason(record: dict[str, Any], exc: BaseException) -> str:
    if isinstance(exc, KeyError) and record.get("op") == "finish_play":
        return (
            f"play {exc.args[0]} is not in the database and the record does not say what it "
            "was (game, language, difficulty, start time), so it cannot be recreated"
        )
    return f"{type(exc).__name__}: {exc}"
