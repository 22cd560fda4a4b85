"""A bad or busy database never stops the kiosk and never loses a play."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.playlog.resilient import ResilientStore, diagnose
from tests.journeykit import open_panel, play_through, press, run_for, settle, tap, tap_button

T0 = datetime(2026, 7, 18, 2, 0, tzinfo=UTC)


def now() -> datetime:
    return T0


def rows(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("select id, outcome, score from plays order by started_at").fetchall()
    finally:
        conn.close()


def make_db(path: Path, plays: int = 3) -> None:
    store = ResilientStore(path, "K01", now=now)
    for _ in range(plays):
        play = store.start_play("recycle_right", "en", "adult", T0)
        store.finish_play(play, "completed", T0, 80)
    store.close()


def test_a_missing_database_is_created(tmp_path: Path) -> None:
    store = ResilientStore(tmp_path / "new.db", "K01", now=now)
    assert store.notices == [] and store.count() == 0
    store.close()


@pytest.mark.parametrize("damage", ["not sqlite", "truncated", "bad page"])
def test_a_damaged_database_is_moved_aside_and_a_fresh_one_started(tmp_path: Path, damage) -> None:
    db = tmp_path / "scores.db"
    make_db(db, plays=200)
    data = db.read_bytes()
    if damage == "not sqlite":
        data = b"These are the organiser's notes, not a database.\n" * 100
    elif damage == "truncated":
        data = data[: len(data) // 3 + 100]
    else:
        page = 4096
        data = data[: 2 * page] + b"\xff" * page + data[3 * page :]
    db.write_bytes(data)
    assert diagnose(db) is not None

    store = ResilientStore(db, "K01", now=now)
    moved = [p for p in tmp_path.glob("scores.db.corrupt-*") if not p.name.endswith(("wal", "shm"))]
    assert len(moved) == 1 and moved[0].name.startswith("scores.db.corrupt-20260718T020000Z")
    assert moved[0].read_bytes() == data  # kept byte for byte, never deleted
    assert len(store.notices) == 1 and "kept as" in store.notices[0]
    play = store.start_play("recycle_right", "en", "adult", T0)
    store.finish_play(play, "completed", T0, 90)
    assert store.count() == 1
    store.acknowledge()
    assert store.notices == []
    store.close()


def test_a_read_only_database_buffers_plays_and_writes_them_once_it_can(tmp_path: Path) -> None:
    db = tmp_path / "scores.db"
    store = ResilientStore(db, "K01", now=now)
    store._store._conn.execute("PRAGMA query_only = ON")  # the file refuses writes
    ids = []
    for score in (10, 20, 30):
        play = store.start_play("recycle_right", "en", "adult", T0)
        store.finish_play(play, "completed", T0, score)
        ids.append(play)
    store.audit("pause", T0)
    assert store.pending == 7 and "refused a write" in store.notices[0]
    assert rows(db) == []
    assert store.side_file.exists()

    store._store._conn.execute("PRAGMA query_only = OFF")
    assert store.flush() == 7
    assert [(r[1], r[2]) for r in rows(db)] == [
        ("completed", 10),
        ("completed", 20),
        ("completed", 30),
    ]
    assert {r[0] for r in rows(db)} == set(ids)
    assert store.pending == 0 and not store.side_file.exists()
    assert store.flush() == 0  # replaying again writes nothing twice
    assert len(rows(db)) == 3
    store.close()


def test_plays_buffered_before_a_crash_are_written_at_the_next_start(tmp_path: Path) -> None:
    db = tmp_path / "scores.db"
    store = ResilientStore(db, "K01", now=now)
    store._store._conn.execute("PRAGMA query_only = ON")
    play = store.start_play("recycle_right", "zh-HK", "senior", T0)
    store.finish_play(play, "completed", T0, 55)
    store.close()  # the kiosk dies here; the side file stays
    again = ResilientStore(db, "K01", now=now)
    assert rows(db) == [(play, "completed", 55)]
    assert again.pending == 0
    again.close()


def test_a_full_disk_buffers_and_then_recovers(tmp_path: Path) -> None:
    db = tmp_path / "scores.db"
    store = ResilientStore(db, "K01", now=now)
    conn = store._store._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL on the next new page
    for _ in range(60):
        play = store.start_play("recycle_right", "en", "adult", T0)
        store.finish_play(play, "completed", T0, 70)
    assert store.pending > 0 and any("full" in n for n in store.notices)
    conn.execute("PRAGMA max_page_count = 1073741823")
    store.flush()
    assert len(rows(db)) == 60 and store.pending == 0
    store.close()


def test_a_lock_held_by_another_process_is_waited_out_or_buffered(tmp_path: Path) -> None:
    db = tmp_path / "scores.db"
    make_db(db, plays=0)
    store = ResilientStore(db, "K01", now=now, busy_timeout_s=0.2)
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")
    play = store.start_play("recycle_right", "en", "adult", T0)  # lock held: buffered
    assert store.pending == 1
    released = threading.Timer(0.1, lambda: other.execute("COMMIT"))
    released.start()
    released.join()
    store.finish_play(play, "completed", T0, 65)  # flushes the start first, in order
    assert rows(db) == [(play, "completed", 65)] and store.pending == 0
    other.close()
    store.close()


def test_when_even_the_side_file_fails_plays_wait_in_memory(tmp_path: Path) -> None:
    db = tmp_path / "scores.db"
    store = ResilientStore(db, "K01", now=now)
    store.side_file.mkdir()  # cannot be opened for appending
    store._store._conn.execute("PRAGMA query_only = ON")
    play = store.start_play("recycle_right", "en", "adult", T0)
    assert store.pending == 1 and any("memory" in n for n in store.notices)
    store.side_file.rmdir()
    store._store._conn.execute("PRAGMA query_only = OFF")
    store.flush()
    assert rows(db) == [(play, "in_progress", None)]
    store.close()


def test_the_kiosk_keeps_serving_visitors_with_a_read_only_database(make_kiosk) -> None:
    app = make_kiosk()
    app.store.call(lambda s: s._store._conn.execute("PRAGMA query_only = ON"))
    play_through(app)
    tap_button(app, 0)
    tap(app, *app.scene.done.rect.center)
    run_for(app, 6)
    assert app.store.writer.drain(timeout=30)
    # the play's start and finish, and the visit: touched, language, game, started,
    # finished, QR shown (the code lives in the prize state file), left; and the day's
    # configured stock, recorded when the prizes were built at the first claim
    assert app.scene.name == "attract" and app.store.pending == 10
    app.store.call(lambda s: s._store._conn.execute("PRAGMA query_only = OFF"))
    tap(app, 960, 540)  # the next visit ends → flushed between visitors
    run_for(app, 60)
    settle(app)
    assert app.store.pending == 0
    (row,) = app.store.plays()  # the prize the visitor was shown went in after the play
    assert row["outcome"] == "completed" and row["prize_code"] is not None


def test_staff_see_database_trouble_until_they_acknowledge_it(make_kiosk) -> None:
    app = make_kiosk()
    app.store.call(lambda s: s._store._conn.execute("PRAGMA query_only = ON"))
    app.staff.audit("something")  # refused → buffered, noted
    open_panel(app)
    assert "refused a write" in app.layer.warnings and "waiting" in app.layer.warnings
    app.draw()
    app.store.call(lambda s: s._store._conn.execute("PRAGMA query_only = OFF"))
    press(app, app.staff.tr("staff.acknowledge"))
    assert app.layer.warnings == ""  # acknowledged, and the waiting writes went in
    assert "acknowledge" in [r["action"] for r in app.store.audit_rows()]


def test_both_stores_have_every_play_log_member_and_no_forwarding_magic(tmp_path: Path) -> None:
    from kiosk.playlog.api import PlayLog
    from kiosk.playlog.store import PlayStore

    members = {name for name in vars(PlayLog) if not name.startswith("_")} | {"kiosk_id"}
    resilient = ResilientStore(tmp_path / "a.db", "K01", now=now)
    plain = PlayStore(tmp_path / "b.db", "K01")
    for store in (resilient, plain):
        missing = sorted(name for name in members if not hasattr(store, name))
        assert missing == [], f"{type(store).__name__} lacks {missing}"
        store.close()
    assert not hasattr(ResilientStore, "__getattr__")


def test_reads_without_a_database_fail_clearly(tmp_path: Path) -> None:
    from kiosk.playlog.resilient import DatabaseUnavailable

    store = ResilientStore(tmp_path / "no-such-folder" / "scores.db", "K01", now=now)
    assert store.notices  # the staff panel says why
    with pytest.raises(DatabaseUnavailable):
        store.count()
    with pytest.raises(DatabaseUnavailable):
        store.game_switches("2026-07-18")
    store.start_play("recycle_right", "en", "adult", T0)  # a write is kept, not lost
    assert store.pending == 1
