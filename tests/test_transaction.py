"""kiosk.playlog.transaction.immediate: the one BEGIN IMMEDIATE helper, on real SQLite files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kiosk.playlog.transaction import WriteLockBusy, immediate


def connect(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=timeout, isolation_level=None)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "t.db"
    with connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (x INTEGER)")
    return path


def rows(path: Path) -> list[int]:
    conn = connect(path)
    try:
        return [x for (x,) in conn.execute("SELECT x FROM t ORDER BY x")]
    finally:
        conn.close()


def test_the_block_commits_as_one(path: Path) -> None:
    conn = connect(path)
    with immediate(conn) as same:
        assert same is conn and conn.in_transaction
        conn.execute("INSERT INTO t VALUES (1)")
        conn.execute("INSERT INTO t VALUES (2)")
        assert rows(path) == []  # another connection sees nothing before COMMIT
    assert not conn.in_transaction
    assert rows(path) == [1, 2]


def test_an_exception_rolls_everything_back(path: Path) -> None:
    conn = connect(path)
    with pytest.raises(ZeroDivisionError), immediate(conn):
        conn.execute("INSERT INTO t VALUES (1)")
        _ = 1 / 0
    assert not conn.in_transaction and rows(path) == []


def test_commit_false_is_a_dry_run_under_the_same_lock(path: Path) -> None:
    conn = connect(path)
    with immediate(conn, commit=False):
        conn.execute("INSERT INTO t VALUES (1)")
        assert [x for (x,) in conn.execute("SELECT x FROM t")] == [1]  # it sees its write
    assert not conn.in_transaction and rows(path) == []


def test_a_held_write_lock_is_write_lock_busy_and_nothing_changes(path: Path) -> None:
    holder = connect(path)
    holder.execute("BEGIN IMMEDIATE")
    waiting = connect(path, timeout=0)  # no busy wait: the lock is taken, fail at once
    try:
        with pytest.raises(WriteLockBusy, match="locked") as caught, immediate(waiting):
            waiting.execute("INSERT INTO t VALUES (1)")
        assert isinstance(caught.value, sqlite3.OperationalError)  # sqlite3.Error handlers
        assert not waiting.in_transaction
    finally:
        holder.execute("ROLLBACK")
    assert rows(path) == []
