"""A play log that never stops the kiosk: bad files moved aside, failed writes buffered.

At start-up a ``scores.db`` that is not SQLite, is truncated or fails ``PRAGMA
integrity_check`` is renamed ``scores.db.corrupt-<UTC time>`` (never deleted) and a fresh
one is started. A database that is locked past the busy timeout, read-only or on a full disk
does not stop the visitors: plays and staff actions go to an append-only side file
``scores.db.pending.jsonl`` (or, if even that cannot be written, to memory) and are replayed
into the database, in order and idempotently, as soon as it accepts writes again. The staff
panel shows every such problem until acknowledged.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.playlog.api import PrizeIssuer
from kiosk.playlog.schema import utc_iso
from kiosk.playlog.store import PlayStore

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
# The writes that are buffered, and where each one's timestamp sits among its arguments.
TIME_ARG = {"start_play": 3, "finish_play": 2, "audit": 1}


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
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    path.rename(target)
    return target


class ResilientStore:
    """The booth's play log (a :class:`kiosk.playlog.api.PlayLog`): a PlayStore that buffers
    the writes a bad moment refused, with notices for staff. Reads and the other writes go
    straight to the database, or raise :class:`DatabaseUnavailable`."""

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
        self._memory: list[dict[str, Any]] = []  # when even the side file cannot be written
        self._store: PlayStore | None = None
        problem = diagnose(self.path)
        if problem:
            moved = move_aside(self.path, now())
            log.error(
                "database %s is %s; moved to %s and started a fresh one", self.path, problem, moved
            )
            self.notices.append(f"database was {problem}; kept as {moved.name}, fresh one started")
        self._open()
        self.flush()

    # -- opening and replaying ---------------------------------------------------------------
    def _open(self) -> bool:
        if self._store is not None:
            return True
        try:
            self._store = PlayStore(self.path, self.kiosk_id, self.busy_timeout_s)
        except sqlite3.Error as exc:
            self._note(f"database unavailable ({exc}); plays are kept in {self.side_file.name}")
            return False
        return True

    def _note(self, message: str) -> None:
        if message not in self.notices:
            log.error("%s", message)
            self.notices.append(message)

    @property
    def pending(self) -> int:
        return len(self._read_side_file()) + len(self._memory)

    def flush(self) -> int:
        """Replay buffered writes into the database; returns how many were written."""
        ops = self._read_side_file() + self._memory
        if not ops or not self._open():
            return 0
        done = 0
        try:
            for op in ops:
                self._apply(op["op"], _revive(op["op"], op["args"]))
                done += 1
        except sqlite3.Error as exc:
            log.warning("database still refuses writes (%s); %d plays wait", exc, len(ops) - done)
            remaining = ops[done:]
        else:
            remaining = []
            log.info("wrote %d buffered database operations", done)
        self._memory = []
        self._rewrite_side_file(remaining)
        return done

    def _read_side_file(self) -> list[dict[str, Any]]:
        try:
            lines = self.side_file.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        except OSError as exc:
            self._note(f"cannot read {self.side_file.name} ({exc})")
            return []
        ops = []
        for line in lines:
            try:
                ops.append(json.loads(line))
            except json.JSONDecodeError:
                log.warning("skipped a torn line in %s", self.side_file)  # power cut mid-write
        return ops

    def _rewrite_side_file(self, ops: list[dict[str, Any]]) -> None:
        try:
            if not ops:
                self.side_file.unlink(missing_ok=True)
                return
            tmp = self.side_file.with_suffix(".tmp")
            tmp.write_text("".join(json.dumps(op) + "\n" for op in ops), encoding="utf-8")
            tmp.replace(self.side_file)
        except OSError:
            self._memory = ops  # keep them somewhere; the next flush tries again

    def _apply(self, op: str, args: list[Any]) -> None:
        write = BUFFERED_WRITES[op]  # only these are ever buffered; anything else is a bug
        write(self._db(), *args)
        if op == "finish_play":
            # One line per commit: benchmarks/crash_safety.py checks each is in the file once.
            log.info("committed play %s %s", args[0], args[1])

    def _buffer(self, op: str, args: list[Any]) -> None:
        args = list(args)
        args[TIME_ARG[op]] = utc_iso(args[TIME_ARG[op]])
        record = {"op": op, "args": args}
        try:
            with self.side_file.open("a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:
            self._note(f"cannot write {self.side_file.name} ({exc}); plays kept in memory")
            self._memory.append(record)

    def _write(self, op: str, args: list[Any]) -> None:
        if self.pending:  # keep order: nothing overtakes what is already waiting
            self.flush()
        if not self.pending and self._open():
            try:
                self._apply(op, args)
                return
            except sqlite3.Error as exc:
                self._note(
                    f"database refused a write ({exc}); plays are kept in {self.side_file.name}"
                )
        self._buffer(op, args)

    # -- the writes the kiosk must never lose ------------------------------------------------
    def start_play(self, game: str, language: str, difficulty: str, started_at: datetime) -> str:
        play_id = uuid.uuid4().hex
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
        self._write("finish_play", [play_id, outcome, ended_at, score, details])

    def audit(self, action: str, at: datetime, detail: str = "") -> None:
        self._write("audit", [action, at, detail])

    def acknowledge(self) -> None:
        self.notices.clear()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

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

    def prizes_awarded(self, since: datetime, until: datetime) -> dict[str, int]:
        return self._db().prizes_awarded(since, until)

    def adjust_stock(self, day: str, tier: str, delta: int, at: datetime, note: str = "") -> None:
        self._db().adjust_stock(day, tier, delta, at, note)

    def stock_adjustments(self, day: str) -> dict[str, int]:
        return self._db().stock_adjustments(day)

    def health(self) -> dict[str, Any]:
        return self._db().health()


BUFFERED_WRITES: dict[str, Callable[..., Any]] = {
    "start_play": PlayStore.start_play,
    "finish_play": PlayStore.finish_play,
    "audit": PlayStore.audit,
}


def _revive(op: str, args: list[Any]) -> list[Any]:
    args = list(args)
    args[TIME_ARG[op]] = datetime.fromisoformat(args[TIME_ARG[op]])
    return args
