"""The participation log against real SQLite files: durability settings, the play life
cycle, crash recovery and living alongside a staff command on the same file."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from kiosk.playlog.store import MIGRATIONS, OUTCOMES, PlayStore, utc_iso

T0 = datetime(2026, 11, 24, 22, 30, 1, 123456, tzinfo=UTC)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "scores.db"


@pytest.fixture
def store(db_path):
    with PlayStore(db_path, kiosk_id="kiosk-a") as s:
        yield s


def test_utc_iso_is_millisecond_z_format():
    assert utc_iso(T0) == "2026-11-24T22:30:01.123Z"
    hk = timezone(timedelta(hours=8))
    assert utc_iso(datetime(2026, 11, 25, 6, 30, 1, 999999, tzinfo=hk)) == (
        "2026-11-24T22:30:01.999Z"
    )
    with pytest.raises(ValueError, match="timezone-aware"):
        utc_iso(datetime(2026, 11, 24, 22, 30))


def test_schema_created_and_migration_recorded(store, db_path):
    store.close()
    conn = sqlite3.connect(db_path)
    try:
        columns = {row[1]: row[2] for row in conn.execute("PRAGMA table_info(plays)")}
        indexes = {row[1] for row in conn.execute("PRAGMA index_list(plays)")}
        migrations = conn.execute(
            "select migration_set, name from _sqlite_migrations order by id"
        ).fetchall()
    finally:
        conn.close()
    assert columns == {
        "id": "TEXT",
        "kiosk_id": "TEXT",
        "game": "TEXT",
        "language": "TEXT",
        "difficulty": "TEXT",
        "started_at": "TEXT",
        "ended_at": "TEXT",
        "duration_s": "REAL",
        "score": "INTEGER",
        "outcome": "TEXT",
        "details": "TEXT",
        "prize_tier": "TEXT",
        "prize_serial": "INTEGER",
        "prize_ref": "TEXT",
        "prize_code": "TEXT",
        "version": "INTEGER",  # the fleet outbox's (kiosk/sync/outbox.py)
        "earned_tier": "TEXT",
    }
    assert {
        "idx_plays_started_at",
        "idx_plays_game_started_at",
        "idx_plays_outcome",
        "idx_plays_kiosk_outcome_started",  # replaced (kiosk_id, outcome): its prefix
        "idx_plays_report_hour",
    } <= indexes
    assert "idx_plays_kiosk_outcome" not in indexes
    # create_plays first; later migrations (staff tables, prizes) follow in order
    assert migrations[0] == ("smartizen", "create_plays")
    assert {name for _, name in migrations} == {m.name for m in MIGRATIONS._migrations}


def test_wal_synchronous_full_and_busy_timeout_in_force(db_path):
    with PlayStore(db_path, kiosk_id="kiosk-a", busy_timeout_s=2.5) as s:
        assert s._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert s._conn.execute("PRAGMA busy_timeout").fetchone()[0] == 2500
    # WAL is a property of the file: a fresh, unrelated connection sees it too.
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_start_finish_round_trip(store):
    play_id = store.start_play("smart_bin", "yue", "easy", T0)

    row = store.get(play_id)
    assert row["outcome"] == "in_progress"
    assert row["kiosk_id"] == "kiosk-a"
    assert row["started_at"] == "2026-11-24T22:30:01.123Z"
    assert row["ended_at"] is None and row["duration_s"] is None

    store.finish_play(
        play_id, "completed", T0 + timedelta(seconds=61.5), score=87, details={"hits": 12}
    )

    row = store.get(play_id)
    assert row["outcome"] == "completed"
    assert row["ended_at"] == "2026-11-24T22:31:02.623Z"
    assert row["duration_s"] == pytest.approx(61.5)
    assert row["score"] == 87
    assert row["details"] == {"hits": 12}
    assert row["prize_code"] is None
    assert store.count() == 1
    assert store.count("completed") == 1


def test_committed_immediately_visible_to_other_connection(store, db_path):
    play_id = store.start_play("smart_bin", "en", "easy", T0)
    conn = sqlite3.connect(db_path)
    try:
        outcome = conn.execute("select outcome from plays where id = ?", [play_id]).fetchone()
        assert outcome == ("in_progress",)
        store.finish_play(play_id, "abandoned", T0 + timedelta(seconds=5))
        outcome = conn.execute("select outcome from plays where id = ?", [play_id]).fetchone()
        assert outcome == ("abandoned",)
    finally:
        conn.close()


@pytest.mark.parametrize("outcome", ["in_progress", "won", "", "Completed"])
def test_unknown_outcome_rejected(store, outcome):
    play_id = store.start_play("smart_bin", "en", "easy", T0)
    with pytest.raises(ValueError, match="unknown outcome"):
        store.finish_play(play_id, outcome, T0 + timedelta(seconds=1))
    assert store.get(play_id)["outcome"] == "in_progress"


def test_finish_unknown_play_raises_keyerror(store):
    with pytest.raises(KeyError):
        store.finish_play("0" * 32, "completed", T0)


def test_double_finish_is_a_logged_no_op(store, caplog):
    play_id = store.start_play("smart_bin", "en", "hard", T0)
    store.finish_play(play_id, "completed", T0 + timedelta(seconds=30), score=50)
    before = store.get(play_id)

    with caplog.at_level(logging.WARNING, logger="kiosk.playlog.store"):
        store.finish_play(play_id, "abandoned", T0 + timedelta(seconds=90), score=0)

    assert store.get(play_id) == before
    assert "already finished" in caplog.text
    assert store.count() == 1
    assert store.count("completed") == 1
    assert store.count("abandoned") == 0


def test_close_stale_only_touches_this_kiosks_in_progress_rows(db_path):
    with PlayStore(db_path, kiosk_id="kiosk-b") as other:
        other_running = other.start_play("smart_bin", "en", "easy", T0)
    with PlayStore(db_path, kiosk_id="kiosk-a") as store:
        done = store.start_play("smart_bin", "en", "easy", T0)
        store.finish_play(done, "completed", T0 + timedelta(seconds=10), score=70)
        crashed = [store.start_play("quiz", "yue", "easy", T0) for _ in range(2)]

        restart = T0 + timedelta(minutes=3)
        assert store.close_stale(restart) == 2
        assert store.close_stale(restart) == 0

        for play_id in crashed:
            row = store.get(play_id)
            assert row["outcome"] == "abandoned"
            assert row["ended_at"] == utc_iso(restart)
            assert row["duration_s"] == pytest.approx(180.0)
        assert store.get(done)["outcome"] == "completed"
        assert store.get(done)["ended_at"] == utc_iso(T0 + timedelta(seconds=10))
        assert store.get(other_running)["outcome"] == "in_progress"


def test_finish_waits_out_a_concurrent_writer(db_path):
    store = PlayStore(db_path, kiosk_id="kiosk-a", busy_timeout_s=5.0)
    play_id = store.start_play("smart_bin", "en", "easy", T0)
    locked = threading.Event()
    order: list[str] = []  # how long the wait took is benchmarks/lock_wait.py's business

    def staff_command() -> None:
        conn = sqlite3.connect(db_path, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("update plays set prize_ref = 'staff' where id = ?", [play_id])
            locked.set()
            time.sleep(0.3)  # the kiosk's write arrives while the lock is held
            order.append("staff commits")  # before COMMIT: nobody can write until it is done
            conn.execute("COMMIT")
        finally:
            conn.close()

    thread = threading.Thread(target=staff_command)
    thread.start()
    try:
        assert locked.wait(5)
        store.finish_play(play_id, "completed", T0 + timedelta(seconds=45), score=90)
        order.append("kiosk finished")
    finally:
        thread.join()
        store.close()

    assert order == ["staff commits", "kiosk finished"]  # it waited for the lock, then wrote
    with PlayStore(db_path, kiosk_id="kiosk-a") as reopened:
        row = reopened.get(play_id)
    assert row["outcome"] == "completed"
    assert row["prize_ref"] == "staff"  # the staff write was kept, not overwritten


def test_reopen_does_not_rerun_migrations(db_path):
    with PlayStore(db_path, kiosk_id="kiosk-a") as first:
        play_id = first.start_play("smart_bin", "en", "easy", T0)
    with PlayStore(db_path, kiosk_id="kiosk-a") as second:
        assert second.get(play_id) is not None
        applied = second.db.table("_sqlite_migrations").count
    assert applied == len(MIGRATIONS._migrations)  # each recorded once, none re-run


def test_ids_unique_over_many_plays(store):
    ids = [store.start_play("smart_bin", "en", "easy", T0) for _ in range(500)]
    assert len(set(ids)) == 500
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
    assert store.count("in_progress") == 500


def test_plays_filters_by_equality(store):
    a = store.start_play("smart_bin", "en", "easy", T0)
    b = store.start_play("quiz", "yue", "easy", T0 + timedelta(seconds=1))
    store.finish_play(b, "error", T0 + timedelta(seconds=2))

    assert [p["id"] for p in store.plays()] == [a, b]
    assert [p["id"] for p in store.plays(game="quiz")] == [b]
    assert [p["id"] for p in store.plays(difficulty="easy", outcome="in_progress")] == [a]
    assert [p["id"] for p in store.plays(ended_at=None)] == [a]
    with pytest.raises(ValueError, match="unknown column"):
        store.plays(player_name="x")


def test_count_rejects_unknown_outcome(store):
    assert set(OUTCOMES) == {"completed", "abandoned", "error"}
    with pytest.raises(ValueError):
        store.count("won")
